"""Links between posts whose target is not published (yet): pure functions.

A post may link to another with ``{filename}/thong-bao/2020/bai.md`` (the importer writes every
link between imported posts this way). When the target is a draft, Pelican would still write
its draft address, which is never published: a dead link. Instead the link's text stays as
plain text until the target is published, then the link is live again with no edit. The
build says so (a warning naming the target, on the post that links), except for a scheduled
target, whose link appears on its day by itself.
"""

from __future__ import annotations

import posixpath
import re
from typing import Callable
from urllib.parse import unquote

# <a … href="{filename}path">text</a> (and Pelican's older |filename| form)
LINK = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?P<q>[\"'])(?:\{filename\}|\|filename\|)(?P<path>[^\"'#?]*)"
    r"(?P<rest>[^\"']*)(?P=q)[^>]*>(?P<text>.*?)</a\s*>", re.S | re.I)


def target_path(path: str, source_dir: str) -> str:
    """The linked source file, relative to content/ ("/x.md" from the root, else beside the
    linking file), as Pelican resolves it."""
    path = unquote(path)
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(source_dir, path))


def unlink_unpublished(html: str, source_dir: str,
                       unpublished: Callable[[str], bool]) -> tuple[str, list[str]]:
    """(*html* with every link to an unpublished source replaced by its text, the targets)."""
    found: list[str] = []

    def replace(match: re.Match) -> str:
        target = target_path(match.group("path"), source_dir)
        if not unpublished(target):
            return match.group(0)
        found.append(target)
        return match.group("text")

    if "filename" not in html:
        return html, found
    return LINK.sub(replace, html), found
