"""portal_disclosure: the công khai index (TT 09/2024, budget disclosure), open data and checks.

Disclosure documents are Pelican pages under content/cong-khai/<năm-học>/ (PAGE_PATHS); this
plugin gives them their URL (cong-khai/<năm-học>/<slug>/) and template, checks their front
matter and attachments, and writes /cong-khai/, /cong-khai/<năm-học>/ and the open data
(index.json, index.csv). A news post or notice with ``Disclosure:`` is credited to its item too.
The plain index is put in the context as ``disclosure_index``: the one computation of the
statuses that every page and file reads. ``legal_notes(settings)`` gives the maintainers'
report of the catalogue's bases (``cong-truong check --phap-ly``).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re

from pelican import signals
from pelican.generators import Generator

from portal_core import state
from portal_core.data import load_yaml
from portal_core.problems import WARNING, Problem
from portal_core.reader import source_lines

from .catalogue import (PLUGIN, event_names, expired_versions, for_school,
                        legal_notes as catalogue_notes, load_events, validate_catalogue,
                        validate_level_text)
from .deadlines import Calendar, missing_years, parse_calendar, parse_rollover
from .documents import (check_document, check_post, folder_school_year, repealed_citations,
                        url_school_year)
from .home import highlights
from .index import build_index, to_csv, to_json

log = logging.getLogger(PLUGIN)
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULTS = {
    "PORTAL_DISCLOSURE_FOLDER": "cong-khai",  # inside content/, and the URL prefix
    "PORTAL_DISCLOSURE_DATA": "disclosure.yml",  # school event dates, in content/data/
    "PORTAL_DISCLOSURE_DETAIL_YEARS": 2,  # years shown in full on /cong-khai/ (page weight)
}
TH = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")


@dataclasses.dataclass
class DisclosureRun:
    """This plugin's part of the build state: the data read at initialized, the index built."""

    catalogue: dict = dataclasses.field(default_factory=lambda: {"items": []})
    calendar: Calendar = dataclasses.field(default_factory=Calendar)
    events: dict = dataclasses.field(default_factory=dict)
    rollover: dict = dataclasses.field(default_factory=dict)  # catalogue's deadline_rollover
    holidays_rel: str = "holidays.yml"
    index: object = None


def _run(settings) -> DisclosureRun:
    return state.current(settings).part(DisclosureRun)


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    filters = settings.setdefault("PORTAL_CONTENT_FILTERS", [])
    if table_headers not in filters:
        filters.append(table_headers)
    run = _run(settings)
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    problems = []
    catalogue, found = load_yaml(os.path.join(HERE, "catalogue.yml"), base, PLUGIN)
    problems += found
    if not isinstance(catalogue, dict):
        catalogue = {"items": []}
    else:
        problems += validate_catalogue(catalogue, state.rel(settings, os.path.join(
            HERE, "catalogue.yml")))
    holidays, found = load_yaml(os.path.join(HERE, "holidays.yml"), base, PLUGIN)
    problems += found
    calendar, errors = parse_calendar(holidays) if holidays is not None else (Calendar(), [])
    holidays_rel = state.rel(settings, os.path.join(HERE, "holidays.yml"))
    problems += [Problem(holidays_rel, f, v, m, plugin=PLUGIN) for f, v, m in errors]
    data_path = os.path.join(settings["PATH"], settings.get("PORTAL_DATA_PATH", "data"),
                             settings["PORTAL_DISCLOSURE_DATA"])
    events, data_problems = {}, []
    if os.path.exists(data_path):
        data, data_problems = load_yaml(data_path, base, PLUGIN)
        if data is not None:
            events, data_problems = load_events(data, state.rel(settings, data_path),
                                                known=event_names(catalogue))
    problems += data_problems
    rollover, _ = parse_rollover(catalogue.get("deadline_rollover")) if isinstance(
        catalogue, dict) else ({}, [])  # its errors: validate_catalogue
    level_text, found = load_yaml(os.path.join(HERE, "levels.yml"), base, PLUGIN)
    problems += found + validate_level_text(level_text, state.rel(settings, os.path.join(
        HERE, "levels.yml")))
    # the school's own list: the items of its levels, worded for its level
    catalogue = for_school(catalogue if isinstance(catalogue, dict) else {"items": []},
                           settings.get("PORTAL_SCHOOL") or {}, level_text)
    run.catalogue = catalogue
    run.calendar, run.events = calendar, events
    run.rollover, run.holidays_rel = rollover, holidays_rel
    for problem in problems:
        state.add(settings, problem)


def _folder(settings) -> str:
    return os.path.join(os.path.abspath(settings["PATH"]),
                        settings.get("PORTAL_DISCLOSURE_FOLDER", "cong-khai"))


def _in_folder(settings, path: str) -> str | None:
    """The path relative to content/cong-khai/, or None when outside it."""
    folder = _folder(settings)
    path = os.path.abspath(path)
    if os.path.commonpath([folder, path]) != folder:
        return None
    return os.path.relpath(path, folder)


def owns_output(settings, path: str) -> bool:
    """Whether *path* (inside output/) is, or may become, one of this plugin's outputs in its
    folder: /cong-khai/ and its open data, a school year's page and everything under it
    (documents, attachments). Any other address under the folder, such as an old portal's
    /cong-khai/123-bieu-mau.html, is free for a redirect page (portal_redirects asks)."""
    folder = str(settings.get("PORTAL_DISCLOSURE_FOLDER", "cong-khai")).strip("/") + "/"
    if not path.startswith(folder):
        return False
    rest = path[len(folder):]
    return rest == "" or rest.startswith("index.") or bool(re.match(r"\d{4}-\d{4}(/|$)", rest))


def table_headers(*, source_path, rel, text, metadata, html, settings):
    """Content filter (cached with the content): every <th> of a disclosure document gets
    scope="col". After the sanitizer (``order`` 60, the sanitizer's is 50)."""
    del rel, text, metadata
    if html and _in_folder(settings, source_path) is not None:
        html = TH.sub('<th scope="col"', html)
    return html, []


table_headers.order = 60


def content_object_init(content):
    """Disclosure pages: URL cong-khai/<năm-học>/<slug>/, own template.

    Reading phase: never raises (a raise would make Pelican drop the page).
    """
    try:
        from pelican.contents import Page

        settings = content.settings
        if not isinstance(content, Page) or not getattr(content, "source_path", None):
            return
        inside = _in_folder(settings, content.source_path)
        if inside is None:
            return
        prefix = settings.get("PORTAL_DISCLOSURE_FOLDER", "cong-khai")
        year = url_school_year(content.metadata, folder_school_year(inside))
        url = f"{prefix}/{year}/{content.slug}/" if year else f"{prefix}/{content.slug}/"
        content.override_url = url
        content.override_save_as = url + "index.html"
        if "template" not in content.metadata:
            content.template = "disclosure_document"
        content.disclosure_document = True
    except Exception as exc:  # noqa: BLE001 — a reading-phase signal must not raise
        log.warning("%s: %s", PLUGIN, exc)


class DisclosureGenerator(Generator):
    """Builds the index from the pages Pelican read, then writes the index pages and data."""

    def generate_context(self):
        settings = self.settings
        run = _run(settings)
        catalogue = run.catalogue or {"items": []}
        today = state.today(settings)
        content_root = os.path.abspath(settings["PATH"])
        documents, by_url, sources = [], {}, {}
        pages = list(self.context.get("pages") or []) + list(
            self.context.get("hidden_pages") or [])
        for article in self.context.get("articles") or []:
            if not article.metadata.get("disclosure"):
                continue
            rel = state.rel(settings, article.source_path)
            doc, problems = check_post(article.metadata, rel=rel, catalogue=catalogue,
                                       today=today, lines=source_lines(article),
                                       title=article.title, url=article.url)
            for problem in problems:
                state.add(settings, problem)
            if doc is not None:
                documents.append(doc)
                sources[doc.url] = (rel, article)
        for page in pages:
            inside = _in_folder(settings, page.source_path)
            if inside is None:
                continue
            rel = state.rel(settings, page.source_path)
            lines = source_lines(page)
            doc, problems = check_document(
                page.metadata, rel=rel, source_dir=os.path.dirname(page.source_path),
                content_root=content_root, static_paths=settings.get("STATIC_PATHS") or [],
                catalogue=catalogue, today=today, folder_year=folder_school_year(inside),
                lines=lines, title=page.title, url=page.url)
            for problem in problems:
                state.add(settings, problem)
            if doc is not None:
                documents.append(doc)
                by_url[page.url] = doc
                sources[doc.url] = (rel, page)
        for doc in documents:
            rel, content = sources[doc.url]
            for problem in repealed_problems(doc, rel, getattr(content, "_content", ""),
                                             catalogue):
                state.add(settings, problem)
        index = build_index(catalogue, settings.get("PORTAL_SCHOOL") or {},
                            run.events or {}, run.calendar or Calendar(),
                            documents, today, settings.get("SITEURL", ""),
                            settings.get("PORTAL_DISCLOSURE_FOLDER", "cong-khai"),
                            int(settings.get("PORTAL_DISCLOSURE_DETAIL_YEARS", 2)),
                            run.rollover, settings.get("PORTAL_SCHOOL_DATED"))
        for problem in holiday_problems(run.calendar or Calendar(), index, run.holidays_rel):
            state.add(settings, problem)
        for problem in expired_versions(catalogue, today, state.rel(
                settings, os.path.join(HERE, "catalogue.yml"))):
            state.add(settings, problem)
        self._attach_to_pages(pages, index, by_url)
        run.index = index
        self.index = index
        state.open_data(settings, "cong-khai", index["json_url"],
                        lambda: json.loads(to_json(index)))
        self.context["disclosure_index"] = index
        home = highlights(index, catalogue)
        self.context["disclosure_home"] = home
        search_terms(pages + list(self.context.get("articles") or []), index, home)

    @staticmethod
    def _attach_to_pages(pages, index, by_url):
        """Each document page gets its row (item name, due, status) and its attachments."""
        rows = {}
        for year in index["years"]:
            for row in year["rows"]:
                for entry in row["documents"]:
                    rows.setdefault(entry["url"], (row, entry))
        for page in pages:
            if page.url in rows:
                page.disclosure_row, page.disclosure_entry = rows[page.url]

    def generate_output(self, writer):
        index = getattr(self, "index", None)
        if index is None:
            return
        prefix = self.settings.get("PORTAL_DISCLOSURE_FOLDER", "cong-khai")
        writer.write_file(f"{prefix}/index.html", self.get_template("disclosure_index"),
                          self.context, relative_urls=self.settings.get("RELATIVE_URLS"),
                          url=f"{prefix}/", disclosure=index)
        template = self.get_template("disclosure_year")
        for year in index["years"]:
            writer.write_file(f"{year['url']}index.html", template, self.context,
                              relative_urls=self.settings.get("RELATIVE_URLS"),
                              url=year["url"], disclosure=index, year=year)
        out = os.path.join(self.output_path, prefix)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "index.json"), "w", encoding="utf-8") as handle:
            handle.write(to_json(index))
        with open(os.path.join(out, "index.csv"), "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(to_csv(index))


def search_terms(contents, index: dict, home: dict) -> None:
    """What search finds a disclosure document by (portal_search): its item's name and old
    names, indexed but not shown in the excerpt (the page shows them in a labelled list); the
    document a parents' shortcut leads to (the current year's fee notice…) ranks first for that
    shortcut's subject."""
    names = {}
    for year in index["years"]:
        for row in year["rows"]:
            for entry in row["documents"]:
                names.setdefault(entry["url"], []).extend([row["name"]] + row["aliases"])
    targets = {}
    for link in home.get("shortcuts") or []:
        targets.setdefault(link["url"], []).append(link["label"])
    for content in contents:
        url = getattr(content, "url", "")
        if url in names:
            content.portal_search_text = list(dict.fromkeys(names[url]))
        if url in targets:
            content.portal_search_terms = targets[url]


def repealed_problems(doc, rel: str, html: str, catalogue: dict) -> list[Problem]:
    """A warning for each repealed text (catalogue ``repealed``) a document still cites."""
    problems = []
    for cite, entry in repealed_citations(html, doc.published, catalogue):
        problems.append(Problem(
            rel, "", cite,
            f"Văn bản công khai ngày {doc.published:%d/%m/%Y} dẫn «{cite}» của {entry['law']}, "
            f"đã hết hiệu lực từ ngày {entry['from']:%d/%m/%Y}.",
            f"Dẫn văn bản đang có hiệu lực: {entry.get('instead') or 'xem docs/legal.md'}.",
            severity=WARNING, plugin=PLUGIN))
    return problems


def legal_notes(settings) -> list:
    """Every basis of the disclosure catalogue with its confidence and note, for the
    maintainers' report (``cong-truong check --phap-ly``); never published."""
    path = os.path.join(HERE, "catalogue.yml")
    base = os.path.dirname(os.path.abspath(settings.get("PATH") or "."))
    catalogue, _ = load_yaml(path, base, PLUGIN)
    return catalogue_notes(catalogue if isinstance(catalogue, dict) else {},
                           state.rel(settings, path))


def holiday_problems(calendar: Calendar, index: dict, file: str) -> list[Problem]:
    """One error per year the statuses depend on that holidays.yml does not give: without it,
    working days and rollovers would be computed as if there were no Tết."""
    problems = []
    for year in missing_years(calendar, index.get("calendar_years") or []):
        school_years = [y["id"] for y in index.get("years") or []
                        if int(y["id"][:4]) <= year <= int(y["id"][:4]) + 1]
        problems.append(Problem(
            file, f"years.{year}", str(year),
            f"Thiếu lịch nghỉ lễ, Tết năm {year}: hạn công khai"
            + (f" của năm học {', '.join(school_years)}" if school_years else "")
            + " sẽ bị tính như thể năm đó không có ngày nghỉ.",
            f"Thêm «{year}:» vào holidays.yml với days_off (Tết Dương lịch, Tết Nguyên đán, Giỗ "
            "Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, nghỉ bù) theo thông báo nghỉ lễ của Chính "
            "phủ; ngày chưa có thông báo thì ghi ước tính kèm «uncertain: true».",
            plugin=PLUGIN))
    return problems


def get_generators(pelican):
    return DisclosureGenerator


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
    signals.get_generators.connect(get_generators)
