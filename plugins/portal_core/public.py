"""What of a legal basis the public may read, and the maintainers' notes that stay behind.

The catalogues (law as data) give every basis line a confidence tag and, often, a working note:
what was not read, what may have changed, where it was read. Those are for the people who
maintain the data (docs/legal.md and `cong-truong check --phap-ly`). A page, a feed, a search
record, the open data (JSON, CSV) and the reports (DOCX) state the basis in plain words with the
dates it applies, and nothing else. Every plugin that publishes a basis goes through this module:

- ``public_basis(line)``: the public fields of one basis line (its text and dates);
- ``public_record(value)``: a copy of a dict/list without the private keys (``PRIVATE_KEYS``),
  for anything written as open data;
- ``basis_phrase(text, valid_from, valid_to)``: "Thông tư 26/2026/TT-BTC (áp dụng từ 25/03/2026)";
- ``working_notes(text)``: the working-note markers in a text (``MARKERS``): a catalogue whose
  public field holds one is refused, and the tests scan every output file for them;
- ``LegalNote`` and ``format_review``: the maintainers' report of bases not read in full.

Pure functions; no Pelican.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

# Keys of a basis line (or a rule) that only maintainers read.
PRIVATE_KEYS = frozenset({"confidence", "note", "verified", "unverified", "basis_confidence",
                          "basis_unverified", "confidence_levels"})

# What a working note looks like, as a reader would find it in a published file: the confidence
# tags (whole words, upper case) and the phrases of a maintainer's doubt: "chưa kiểm chứng",
# "chưa đối chiếu", "theo trí nhớ" (in any case), and the labels a note starts with, "Mức tin
# cậy" and "Kiểm tra lại", as written (a news post may well ask parents to "kiểm tra lại" a
# form: that is prose, not a note).
TAGS = ("RECALL", "READ-2nd", "SECONDARY", "INFER", "UNVERIFIED")
PHRASES = ("chưa kiểm chứng", "chưa đối chiếu", "theo trí nhớ")
LABELS = ("Mức tin cậy", "Kiểm tra lại")
MARKERS = TAGS + PHRASES + LABELS
_TAG = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(re.escape(t) for t in TAGS) + r")(?![A-Za-z0-9_])")
_PHRASE = re.compile("|".join(re.escape(p) for p in PHRASES), re.IGNORECASE)
_LABEL = re.compile("|".join(re.escape(p) for p in LABELS))


def working_notes(text) -> list[str]:
    """The working-note markers found in *text* (NFC or NFD), in order, each once:
    ["UNVERIFIED", "chưa đối chiếu"]."""
    value = unicodedata.normalize("NFC", str(text or ""))
    found = [m.group(1) for m in _TAG.finditer(value)]
    found += [m.group(0) for m in _PHRASE.finditer(value)]
    found += [m.group(0) for m in _LABEL.finditer(value)]
    return list(dict.fromkeys(found))


def _iso(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _day(value) -> dt.date | None:
    iso = _iso(value)
    return dt.date.fromisoformat(iso) if iso else None


def validity_phrase(valid_from=None, valid_to=None) -> str:
    """"áp dụng từ 25/03/2026", "áp dụng đến hết 24/03/2026", "áp dụng từ 13/02/2018 đến hết
    18/07/2024"; "" when open at both ends."""
    start, end = _day(valid_from), _day(valid_to)
    if start and end:
        return f"áp dụng từ {start:%d/%m/%Y} đến hết {end:%d/%m/%Y}"
    if start:
        return f"áp dụng từ {start:%d/%m/%Y}"
    if end:
        return f"áp dụng đến hết {end:%d/%m/%Y}"
    return ""


def basis_phrase(text: str, valid_from=None, valid_to=None) -> str:
    """A basis in plain words with its dates: "Thông tư 26/2026/TT-BTC (áp dụng từ 25/03/2026)"."""
    dates = validity_phrase(valid_from, valid_to)
    return f"{text} ({dates})" if dates else str(text)


def public_basis(line: dict, text_key: str = "text") -> dict:
    """The public fields of one basis line: {"text", "valid_from", "valid_to"} (ISO dates or
    None). The sections catalogue calls its text ``ref``: ``public_basis(line, "ref")``."""
    line = line if isinstance(line, dict) else {text_key: str(line)}
    return {"text": str(line.get(text_key) or ""), "valid_from": _iso(line.get("valid_from")),
            "valid_to": _iso(line.get("valid_to"))}


def public_record(value):
    """*value* (dicts, lists, scalars) without the maintainers' keys, at any depth."""
    if isinstance(value, dict):
        return {k: public_record(v) for k, v in value.items() if k not in PRIVATE_KEYS}
    if isinstance(value, (list, tuple)):
        return [public_record(v) for v in value]
    return value


# ---------------------------------------------------------------------------- maintainers


@dataclasses.dataclass(frozen=True)
class LegalNote:
    """One basis as the data holds it, for the maintainers' report (never published)."""

    file: str  # the data file, relative to the project or the package
    where: str  # the entry in it: "items[8] (CK-09).versions[1].basis[0]"
    text: str  # the basis as the public reads it
    confidence: str  # its tag: RECALL, UNVERIFIED, SECONDARY, INFER, READ
    note: str = ""
    verified: bool = True  # False: the tag is one of the unverified levels
    valid_from: str | None = None
    valid_to: str | None = None


def format_review(notes: list[LegalNote]) -> str:
    """The maintainers' report: first every basis not verified, then those read only in a
    secondary source or inferred, each with its file, entry, dates and note."""
    unverified = [n for n in notes if not n.verified]
    partial = [n for n in notes if n.verified and n.confidence != "READ"]
    lines = ["Căn cứ pháp lý trong dữ liệu của cổng (chỉ dành cho người duy trì dữ liệu; không "
             "xuất bản).", ""]
    for title, group in (("Chưa kiểm chứng", unverified),
                         ("Đọc qua nguồn thứ cấp hoặc suy luận (chưa đọc bản chính thức)",
                          partial)):
        lines.append(f"{title}: {len(group)}")
        for note in group:
            dates = validity_phrase(note.valid_from, note.valid_to)
            lines.append(f"  [{note.confidence}] {note.text}" + (f" ({dates})" if dates else ""))
            lines.append(f"      {note.file}: {note.where}")
            if note.note:
                lines.append(f"      {note.note}")
        lines.append("")
    lines.append(f"Tổng: {len(notes)} căn cứ, {len(unverified)} chưa kiểm chứng, "
                 f"{len(partial)} chưa đọc bản chính thức. Cách kiểm tra và cập nhật: "
                 "docs/legal.md.")
    return "\n".join(lines) + "\n"
