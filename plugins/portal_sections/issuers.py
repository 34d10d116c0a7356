"""Issuing bodies that were replaced: "Sở GDĐT Nam Định → Sở GDĐT Ninh Bình from 01/07/2025".

The school's data file (content/data/issuers.yml) lists successions:

    successions:
      - {issuer: Sở Giáo dục và Đào tạo Nam Định, successor: Sở Giáo dục và Đào tạo Ninh Bình,
         from: 2025-07-01, basis: Nghị quyết 202/2025/QH15}

The issuer pages of the documents registry link both ways; a document dated on or after the
change but issued under the old name is a warning. Names are matched like the issuer pages
(case and tone marks ignored). Pure functions; problems are returned, never raised.
"""

from __future__ import annotations

import datetime as dt

from portal_core.problems import WARNING, Problem
from portal_core.text import fold, slugify

PLUGIN = "portal_sections"
EXAMPLE = ("successions:\n  - {issuer: Sở Giáo dục và Đào tạo Nam Định, successor: Sở Giáo dục "
           "và Đào tạo Ninh Bình, from: 2025-07-01}")


def _problem(file, field, value, message, hint=EXAMPLE, severity="error") -> Problem:
    return Problem(file, field, str(value), message, hint, severity=severity, plugin=PLUGIN)


def parse_successions(data, file: str) -> tuple[list[dict], list[Problem]]:
    """[{issuer, successor, from (date), basis, issuer_slug, successor_slug}] and problems."""
    if data is None:
        return [], []
    entries = data.get("successions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [_problem(file, "successions", "", "Thiếu danh sách «successions».")]
    found, problems, seen = [], [], set()
    for index, entry in enumerate(entries):
        field = f"successions[{index}]"
        if not isinstance(entry, dict):
            problems.append(_problem(file, field, entry, "Mỗi mục phải là một bảng khóa: giá trị."))
            continue
        issuer, successor = str(entry.get("issuer") or "").strip(), str(
            entry.get("successor") or "").strip()
        if not issuer or not successor:
            problems.append(_problem(file, field, entry, "Cần cả «issuer» (cơ quan cũ) và "
                                     "«successor» (cơ quan thay thế)."))
            continue
        if fold(issuer) == fold(successor):
            problems.append(_problem(file, f"{field}.successor", successor,
                                     "Cơ quan thay thế trùng với chính cơ quan đó."))
            continue
        start = entry.get("from")
        if isinstance(start, dt.datetime):
            start = start.date()
        if not isinstance(start, dt.date):
            try:
                start = dt.date.fromisoformat(str(start).strip())
            except ValueError:
                problems.append(_problem(file, f"{field}.from", start if start is not None else "",
                                         "Ngày thay thế không hợp lệ.",
                                         "Dạng YYYY-MM-DD, ví dụ from: 2025-07-01."))
                continue
        if slugify(issuer) in seen:
            problems.append(_problem(file, f"{field}.issuer", issuer,
                                     "Cơ quan này đã có cơ quan thay thế ở một mục trước."))
            continue
        seen.add(slugify(issuer))
        found.append({"issuer": issuer, "successor": successor, "from": start,
                      "basis": str(entry.get("basis") or ""), "issuer_slug": slugify(issuer),
                      "successor_slug": slugify(successor)})
    return found, problems


def links(successions: list[dict]) -> dict[str, dict]:
    """slug → {"successor": {...} | None, "predecessors": [...]} for the issuer pages."""
    result: dict[str, dict] = {}
    for item in successions:
        old = result.setdefault(item["issuer_slug"], {"name": item["issuer"], "successor": None,
                                                      "predecessors": []})
        new = result.setdefault(item["successor_slug"], {"name": item["successor"],
                                                         "successor": None, "predecessors": []})
        old["successor"] = {"name": item["successor"], "slug": item["successor_slug"],
                            "from": item["from"], "basis": item["basis"]}
        new["predecessors"].append({"name": item["issuer"], "slug": item["issuer_slug"],
                                    "from": item["from"], "basis": item["basis"]})
    return result


def stale_issuers(documents: list[dict], successions: list[dict]) -> list[Problem]:
    """A warning for each document issued on or after a change under the replaced name."""
    by_slug = {item["issuer_slug"]: item for item in successions}
    problems = []
    for doc in documents:
        item = by_slug.get(doc.get("issuer_slug") or "")
        issued = doc.get("issued")
        if item is None or issued is None or issued < item["from"]:
            continue
        problems.append(_problem(
            doc.get("source", ""), "Issuer", doc.get("issuer", ""),
            f"Văn bản ban hành ngày {issued:%d/%m/%Y}, sau khi «{item['issuer']}» được thay bằng "
            f"«{item['successor']}» từ {item['from']:%d/%m/%Y}.",
            f"Có phải ý bạn là: {item['successor']}?", severity=WARNING))
    return problems
