"""portal_core: what every portal plugin shares, and the content rules of the foundation.

register() only connects module-level handlers; the logic lives in the modules beside it.
Plugins add problems up to ``all_generators_finalized``; this plugin reports them all just
before writing (``get_writer``), in one record, and stops the build when any is an error (or a warning, in strict mode).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys

from pelican import signals

from . import checks, dates, filters, links, school_facts, state, text
from .data import load_yaml, validate_school, validate_site
from .dates import parse_iso
from .problems import ERROR, WARNING, Problem, count_errors, format_report
from .reader import PROBLEMS_KEY, PortalMarkdownReader
from .text import fold

log = logging.getLogger("portal_core")
HERE = os.path.dirname(os.path.abspath(__file__))

# Settings of the portal, with their defaults: the one place where they are defined.
DEFAULTS = {
    "PORTAL_TODAY": "",  # YYYY-MM-DD; empty means today in Asia/Ho_Chi_Minh
    "PORTAL_STRICT": False,  # publishing build: warnings are errors
    "PORTAL_CHECK_ONLY": False,  # invoke check: stop after validation, write nothing
    "PORTAL_DATA_PATH": "data",  # inside content/
    "PORTAL_TYPOGRIFY": True,
    "PORTAL_IGNORE_FOLDERS": ["data", "plans", "images", "files"],
    "PORTAL_GENERATOR": "",  # "" = "cong-truong <version>" (generator meta, open data)
}


class PortalContentError(Exception):
    """The build found content problems; the report was already logged."""

    exitcode = 1


class CheckComplete(Exception):
    """`invoke check` finished validating; carries the number of blocking problems."""

    def __init__(self, errors: int, error_count: int = 0, warning_count: int = 0):
        super().__init__(f"{errors} lỗi")
        self.errors = errors  # problems that block (warnings too, in a strict check)
        self.error_count, self.warning_count = error_count, warning_count
        self.exitcode = 1 if errors else 0


class FailedSourceHandler(logging.Handler):
    """Captures Pelican's "Could not process X" with the exception behind it."""

    def __init__(self, settings: dict):
        super().__init__(logging.WARNING)
        self.settings = settings

    def emit(self, record):
        if not str(record.msg).startswith("Could not process") or not record.args:
            return
        error = sys.exc_info()[1]
        state.current(self.settings).failed[str(record.args[0])] = (
            f"{type(error).__name__}: {error}" if error else "")


def _attach_failed_handler(settings: dict) -> None:
    logger = logging.getLogger("pelican.generators")
    for handler in list(logger.handlers):
        if isinstance(handler, FailedSourceHandler):
            logger.removeHandler(handler)
    logger.addHandler(FailedSourceHandler(settings))


def plugin_folders(settings: dict) -> list[str]:
    """The folders of this plugin and of every enabled plugin that is a package: in a folder of
    PLUGIN_PATHS (a school's own plugin), else where Python finds it (the installed package)."""
    import importlib.util

    folders = [HERE]
    for name in settings.get("PLUGINS") or []:
        name = name if isinstance(name, str) else getattr(name, "__name__", "")
        local = [os.path.join(path, *name.split("."))
                 for path in settings.get("PLUGIN_PATHS") or []]
        found = next((path for path in local if os.path.isdir(path)), None)
        if found is None:
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            locations = list(spec.submodule_search_locations or []) if spec else []
            found = locations[0] if locations else None
        if found:
            folders.append(os.path.abspath(found))
    return list(dict.fromkeys(folders))


def metadata_keys(settings: dict) -> dict[str, str]:
    """Allowed front-matter keys: metadata.yml of this plugin and of every enabled plugin."""
    keys: dict[str, str] = {}
    for folder in plugin_folders(settings):
        path = os.path.join(folder, "metadata.yml")
        if os.path.exists(path):
            data, _ = load_yaml(path, folder)
            keys.update({str(k).lower(): str(v) for k, v in (data or {}).items()})
    return keys


# Jinja filters for the theme, added to JINJA_FILTERS at initialized (before the generators make
# their Jinja environments); a filter of the same name in the settings wins.
JINJA_FILTERS = {
    "vn_date": dates.vn_date,
    "vn_date_long": dates.vn_date_long,
    "school_year_label": dates.school_year_label,
    "school_year_id": dates.school_year_id,
    "typo_title": filters.typo_title,
    "plain": filters.plain,
    "iso_date": filters.iso_date,
    "school_facts": filters.school_facts,
}


def validate_settings(settings: dict) -> list[Problem]:
    problems = []
    names = [p if isinstance(p, str) else getattr(p, "__name__", "")
             for p in settings.get("PLUGINS") or []]
    if "portal_core" in names and names[0] != "portal_core":
        # Its initialized loads school.yml and site.yml, which the others read at theirs.
        problems.append(Problem("pelicanconf.py", "PLUGINS", names[0],
                                "portal_core phải đứng đầu danh sách PLUGINS.",
                                "PLUGINS = [\"portal_core\", …]"))
    if settings.get("PORTAL_TODAY"):
        try:
            parse_iso(settings["PORTAL_TODAY"])
        except ValueError:
            problems.append(Problem("PORTAL_TODAY", "PORTAL_TODAY", settings["PORTAL_TODAY"],
                                    "Ngày hôm nay không hợp lệ.", "Dạng YYYY-MM-DD."))
    return problems


def package_version() -> str:
    """The installed cong-truong's version ("" when run from a source tree never installed)."""
    from importlib import metadata

    try:
        return metadata.version("cong-truong")
    except metadata.PackageNotFoundError:
        return ""


def generator() -> str:
    """What built the site, for the generator meta and the open data: "cong-truong 1.2.0"."""
    version = package_version()
    return f"cong-truong {version}" if version else "cong-truong"


def _cache_path(settings: dict) -> str:
    """CACHE_PATH/<fingerprint of the code and data that shape reading> (text.code_fingerprint)."""
    import markdown
    import pelican

    root = state.project_root(settings)
    data = os.path.join(settings["PATH"], settings["PORTAL_DATA_PATH"])
    files = [os.path.join(root, "pelicanconf.py")] + sorted(
        os.path.join(data, name) for name in (os.listdir(data) if os.path.isdir(data) else ())
        if name.endswith(".yml"))
    key = text.code_fingerprint(plugin_folders(settings), files,
                                (pelican.__version__, markdown.__version__, package_version()))
    base = settings.get("CACHE_PATH") or os.path.join(root, "cache")
    return base if os.path.basename(base) == key else os.path.join(base, key)


def _template_overrides(settings: dict) -> list[str]:
    """THEME_TEMPLATES_OVERRIDES with relative folders taken from the project folder; a folder
    that does not exist is left out (a school without its own templates)."""
    root = state.project_root(settings)
    found = []
    for folder in settings.get("THEME_TEMPLATES_OVERRIDES") or []:
        path = folder if os.path.isabs(folder) else os.path.join(root, folder)
        if os.path.isdir(path):
            found.append(os.path.abspath(path))
    return found


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    settings["PORTAL_GENERATOR"] = settings["PORTAL_GENERATOR"] or generator()
    settings["CACHE_PATH"] = _cache_path(settings)
    settings["THEME_TEMPLATES_OVERRIDES"] = _template_overrides(settings)
    settings["JINJA_FILTERS"] = {**JINJA_FILTERS, **(settings.get("JINJA_FILTERS") or {})}
    if not settings["PORTAL_TODAY"] and os.environ.get("PORTAL_TODAY"):
        settings["PORTAL_TODAY"] = os.environ["PORTAL_TODAY"]
    problems = validate_settings(settings)
    if problems:  # reported; the build goes on with the real today
        settings["PORTAL_TODAY"] = ""
    run = state.current(settings)
    run.add(*problems)
    settings["PORTAL_METADATA_KEYS"] = metadata_keys(settings)
    data_path = os.path.join(settings["PATH"], settings["PORTAL_DATA_PATH"])
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    today = settings["PORTAL_TODAY_DATE"] = state.today(settings)
    for key, name, validate in (("PORTAL_SCHOOL", "school.yml", validate_school),
                                ("PORTAL_SITE", "site.yml", validate_site)):
        path = os.path.join(data_path, name)
        data, problems = load_yaml(path, base)
        if data is not None:
            problems += (validate(data, state.rel(settings, path), today)
                         if key == "PORTAL_SCHOOL" else validate(data, state.rel(settings, path)))
        run.add(*problems)
        settings[key] = data if isinstance(data, dict) else {}
    # Facts with dates (school_facts.py): the templates and plugins read today's facts; a post
    # or document reads those of its own date through the `school_facts` filter.
    settings["PORTAL_SCHOOL_DATED"] = settings["PORTAL_SCHOOL"]
    settings["PORTAL_SCHOOL"] = school_facts.facts_on(settings["PORTAL_SCHOOL"], today)
    if not settings.get("SITENAME") or settings["SITENAME"] == "A Pelican Blog":
        settings["SITENAME"] = str(settings["PORTAL_SCHOOL"].get("name") or "")
    _attach_failed_handler(settings)


def readers_init(readers):
    for extension in PortalMarkdownReader.file_extensions:
        readers.reader_classes[extension] = PortalMarkdownReader


def content_object_init(content):
    """Collect the reader's problems; schedule articles dated after PORTAL_TODAY."""
    from pelican.contents import Article

    for problem in content.metadata.get(PROBLEMS_KEY, ()):
        state.add(content.settings, problem)
    if not isinstance(content, Article) or content.status != "published":
        return
    date = getattr(content, "date", None)
    if date is not None and date.date() > state.today(content.settings):
        content.status = "draft"
        content.scheduled = True


def _category_problems(articles, settings) -> list[Problem]:
    """Every article names one of the categories in site.yml."""
    categories = (settings.get("PORTAL_SITE") or {}).get("categories") or []
    names = {fold(c["name"]): c["name"] for c in categories if isinstance(c, dict) and "name" in c}
    if not names:
        return []
    problems = []
    for article in articles:
        raw = article.metadata.get("category")
        rel = state.rel(settings, article.source_path)
        if raw is not None and fold(str(raw)) not in names:
            problems.append(Problem(rel, "Category", str(raw), "Chuyên mục không tồn tại.",
                                    "Chọn một trong: " + ", ".join(names.values())))
    return problems


def all_generators_finalized(generators):
    settings = generators[0].settings
    run = state.current(settings)
    objects = checks.content_objects(generators)
    run.objects = objects  # their URLs are frozen just before writing (before_writing)
    articles = [o for o in objects if type(o).__name__ == "Article"]
    run.add(*_category_problems(articles, settings))
    produced = {os.path.abspath(o.source_path) for o in objects}
    ignore = settings.get("PORTAL_IGNORE_FOLDERS", [])
    sources = checks.markdown_sources(settings["PATH"], ignore)
    failed = {os.path.abspath(os.path.join(settings["PATH"], path)): reason
              for path, reason in run.failed.items()}
    run.add(*checks.dropped_sources(sources, produced, failed,
                                    lambda p: state.rel(settings, p)))
    written = [(o.save_as, o.relative_source_path, o.title) for o in objects
               if o.status in ("published", "hidden")]
    for generator in generators:
        for attr in ("categories", "tags", "authors"):
            groups = getattr(generator, attr, None) or []
            for wrapper in (groups.keys() if isinstance(groups, dict) else (g[0] for g in groups)):
                written.append((wrapper.save_as, f"({attr}: {wrapper.name})", wrapper.name))
    run.add(*[
        Problem(state.rel(settings, os.path.join(settings["PATH"], p.file))
                if not p.file.startswith("(") else p.file, p.field, p.value, p.message, p.hint)
        for p in checks.output_collisions(written)])
    run.add(*[
        Problem(state.rel(settings, os.path.join(settings["PATH"], p.file)), p.field, p.value,
                p.message, p.hint)
        for p in checks.taxonomy_collisions(articles, "tags", "Tags")])
    claimed = _claimed_collisions(settings, written, articles)
    same = {(p.file, p.field, p.value) for p in claimed}  # e.g. portal_topics' own check:
    run.problems[:] = [p for p in run.problems  # keep the message naming both sides
                       if (p.file, p.field, p.value) not in same] + claimed
    run.add(*_unpublished_links(objects, settings))
    for obj in objects:  # a draft is never written, whatever address a plugin gave it
        if obj.status == "draft" and getattr(obj, "override_save_as", ""):
            obj.override_save_as = ""


def _unpublished_links(objects, settings) -> list[Problem]:
    """Links to a draft stay its text until it is published (portal_core/links.py); a warning
    names the draft on each published post that links to it (none for a scheduled post)."""
    by_source = {o.relative_source_path.replace(os.sep, "/"): o for o in objects}
    pending = {path for path, o in by_source.items() if o.status == "draft"}
    if not pending:
        return []
    problems, changed = [], set()
    for obj in objects:
        html = getattr(obj, "_content", None)
        if not html:
            continue
        source_dir = os.path.dirname(obj.relative_source_path.replace(os.sep, "/"))
        new, targets = links.unlink_unpublished(html, source_dir, pending.__contains__)
        if not targets:
            continue
        obj._content = new
        changed.add(id(obj))
        if obj.status not in ("published", "hidden"):
            continue
        for target in dict.fromkeys(targets):
            linked = by_source[target]
            if getattr(linked, "scheduled", False):
                continue  # live on its day, with no edit
            problems.append(Problem(
                state.rel(settings, obj.source_path), "", target,
                f"Liên kết tới bài chưa đăng «{linked.title}»: tạm hiện là chữ thường.",
                "Liên kết tự hoạt động khi bài đó được đăng (xóa dòng «Status: draft» của "
                "bài đó sau khi sửa xong); hoặc bỏ liên kết.", severity=WARNING))
    if changed:  # forget content rendered before the rewrite (Pelican memoizes it)
        from pelican.contents import Content

        for method in (Content.get_content, Content.get_summary):
            cache = getattr(method, "cache", None) or {}
            for key in [k for k in cache if k and id(k[0]) in changed]:
                del cache[key]
    return problems


def plugin_modules(settings: dict) -> dict:
    """The enabled plugins' modules by name (those Pelican could import)."""
    found = {}
    for name in settings.get("PLUGINS") or []:
        name = name if isinstance(name, str) else getattr(name, "__name__", "")
        module = sys.modules.get(name)
        if module is None:
            try:
                module = importlib.import_module(name)
            except Exception:  # noqa: BLE001 — Pelican already reported a plugin it cannot load
                continue
        found[name] = module
    return found


def _claimed_collisions(settings, written, articles) -> list[Problem]:
    """Pages, categories and tags whose URL lies in a part of the output that Pelican or a
    plugin writes: from the settings each plugin declares in DEFAULTS (…_URL, …_SAVE_AS,
    …_FEED, …_FOLDER), Pelican's own settings and a plugin's OWN_OUTPUTS."""
    modules = plugin_modules(settings)
    owners = {key: name for name, module in modules.items()
              for key in (getattr(module, "DEFAULTS", None) or {})}
    declared = {name: list(getattr(module, "OWN_OUTPUTS", None) or ())
                for name, module in modules.items()}
    claims = checks.setting_claims(settings, owners) + checks.declared_claims(declared)
    article_files = {a.relative_source_path for a in articles}
    # a tag page lives under TAG_SAVE_AS's folder by its own right, as a page does under the
    # content folder it comes from (content/cong-khai/… under PORTAL_DISCLOSURE_FOLDER)
    own = {kind: (checks.claim_path(settings.get(f"{kind[:-1].upper()}_SAVE_AS")) or "")
           .rstrip("/") for kind in ("tags", "categories", "authors")}
    own["categories"] = (checks.claim_path(settings.get("CATEGORY_SAVE_AS")) or "").rstrip("/")
    items = []
    for save_as, source, label in written:
        if source in article_files:  # a post's URL starts with its category: checked there
            continue
        kind = source[1:].split(":", 1)[0] if source.startswith("(") else ""
        folder = own.get(kind, "") if kind else source.replace("\\", "/").split("/", 1)[0]
        items.append((save_as, source, label, folder))
    found = []
    for p in checks.claimed_collisions(items, claims):
        file = (p.file if p.file.startswith("(")
                else state.rel(settings, os.path.join(settings["PATH"], p.file)))
        found.append(Problem(file, p.field, p.value, p.message, p.hint))
    return found


def before_writing(pelican):
    """Report every problem (from all plugins) before anything is written.

    Connected to ``get_writer``, which Pelican sends after ``all_generators_finalized`` and
    before the first page is written, so plugins may add problems up to and including
    ``all_generators_finalized``. Returns nothing: the writer is Pelican's, or the one
    portal_engine returns from its own ``get_writer`` handler.
    """
    settings = pelican.settings
    report(settings)
    if settings.get("PORTAL_CHECK_ONLY"):
        problems = state.current(settings).problems
        errors = sum(1 for p in problems if p.severity == ERROR)
        raise CheckComplete(count_errors(problems, settings.get("PORTAL_STRICT")), errors,
                            len(problems) - errors)
    run = state.current(settings)
    checks.freeze_urls(run.objects)
    run.objects = []


def report(settings) -> None:
    """Log every new problem in one record; raise if any blocks the build."""
    run = state.current(settings)
    problems = run.problems[run.reported:]
    run.reported = len(run.problems)
    strict = bool(settings.get("PORTAL_STRICT"))
    if not problems:
        log.info("portal_core: kiểm tra nội dung xong, không có lỗi.")
        return
    text = format_report(problems, strict)
    blocking = count_errors(problems, strict)
    # The full report goes to stderr as plain text (Pelican's rich logger would re-wrap long
    # paths); one short log record carries the verdict (and trips --fatal warnings).
    print(text, file=sys.stderr, flush=True)
    errors = sum(1 for p in problems if p.severity == ERROR)
    summary = (f"portal_core: {errors} lỗi, {len(problems) - errors} cảnh báo về nội dung "
               "(xem báo cáo ở trên).")
    if errors:
        log.error(summary)
    else:
        log.warning(summary)
    if blocking and not settings.get("PORTAL_CHECK_ONLY"):
        raise PortalContentError(
            f"portal_core: {blocking} vấn đề về nội dung; trang không được xuất bản.")


def finalized(pelican):
    """The safety net: problems added after the report (while writing) still fail the build."""
    report(pelican.settings)


def new_run(pelican):
    """Each ``Pelican.run()`` starts with a fresh build state (state.start_run).

    ``initialized`` is sent once per Pelican object, but ``pelican --autoreload`` runs the same
    object again after every change: without this, the pages, problems and shards of earlier
    builds would be counted again (a deleted post made every later build fail). Connected to
    ``get_generators``, the first signal of every run; the problems found at ``initialized``
    (settings, school data) and the parts the plugins made then belong to every run.
    """
    state.start_run(pelican.settings)


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(new_run)
    signals.readers_init.connect(readers_init)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.get_writer.connect(before_writing)
    signals.finalized.connect(finalized)
