"""Images and attachments of imported posts: safe names, one copy per content (hash).

A file linked from a post is looked up in the saved copy (by its URL path, percent-decoded,
NFC or not); it is imported once, under content/images/<năm>/ (photos, which the image
pipeline then resizes and publishes without EXIF/GPS) or content/files/<năm>/ (attachments),
with a name made of lower-case ASCII letters, digits and hyphens.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from portal_core.text import slugify
from portal_safety.files import load_types

PHOTO_TYPES = {"jpg", "jpeg", "png"}
# Attachments: the document types the build publishes (plugins/portal_safety/attachments.yml,
# one list for the build, the web editor and the importer); pictures other than photos are
# left where they were.
ATTACHMENT_TYPES = frozenset(ext for ext, spec in load_types().types.items()
                             if spec.get("kind") not in ("jpeg", "png", "gif", "webp", "svg"))
PLACEHOLDER = re.compile(r"(^|[/_-])(blank|spacer|pixel|loading|lazy|placeholder|grey|transparent)"
                         r"[^/]*\.(gif|png|svg|jpe?g)$", re.I)


def safe_name(name: str) -> str:
    """«Kế hoạch (bản cuối)%20.JPG» → «ke-hoach-ban-cuoi.jpg»."""
    name = unicodedata.normalize("NFC", unquote(posixpath.basename(name)))
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.lower()
    ext = "jpg" if ext == "jpeg" else ext
    base = slugify(stem)[:80].strip("-") or "tep"
    return f"{base}.{ext}" if ext else base


def kind_of(name: str) -> str | None:
    ext = name.rpartition(".")[2].lower()
    if ext in PHOTO_TYPES:
        return "image"
    if ext in ATTACHMENT_TYPES:
        return "file"
    return None


def is_placeholder(url: str) -> bool:
    return url.startswith("data:") or bool(PLACEHOLDER.search(urlsplit(url).path))


@dataclasses.dataclass
class Asset:
    source: str  # absolute path in the saved copy
    target: str  # path inside the new content folder: images/2019/x.jpg
    digest: str


class Assets:
    """Every file imported in one run: same bytes → same target; same name, other bytes →
    a numbered name. Deterministic when pages are processed in a fixed order."""

    def __init__(self, existing: dict[str, str] | None = None):
        self.by_digest: dict[str, Asset] = {}
        self.by_source: dict[str, Asset] = {}
        self.existing = dict(existing or {})  # the project's own files: {target: full path}
        self.taken = set(self.existing)  # targets already used

    def add(self, source: str, year: int, beside: str | None = None) -> Asset | None:
        """The file's place in the new content folder: images/<năm>/ or files/<năm>/, or
        *beside* a document that needs its attachments in its own folder (cong-khai/<năm-học>)."""
        key = (source, beside)
        if key in self.by_source:
            return self.by_source[key]
        kind = kind_of(source)
        if kind is None:
            return None
        with open(source, "rb") as handle:
            data = handle.read()
        digest = hashlib.sha256(data).hexdigest()
        place = (digest, beside) if beside else digest
        if place in self.by_digest:
            asset = self.by_digest[place]
        else:
            folder = beside or f"{'images' if kind == 'image' else 'files'}/{year}"
            name = safe_name(source)
            stem, dot, ext = name.rpartition(".")
            target, number = f"{folder}/{name}", 2
            while target in self.taken and not self._same(target, digest):
                target, number = f"{folder}/{stem}-{number}{dot}{ext}", number + 1
            self.taken.add(target)
            asset = Asset(source, target, digest)
            self.by_digest[place] = asset
        self.by_source[key] = asset
        return asset

    def _same(self, target: str, digest: str) -> bool:
        """The project already has this very file there (imported earlier and copied in)."""
        path = self.existing.get(target)
        if not path:
            return False
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == digest

    def all(self) -> list[Asset]:
        return sorted(self.by_digest.values(), key=lambda a: a.target)


def find_saved(root: str, path: str) -> str | None:
    """The saved file for a URL path (percent-decoded, NFC or NFD on disk), or None."""
    path = unquote(path).lstrip("/")
    if not path or ".." in path.split("/"):
        return None
    for form in (path, unicodedata.normalize("NFC", path), unicodedata.normalize("NFD", path)):
        candidate = os.path.join(root, *form.split("/"))
        if os.path.isfile(candidate):
            return candidate
    folder = os.path.join(root, *os.path.dirname(path).split("/"))
    if os.path.isdir(folder):  # names on disk in another normal form than the link
        wanted = unicodedata.normalize("NFC", os.path.basename(path)).lower()
        for name in sorted(os.listdir(folder)):
            if unicodedata.normalize("NFC", name).lower() == wanted:
                return os.path.join(folder, name)
    return None
