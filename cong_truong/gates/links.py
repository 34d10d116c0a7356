"""Link gate of `invoke check-site`: every internal link, anchor, image and attachment in the
built pages resolves to a file in the output folder. Pure Python over files, no network;
external links are not fetched. Links under SITEURL count as internal.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .failure import Failure

# (tag, attribute) pairs holding one URL; srcset attributes hold several.
URL_ATTRIBUTES = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("source", "src"),
    ("script", "src"), ("iframe", "src"), ("video", "src"), ("video", "poster"),
    ("audio", "src"), ("track", "src"), ("embed", "src"), ("object", "data"),
    ("form", "action"), ("blockquote", "cite"), ("q", "cite"),
}
SRCSET_ATTRIBUTES = {("img", "srcset"), ("source", "srcset")}
META_URL_PROPERTIES = {"og:image", "og:url", "twitter:image"}
IGNORED_LINK_RELS = {"preconnect", "dns-prefetch"}
SCROLL_TO_TOP = {"top"}  # "#top" needs no element (HTML spec)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, int]] = []  # (url, element, line)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.ids.add(attributes["name"])
        element = (self.get_starttag_text() or "")[:160]
        line = self.getpos()[0]
        if tag == "link" and set(attributes.get("rel", "").lower().split()) & IGNORED_LINK_RELS:
            return
        for name, value in attributes.items():
            if (tag, name) in URL_ATTRIBUTES:
                self.refs.append((value, element, line))
            elif (tag, name) in SRCSET_ATTRIBUTES:
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((candidate.strip().split()[0], element, line))
        if tag == "meta" and attributes.get("property", attributes.get("name", "")) \
                in META_URL_PROPERTIES:
            self.refs.append((attributes.get("content", ""), element, line))

    handle_startendtag = handle_starttag


# Output folders that are tools, not pages for readers: the web editor (portal_editor's
# /admin/, Decap CMS). Not link-checked, not in the page budgets (it has its own), not axe'd.
TOOL_FOLDERS = ("admin",)


def html_pages(output: str) -> list[str]:
    """Every reader's .html file under *output* (TOOL_FOLDERS left out), relative, with
    forward slashes, sorted."""
    found = []
    for root, dirs, files in os.walk(output):
        dirs[:] = sorted(d for d in dirs if not (root == output and d in TOOL_FOLDERS))
        for name in sorted(files):
            if name.endswith((".html", ".htm")):
                found.append(os.path.relpath(os.path.join(root, name), output).replace(os.sep, "/"))
    return found


def parse_pages(output: str, pages: list[str]) -> dict[str, _PageParser]:
    parsed = {}
    for rel in pages:
        parser = _PageParser()
        with open(os.path.join(output, rel), encoding="utf-8", errors="replace") as handle:
            parser.feed(handle.read())
        parser.close()
        parsed[rel] = parser
    return parsed


def internal_path(url: str, page: str, siteurls: list[str]) -> tuple[str, str] | None:
    """(output-relative path, fragment) of an internal *url* found on *page*; None if external.

    The path is "" for the output root; it keeps a trailing "/" for folders.
    """
    url = url.strip()
    if not url:
        return None
    for base in siteurls:
        base = base.rstrip("/")
        if base and (url == base or url.startswith(base + "/") or url.startswith(base + "#")):
            url = url[len(base):] or "/"
            break
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # external (http, mailto, tel, data …): not fetched
    path = unquote(parts.path)
    if not path:
        path = "/" + page  # "#x" or "?q": the page itself
    if not path.startswith("/"):
        path = "/" + os.path.dirname(page) + "/" + path if os.path.dirname(page) else "/" + path
    trailing = path.endswith("/")
    normal = os.path.normpath(path).replace(os.sep, "/").lstrip("/")
    if normal == ".":
        normal = ""
    if normal.startswith(".."):
        normal = "../"  # outside the site: reported as missing
    return (normal + "/" if trailing and normal else normal), unquote(parts.fragment)


def target_file(output: str, path: str) -> str | None:
    """The output-relative file a path serves, like a static host (folder → index.html)."""
    candidates = [path] if path and not path.endswith("/") else []
    candidates.append((path if path.endswith("/") or not path else path + "/") + "index.html")
    for candidate in candidates:
        full = os.path.join(output, candidate)
        if os.path.isfile(full):
            return candidate
    return None


def check_links(output: str, siteurls: list[str] | None = None,
                pages: list[str] | None = None) -> list[Failure]:
    """Every internal reference of every page resolves; anchors exist on their page."""
    siteurls = [s for s in (siteurls or []) if s]
    pages = pages if pages is not None else html_pages(output)
    parsed = parse_pages(output, pages)
    id_cache: dict[str, set[str]] = {rel: parser.ids for rel, parser in parsed.items()}
    failures = []
    for rel, parser in parsed.items():
        for url, element, line in parser.refs:
            resolved = internal_path(url, rel, siteurls)
            if resolved is None:
                continue
            path, fragment = resolved
            target = target_file(output, path)
            if target is None:
                failures.append(Failure("links", rel, "link-missing", element,
                                        f"Đích của liên kết không có trong bản dựng: /{path}",
                                        line))
                continue
            if not fragment or fragment in SCROLL_TO_TOP or not target.endswith((".html", ".htm")):
                continue
            if target not in id_cache:
                id_cache[target] = parse_pages(output, [target])[target].ids
            if fragment not in id_cache[target]:
                failures.append(Failure("links", rel, "anchor-missing", element,
                                        f"Không có phần tử id=\"{fragment}\" trong /{target}",
                                        line))
    return failures
