"""Vietnamese text helpers shared by every plugin: NFC, folding for matching, slugs."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from pelican.utils import slugify as pelican_slugify

# Pelican's default substitutions, with "/" and long dashes turned into hyphens first,
# so that "26/3" becomes "26-3" instead of "263" (the defaults delete "/"; docs/pelican-traps.md).
SLUG_SUBSTITUTIONS = [
    (r"[/–—]", "-"),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


def nfc(value: str) -> str:
    """Return *value* in Unicode NFC (editors' tools often produce NFD)."""
    return unicodedata.normalize("NFC", value)


@functools.lru_cache(maxsize=8192)
def fold(value: str) -> str:
    """Fold Vietnamese text for matching: lower case, no tone or vowel marks, đ → d.

    Memoized: the same titles and codes are folded again and again while matching.

    >>> fold("CHUYỂN ĐỔI SỐ") == fold("chuyen doi so")
    True
    """
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", stripped).strip().lower()


def slugify(value: str) -> str:
    """ASCII slug for URLs: "Lễ khai giảng 2022–2023" → "le-khai-giang-2022-2023"."""
    return pelican_slugify(nfc(value), regex_subs=SLUG_SUBSTITUTIONS)


def toc_slugify(value: str, separator: str = "-") -> str:
    """Heading anchors for Markdown's toc extension (keeps đ as d, unlike its default)."""
    slug = slugify(value)
    return slug.replace("-", separator) if separator != "-" else slug


def closest(value: str, candidates: dict[str, str], limit: int = 3) -> list[str]:
    """The display names of the candidates closest to *value*.

    *candidates* maps a folded key to the name to show; matching is done on folded text,
    so a missing tone mark or đ does not count as a difference.
    """
    keys = difflib.get_close_matches(fold(value), list(candidates), n=limit, cutoff=0.6)
    return [candidates[key] for key in keys]


def split_list(value) -> list[str]:
    """Split a comma-separated metadata value into NFC, stripped, non-empty items."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        value = ",".join(str(item) for item in value)
    return [nfc(item).strip() for item in str(value).split(",") if item.strip()]


def code_fingerprint(code_dirs, files=(), versions=()) -> str:
    """A short hash of what shapes reading: the enabled plugins' code and metadata (*code_dirs*),
    the school's settings and data (*files*) and the versions of the packages that read
    (*versions*: Pelican, Markdown, cong-truong).

    Keys Pelican's content cache folder (Pelican does not notice such changes itself). Only the
    plugins' folders are hashed: the quality gates and the maintainer tools live outside them and
    never invalidate the cache.
    """
    import glob
    import hashlib
    import os

    digest = hashlib.sha256()
    for folder in code_dirs:
        top = os.path.dirname(os.path.abspath(folder))
        for pattern in ("**/*.py", "**/*.yml"):
            for path in sorted(glob.glob(os.path.join(folder, pattern), recursive=True)):
                digest.update(os.path.relpath(path, top).encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
    for path in files:
        if os.path.isfile(path):
            digest.update(os.path.basename(path).encode())
            with open(path, "rb") as handle:
                digest.update(handle.read())
    for version in versions:
        digest.update(str(version).encode())
    return digest.hexdigest()[:12]
