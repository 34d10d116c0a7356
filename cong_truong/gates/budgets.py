"""Page budgets over a built output folder: light pages for cheap phones on mobile networks.

    python -m cong_truong.gates.budgets output [--siteurl https://thptnguyentrai.edu.vn]
    invoke check-budgets --output=output

Budgets (defaults in ``Budgets``):
- html-size: every HTML page ≤ 50 KB uncompressed;
- css-total: all CSS the pages load (linked stylesheets, inline styles) ≤ 20 KB in total;
- javascript: <script> only on the search page (tim-kiem/); JSON data blocks are not scripts;
- image-pixels: no image wider (in pixels) than its largest display size: a srcset candidate
  not wider than its w descriptor, an <img src> not wider than max(width attribute, srcset);
- image-bytes: no image file > 300 KB;
- external: 0 requests to other hosts: stylesheets, scripts, images, iframes, media, icons,
  preloads and CSS url()/@import (fonts) must come from SITEURL's host. Plain <a href> links
  and <link rel="canonical|alternate"> are not requests and are fine.

Pure standard library (html.parser) plus Pillow for image sizes; no Pelican needed.
``check_output()`` returns a list of ``Failure`` (gate "budgets", rule = the budget);
``main()`` prints them and exits 1 if any.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .failure import Failure

KB = 1024
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
# <link rel=…> values that make the browser fetch or connect
REQUEST_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                "modulepreload", "manifest", "preconnect", "dns-prefetch", "mask-icon"}
NON_SCRIPT_TYPES = {"application/ld+json", "application/json", "text/template",
                    "text/x-template", "importmap"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


@dataclasses.dataclass(frozen=True)
class Budgets:
    html_bytes: int = 50 * KB
    css_total_bytes: int = 20 * KB
    image_bytes: int = 300 * KB
    script_pages: tuple[str, ...] = ("tim-kiem/",)  # output folders where JavaScript may run
    # The web editor (/admin/, Decap CMS: a tool for teachers, not a reader's page): none of
    # the budgets above; its own is the size of the whole folder (docs/performance.md).
    admin_folder: str = "admin"
    admin_bytes: int = 7 * 1024 * KB


def _breach(page: str, budget: str, figure: str, message: str) -> Failure:
    """A budget not met: *page* output-relative ("" for a site-wide figure), *budget* one of
    html-size, css-total, javascript, image-pixels, image-bytes, external."""
    return Failure("budgets", page, budget, "", message, figure=figure)


def kb(size: int) -> str:
    return f"{size / KB:.1f} KB".replace(".", ",")


class _Collector(HTMLParser):
    """Collects what a page asks the browser to fetch, and its scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.requests: list[tuple[str, str]] = []  # (what, url)
        self.scripts: list[str] = []  # "src" or "inline"
        self.images: list[dict] = []  # {"src", "srcset", "width", "tag"}
        self.canonical = ""
        self.stylesheets: list[str] = []
        self._in_style = False
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "link":
            rels = set(a.get("rel", "").lower().split())
            if "canonical" in rels and a.get("href"):
                self.canonical = a["href"]
            if rels & REQUEST_RELS and a.get("href"):
                self.requests.append((f"link rel={a.get('rel')}", a["href"]))
            if "stylesheet" in rels and a.get("href"):
                self.stylesheets.append(a["href"])
        elif tag == "script":
            kind = a.get("type", "").strip().lower()
            if kind not in NON_SCRIPT_TYPES:
                self.scripts.append(a.get("src") or "inline")
            if a.get("src"):
                self.requests.append(("script", a["src"]))
        elif tag in ("img", "source"):
            for key in ("src", "srcset"):
                for url in _srcset_urls(a.get(key, "")) if key == "srcset" else [a.get(key, "")]:
                    if url:
                        self.requests.append((tag, url))
            if tag == "img" or (tag == "source" and a.get("srcset")):
                self.images.append({"tag": tag, "src": a.get("src", ""),
                                    "srcset": a.get("srcset", ""), "width": a.get("width", "")})
        elif tag in ("iframe", "embed", "audio", "video", "track", "frame"):
            for key in ("src", "poster"):
                if a.get(key):
                    self.requests.append((tag, a[key]))
        elif tag == "object" and a.get("data"):
            self.requests.append(("object", a["data"]))
        elif tag == "input" and a.get("type", "").lower() == "image" and a.get("src"):
            self.requests.append(("input", a["src"]))
        elif tag == "style":
            self._in_style = True
        if a.get("style"):
            self.styles.append(a["style"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _srcset_urls(srcset: str) -> list[str]:
    return [part.strip().split()[0] for part in srcset.split(",") if part.strip()]


def _srcset(srcset: str) -> list[tuple[str, int | None]]:
    """(url, w descriptor or None) for each candidate."""
    found = []
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        width = None
        if len(bits) > 1 and bits[1].endswith("w") and bits[1][:-1].isdigit():
            width = int(bits[1][:-1])
        found.append((bits[0], width))
    return found


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_external(url: str, own_hosts: set[str]) -> bool:
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "mailto", "tel", "javascript"):
        return False
    if not parts.scheme and not parts.netloc:
        return False  # relative: same host
    return (parts.hostname or "").lower() not in own_hosts


def local_file(url: str, page: str, output: str, own_hosts: set[str]) -> str | None:
    """The output file a same-site URL points to, or None."""
    if is_external(url, own_hosts) or url.startswith(("data:", "blob:")):
        return None
    parts = urlsplit(url if not url.startswith("//") else "https:" + url)
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        full = os.path.join(output, path.lstrip("/"))
    else:
        full = os.path.join(output, os.path.dirname(page), path)
    full = os.path.normpath(full)
    if full.endswith(os.sep) or os.path.isdir(full):
        full = os.path.join(full, "index.html")
    return full


class _Sizes:
    """Intrinsic pixel widths of image files, read once."""

    def __init__(self):
        self.widths: dict[str, int | None] = {}

    def width(self, path: str) -> int | None:
        if path not in self.widths:
            try:
                from PIL import Image

                with Image.open(path) as image:
                    self.widths[path] = image.size[0]
            except Exception:  # missing or not an image: the link checker reports it
                self.widths[path] = None
        return self.widths[path]


def _page_url(rel: str) -> str:
    rel = rel.replace(os.sep, "/")
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def check_page(rel: str, text: str, size: int, output: str, own_hosts: set[str],
               budgets: Budgets, sizes: _Sizes, linked_css: set | None = None) -> list[Failure]:
    breaches = []
    if size > budgets.html_bytes:
        breaches.append(_breach(rel, "html-size", f"{kb(size)} > {kb(budgets.html_bytes)}",
                               "Trang HTML quá nặng."))
    parser = _Collector()
    parser.feed(text)
    parser.close()
    url = _page_url(rel)
    if linked_css is not None:
        for link in parser.stylesheets:
            path = local_file(link, rel, output, own_hosts)
            if path and os.path.isfile(path):
                linked_css.add(path)
        linked_css.update(f"inline:{len(s)}:{hash(s)}" for s in parser.styles)
    if parser.scripts and not any(url.startswith(p) for p in budgets.script_pages):
        breaches.append(_breach(rel, "javascript", f"{len(parser.scripts)} thẻ <script> "
                               f"({', '.join(parser.scripts[:3])})",
                               "Có JavaScript ngoài trang tìm kiếm."))
    for what, link in parser.requests:
        if is_external(link, own_hosts):
            breaches.append(_breach(rel, "external", f"<{what}> {link}",
                                   "Tải tài nguyên từ máy chủ khác."))
    for style in parser.styles:
        for match in CSS_URL.finditer(style):
            link = match.group(1) or match.group(2)
            if is_external(link, own_hosts):
                breaches.append(_breach(rel, "external", f"CSS {link}",
                                       "Tải tài nguyên từ máy chủ khác."))
    for image in parser.images:
        candidates = _srcset(image["srcset"])
        declared = [w for _, w in candidates if w]
        width_attr = int(image["width"]) if image["width"].strip().isdigit() else None
        capacity = max(declared + ([width_attr] if width_attr else []), default=None)
        for link, descriptor in candidates:
            path = local_file(link, rel, output, own_hosts)
            actual = sizes.width(path) if path else None
            if actual and descriptor and actual > descriptor:
                breaches.append(_breach(rel, "image-pixels", f"{link}: {actual}px > {descriptor}w",
                                       "Ảnh rộng hơn kích thước khai báo trong srcset."))
        if image["src"] and not image["src"].lower().endswith(".svg"):
            path = local_file(image["src"], rel, output, own_hosts)
            actual = sizes.width(path) if path else None
            if actual and capacity is None:
                breaches.append(_breach(rel, "image-pixels", f"{image['src']}: {actual}px, "
                                       "không có width/srcset",
                                       "Ảnh không khai báo kích thước hiển thị."))
            elif actual and actual > capacity:
                breaches.append(_breach(rel, "image-pixels",
                                       f"{image['src']}: {actual}px > {capacity}px",
                                       "Ảnh lớn hơn kích thước hiển thị lớn nhất."))
    return breaches


def check_output(output: str, siteurl: str | None = None,
                 budgets: Budgets = Budgets()) -> list[Failure]:
    """Every budget over a built output folder. *siteurl*: None infers it (canonical link)."""
    output = os.path.abspath(output)
    breaches: list[Failure] = []
    pages, css, images = [], [], []
    admin_total = 0
    for root, dirs, files in os.walk(output):
        dirs[:] = sorted(d for d in dirs if d not in (".git",))
        for name in sorted(files):
            path = os.path.join(root, name)
            lower = name.lower()
            if os.path.relpath(path, output).split(os.sep)[0] == budgets.admin_folder:
                admin_total += os.path.getsize(path)
                continue
            if lower.endswith((".html", ".htm")):
                pages.append(path)
            elif lower.endswith(".css"):
                css.append(path)
            elif lower.endswith(IMAGE_EXTENSIONS):
                images.append(path)
    own_hosts = set()
    if siteurl is None:
        home = os.path.join(output, "index.html")
        if os.path.exists(home):
            probe = _Collector()
            with open(home, encoding="utf-8", errors="replace") as handle:
                probe.feed(handle.read())
            siteurl = probe.canonical
    if siteurl:
        own_hosts.add(host_of(siteurl))
    sizes = _Sizes()
    linked_css: set[str] = set()
    for path in pages:
        rel = os.path.relpath(path, output).replace(os.sep, "/")
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        breaches += check_page(rel, text, os.path.getsize(path), output, own_hosts, budgets,
                               sizes, linked_css)
    # CSS a reader downloads: every stylesheet some page links, plus distinct inline styles.
    # (Files nobody links, such as the spare stylesheets Pagefind ships, are not counted.)
    total_css = sum(os.path.getsize(p) if not p.startswith("inline:") else int(p.split(":")[1])
                    for p in linked_css)
    for path in css:
        rel = os.path.relpath(path, output).replace(os.sep, "/")
        with open(path, encoding="utf-8", errors="replace") as handle:
            for match in CSS_URL.finditer(handle.read()):
                link = match.group(1) or match.group(2)
                if is_external(link, own_hosts):
                    breaches.append(_breach(rel, "external", f"CSS {link}",
                                           "Tải tài nguyên (phông chữ, ảnh) từ máy chủ khác."))
    if admin_total > budgets.admin_bytes:
        breaches.append(_breach(budgets.admin_folder + "/", "admin-size",
                                f"{kb(admin_total)} > {kb(budgets.admin_bytes)}",
                                "Trình soạn thảo web (/admin/) nặng hơn ngân sách của nó."))
    if total_css > budgets.css_total_bytes:
        files = sum(1 for p in linked_css if not p.startswith("inline:"))
        breaches.append(_breach("", "css-total", f"{kb(total_css)} > {kb(budgets.css_total_bytes)}"
                               f" ({files} tệp)", "Tổng dung lượng CSS quá lớn."))
    for path in images:
        size = os.path.getsize(path)
        if size > budgets.image_bytes:
            rel = os.path.relpath(path, output).replace(os.sep, "/")
            breaches.append(_breach(rel, "image-bytes", f"{kb(size)} > {kb(budgets.image_bytes)}",
                                   "Tệp ảnh quá nặng."))
    return breaches


def format_breaches(breaches: list[Failure]) -> str:
    if not breaches:
        return "Ngân sách trang: đạt tất cả (page budgets: all met)."
    lines = ["Ngân sách trang (page budgets) — vượt ngân sách:"]
    lines += [b.format() for b in sorted(breaches, key=lambda b: (b.rule, b.page))]
    lines.append(f"Tổng cộng: {len(breaches)} vi phạm.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Kiểm tra ngân sách trang (page budgets).")
    parser.add_argument("output", nargs="?", default="output")
    parser.add_argument("--siteurl", default=None,
                        help="Địa chỉ trang (mặc định: lấy từ link canonical của trang chủ).")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.output):
        print(f"Không có thư mục {args.output}: hãy dựng trang trước (cong-truong build).")
        return 2
    breaches = check_output(args.output, args.siteurl)
    print(format_breaches(breaches))
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
