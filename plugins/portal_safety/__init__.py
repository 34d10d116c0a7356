"""portal_safety: safe content. Sanitized markup, a personal-data guard, accessible content.

For every Markdown post and page, once Pelican has made its content object:

1. the HTML is passed through an allow-list sanitizer (nh3): scripts, event attributes,
   javascript:/data: links and iframes from hosts not in content/data/embeds.yml are removed,
   each removal reported as a WARNING naming the file and line;
2. the Markdown source is scanned for personal data (identity numbers, private mobile
   numbers, birth dates of named people; rules and data in personal.py, personal_data.yml and
   README.md): an ERROR unless the post declares consent (`Personal-data: consented` and
   `Consent-by: …`, see metadata.yml); a WARNING where the guard is unsure. Values an editor
   declares not personal (`Not-personal: …`) are dropped one by one and listed for review
   at `all_generators_finalized` (printed with the report, not a problem: the strict build
   passes);
3. the HTML is checked for accessibility mistakes an editor makes (image without alt text,
   skipped heading levels, "tại đây" links, tables without header cells): WARNINGs.

Where: a content filter of portal_core's reader (`PORTAL_CONTENT_FILTERS`), so the sanitized
HTML and the problems found are cached with the content: an unchanged file costs nothing on
the next build and its problems are still reported (portal_core keeps them in the cached
metadata). It never raises (Pelican would drop the post with a one-line log): everything is
wrapped and turned into problems. The theme, feeds and summaries only ever see the sanitized
HTML. File names of attachments are checked at `content_object_init` (static files have no
reader).

Uploaded files (uploads.py; pure logic in files.py and svg.py, data in attachments.yml and
svg_policy.yml). Static files have no reader, so the checks sit on Pelican's static generator:
at the start of every run, content/ and the theme are scanned for symbolic links (never
followed; each an ERROR, and no generator walks into them); at `static_generator_finalized`
every file Pelican would copy must resolve inside content/, be of a type listed in
attachments.yml with content matching its extension, carry no Office macros, and stay under
PORTAL_ATTACHMENT_WARN_BYTES (20 MB, a WARNING) and PORTAL_ATTACHMENT_MAX_BYTES (95 MB, an
ERROR); hidden files and OS leftovers are dropped with a WARNING. Every SVG is parsed with
defusedxml and rebuilt from the svg_policy.yml allow-list (a WARNING lists what was removed;
an SVG with entity declarations, not XML or not SVG is refused with an ERROR) and the clean
bytes are published in place of the upload. A refused file is removed from the static
generator's list: it is never copied, and the build stops on the error anyway. Why here and
not in portal_images: these are safety rules for every published file; portal_images keeps
the photo pipeline (and its own limits, portal_images/limits.py) for content/images/.

The pages also carry a Content-Security-Policy (theme/templates/partials/csp.html, from
PORTAL_CSP) that forbids inline script and every host but the site's own.

A built output folder is checked by the quality gates, outside the plugins (`invoke
check-site`: gates/README.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import sys

from pelican import signals

from portal_core import state
from portal_core.data import load_yaml
from portal_core.dates import parse_iso
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.reader import metadata_lines

from . import a11y, personal, sanitize, uploads

log = logging.getLogger("portal_safety")
PLUGIN = "portal_safety"
DEFAULTS = {
    "PORTAL_EMBEDS_FILE": "embeds.yml",  # in content/<PORTAL_DATA_PATH>/; optional
    "PORTAL_SAFETY_SANITIZE": True,
    **uploads.DEFAULTS,  # uploaded files: types, size limits, SVG policy (uploads.py)
}
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
REVIEW_KEY = "portal_not_personal"  # metadata: values a post exempts, (line, label, value)
NOT_PERSONAL_HINT = ("Ví dụ: «Not-personal: 012024000157, 0312345678» (mã hồ sơ, mã số thuế…: "
                     "mỗi giá trị một số hoặc một ngày, cách nhau bởi dấu phẩy).")


def _problem(settings, file, field, value, message, hint, line=None, severity=WARNING):
    state.add(settings, Problem(file, field, value, message, hint, line=line,
                                severity=severity, plugin=PLUGIN))


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    path = os.path.join(settings["PATH"], settings.get("PORTAL_DATA_PATH", "data"),
                        settings["PORTAL_EMBEDS_FILE"])
    embeds: list[sanitize.Embed] = []
    if os.path.exists(path):
        base = os.path.dirname(os.path.abspath(settings["PATH"]))
        data, problems = load_yaml(path, base, plugin=PLUGIN)
        for problem in problems:
            state.add(settings, problem)
        embeds, errors = sanitize.parse_embeds(data)
        for error in errors:
            _problem(settings, state.rel(settings, path), "hosts", "", error,
                     "Ví dụ: hosts: [{host: www.youtube-nocookie.com, path: /embed/}]",
                     severity=ERROR)
    settings["PORTAL_EMBEDS"] = embeds
    for problem in uploads.setup(settings):
        state.add(settings, problem)
    settings["PORTAL_CSP"] = sanitize.csp_policy(embeds)
    filters = settings.setdefault("PORTAL_CONTENT_FILTERS", [])
    if content_filter not in filters:
        filters.append(content_filter)
    _safety_state(settings)  # made once, for every run


@dataclasses.dataclass
class SafetyRun:
    """This plugin's part of the build state."""

    phones: set  # the school's official numbers: published on purpose, not personal data
    # values posts exempt with Not-personal (file, line, label, value), listed for review
    not_personal: list = dataclasses.field(default_factory=list)


def _safety_state(settings) -> SafetyRun:
    return state.current(settings).part(SafetyRun, lambda: SafetyRun(
        personal.official_phones(settings.get("PORTAL_SCHOOL") or {})))


def content_object_init(content):
    """Attachments and images: their file names must carry no personal data."""
    settings = content.settings
    source = getattr(content, "source_path", None)
    if not source or type(content).__name__ != "Static":
        return
    try:
        check_static(content, settings)
    except Exception as exc:  # never raise in a reading-phase signal (docs/pelican-traps.md)
        log.debug("portal_safety failed on %s", source, exc_info=True)
        _problem(settings, state.rel(settings, source), "", "",
                 f"Không kiểm tra được an toàn nội dung ({type(exc).__name__}: {exc}).",
                 "Báo cho người phụ trách kỹ thuật; bài không được đăng khi chưa kiểm tra.",
                 severity=ERROR)


def content_filter(source_path, rel, text, metadata, html, settings):
    """portal_core content filter: (sanitized html, problems) for one Markdown file."""
    if not source_path.lower().endswith(MARKDOWN_EXTENSIONS):
        return html, []
    found: list[Problem] = []
    try:
        html = check_markdown(rel, text, metadata, html, settings, found)
    except Exception as exc:  # never raise while reading: Pelican would drop the post
        log.debug("portal_safety failed on %s", source_path, exc_info=True)
        found.append(Problem(rel, "", "", f"Không kiểm tra được an toàn nội dung "
                             f"({type(exc).__name__}: {exc}).", "Báo cho người phụ trách kỹ "
                             "thuật; bài không được đăng khi chưa kiểm tra.", severity=ERROR,
                             plugin=PLUGIN))
    return html, found


def check_static(content, settings) -> None:
    """File names of published attachments and images must carry no personal data."""
    rel = state.rel(settings, content.source_path)
    for finding in personal.find_in_line(os.path.basename(rel), 0,
                                         _safety_state(settings).phones):
        _problem(settings, rel, "", finding.masked,
                 "Tên tệp đính kèm có " + personal.LABELS[finding.kind] + ".",
                 "Đổi tên tệp (chữ thường không dấu, gạch nối, không có số cá nhân).",
                 severity=ERROR)


def _blank_field(text: str, line: int | None) -> str:
    """*text* with the front-matter field at *line* (and its indented continuation lines)
    emptied, line numbers kept: the values of `Not-personal:` are not the post's data."""
    if not line:
        return text
    lines = text.split("\n")
    lines[line - 1] = ""
    index = line
    while index < len(lines) and lines[index][:1] in (" ", "\t") and lines[index].strip():
        lines[index] = ""
        index += 1
    return "\n".join(lines)


def check_markdown(rel, text, metadata, html, settings, found) -> str:
    """Sanitize *html*, scan *text* (the NFC source); append problems to *found*."""

    def add(field, value, message, hint, line=None, severity=WARNING):
        found.append(Problem(rel, field, value, message, hint, line=line, severity=severity,
                             plugin=PLUGIN))

    lines = text.splitlines()
    embeds = settings.get("PORTAL_EMBEDS") or []
    clean = html

    # 1. Sanitized markup (also the summary, which Markdown made from front matter).
    if settings.get("PORTAL_SAFETY_SANITIZE", True):
        removed = sanitize.removed_items(html, embeds)
        summary = metadata.get("summary")
        if isinstance(summary, str) and summary:
            removed += [r for r in sanitize.removed_items(summary, embeds) if r not in removed]
            metadata["summary"] = sanitize.sanitize(summary, embeds)
        html = sanitize.sanitize(html, embeds)
        clean = sanitize.wrap_tables(html)
        for item in removed:
            message, hint = sanitize.describe(item, embeds)
            add("HTML", "" if item.kind == "style" else item.detail, message, hint,
                line=a11y.locate(lines, item.needle))

    # 2. Personal data (explicit drafts: warnings, so `invoke check` shows them early).
    meta_lines = metadata_lines(text)
    consented, consent_problems = personal.consent_state(metadata.get("personal-data"),
                                                         metadata.get("consent-by"))
    for field, value, message, hint in consent_problems:
        add(field, value, message, hint,
            line=meta_lines.get(field.lower()) or meta_lines.get("personal-data"),
            severity=ERROR)
    if not consented:
        draft = str(metadata.get("status", "")).strip().lower() == "draft"
        exempt, invalid = personal.parse_not_personal(metadata.get("not-personal"))
        exempt_line = meta_lines.get("not-personal")
        findings = personal.find_personal_data(_blank_field(text, exempt_line),
                                               _safety_state(settings).phones,
                                               year_now=state.today(settings).year)
        for value in invalid:
            add("Not-personal", value, "Giá trị không hợp lệ: chỉ ghi từng số hoặc ngày cụ thể.",
                NOT_PERSONAL_HINT, line=exempt_line, severity=ERROR)
        findings, exempted, unused = personal.apply_exemptions(findings, exempt)
        for value in unused:
            add("Not-personal", value, "Giá trị này không có trong bài (hoặc không bị coi là "
                "dữ liệu cá nhân): không cần khai báo.", "Xóa giá trị này khỏi «Not-personal».",
                line=exempt_line)
        if exempted:  # listed for review at the end of reading (see review_exemptions)
            metadata[REVIEW_KEY] = tuple((f.line, personal.LABELS[f.kind], value)
                                         for f in exempted for value in exempt
                                         if f.key in personal.exemption_keys(value))
        for finding in findings:
            severity = WARNING if draft else finding.severity
            add("", finding.masked, personal.message(finding, _post_day(metadata, settings))
                + (" (bản nháp)" if draft else ""),
                personal.hint(finding), line=finding.line, severity=severity)

    # 3. Accessible content.
    for finding in a11y.check_html(html):
        message, hint = a11y.MESSAGES[finding.rule]
        line = a11y.locate(lines, finding.needle, finding.occurrence,
                           heading=finding.rule.startswith("heading"))
        add("", finding.value, message, hint, line=line)
    return clean


def _post_day(metadata: dict, settings) -> dt.date:
    """The day a post speaks for (its Date:), else the build's day: the law of that day."""
    value = metadata.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_iso(value).date()
    except (TypeError, ValueError):
        return state.today(settings)


CONTENT_LISTS = ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                 "hidden_translations", "pages", "hidden_pages", "draft_pages")


def exemptions(contents, settings) -> list[tuple[str, int, str, str]]:
    """(file, line, value, what the guard took it for) of every `Not-personal` value used."""
    found = []
    for content in contents:
        for line, label, value in content.metadata.get(REVIEW_KEY) or ():
            found.append((state.rel(settings, content.source_path), line, value, label))
    return sorted(set(found))


def review_exemptions(generators):
    """List the values editors declared not personal, for a person to review.

    Not problems: a correct exemption must not fail the strict publishing build. The list is
    printed with the build's report (`invoke check` shows it) and kept in the build state.
    """
    if not generators:
        return
    settings = generators[0].settings
    contents = {id(c): c for g in generators for name in CONTENT_LISTS
                for c in getattr(g, name, None) or () if hasattr(c, "metadata")}
    found = exemptions(contents.values(), settings)
    _safety_state(settings).not_personal = found
    if not found:
        return
    lines = ["Giá trị được khai báo «Not-personal» (không phải dữ liệu cá nhân) — người duyệt "
             "bài cần xem lại:"]
    lines += [f"  {file} dòng {line}: «{value}» (bộ lọc nghi là {label})"
              for file, line, value, label in found]
    text = "\n".join(lines)
    print(text, file=sys.stderr, flush=True)
    log.info(text)


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(review_exemptions)
    signals.get_generators.connect(uploads.get_generators)
    signals.static_generator_finalized.connect(uploads.static_generator_finalized)
