"""The saved copy: its root folder, the old host, the saved pages and their old URLs.

SOURCE is a folder saved by wget/HTTrack (usually one folder named after the host, e.g.
`thpt-mau.edu.vn/`), or a sitemap.xml / URL list (one URL a line) lying in such a folder. A
page listed in a sitemap or list but not saved is still reported. wget's
`--adjust-extension` adds `.html` to addresses without one (`/ct/12/101` saved as
`ct/12/101.html`): when the list or the page's own canonical address names the address without
`.html`, that is the old URL.
"""

from __future__ import annotations

import dataclasses
import os
import re
from urllib.parse import urlsplit

from lxml import etree

PAGE_EXTENSIONS = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx")
SKIP_NAMES = re.compile(r"^(robots\.txt|.*\.(css|js|json|xml|txt|jpe?g|png|gif|webp|svg|ico|"
                        r"pdf|docx?|xlsx?|pptx?|zip|rar|woff2?|ttf|eot|mp4|mp3))$", re.I)
HOST = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$", re.I)


@dataclasses.dataclass
class Saved:
    file: str  # absolute path of the saved page
    rel: str  # path inside the site root, with "/"
    urls: list[str]  # old paths ("/ct/12/101"), the first one the address it was saved from


@dataclasses.dataclass
class Source:
    root: str  # the folder holding the site's paths
    host: str  # old host ("thpt-mau.edu.vn"), "" when unknown
    pages: list[Saved]
    listed_only: list[str]  # paths in the sitemap/list without a saved page
    prefix: str = ""  # a platform of many schools: the school's path prefix ("/thpt-a")


def read_url_list(path: str) -> list[str]:
    with open(path, "rb") as handle:
        data = handle.read()
    if b"<urlset" in data[:2000] or b"<sitemapindex" in data[:2000]:
        try:
            tree = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            return []
        return [el.text.strip() for el in tree.iter("{*}loc") if el.text]
    text = data.decode("utf-8", "replace")
    return [line.strip() for line in text.splitlines() if line.strip().startswith(("http", "/"))]


def _host_folder(folder: str) -> str | None:
    names = [n for n in os.listdir(folder) if not n.startswith(".")]
    hosts = [n for n in names if HOST.match(n) and os.path.isdir(os.path.join(folder, n))]
    return hosts[0] if len(hosts) == 1 and len(names) <= 3 else None


def _is_page(path: str) -> bool:
    name = os.path.basename(path)
    if name.lower().endswith(PAGE_EXTENSIONS):
        return True
    if SKIP_NAMES.match(name) or "." in name:
        return False
    with open(path, "rb") as handle:  # wget without --adjust-extension: "101" is a page
        head = handle.read(512).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def discover(source: str, prefix: str = "") -> Source:
    """The saved pages of *source*; with *prefix* ("/thpt-a"), only those of one school of a
    platform that keeps its schools under path prefixes (schools.py)."""
    source = os.path.abspath(source)
    lists = []
    if os.path.isfile(source):
        lists.append(source)
        source = os.path.dirname(source)
    host = ""
    root = source
    inner = _host_folder(source)
    if inner:
        host, root = inner, os.path.join(source, inner)
    elif HOST.match(os.path.basename(source)):
        host = os.path.basename(source)  # the host folder itself (one school of many hosts)
    for name in ("sitemap.xml", "urls.txt", "danh-sach.txt"):
        for folder in {source, root}:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and candidate not in lists:
                lists.append(candidate)
    listed: list[str] = []
    for path in lists:
        for url in read_url_list(path):
            parts = urlsplit(url)
            if parts.netloc and not host:
                host = parts.netloc.lower()
            if parts.netloc and host and _bare(parts.netloc) != _bare(host):
                continue  # another school's host in a platform's shared sitemap
            found = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if not prefix or found == prefix or found.startswith(prefix + "/"):
                listed.append(found)
    listed_set = set(listed)
    pages = []
    top = os.path.join(root, *prefix.strip("/").split("/")) if prefix else root
    for base, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(base, name)
            if name.startswith(".") or not _is_page(path):
                continue
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            urls = _urls_for(rel, listed_set)
            mirrored = _httrack_origin(path)
            if mirrored:  # its own address: the file name may be a hash of it
                parts = urlsplit(mirrored if "://" in mirrored else "http://" + mirrored)
                host = host or parts.netloc.lower()
                urls = [(parts.path or "/") + (f"?{parts.query}" if parts.query else "")]
            pages.append(Saved(path, rel, list(dict.fromkeys(urls))))
    saved_urls = {u for p in pages for u in p.urls}
    missing = [u for u in dict.fromkeys(listed) if u not in saved_urls]
    return Source(root, host, pages, missing, prefix)


def _bare(host: str) -> str:
    host = host.lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


HTTRACK = re.compile(rb"<!-- Mirrored from (\S+) by HTTrack")


def _httrack_origin(path: str) -> str:
    """HTTrack writes the address a page was saved from in a comment (its file name may be
    a hash for addresses with a query): that is the page's old URL."""
    with open(path, "rb") as handle:
        match = HTTRACK.search(handle.read(4096))
    return match.group(1).decode("utf-8", "replace") if match else ""


def _urls_for(rel: str, listed: set[str]) -> list[str]:
    """The old addresses of a saved page: a listed form first; a page saved as «x.html» that
    no list names may have been «x» (wget's --adjust-extension adds «.html» to an address
    without one): both, so that a redirect serves whichever it was."""
    path = "/" + rel
    urls = []
    if path.endswith("/index.html"):
        urls.append(path[: -len("index.html")])
    bare = ""
    for ending in (".html", ".htm"):
        if path.endswith(ending):
            bare = path[: -len(ending)]
    if bare and bare in listed:
        return urls + [bare]  # the list names it: «.html» was added by wget
    urls.append(path)
    if bare and path not in listed and not path.endswith("/index.html") \
            and "." not in bare.rsplit("/", 1)[-1] and "?" not in bare:
        urls.append(bare)
    return list(dict.fromkeys(urls))
