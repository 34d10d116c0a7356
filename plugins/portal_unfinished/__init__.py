"""portal_unfinished: unfinished content is visible while editing and never published.

The convention (portal_core/placeholders.py): ``CẦN ĐIỀN: <what to write>. Ví dụ: <example>``
in a YAML value of content/ (school.yml, plans …) or anywhere in a page or post. This plugin

- reports each one as a warning naming the file, the field or line, what to write and the
  example (a warning blocks ``cong-truong check`` and the publishing build, so an unfinished
  portal is never published), and so is a page that says "đang cập nhật";
- marks the pages and posts that hold one (``portal_unfinished``) so that the development
  build shows a banner on them (theme/templates/partials/unfinished.html), and tells every
  page of the preview how many facts are still missing (``PORTAL_UNFINISHED``).

register() only connects the handlers below; the matching is portal_core.placeholders'.
"""

from __future__ import annotations

import os

from pelican import signals

from portal_core import state
from portal_core.data import load_yaml
from portal_core.placeholders import in_data, in_text, stale_in_data, stale_in_text
from portal_core.problems import WARNING, Problem

PLUGIN = "portal_unfinished"
KEY = "portal_unfinished"  # metadata key set by the content filter (not a front-matter key)
DEFAULTS = {
    "PORTAL_UNFINISHED_DATA": ["data", "plans"],  # folders of content/ whose YAML is checked
}
FILL = "Viết thông tin thật thay cho cả dòng «CẦN ĐIỀN: …»."


def _hint(example: str) -> str:
    return (f"Ví dụ: {example.rstrip('. ')}. " if example else "") + FILL


def _problem(file, field, value, message, hint, line=None) -> Problem:
    return Problem(file, field, value, message, hint, line=line, severity=WARNING, plugin=PLUGIN)


def data_problems(data, rel: str) -> list[Problem]:
    """The placeholders and "đang cập nhật" values of one YAML file, as problems."""
    problems = [_problem(rel, field, "", f"Chưa điền: {what}.", _hint(example))
                for field, what, example in in_data(data)]
    problems += [_problem(rel, field, value, "Giá trị «đang cập nhật» không được xuất bản.",
                          "Ghi thông tin thật; thông tin chưa có thì bỏ khóa này (nếu không "
                          "bắt buộc).") for field, value in stale_in_data(data)]
    return problems


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    filters = settings.setdefault("PORTAL_CONTENT_FILTERS", [])
    if mark_unfinished not in filters:
        filters.append(mark_unfinished)
    base = os.path.dirname(os.path.abspath(settings["PATH"]))
    found: list[Problem] = []
    for folder in settings["PORTAL_UNFINISHED_DATA"]:
        top = os.path.join(settings["PATH"], folder)
        for here, dirs, files in os.walk(top):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith((".yml", ".yaml")):
                    continue
                path = os.path.join(here, name)
                data, problems = load_yaml(path, base, plugin=PLUGIN)
                if not problems:  # a broken file is reported by the plugin that reads it
                    found += data_problems(data, state.rel(settings, path))
    state.current(settings).add(*found)
    settings["PORTAL_UNFINISHED"] = len(found)


def _is_post(settings, rel_to_content: str) -> bool:
    return rel_to_content.replace(os.sep, "/").split("/", 1)[0] in (
        settings.get("ARTICLE_PATHS") or [])


def mark_unfinished(*, source_path, rel, text, metadata, html, settings):
    """Content filter (cached with the content): placeholders and "đang cập nhật" of a page."""
    problems = []
    todo = in_text(text)
    for line, what, example in todo:
        problems.append(_problem(rel, "", "", f"Trang chưa hoàn thành — cần viết: {what}.",
                                 _hint(example), line=line))
    if todo:
        metadata[KEY] = tuple((what, example) for _, what, example in todo)
        html = html.replace("<p>CẦN ĐIỀN:", '<p class="can-dien">CẦN ĐIỀN:')
    inside = os.path.relpath(source_path, settings.get("PATH", "content"))
    if not _is_post(settings, inside):
        for line, words in stale_in_text(text):
            problems.append(_problem(
                rel, "", words, "Trang ghi «đang cập nhật» thay cho thông tin: không được xuất bản.",
                "Viết thông tin thật; chưa có thì ghi «CẦN ĐIỀN: …» để bản xem trước nhắc và "
                "bản xuất bản chờ, hoặc bỏ câu này.", line=line))
    return html, problems


mark_unfinished.order = 70  # after the sanitizer (50) and table headers (60)


def content_object_init(content):
    todo = (getattr(content, "metadata", None) or {}).get(KEY)
    if todo:
        content.portal_unfinished = [{"what": what, "example": example} for what, example in todo]


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
