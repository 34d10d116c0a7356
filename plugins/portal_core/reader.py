"""Markdown reader: NFC text, strict ISO dates, known metadata keys, cached typography."""

from __future__ import annotations

import datetime as dt
import os
import re

import smartypants
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open
from typogrify.filters import typogrify

from . import state
from .dates import ISO_HINT, parse_iso, suggest_iso
from .problems import ERROR, Problem
from .text import closest, fold, nfc

PLACEHOLDER_DATE = dt.datetime(1970, 1, 1)
PROBLEMS_KEY = "portal_problems"
LINES_KEY = "portal_lines"  # front-matter key (lower case) -> line, cached with the content
STATUSES = ("published", "draft", "hidden")
META_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.*)$")


def metadata_lines(text: str) -> dict[str, int]:
    """Line number of each front-matter key (lower case), for messages.

    The reader keeps the result in the metadata (``LINES_KEY``): plugins read it with
    ``source_lines(content)`` and never read a source file again.
    """
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        match = META_LINE.match(line)
        if match:
            lines.setdefault(match.group(1).lower(), number)
    return lines


def source_lines(content) -> dict[str, int]:
    """The front-matter lines of a post or page read by this reader ({} otherwise)."""
    return (getattr(content, "metadata", None) or {}).get(LINES_KEY) or {}


def content_filters(settings: dict) -> list:
    """The plugins' content filters in pipeline order: each filter's ``order`` attribute
    (default 50: sanitizing and checks), then the order they were added in. Steps that
    rewrite the sanitized HTML (table headers: 60) come after it."""
    return sorted(settings.get("PORTAL_CONTENT_FILTERS") or (),
                  key=lambda step: getattr(step, "order", 50))


_TAGS = re.compile(r"<[^>]*>")
# What smartypants (Attr.set2) would change: straight quotes, backticks, "--", "...", and
# the escapes and entities it reads. Text without any of these comes out of it unchanged.
_SMARTYPANTS_INPUT = re.compile(r"[\"'`\\]|--|\.\s*\.\s*\.|&quot;|&#0*3[49];|&#x0*2[27];", re.I)


def typography(html: str, settings: dict) -> str:
    """Typogrify without its caps filter (it styles only ASCII capitals in Vietnamese).

    smartypants, the slowest of its filters (half of it), is skipped when the text between
    the tags holds nothing it would change: the result is the same, faster.
    """
    smartypants.Attr.default = smartypants.Attr.set2  # "--" → en dash, "---" → em dash
    omit = dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", ["caps"]), False)
    if not _SMARTYPANTS_INPUT.search(_TAGS.sub("", html)):
        omit["smartypants"] = False
    return typogrify(html, settings.get("TYPOGRIFY_IGNORE_TAGS", []), **omit)


class PortalMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader with the portal's content rules.

    Problems are never raised (raising here would make Pelican drop the post with a one-line
    log and still exit 0: docs/pelican-traps.md). They travel in the metadata under
    PROBLEMS_KEY, so that they are cached with the content and reported again on every build,
    cached or not; portal_core's content_object_init moves them into the build state.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._problems = []
        self._rel = ""

    def read(self, source_path):
        self._problems = []
        self._source_path = source_path
        self._rel = state.rel(self.settings, source_path)
        with pelican_open(source_path) as text:
            text = nfc(text)
        self._lines = metadata_lines(text)
        self._md = self._markdown()
        content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        self._check_keys(metadata)
        self._check_category(metadata)
        self._check_date(metadata)
        if not metadata.get("title"):
            self._problem("title", "", "Thiếu tiêu đề (Title).",
                          "Thêm dòng «Title: …» ở đầu tệp.")
            metadata["title"] = os.path.splitext(os.path.basename(source_path))[0]
        if self.settings.get("PORTAL_TYPOGRIFY", True) and content:
            content = typography(content, self.settings)
        metadata[LINES_KEY] = self._lines
        for content_filter in content_filters(self.settings):
            # Plugins' per-file work (sanitizing, scanning the source) runs here so that its
            # result and its problems are cached with the content: see plugins/README.md.
            content, problems = content_filter(
                source_path=source_path, rel=self._rel, text=text, metadata=metadata,
                html=content or "", settings=self.settings)
            self._problems.extend(problems)
        if self._problems:
            metadata[PROBLEMS_KEY] = tuple(self._problems)
        return content, metadata

    def _markdown(self):
        # A new converter per file, as Pelican does: Pelican removes the "meta" preprocessor
        # from it to format Summary, so a converter cannot be reused for the next file.
        from markdown import Markdown

        return Markdown(**self.settings["MARKDOWN"])

    def process_metadata(self, name, value):
        if isinstance(value, str):
            value = nfc(value)
        if name in ("date", "modified"):
            try:
                return self._localize(parse_iso(value))
            except ValueError:
                suggestion = suggest_iso(value)
                hint = f"Dùng dạng {ISO_HINT}."
                if suggestion:
                    hint = f"Viết là «{suggestion}» ({ISO_HINT})."
                self._problem(name, value, "Ngày không đúng dạng ISO (ngày/tháng dễ bị đọc "
                              "nhầm thành tháng/ngày).", hint)
                return self._localize(PLACEHOLDER_DATE)
        if name == "category" and isinstance(value, str):
            value = self._canonical_category(value)
        if name == "status" and isinstance(value, str) and value.strip().lower() not in STATUSES:
            self._problem(name, value, "Trạng thái không hợp lệ.",
                          "Dùng published (đăng), draft (bản nháp) hoặc hidden (ẩn).")
            value = "draft"
        return super().process_metadata(name, value)

    def _is_post(self) -> tuple[bool, str]:
        parts = self._rel.split("/")
        folder = parts[1] if len(parts) > 2 else ""
        return folder in self.settings.get("ARTICLE_PATHS", []), folder

    def _check_date(self, metadata: dict) -> None:
        """Posts need a date; without one Pelican would drop them."""
        if "date" in metadata or not self._is_post()[0]:
            return
        self._problem("date", "", "Thiếu ngày đăng (Date).", f"Thêm dòng «Date: …» ({ISO_HINT}).")
        metadata["date"] = self._localize(PLACEHOLDER_DATE)

    def _check_category(self, metadata: dict) -> None:
        """Posts (files under ARTICLE_PATHS) must name their category."""
        is_post, folder = self._is_post()
        if "category" in metadata or not is_post:
            return
        categories = (self.settings.get("PORTAL_SITE") or {}).get("categories") or []
        guess = next((c.get("name") for c in categories
                      if isinstance(c, dict) and c.get("folder") == folder), None)
        self._problem("category", "", "Thiếu chuyên mục (Category).",
                      f"Thêm dòng «Category: {guess}»." if guess else "Thêm dòng «Category: …».")

    def _canonical_category(self, value: str) -> str:
        """"tin tuc", "TIN TỨC" → "Tin tức" (the name in site.yml), so nothing splits."""
        for category in (self.settings.get("PORTAL_SITE") or {}).get("categories") or []:
            if isinstance(category, dict) and fold(str(category.get("name", ""))) == fold(value):
                return category["name"]
        return value

    def _localize(self, when: dt.datetime) -> dt.datetime:
        from pelican.utils import set_date_tzinfo

        return set_date_tzinfo(when, self.settings.get("TIMEZONE"))

    def _check_keys(self, metadata: dict) -> None:
        known = self.settings.get("PORTAL_METADATA_KEYS") or {}
        if not known:
            return
        folded = {fold(key): key.capitalize() for key in known}
        for key in metadata:
            if key not in known:
                guess = closest(key, folded, limit=1)
                hint = (f"Có phải ý bạn là: {guess[0]}?" if guess else
                        "Các khóa hợp lệ: " + ", ".join(k.capitalize() for k in known))
                self._problem(key, str(metadata[key])[:80], "Khóa thông tin không được hỗ trợ "
                              "(unknown metadata key).", hint)

    def _problem(self, field, value, message, hint="", severity=ERROR):
        self._problems.append(Problem(
            self._rel, field.capitalize() if field else "", str(value), message, hint,
            line=getattr(self, "_lines", {}).get(field), severity=severity))
