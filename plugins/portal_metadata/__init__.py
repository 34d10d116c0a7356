"""portal_metadata: what machines read about the pages — share previews, robots.txt, sitemap.

- ``initialized``: settings defaults, and a reset of pelican-sitemap's module-level state (it
  would otherwise skip every sitemap after one failed build in the same process).
- ``all_generators_finalized``: checks ``Cover``/``Cover-alt`` (problems, never exceptions),
  sets ``share_image``/``share_image_alt`` on posts and pages (Open Graph and Twitter tags in
  theme/templates/partials/social.html), and gives the sitemap a reproducible ``lastmod``
  for list pages (the newest post instead of the build time).
- ``finalized``: writes robots.txt.

The Dublin Core and schema.org JSON-LD tags are written by the theme
(partials/meta.html, partials/page_facts.html) from the posts' own fields and school.yml.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from pelican import signals

from portal_core import checks, state
from portal_core.problems import WARNING, Problem

from .pages import cover_problem, normalise_cover, robots_txt

log = logging.getLogger("portal_metadata")
PLUGIN = "portal_metadata"

# Settings of this plugin, with their defaults: the one place where they are defined.
DEFAULTS = {
    "PORTAL_ROBOTS_TXT": True,  # write /robots.txt
}


def _sitemap_generator():
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # the sitemap plugin is optional
        return None
    return getattr(sitemap, "generator", None)


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    generator = _sitemap_generator()
    if generator is not None:  # state left behind by a build that stopped before finalized
        generator._main_pelican = None
        generator.page_queue = []


def cover_problems(obj, settings) -> list[Problem]:
    """Problems with an object's Cover / Cover-alt; sets obj.share_image when usable."""
    raw = obj.metadata.get("cover")
    alt = str(obj.metadata.get("cover-alt") or "").strip()
    file = state.rel(settings, obj.source_path)
    problems = []
    if not raw:
        if alt:
            problems.append(Problem(file, "Cover-alt", alt, "Có mô tả ảnh nhưng không có ảnh.",
                                    "Thêm «Cover: images/…» hoặc xóa «Cover-alt».",
                                    severity=WARNING, plugin=PLUGIN))
        return problems
    cover = normalise_cover(raw)
    issue = cover_problem(cover, settings["PATH"])
    if issue:
        problems.append(Problem(file, "Cover", str(raw), issue[0], issue[1], plugin=PLUGIN))
        return problems
    if not alt:
        problems.append(Problem(file, "Cover-alt", "", "Ảnh đại diện cần một câu mô tả.",
                                "Ví dụ: «Cover-alt: Học sinh dự lễ khai giảng trên sân trường».",
                                plugin=PLUGIN))
    obj.share_image = cover
    obj.share_image_alt = alt
    return problems


def _newest(articles):
    dates = [getattr(a, "modified", None) or a.date for a in articles]
    return max(dates) if dates else None


def all_generators_finalized(generators):
    settings = generators[0].settings
    articles, pages = checks.public_content(generators)
    for obj in articles + pages:
        for problem in cover_problems(obj, settings):
            state.add(settings, problem)
    newest = _newest([a for a in articles if a.status == "published"])
    generator = _sitemap_generator()
    if generator is not None:
        today = state.today(settings)
        generator.now = newest or dt.datetime(today.year, today.month, today.day)


def finalized(pelican):
    if pelican.settings.get("PORTAL_ROBOTS_TXT", True):
        with open(os.path.join(pelican.output_path, "robots.txt"), "w", encoding="utf-8") as f:
            f.write(robots_txt(pelican.settings.get("SITEURL", ""),
                               pelican.settings.get("PORTAL_ROBOTS_DISALLOW") or ()))


def register():
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.finalized.connect(finalized)
