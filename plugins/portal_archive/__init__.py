"""portal_archive: the archive of posts by school year (năm học, September to August).

`/luu-tru/` lists the school years with their number of posts; `/luu-tru/<năm-học>/` lists
that year's posts, newest first, grouped by month and paginated (`/luu-tru/2022-2023/trang-2/`),
so no archive page grows with the age of the site (a page per year, 100 posts per page).
"""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from portal_core.dates import school_year_id, school_year_label

DEFAULTS = {
    "PORTAL_ARCHIVE_URL": "luu-tru/",
    "PORTAL_ARCHIVE_PER_PAGE": 100,
}


def group_by_school_year(articles) -> list[dict]:
    """[{id, label, url_part, articles (newest first)}], newest school year first."""
    years: dict[str, list] = {}
    for article in sorted(articles, key=lambda a: a.date, reverse=True):
        years.setdefault(school_year_id(article.date), []).append(article)
    return [{"id": year, "label": school_year_label(year), "articles": items,
             "count": len(items)} for year, items in sorted(years.items(), reverse=True)]


def month_groups(articles) -> list[tuple[str, list]]:
    """Consecutive posts of one page grouped under "Tháng 9/2022" (input newest first)."""
    groups: list[tuple[str, list]] = []
    for article in articles:
        label = f"Tháng {article.date.month}/{article.date.year}"
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(article)
    return groups


class ArchiveGenerator(Generator):
    """Writes the archive pages from the published articles."""

    def generate_context(self):
        self.years = group_by_school_year(self.context.get("articles") or [])
        self.context["portal_archive_years"] = [
            {k: v for k, v in year.items() if k != "articles"} for year in self.years]

    def generate_output(self, writer):
        base = self.settings["PORTAL_ARCHIVE_URL"]
        per_page = self.settings["PORTAL_ARCHIVE_PER_PAGE"]
        self.settings.setdefault("PAGINATED_TEMPLATES", {})["archive_year"] = per_page
        writer.write_file(base + "index.html", self.get_template("archives"), self.context,
                          url=base, archive_years=self.context["portal_archive_years"],
                          current_url=base, relative_urls=self.settings["RELATIVE_URLS"])
        for year in self.years:
            url = f"{base}{year['id']}/"
            writer.write_file(url + "index.html", self.get_template("archive_year"),
                              self.context, paginated={"articles": year["articles"]},
                              template_name="archive_year", url=url, archive_year=year,
                              archive_years=self.context["portal_archive_years"],
                              month_groups=month_groups, current_url=base,
                              relative_urls=self.settings["RELATIVE_URLS"])


def initialized(pelican):
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_generators(pelican):
    return ArchiveGenerator


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
