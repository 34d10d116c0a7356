"""Unfinished content: the one placeholder convention of the portal.

A fact or a text the school has not written yet is marked, wherever it is, by the words
``CẦN ĐIỀN:`` followed by what to write and an example:

    phone: "CẦN ĐIỀN: số điện thoại của văn phòng. Ví dụ: 0229 3 871 234"        (YAML value)
    CẦN ĐIỀN: lịch sử hình thành của trường. Ví dụ: Trường được thành lập năm …  (page text)

The marker is matched in any case, with or without diacritics (``can dien:``). The
development build shows a banner on every page that still has one; ``cong-truong check`` and
the publishing build list each (file, what to write, the example) and refuse to publish.
A page may not publish "đang cập nhật" either (a promise instead of the information).
Pure functions.
"""

from __future__ import annotations

import re
import unicodedata

MARK = "CẦN ĐIỀN"
_FOLDED_MARK = re.compile(r"\bcan dien\s*:", re.IGNORECASE)
_EXAMPLE = re.compile(r"\s*\bvi du\s*:\s*", re.IGNORECASE)
# Words that promise information instead of giving it (folded text): "đang cập nhật", "trang
# đang xây dựng" are what an unfinished school page usually says; none may be published.
# ("Nhà trường đang bổ sung…" or "đang xây dựng nhà đa năng" are news, and pass.)
STALE = re.compile(r"\b(dang (duoc )?cap nhat|(trang|muc|noi dung) (nay )?dang (duoc )?xay dung)\b")


def _fold_same_length(text: str) -> str:
    """Lower case without marks, one character for one (so positions match the original)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


def placeholder(what: str, example: str = "") -> str:
    """The marker text for *what* to write, with an *example*."""
    return f"{MARK}: {what.rstrip('. ')}." + (f" Ví dụ: {example}" if example else "")


def split(text: str) -> tuple[str, str] | None:
    """(what to write, example) when *text* holds the marker; None otherwise."""
    text = unicodedata.normalize("NFC", str(text))
    folded = _fold_same_length(text)
    match = _FOLDED_MARK.search(folded)
    if not match:
        return None
    rest, folded_rest = text[match.end():], folded[match.end():]
    example = _EXAMPLE.search(folded_rest)
    if example:
        return (rest[:example.start()].strip().rstrip(".") or "nội dung còn thiếu",
                rest[example.end():].strip())
    return rest.strip().rstrip(".") or "nội dung còn thiếu", ""


def is_placeholder(value) -> bool:
    return isinstance(value, str) and split(value) is not None


def in_data(node, path: str = "") -> list[tuple[str, str, str]]:
    """Every placeholder in a YAML document: (field path, what, example)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += in_data(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += in_data(value, f"{path}[{index}]")
    elif isinstance(node, str):
        parts = split(node)
        if parts:
            found.append((path, *parts))
    return found


def stale_in_data(node, path: str = "") -> list[tuple[str, str]]:
    """YAML values that say "đang cập nhật" instead of the fact: (field path, value)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found += stale_in_data(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += stale_in_data(value, f"{path}[{index}]")
    elif isinstance(node, str) and len(node) < 200 and STALE.search(_fold_same_length(node)):
        found.append((path, node))
    return found


def in_text(text: str) -> list[tuple[int, str, str]]:
    """Every placeholder line of a page (front matter included): (line, what, example)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = split(line)
        if parts:
            found.append((number, *parts))
    return found


def stale_in_text(text: str) -> list[tuple[int, str]]:
    """Lines of a page that say "đang cập nhật" (or "đang xây dựng"…): (line, the words)."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = STALE.search(_fold_same_length(line))
        if match:
            found.append((number, line[match.start():match.end()]))
    return found
