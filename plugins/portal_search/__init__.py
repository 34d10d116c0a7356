"""portal_search: readers find things — the Pagefind search index and its page.

- ``initialized``: settings defaults, the ``search_tokens`` Jinja filter (the hidden block of
  search tokens that base.html adds to indexed pages, tokens.py).
- ``all_generators_finalized``: the pages to index are known: the index builder starts.
- ``content_written``: notes each searchable page and its school year.
- ``finalized``: builds the Pagefind index of those pages, in shards of
  at most ``PORTAL_SEARCH_SHARD_PAGES`` pages cached by content (shards.py); a Pagefind
  failure raises SearchIndexError, which fails the build (invoke build, tests, livereload
  alike).
"""

from __future__ import annotations

import dataclasses
import logging
import os

from pelican import signals

from portal_core import checks, state
from portal_core.dates import school_year_start
from portal_core.problems import Problem

from .search import search_tokens, site_path
from .shards import IndexBuilder, SearchIndexError

log = logging.getLogger("portal_search")
PLUGIN = "portal_search"

DEFAULTS = {
    "PORTAL_SEARCH_INDEX": True,  # build the Pagefind index at the end of every build
    "PORTAL_SEARCH_TIMEOUT": 300,  # seconds, per Pagefind run
    # Pages per Pagefind run (whole school years are kept together): Pagefind needs about
    # 0.45 MB of memory per page of tokens, and a shard is indexed again when one of its
    # pages changes. A larger site is indexed in parts that the search page merges newest
    # first, older ones only while a query has few results (shards.py, docs/performance.md).
    "PORTAL_SEARCH_SHARD_PAGES": 600,
    "PORTAL_SEARCH_CACHE": True,  # reuse the index of unchanged shards (CACHE_PATH/search)
}
# What this plugin writes that no setting names (portal_core reports pages that would collide).
OWN_OUTPUTS = ("pagefind/", "robots.txt")

__all__ = ["SearchIndexError", "register"]


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    limit = settings["PORTAL_SEARCH_SHARD_PAGES"]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        state.add(settings, Problem(
            "pelicanconf.py", "PORTAL_SEARCH_SHARD_PAGES", str(limit),
            "Số trang mỗi phần chỉ mục tìm kiếm phải là số nguyên dương.",
            f"Ví dụ: PORTAL_SEARCH_SHARD_PAGES = {DEFAULTS['PORTAL_SEARCH_SHARD_PAGES']}",
            plugin=PLUGIN))
        settings["PORTAL_SEARCH_SHARD_PAGES"] = DEFAULTS["PORTAL_SEARCH_SHARD_PAGES"]
    # Root-relative base of the site ("/" or "/repo/" for a project site): the search page
    # loads /pagefind/ from the same host it is served from.
    settings["PORTAL_SEARCH_BASE"] = site_path(settings.get("SITEURL", ""))
    filters = dict(settings.get("JINJA_FILTERS") or {})
    filters.setdefault("search_tokens", search_tokens)
    settings["JINJA_FILTERS"] = filters


def all_generators_finalized(generators):
    settings = generators[0].settings
    articles, pages = checks.public_content(generators)
    start_index(settings, generators[0].output_path, articles + pages)


def is_indexed(context: dict) -> bool:
    """Mirrors base.html: a page is searchable when it shows a post or a page, unless its
    template sets ``search_index`` itself."""
    if "search_index" in context:
        return bool(context["search_index"])
    return "article" in context or "page" in context


def item_year(item) -> int | None:
    """The school year a searchable post or page belongs to (None for pages without a date)."""
    when = getattr(item, "date", None) if item is not None else None
    return school_year_start(when) if when else None


def search_year(context: dict) -> int | None:
    return item_year(context.get("article") or context.get("page"))


def _builder(settings, output: str, expected) -> IndexBuilder:
    cache = None
    if settings.get("PORTAL_SEARCH_CACHE", True) and settings.get("CACHE_PATH"):
        cache = os.path.join(settings["CACHE_PATH"], "search")
    return IndexBuilder(output, expected, int(settings["PORTAL_SEARCH_SHARD_PAGES"]), cache,
                        timeout=int(settings.get("PORTAL_SEARCH_TIMEOUT", 300)))


@dataclasses.dataclass
class SearchRun:
    """This plugin's part of the build state."""

    builder: IndexBuilder | None = None  # builds the shards (started before writing)
    pages: list = dataclasses.field(default_factory=list)  # (written path, school year)


def start_index(settings, output: str, items) -> None:
    """Before writing: the pages that will be indexed, so that each shard of the index can be
    built in the background as soon as its pages are written (shards.IndexBuilder)."""
    if not settings.get("PORTAL_SEARCH_INDEX", True):
        return
    expected = [(item.save_as, item_year(item)) for item in items if item.save_as]
    state.current(settings).part(SearchRun).builder = _builder(settings, output, expected)


def content_written(path, context=None):
    """Notes each searchable page (the context is a copy of the settings: it holds the run)."""
    if context is not None and is_indexed(context):
        run = state.current(context).part(SearchRun)
        run.pages.append((path, search_year(context)))
        builder = run.builder
        # Pages whose rendering is deferred (portal_engine) are still empty: their shards are
        # built at finalized instead.
        if builder is not None and not state.output_deferred(context):
            builder.written(os.path.relpath(path, builder.output).replace(os.sep, "/"))


def finalized(pelican):
    settings = pelican.settings
    output = pelican.output_path
    state.write_pending(settings)  # every page in its file before Pagefind reads them
    run = state.current(settings).part(SearchRun)
    builder, run.builder = run.builder, None
    if not settings.get("PORTAL_SEARCH_INDEX", True):
        return
    written = run.pages
    if not written:
        # Pagefind would index every page (404 included) when none is marked searchable.
        log.warning("portal_search: không có trang nào để lập chỉ mục tìm kiếm.")
        return
    pages = sorted({(os.path.relpath(path, output).replace(os.sep, "/"), year)
                    for path, year in written})
    report = (builder or _builder(settings, output, [])).finish(pages)
    log.info("portal_search: chỉ mục tìm kiếm %(pages)d trang, %(shards)d phần "
             "(%(reused)d dùng lại từ bộ nhớ đệm, %(late)d lập sau khi ghi xong)", report)


def register():
    signals.initialized.connect(initialized)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.content_written.connect(content_written)
    signals.finalized.connect(finalized)
