"""Allow-list sanitizing of the HTML made from a Markdown file, and the Content-Security-Policy.

nh3 (ammonia) does the cleaning; `removed_items` walks the same HTML with the same policy
to say, in Vietnamese, what was taken out, so the editor learns why a pasted snippet vanished.
Pure functions: no Pelican here.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import nh3

# Tags Markdown (extra, toc, footnotes, abbr, def_list, tables, fenced code) produces, plus
# what a careful editor may write by hand. Obsolete tags (center, font, strike, tt, acronym)
# are left out: the Nu validator rejects them; their text is kept.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
    "code", "col", "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby",
    "s", "samp", "section", "small", "source", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    "audio", "video", "track", "iframe",
})
# Removed together with everything inside them.
CONTENT_TAGS = frozenset({"script", "style", "noscript", "template", "object", "embed",
                          "applet", "form", "textarea", "select", "button", "svg", "math"})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir"})
TAG_ATTRIBUTES = {
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "controls", "width", "height", "poster", "preload", "muted", "loop",
              "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading",
               "referrerpolicy"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "blockquote": {"cite"}, "q": {"cite"},
    "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
    "time": {"datetime"}, "data": {"value"}, "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})

# Python-Markdown's table alignment is an inline style, which the CSP forbids: it becomes a
# class (portal.css styles .align-left/.align-center/.align-right).
MD_ALIGN = re.compile(r'(<t[hd]\b[^>]*?) style="text-align: (left|center|right);?"')


@dataclasses.dataclass(frozen=True)
class Embed:
    """An allowed iframe source: https://<host><path prefix>."""

    host: str
    path: str = "/"
    name: str = ""

    def allows(self, url: str) -> bool:
        """https, this host exactly (no user:password@, no other port), and a path under
        this prefix that a browser would not rewrite ("/embed/../watch" is "/watch")."""
        parts = urlsplit(re.sub(r"[\t\n\r]", "", url).strip())
        try:
            port = parts.port
        except ValueError:  # a port that is not a number
            return False
        path = parts.path or "/"
        return (parts.scheme == "https" and (parts.hostname or "").lower() == self.host
                and parts.username is None and parts.password is None and port in (None, 443)
                and plain_path(path) and path.startswith(self.path))

    @property
    def csp_source(self) -> str:
        """CSP host source; a path ending in "/" matches every path below it."""
        path = self.path if self.path.endswith("/") else self.path.rsplit("/", 1)[0] + "/"
        return f"https://{self.host}{path}"


def plain_path(path: str) -> bool:
    """No "." or ".." segment (also percent-encoded), no backslash, no encoded slash: a path
    a browser requests as written, so the allowed prefix really contains it."""
    lowered = path.lower()
    if "\\" in path or "%2f" in lowered or "%5c" in lowered:
        return False
    return not any(segment in (".", "..") for segment in unquote(path).split("/"))


def parse_embeds(data) -> tuple[list[Embed], list[str]]:
    """Embeds from content/data/embeds.yml ({hosts: [{host, path, name}]}); (embeds, errors)."""
    embeds, errors = [], []
    records = (data or {}).get("hosts") if isinstance(data, dict) else None
    if data is not None and not isinstance(records, list):
        return [], ["Tệp cần khóa «hosts:» là một danh sách."]
    for index, record in enumerate(records or []):
        host = str((record or {}).get("host", "")).strip().lower() if isinstance(record, dict) \
            else ""
        path = str(record.get("path") or "/").strip() if isinstance(record, dict) else "/"
        if not re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host) or not path.startswith("/"):
            errors.append(f"hosts[{index}]: cần «host» (tên miền, ví dụ "
                          f"www.youtube-nocookie.com) và «path» bắt đầu bằng «/».")
            continue
        embeds.append(Embed(host, path, str(record.get("name") or host)))
    return embeds, errors


def csp_policy(embeds: list[Embed]) -> str:
    """The Content-Security-Policy of every page.

    Only the site's own files run or load. 'wasm-unsafe-eval' lets the static search
    (Pagefind) compile its WebAssembly index; it does not allow eval() of JavaScript.
    Frames only from the embed allow-list (content/data/embeds.yml).
    """
    frames = " ".join(dict.fromkeys(e.csp_source for e in embeds)) or "'none'"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "media-src 'self'",
        f"frame-src {frames}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def _allowed_attributes() -> dict[str, set[str]]:
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    attributes["*"] = set(GENERIC_ATTRIBUTES)
    return attributes


def url_scheme(value: str) -> str | None:
    """The scheme of a URL as a browser sees it (WHATWG: tabs and newlines anywhere, and
    leading or trailing control characters and spaces, are ignored); None if relative."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                                      "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                      "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                      "\x1e\x1f ")
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def srcset_allowed(value: str) -> bool:
    """Every candidate of a srcset ("a-480.jpg 480w, a-960.jpg 960w") relative or with an
    allowed scheme (a data: image is refused here as in src)."""
    return all(url_scheme(part.split()[0]) in (None, *URL_SCHEMES)
               for part in value.split(",") if part.split())


def sanitize(html: str, embeds: list[Embed]) -> str:
    """The HTML with only allowed tags, attributes, URL schemes and iframe sources."""
    if not html:
        return html
    html = MD_ALIGN.sub(r'\1 class="align-\2"', html)

    def keep(tag, attribute, value):
        # Defence in depth: the same scheme rule as the report, on top of nh3's own.
        if attribute in URL_ATTRIBUTES and url_scheme(value) not in (None, *URL_SCHEMES):
            return None
        if attribute == "srcset" and not srcset_allowed(value):  # nh3 does not read srcset
            return None
        if tag == "iframe" and attribute == "src" and not any(e.allows(value) for e in embeds):
            return None
        return value

    cleaned = nh3.clean(html, tags=set(ALLOWED_TAGS), clean_content_tags=set(CONTENT_TAGS),
                        attributes=_allowed_attributes(), url_schemes=set(URL_SCHEMES),
                        link_rel=None, strip_comments=True, attribute_filter=keep)
    # An iframe whose source was refused is dropped whole (nh3 serializes attributes as
    # name="value", so this pattern is exact on its output).
    return re.sub(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", "", cleaned, flags=re.S)


def wrap_tables(html: str) -> str:
    """Each table in a keyboard-scrollable region, so a wide table scrolls by itself on a
    phone instead of widening the page (WCAG 1.4.10 reflow; 2.1.1 keyboard: tabindex)."""
    count = 0

    def opening(match):
        nonlocal count
        count += 1
        return (f'<div class="table-scroll" tabindex="0" role="region" '
                f'aria-label="Bảng {count} (vuốt ngang để xem hết)">{match.group(0)}')

    html = re.sub(r"<table\b[^>]*>", opening, html)
    return html.replace("</table>", "</table></div>")


@dataclasses.dataclass(frozen=True)
class Removed:
    """One kind of thing the sanitizer takes out; *needle* finds its line in the source."""

    kind: str  # tag, attribute, url, iframe, style
    detail: str  # what to show the editor
    needle: str


class _Scanner(HTMLParser):
    def __init__(self, embeds):
        super().__init__(convert_charrefs=True)
        self.embeds = embeds
        self.found: dict[tuple[str, str], Removed] = {}
        self.skip_depth = 0

    def add(self, kind, detail, needle):
        self.found.setdefault((kind, detail), Removed(kind, detail, needle))

    def handle_starttag(self, tag, attrs):
        if self.skip_depth:
            if tag in CONTENT_TAGS:
                self.skip_depth += 1
            return
        if tag in CONTENT_TAGS:
            self.add("tag", f"<{tag}>", f"<{tag}")
            self.skip_depth = 1
            return
        if tag not in ALLOWED_TAGS:
            self.add("tag", f"<{tag}>", f"<{tag}")
        allowed = GENERIC_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name == "style":
                self.add("style", "style", "style=")
            elif name.startswith("on"):
                self.add("attribute", f"{name} (trên <{tag}>)", name)
            elif tag in ALLOWED_TAGS and name not in allowed:
                self.add("attribute", f"{name} (trên <{tag}>)", name)
            elif name in URL_ATTRIBUTES and url_scheme(value) not in (None, *URL_SCHEMES):
                self.add("url", value[:60], value[:20] or name)
            elif name == "srcset" and not srcset_allowed(value):
                self.add("url", value[:60], value[:20] or name)
            elif tag == "iframe" and name == "src" and not any(e.allows(value)
                                                               for e in self.embeds):
                self.add("iframe", value[:80], value[:40])
        if tag == "iframe" and not any(name == "src" for name, _ in attrs):
            self.add("iframe", "(không có địa chỉ src)", "<iframe")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.skip_depth and tag in CONTENT_TAGS:
            self.skip_depth -= 1

    def handle_endtag(self, tag):
        if self.skip_depth and tag in CONTENT_TAGS:
            self.skip_depth -= 1


def removed_items(html: str, embeds: list[Embed]) -> list[Removed]:
    """What `sanitize` takes out of *html*, once per kind and detail, in document order.

    Markdown's own table alignment style is converted, not removed, so it is not listed.
    """
    if not html:
        return []
    scanner = _Scanner(embeds)
    scanner.feed(MD_ALIGN.sub(r'\1 class="align-\2"', html))
    scanner.close()
    return list(scanner.found.values())


MESSAGES = {
    "tag": "Đã loại bỏ thẻ HTML không được phép {detail}.",
    "attribute": "Đã loại bỏ thuộc tính HTML không được phép: {detail}.",
    "url": "Đã loại bỏ đường dẫn không an toàn «{detail}».",
    "iframe": "Đã loại bỏ khung nhúng (iframe) từ nguồn không nằm trong danh sách cho phép: "
              "{detail}.",
    "style": "Đã loại bỏ định dạng trực tiếp (thuộc tính style, thường có khi dán từ Word "
             "hoặc Facebook).",
}
HINTS = {
    "tag": "Bài viết không được chứa mã chạy (script) hay thẻ lạ; hãy viết bằng Markdown.",
    "attribute": "Xóa thuộc tính này; mã sự kiện (on…) không bao giờ được phép.",
    "url": "Chỉ dùng liên kết http(s)://, mailto:, tel: hoặc đường dẫn trong trang.",
    "iframe": "Chỉ nhúng từ các nguồn trong content/data/embeds.yml: {hosts}.",
    "style": "Định dạng do giao diện quyết định; dùng Markdown (**đậm**, tiêu đề ##, bảng).",
}


def describe(item: Removed, embeds: list[Embed]) -> tuple[str, str]:
    """(message, hint) in Vietnamese for one removed item."""
    hosts = ", ".join(e.host + e.path for e in embeds) or "(chưa có nguồn nào)"
    return (MESSAGES[item.kind].format(detail=item.detail),
            HINTS[item.kind].format(hosts=hosts))
