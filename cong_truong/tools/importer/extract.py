"""One saved page → its facts (title, date, author, summary, breadcrumb) and content node.

General rules first, so that pages of platforms nobody has seen still come out right:
metadata from schema.org JSON-LD and Open Graph, the visible `<h1>` (not a shortened
og:title), visible day-first dates; the content node from a known layout (layouts.yml) or,
failing that, from trafilatura (favor_precision). Boilerplate inside the node (share
buttons, view counters, related posts) is removed by class/id words and by text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re

import yaml
from lxml import etree, html as lxml_html

from portal_core.text import fold

from . import dates
from .files import is_placeholder

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "layouts.yml"), encoding="utf-8") as _handle:
    LAYOUTS = yaml.safe_load(_handle)

DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "form",
             "button", "input", "select", "textarea", "svg", "canvas")
BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(share|sharing|social|socialicon|sharedaddy|addthis|print|related|"
    r"relatedposts|lien-quan|lienquan|tin-khac|other|comments?|binh-luan|views?|post-views|"
    r"luot-xem|counter|thong-ke|breadcrumbs?|crumbs?|vi-tri|vitri|duong-dan|chia-se|chiase|"
    r"bai-cung-muc|cung-chuyen-muc|tin-cung-muc|sidebar|widget|fb-like|fb-comments|rating|"
    r"pager|pagination|navigation|tags?|meta|byline|posted-on|entry-meta|post-meta)"
    r"(?:$|[\s_-])", re.I)
VIEW_COUNT = re.compile(r"(lượt xem|lượt đọc|đã xem|số lần xem)\s*:?\s*[\d.,]+|[\d.,]+\s*lượt (xem|đọc)",
                        re.I)
BOILERPLATE_TEXT = re.compile(
    r"^\s*(?:(?:lượt xem|số lượt xem|đã xem|lượt đọc|số lần xem|lượt truy cập)\s*:?\s*[\d.,]+"
    r"|[\d.,]+\s*lượt (?:xem|đọc)|(?:chia sẻ|share|in bài|bản in|gửi email|gửi bài viết)"
    r"(?:\s*(?:facebook|zalo|twitter|bài viết))?\s*:?"
    r"(?:\s*(?:facebook|zalo|twitter|email|in bài|bản in|tweet|messenger))*)\s*$", re.I)
AUTHOR = re.compile(r"^\s*(?:người viết|tác giả(?: bài viết)?|người đăng|người đưa tin|"
                    r"(?:tin|bài)(?:\s*(?:và|,|&)\s*ảnh)?|biên tập)\s*:\s*(.{2,80}?)\s*\.?\s*$",
                    re.I)
LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-url", "data-srcset",
              "data-lazy-srcset")
SUFFIX = re.compile(r"\s+[-|–—:]\s+[^-|–—]{2,60}$")
ELLIPSIS = re.compile(r"\s*(\.\.\.|…)\s*$")


@dataclasses.dataclass
class Extracted:
    title: str = ""
    title_from: str = ""
    date: dt.datetime | None = None
    date_from: str = ""
    author: str = ""
    summary: str = ""
    breadcrumb: str = ""
    canonical: str = ""
    site_name: str = ""  # the old site's name (og:site_name, else the <title> after « - »)
    layout: str = ""  # key of layouts.yml, "" for the general extractor
    extractor: str = ""
    node: object = None  # lxml element of the content, cleaned
    warnings: list = dataclasses.field(default_factory=list)


def _text(el) -> str:
    return re.sub(r"\s+", " ", el.text_content() if el is not None else "").strip()


def _first(doc, xpaths) -> object:
    for xpath in xpaths or ():
        for el in doc.xpath(xpath):
            if isinstance(el, etree._Element) and _text(el):
                return el
    return None


def _meta(doc, *names) -> str:
    for name in names:
        for el in doc.xpath(f'//meta[@property="{name}" or @name="{name}" or @itemprop="{name}"]'):
            value = (el.get("content") or "").strip()
            if value:
                return value
    return ""


def _json_ld(doc) -> dict:
    """The first schema.org article-like object of the page's JSON-LD."""
    for el in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(el.text or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(
            data, dict) else []
        for item in items:
            kind = item.get("@type") if isinstance(item, dict) else None
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in ("Article", "NewsArticle", "BlogPosting", "Report", "WebPage")
                   for k in kinds):
                return item
    return {}


def layout_for(doc, path: str) -> str:
    generator = fold(_meta(doc, "generator"))
    for key, layout in LAYOUTS.items():
        detect = layout.get("detect") or {}
        if detect.get("url") and re.search(detect["url"], path):
            return key
        if detect.get("generator") and detect["generator"] in generator:
            return key
    return ""


def normalize_images(doc, warnings: list) -> None:
    """Every <img> gets the real picture in src: lazy-loading attributes first, then the
    largest srcset candidate, then src; placeholders (blank.gif, loading.gif, data:) go."""
    for img in list(doc.iter("img")):
        candidates = [img.get(a) for a in LAZY_ATTRS if img.get(a)]
        candidates = [_largest(c) if "," in c or " " in c.strip() else c for c in candidates]
        srcset, src = img.get("srcset") or "", (img.get("src") or "").strip()
        largest = _largest(srcset) if srcset else ""
        if largest and src and os.path.basename(largest) != os.path.basename(src):
            warnings.append(f"Ảnh có srcset khác src ({os.path.basename(src)} / "
                            f"{os.path.basename(largest)}): đã lấy ảnh lớn nhất của srcset.")
        chosen = next((c for c in candidates + [largest, src] if c and not is_placeholder(c)), "")
        for attr in LAZY_ATTRS + ("srcset", "sizes", "loading", "width", "height", "style"):
            img.attrib.pop(attr, None)
        if chosen:
            img.set("src", chosen.strip())
        else:
            img.drop_tree()


def _largest(srcset: str) -> str:
    best, size = "", -1.0
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        number = 1.0
        if len(bits) > 1:
            try:
                number = float(bits[1][:-1])
            except ValueError:
                pass
        if number > size:
            best, size = bits[0], number
    return best


def clean_node(node) -> None:
    for el in list(node.iter()):
        if el is node or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in DROP_TAGS:
            el.drop_tree()
            continue
        words = f"{el.get('class', '')} {el.get('id', '')}"
        short = el.tag in ("p", "div", "span", "li", "ul") and len(_text(el)) < 120
        if BOILERPLATE.search(words) or (short and (BOILERPLATE_TEXT.match(_text(el) or "x")
                                                    or VIEW_COUNT.search(_text(el)))):
            el.drop_tree()


def find_author(doc, node) -> tuple[str, object]:
    """(name, element to remove) from a visible "Người viết: …" label."""
    for scope in ([node] if node is not None else []) + [doc]:
        for el in reversed(list(scope.iter("p", "div", "span", "em", "strong", "b"))):
            text = _text(el)
            if len(text) > 90:
                continue
            match = AUTHOR.match(text)
            if match:
                return match.group(1).strip(" .:"), el
    return "", None


def pick_title(doc, layout: dict, hints: list[str]) -> tuple[str, str]:
    el = _first(doc, layout.get("title"))
    if el is not None:
        return _text(el), "h1 (bố cục)" if el.tag == "h1" else "tiêu đề (bố cục)"
    h1s = [t for t in (_text(h) for h in doc.iter("h1")) if t]
    prefixes = [fold(ELLIPSIS.sub("", SUFFIX.sub("", h))) for h in hints if h]
    for heading in h1s:
        for prefix in prefixes:
            if len(prefix) >= 8 and fold(heading).startswith(prefix[:60]):
                return heading, "h1"
    if len(h1s) == 1:
        return h1s[0], "h1"
    if h1s:
        return max(h1s, key=len), "h1 (dài nhất)"
    for hint in hints:
        if hint:
            return SUFFIX.sub("", hint).strip(), "thẻ meta"
    return "", ""


def pick_date(doc, layout: dict, title: str, ld: dict, raw: str, today: dt.date):
    for value, label in ((ld.get("datePublished"), "schema.org"),
                         (_meta(doc, "article:published_time", "datePublished",
                                "og:published_time", "dc.date.issued", "DC.date.issued",
                                "pubdate"), "thẻ meta"),
                         (next(iter(doc.xpath("//article//time/@datetime | //main//time/@datetime")),
                               ""), "<time>")):
        found = dates.parse_iso(str(value or ""))
        if dates.in_range(found, today):
            visible = _visible_date(doc, layout, title)
            if visible and visible.date() == found.date() and found.hour == 0 and visible.hour:
                return visible, label + " + giờ hiển thị"
            return found, label
    visible = _visible_date(doc, layout, title)
    if dates.in_range(visible, today):
        return visible, "ngày hiển thị (ngày/tháng/năm)"
    guess = dates.htmldate_guess(raw)
    if dates.in_range(guess, today):
        return guess, "htmldate (đoán)"
    return None, ""


def _visible_date(doc, layout: dict, title: str):
    el = _first(doc, layout.get("date"))
    if el is not None:
        found = dates.parse_visible(_text(el))
        if found:
            return found
    body = doc.find("body")
    text = _text(body if body is not None else doc)
    start = text.find(title) if title else -1
    if start >= 0:
        found = dates.parse_visible(text[start + len(title): start + len(title) + 400])
        if found:
            return found
    return None


SITE_SEPARATOR = re.compile(r"\s+[-|–—:»]\s+")


def site_name(doc) -> str:
    """The site's own name: og:site_name / application-name, else the last part of <title>
    («Lễ khai giảng - Trường THPT Mẫu») when it names a school or an office."""
    found = _meta(doc, "og:site_name", "application-name")
    if found:
        return re.sub(r"\s+", " ", found).strip()
    parts = SITE_SEPARATOR.split(_text(doc.find(".//title")))
    for part in (parts[-1], parts[0]) if len(parts) > 1 else ():
        if re.match(r"(truong|so giao duc|so gd|phong giao duc|phong gd)\b", fold(part)):
            return part.strip()
    return ""


BREADCRUMB_WORDS = re.compile(r"(?:^|[\s_-])(breadcrumbs?|duong-?dan|navigation-path|vi-?tri|"
                              r"crumbs?)(?:$|[\s_-])", re.I)


def breadcrumb(doc) -> str:
    """The page's breadcrumb: an element named so by its class or id (breadcrumb, duong-dan,
    vi-tri, crumbs …), a schema.org BreadcrumbList, or a <nav> labelled as one."""
    found = [el for el in doc.iter("*") if isinstance(el.tag, str) and (
        BREADCRUMB_WORDS.search(f"{el.get('class', '')} {el.get('id', '')}")
        or "breadcrumblist" in (el.get("itemtype") or "").lower()
        or (el.tag == "nav" and re.search(r"(?i)breadcrumb|đường dẫn|vị trí",
                                          el.get("aria-label") or "")))]
    outer = [el for el in found if not any(a in found for a in el.iterancestors())]
    parts = [_text(el) for el in outer]
    return " › ".join(p for p in parts if p)[:300]


def extract(text: str, path: str, today: dt.date) -> Extracted:
    out = Extracted()
    try:
        doc = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        out.warnings.append("Không đọc được HTML của trang.")
        return out
    ld = _json_ld(doc)
    out.canonical = (next(iter(doc.xpath('//link[@rel="canonical"]/@href')), "")
                     or _meta(doc, "og:url")).strip()
    out.site_name = site_name(doc)
    out.layout = layout_for(doc, path)
    layout = LAYOUTS.get(out.layout) or {}
    out.breadcrumb = breadcrumb(doc)
    hints = [str(ld.get("headline") or ""), _meta(doc, "og:title", "twitter:title"),
             _text(doc.find(".//title"))]
    out.title, out.title_from = pick_title(doc, layout, hints)
    if out.title_from == "thẻ meta" and ELLIPSIS.search(out.title):
        out.warnings.append("Tiêu đề lấy từ thẻ meta và có thể bị cắt ngắn (…): kiểm tra lại.")
    out.date, out.date_from = pick_date(doc, layout, out.title, ld, text, today)
    for el in list(doc.iter(*DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    normalize_images(doc, out.warnings)
    lead = _first(doc, layout.get("lead"))
    out.summary = (_text(lead) if lead is not None else "") or _meta(
        doc, "description", "og:description", "twitter:description")
    node = _first(doc, layout.get("body"))
    if node is not None:
        out.extractor = f"bố cục {layout.get('label', out.layout)}"
    else:
        node = _general(text, out, doc)
    if node is not None:
        name, el = find_author(doc, node)
        if el is not None:
            out.author = name
            if el.getparent() is not None:
                el.drop_tree()
        clean_node(node)
        for el in list(node.iter("h1", "h2", "p", "div")):
            if el is not node and el.getparent() is not None and _text(el) == out.title:
                el.drop_tree()
        if lead is not None and lead.getparent() is not None and _is_inside(lead, node):
            lead.drop_tree()
    if not out.author:
        author = ld.get("author") if isinstance(ld.get("author"), (dict, str)) else ""
        author = author.get("name", "") if isinstance(author, dict) else author
        out.author = str(author or _meta(doc, "author", "article:author")).strip()
    out.node = node
    return out


def _is_inside(el, node) -> bool:
    return any(parent is node for parent in el.iterancestors())


def _general(text: str, out: Extracted, doc):
    """The content node by scoring: trafilatura (favor_precision) finds the main text; the
    node of the page itself that holds most of that text, and the least else, is the content
    (so its pictures, tables and links are kept as they were). trafilatura's own HTML is the
    fallback when no node holds it."""
    import trafilatura

    plain = trafilatura.extract(text, favor_precision=True, include_tables=True,
                                include_comments=False, with_metadata=False) or ""
    paragraphs = [fold(line)[:60] for line in plain.splitlines() if len(line.strip()) >= 25]
    out.extractor = "trafilatura + chấm điểm khối nội dung"
    if paragraphs:
        scored = []
        for el in doc.iter("div", "article", "section", "main", "td", "body"):
            content = fold(_text(el))
            hits = sum(1 for p in paragraphs if p in content)
            if hits:
                scored.append((hits, len(content), el))
        if scored:
            best_hits = max(h for h, _, _ in scored)
            if best_hits >= max(1, 0.6 * len(paragraphs)):
                enough = [item for item in scored if item[0] >= 0.9 * best_hits]
                return min(enough, key=lambda item: item[1])[2]
    result = trafilatura.extract(text, output_format="html", favor_precision=True,
                                 include_tables=True, include_images=True, include_links=True)
    out.extractor = "trafilatura (chung)"
    if not result:
        return None
    tree = lxml_html.document_fromstring(result)
    body = tree.find("body")
    return body if body is not None else tree
