"""Legal bases of the catalogue's sections over time: confidence tags, dates, plain words.

A section's ``basis`` is a list of ``{ref, confidence, note, valid_from, valid_to}``: ``ref`` is
what a reader sees ("Thông tư 37/2020/TT-BGDĐT, Điều 9 khoản 2"), with its dates; ``confidence``
and ``note`` (working notes: what was not read, what may have changed) are for maintainers only
(docs/legal.md, ``cong-truong check --phap-ly``), never published. A basis line applies from ``valid_from`` to ``valid_to`` (inclusive; absent = open). A
section may carry ``valid_from`` / ``valid_to`` too: outside them it does not apply. Pure
functions; problems are returned, never raised.
"""

from __future__ import annotations

import datetime as dt

from portal_core.dates import within
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.public import LegalNote, basis_phrase, public_basis

PLUGIN = "portal_sections"
CONFIDENCES = ("READ", "SECONDARY", "RECALL", "INFER", "UNVERIFIED")
LEGACY = {"READ-2nd": "SECONDARY"}  # the tag's former name, still accepted
UNVERIFIED = ("RECALL", "UNVERIFIED")


def _problem(file, field, value, message, hint="", severity=ERROR) -> Problem:
    return Problem(file, field, str(value), message, hint, severity=severity, plugin=PLUGIN)


def parse_date(value, file, field) -> tuple[dt.date | None, list[Problem]]:
    if value in (None, ""):
        return None, []
    if isinstance(value, dt.datetime):
        return value.date(), []
    if isinstance(value, dt.date):
        return value, []
    try:
        return dt.date.fromisoformat(str(value).strip()), []
    except ValueError:
        return None, [_problem(file, field, value, "Ngày không hợp lệ.",
                               "Dạng YYYY-MM-DD, ví dụ 2026-01-01.")]


def parse_dates(raw: dict, file: str, prefix: str):
    """(valid_from, valid_to, problems) of a section or a basis line."""
    start, problems = parse_date(raw.get("valid_from"), file, f"{prefix}.valid_from")
    end, found = parse_date(raw.get("valid_to"), file, f"{prefix}.valid_to")
    problems += found
    if start and end and end < start:
        problems.append(_problem(file, f"{prefix}.valid_to", end,
                                 "Ngày hết hiệu lực trước ngày có hiệu lực."))
    return start, end, problems


def parse_basis(basis, file: str, prefix: str) -> tuple[list[dict], list[Problem]]:
    """Clean basis lines; the legacy tag READ-2nd becomes SECONDARY."""
    if not isinstance(basis, list):
        basis = [basis]
    clean, problems = [], []
    for number, item in enumerate(basis):
        field = f"{prefix}.basis[{number}]"
        if not isinstance(item, dict) or not item.get("ref"):
            problems.append(_problem(file, field, item, "Căn cứ pháp lý cần «ref» và «confidence».",
                                     "Ví dụ: {ref: \"Thông tư 37/2020/TT-BGDĐT, Điều 9\", "
                                     "confidence: SECONDARY}"))
            continue
        confidence = LEGACY.get(item.get("confidence"), item.get("confidence"))
        if confidence not in CONFIDENCES:
            problems.append(_problem(file, f"{field}.confidence", item.get("confidence", ""),
                                     "Mức tin cậy của căn cứ không hợp lệ.",
                                     "Dùng: " + ", ".join(CONFIDENCES)))
            continue
        start, end, found = parse_dates(item, file, field)
        problems += found
        clean.append({"ref": str(item["ref"]), "confidence": confidence,
                      "note": str(item.get("note") or ""), "valid_from": start, "valid_to": end})
    return clean, problems


def in_force(entry, today: dt.date) -> bool:
    """Whether a basis line (dict) or a section (valid_from/valid_to attributes) applies."""
    get = entry.get if isinstance(entry, dict) else (lambda key: getattr(entry, key, None))
    start, end = get("valid_from"), get("valid_to")
    return within(today, start, end)


def basis_now(basis: list[dict], today: dt.date) -> list[dict]:
    """The basis lines in force on *today* (all of them if none is: the page still names one)."""
    current = [b for b in basis if in_force(b, today)]
    return current or list(basis)


def plain(basis: list[dict]) -> str:
    """What a reader sees: the references with their dates, no confidence tag or working note:
    "Luật … 91/2025/QH15 (áp dụng từ 01/01/2026); Thông tư 37/2020/TT-BGDĐT, Điều 9"."""
    return "; ".join(basis_phrase(b["ref"], b.get("valid_from"), b.get("valid_to"))
                     for b in basis)


def public(basis: list[dict]) -> list[dict]:
    """The basis lines as the open data gives them: {text, valid_from, valid_to}."""
    return [public_basis(b, "ref") for b in basis]


def unverified(basis: list[dict]) -> bool:
    return any(b["confidence"] in UNVERIFIED for b in basis)


def notes(sections, file: str) -> list[LegalNote]:
    """Every basis line of the sections with its tag and note (the maintainers' report)."""
    found = []
    for section in sections:
        for n, b in enumerate(section.basis):
            found.append(LegalNote(file, f"{section.id}.basis[{n}]", b["ref"], b["confidence"],
                                   b.get("note") or "", b["confidence"] not in UNVERIFIED,
                                   b["valid_from"].isoformat() if b.get("valid_from") else None,
                                   b["valid_to"].isoformat() if b.get("valid_to") else None))
    return found


def expired(sections, today: dt.date, file: str) -> list[Problem]:
    """A warning for each applicable section none of whose basis lines is in force any more:
    a line's valid_to is past and no later line replaces it."""
    problems = []
    for section in sections:
        if not section.applicable or not in_force(section, today) or not section.basis:
            continue
        if any(in_force(b, today) for b in section.basis):
            continue
        ended = max((b["valid_to"] for b in section.basis if b["valid_to"]), default=None)
        if ended is None or ended >= today:
            continue
        problems.append(_problem(
            file, f"{section.id}.basis", ended.isoformat(),
            f"Căn cứ pháp lý của mục «{section.title}» hết hiệu lực sau ngày "
            f"{ended:%d/%m/%Y} mà chưa có căn cứ thay thế.",
            "Thêm dòng căn cứ của văn bản mới với valid_from (xem docs/legal.md).",
            severity=WARNING))
    return problems


def parse_laws(data, file: str) -> tuple[list[dict], list[Problem]]:
    """The catalogue's ``laws``: [{name, plain}] (what each text is about, for readers)."""
    raw = data.get("laws") if isinstance(data, dict) else None
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [_problem(file, "laws", raw, "«laws» phải là một danh sách.")]
    found, problems = [], []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("plain"):
            problems.append(_problem(file, f"laws[{index}]", entry, "Mỗi văn bản cần «name» và "
                                     "«plain» (nội dung văn bản bằng lời thường).",
                                     "Ví dụ: {name: Thông tư 37/2020/TT-BGDĐT, plain: quy định "
                                     "về cổng thông tin điện tử của trường}"))
            continue
        found.append({"name": str(entry["name"]), "plain": str(entry["plain"])})
    return found, problems


def laws_named(laws: list[dict], rows: list[dict]) -> list[dict]:
    """The laws the rows' plain bases name, in the catalogue's order."""
    text = " ".join(row.get("basis_plain", "") for row in rows)
    return [law for law in laws if law["name"] in text]
