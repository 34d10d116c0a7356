"""Accessibility checks of a post's HTML (WCAG 2.1 AA), located back in the Markdown source.

The checks run on the HTML Markdown produced (so `![](x.jpg)`, raw `<img>`, setext headings
and reference links are all seen the same way); each finding carries a *needle* (an image
source, a link target, a heading's text) that `locate` looks up in the source for the line.
Pure functions, standard library only.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

from portal_core.text import fold

# Link texts that say nothing out of context (WCAG 2.4.4), folded.
VAGUE_LINK_TEXTS = frozenset({
    "tai day", "xem them", "click here", "link", "click", "here", "bam vao day",
    "nhan vao day", "click vao day", "bam vao", "nhan vao", "o day", "day", "xem tai day",
    "xem", "chi tiet", "xem chi tiet", "read more", "more", "doc them", "lien ket",
})
PLACEHOLDER_ALTS = frozenset({"anh", "hinh", "hinh anh", "image", "photo", "picture", "img",
                              "anh minh hoa", "untitled"})
FILE_NAME = re.compile(r"[\w\-. ]+\.(?:jpe?g|png|gif|webp|svg|heic|bmp)", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Finding:
    rule: str  # image-alt, heading-skip, heading-h1, link-text, table-header, frame-title
    value: str  # what to show the editor
    needle: str  # text to look for in the source, for the line number
    occurrence: int = 0  # the n-th element of its kind (tables), when there is no better needle


def words(value: str) -> str:
    """Folded text with punctuation turned into single spaces."""
    return re.sub(r"[\W_]+", " ", fold(value)).strip()


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self.headings: list[tuple[int, str]] = []
        self.links: list[dict] = []
        self.tables: list[bool] = []
        self.frames: list[dict] = []
        self._heading: list | None = None
        self._link: dict | None = None
        self._open_tables: list[int] = []

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "img":
            self.images.append(attributes)
            if self._link is not None:
                self._link["text"] += " " + attributes.get("alt", "")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "a" and "href" in attributes:
            self._link = {"href": attributes["href"], "text": "",
                          "label": attributes.get("aria-label") or attributes.get("title", "")}
        elif tag == "table":
            self.tables.append(False)
            self._open_tables.append(len(self.tables) - 1)
        elif tag == "th" and self._open_tables:
            self.tables[self._open_tables[-1]] = True
        elif tag == "iframe":
            self.frames.append(attributes)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None
        elif tag == "table" and self._open_tables:
            self._open_tables.pop()

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data
        if self._link is not None:
            self._link["text"] += data


def check_html(html: str) -> list[Finding]:
    """Accessibility problems in the HTML of one post (the page title is its only h1)."""
    walker = _Walker()
    walker.feed(html or "")
    walker.close()
    findings: list[Finding] = []
    for image in walker.images:
        src = image.get("src", "")
        alt = image.get("alt")
        if alt is None or not alt.strip():
            findings.append(Finding("image-alt", src, src))
        elif FILE_NAME.fullmatch(alt.strip()) or words(alt) in PLACEHOLDER_ALTS:
            findings.append(Finding("image-alt-poor", alt, src))
    previous = 1
    for level, text in walker.headings:
        if level == 1:
            findings.append(Finding("heading-h1", text, text))
        elif level > previous + 1:
            findings.append(Finding("heading-skip", f"h{previous} → h{level}: {text}", text))
        previous = level
    for link in walker.links:
        text = words(link["text"])
        if text in VAGUE_LINK_TEXTS:
            findings.append(Finding("link-text", link["text"].strip(), link["href"]))
        elif not text and not link["label"].strip():
            findings.append(Finding("link-empty", link["href"], link["href"]))
    for index, has_header in enumerate(walker.tables):
        if not has_header:
            findings.append(Finding("table-header", f"bảng thứ {index + 1}", "<table",
                                    occurrence=index))
    for frame in walker.frames:
        if not frame.get("title", "").strip():
            findings.append(Finding("frame-title", frame.get("src", ""), frame.get("src", "")))
    return findings


MESSAGES = {
    "image-alt": ("Ảnh không có mô tả thay thế (alt).",
                  "Viết mô tả ngắn trong ngoặc vuông: ![Học sinh chào cờ đầu năm](…). Người "
                  "khiếm thị nghe mô tả này thay cho ảnh."),
    "image-alt-poor": ("Mô tả ảnh (alt) không nói gì về nội dung ảnh.",
                       "Thay tên tệp hoặc chữ «ảnh» bằng một câu tả điều ảnh cho thấy."),
    "heading-h1": ("Tiêu đề cấp 1 (#) trong thân bài: tiêu đề bài đã là cấp 1.",
                   "Dùng ## cho các mục lớn trong bài, ### cho mục con."),
    "heading-skip": ("Tiêu đề nhảy cấp (bỏ qua một cấp).",
                     "Các mục lớn dùng ##, mục con dùng ###; không bắt đầu thân bài bằng ###."),
    "link-text": ("Chữ của liên kết không cho biết liên kết dẫn tới đâu.",
                  "Viết rõ đích đến: [Tải kế hoạch tuyển sinh (PDF)](…) thay cho «tại đây»."),
    "link-empty": ("Liên kết không có chữ.",
                   "Thêm chữ mô tả cho liên kết, hoặc mô tả (alt) cho ảnh nằm trong liên kết."),
    "table-header": ("Bảng không có ô tiêu đề (th).",
                     "Viết bảng bằng Markdown (dòng đầu là tiêu đề, dòng thứ hai |---|), hoặc "
                     "dùng <th scope=\"col\"> cho hàng tiêu đề."),
    "frame-title": ("Khung nhúng (iframe) không có tiêu đề (title).",
                    "Thêm title=\"…\" mô tả nội dung nhúng, ví dụ title=\"Bản đồ đường đến trường\"."),
}


def is_heading_line(lines: list[str], index: int) -> bool:
    """Whether lines[index] (0-based) is a Markdown or HTML heading."""
    line = lines[index].lstrip()
    underline = index + 1 < len(lines) and re.fullmatch(r"\s*(=+|-+)\s*", lines[index + 1])
    return line.startswith("#") or bool(re.search(r"<h[1-6]\b", line, re.I)) or bool(underline)


def locate(lines: list[str], needle: str, occurrence: int = 0,
           heading: bool = False) -> int | None:
    """1-based line of the *occurrence*-th line containing *needle*.

    Compared case-insensitively, then (for texts typography may have changed) on folded
    words; with *heading*, heading lines are preferred. None when not found.
    """
    needle = (needle or "").strip()
    if not needle:
        return None
    lowered, key = needle.lower(), words(needle)
    candidates = range(len(lines))
    if heading:
        headings = [i for i in candidates if is_heading_line(lines, i)]
        candidates = headings or candidates
    hits = [i + 1 for i in candidates if lowered in lines[i].lower()]
    if not hits and key:
        hits = [i + 1 for i in candidates if key in words(lines[i])]
    if not hits and heading:
        return locate(lines, needle, occurrence)
    if not hits:
        return None
    return hits[min(occurrence, len(hits) - 1)]
