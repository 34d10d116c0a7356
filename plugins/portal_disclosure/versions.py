"""Versions of a disclosure item over time: which rule judges a row, and checks of the dates.

An item of catalogue.yml may list ``versions``: each a set of fields (basis, deadline,
fallback, description, name, periods …) with ``valid_from`` / ``valid_to`` (dates, both
inclusive). A row (an item × school year × period) is judged by the version in force on the
row's reference day: for an item with ``reference: trigger``, the day its duty arises (the end
of its period, the day of the event its deadline counts from, else the day of its fallback
rule); otherwise the start of its period for periodic items, or the item's ``reference`` day of
the school year (the catalogue's ``reference_default``, 30/6 of the school year's last year,
when the item has none). A version with ``budget_years_from: N`` (a transitional rule) judges
every row of budget year N or later whatever its day. A version with ``judged: false`` (an
older law the data does not detail) leaves its rows "not judged", with its ``reason``.
Everything legal is data; this module only computes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from portal_core.dates import within

from .deadlines import Calendar, nominal_due

# Confidence tags of a legal basis (catalogue.yml ``confidence_levels`` may redefine them).
# ``verified: false`` rows are flagged as judged on an unverified basis.
DEFAULT_LEVELS = {
    "READ": {"label": "đã đọc văn bản", "verified": True},
    "SECONDARY": {"label": "đọc qua nguồn thứ cấp", "verified": True},
    "RECALL": {"label": "theo hiểu biết, chưa đối chiếu văn bản", "verified": False},
    "INFER": {"label": "suy luận từ các căn cứ khác", "verified": True},
    "UNVERIFIED": {"label": "nguồn thứ cấp chưa kiểm chứng", "verified": False},
}
VERSIONED = ("basis", "deadline", "fallback", "description", "judged", "reason", "law", "plain",
             "on_change", "name", "periods")
TRIGGER = "trigger"  # reference: the day the duty arises
DEFAULT_REFERENCE = {"month": 6, "day": 30, "year": "end"}


@dataclasses.dataclass(frozen=True)
class Version:
    """One version of an item: its own fields merged over the item's."""

    item: dict  # the item's fields with this version's over them
    index: int  # position in the item's versions (0 when the item has none)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    budget_years_from: int | None = None  # a transitional rule: budget years it always judges

    @property
    def judged(self) -> bool:
        return self.item.get("judged", True) is not False

    def in_force(self, day: dt.date) -> bool:
        return within(day, self.valid_from, self.valid_to)


def levels(catalogue: dict) -> dict[str, dict]:
    found = {}
    for entry in (catalogue or {}).get("confidence_levels") or []:
        if isinstance(entry, dict) and entry.get("id"):
            found[str(entry["id"])] = {"label": str(entry.get("label", "")),
                                       "verified": bool(entry.get("verified", True))}
    return found or dict(DEFAULT_LEVELS)


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def confidence_tag(value) -> str:
    """"SECONDARY (một phần), RECALL (phần còn lại)" → "SECONDARY": the first word."""
    return str(value or "").replace(",", " ").split()[0] if str(value or "").strip() else ""


def versions_of(item: dict) -> list[Version]:
    """The item's versions in date order (one open version when it lists none).

    Raises ValueError on a malformed date (validate() reports it as a problem first)."""
    raw = item.get("versions")
    if not raw:
        return [Version(dict(item), 0, _date(item.get("valid_from")), _date(item.get("valid_to")))]
    found = []
    for index, entry in enumerate(raw):
        entry = entry if isinstance(entry, dict) else {}
        merged = {k: v for k, v in item.items() if k != "versions"}
        merged.update({k: v for k, v in entry.items() if k in VERSIONED})
        years = entry.get("budget_years_from")
        found.append(Version(merged, index, _date(entry.get("valid_from")),
                             _date(entry.get("valid_to")),
                             int(years) if isinstance(years, int) else None))
    return sorted(found, key=lambda v: v.valid_from or dt.date.min)


def reference_day(item: dict, start_year: int, period=None, default: dict | None = None,
                  events: dict | None = None, calendar=None) -> dt.date:
    """The day whose law judges a row: the day its duty arises (``reference: trigger``), else
    its period's start, else the item's reference day."""
    if item.get("reference") == TRIGGER:
        return trigger_day(item, start_year, period, events, calendar, default)
    if period is not None:
        return period.start
    ref = item.get("reference") or default or DEFAULT_REFERENCE
    year = start_year + (1 if ref.get("year", "end") == "end" else 0)
    return dt.date(year, int(ref.get("month", 6)), int(ref.get("day", 30)))


def trigger_day(item: dict, start_year: int, period=None, events: dict | None = None,
                calendar=None, default: dict | None = None) -> dt.date:
    """The day a row's duty arises: the end of its period; else the earliest known day of an
    event its deadline rules count from (in any version: the events are the same facts); else
    the day its fallback rule gives (an estimate); else the school year's reference day."""
    if period is not None:
        return period.end
    rules = list(item.get("deadline") or [])
    for version in versions_of(item):
        rules += [r for r in version.item.get("deadline") or [] if r not in rules]
    known = [(events or {}).get(r.get("event")) for r in rules
             if isinstance(r, dict) and r.get("event")]
    known = [d.date() if isinstance(d, dt.datetime) else d for d in known if d is not None]
    if known:
        return min(known)
    if item.get("fallback"):
        day = nominal_due(item["fallback"], start_year, events or {}, calendar or Calendar())
        if day is not None:
            return day
    return reference_day({k: v for k, v in item.items() if k != "reference"}, start_year,
                         None, default)


def budget_year(item: dict, start_year: int, period=None) -> int | None:
    """The budget (calendar) year of a row: its period's, else the item's ``budget_year``
    (start or end of the school year); None for items that are not about a budget year."""
    if period is not None:
        return period.end.year
    which = item.get("budget_year")
    if which in ("start", "end"):
        return start_year + (1 if which == "end" else 0)
    return None


def version_for(item: dict, day: dt.date, budget: int | None = None) -> Version | None:
    """The version in force on *day*; a transitional version (``budget_years_from``) takes the
    rows of its budget years first. None when no version covers the row."""
    chain = versions_of(item)
    if budget is not None:
        transitional = [v for v in chain if v.budget_years_from is not None
                        and budget >= v.budget_years_from]
        if transitional:
            return max(transitional, key=lambda v: v.budget_years_from)
    return next((v for v in chain if v.in_force(day)), None)


def validate(item: dict, where: str, known_levels) -> list[tuple[str, str, str, str]]:
    """(field, value, message, hint) for bad dates, overlaps, gaps and unknown confidence tags."""
    errors = []
    raw = item.get("versions")
    entries = raw if isinstance(raw, list) else ([] if raw is None else None)
    if entries is None:
        return [(f"{where}.versions", str(raw), "«versions» phải là một danh sách.",
                 "Ví dụ: versions: [{valid_to: 2025-12-31, basis: [...]}, {valid_from: "
                 "2026-01-01, basis: [...]}]")]
    for index, entry in enumerate(entries or [item]):
        field = f"{where}.versions[{index}]" if entries else where
        if not isinstance(entry, dict):
            errors.append((field, str(entry), "Mỗi phiên bản phải là một bảng khóa: giá trị.", ""))
            continue
        for key in ("valid_from", "valid_to"):
            try:
                _date(entry.get(key))
            except ValueError:
                errors.append((f"{field}.{key}", str(entry.get(key)), "Ngày không hợp lệ.",
                               "Dạng YYYY-MM-DD, ví dụ 2024-07-19."))
        for basis in entry.get("basis") or []:
            tag = confidence_tag(basis.get("confidence") if isinstance(basis, dict) else "")
            if tag not in known_levels:
                errors.append((f"{field}.basis", str(basis), "Mức tin cậy của căn cứ không "
                               "hợp lệ.", "Dùng một trong: " + ", ".join(known_levels)))
        if entries and entry.get("judged", True) is not False and not entry.get(
                "basis", item.get("basis")):
            errors.append((f"{field}.basis", "", "Phiên bản thiếu căn cứ pháp lý.", ""))
        years = entry.get("budget_years_from")
        if years is not None and (not isinstance(years, int) or isinstance(years, bool)):
            errors.append((f"{field}.budget_years_from", str(years), "Năm ngân sách phải là số "
                           "năm.", "Ví dụ: budget_years_from: 2025"))
        if entry.get("judged", True) is False and not entry.get("reason"):
            errors.append((f"{field}.reason", "", "Phiên bản «judged: false» phải nói lý do "
                           "không đánh giá (reason).", ""))
    if errors:
        return errors
    chain = versions_of(item)
    for version in chain:
        if version.valid_from and version.valid_to and version.valid_to < version.valid_from:
            errors.append((f"{where}.versions[{version.index}].valid_to",
                           str(version.valid_to), "Ngày hết hiệu lực trước ngày có hiệu lực.", ""))
    for before, after in zip(chain, chain[1:]):
        name = f"{where} ({item.get('id', '')})"
        if before.valid_to is None or (after.valid_from is not None
                                       and before.valid_to >= after.valid_from):
            errors.append((f"{name}.versions[{after.index}].valid_from", str(after.valid_from),
                           f"Hai phiên bản của mục {item.get('id', '')} chồng lên nhau: phiên bản "
                           f"{before.index + 1} còn hiệu lực đến "
                           f"{before.valid_to or 'không thời hạn'}.",
                           "Ghi valid_to của phiên bản trước là ngày liền trước valid_from của "
                           "phiên bản sau."))
        elif after.valid_from is None or (after.valid_from - before.valid_to).days > 1:
            errors.append((f"{name}.versions[{after.index}].valid_from", str(after.valid_from),
                           f"Khoảng trống giữa hai phiên bản của mục {item.get('id', '')}: từ "
                           f"{before.valid_to + dt.timedelta(days=1)} không có quy định nào.",
                           "Ghi valid_from của phiên bản sau là ngày liền sau valid_to của "
                           "phiên bản trước."))
    return errors


def expired(item: dict, today: dt.date) -> list[Version]:
    """Versions whose valid_to is past with no later version: the catalogue needs a successor."""
    chain = versions_of(item)
    last = chain[-1] if chain else None
    return [last] if last is not None and last.valid_to is not None and last.valid_to < today \
        else []


def basis_text(version: Version) -> str:
    """"TT 61/2017/TT-BTC Điều 6 khoản 1 [SECONDARY]; …" with each line's working note in
    brackets: for maintainers only (never published; the pages and the open data show the
    texts alone, ``basis_refs``)."""
    return "; ".join(f"{b['text']} [{b.get('confidence', '')}]"
                     + (f" ({b['note']})" if b.get("note") else "")
                     for b in version.item.get("basis") or [] if isinstance(b, dict))


def weakest(version: Version, known_levels: dict) -> str:
    """The confidence tag of the version's least verified basis ("" when none)."""
    tags = [confidence_tag(b.get("confidence")) for b in version.item.get("basis") or []
            if isinstance(b, dict)]
    unverified = [t for t in tags if not known_levels.get(t, {}).get("verified", True)]
    return (unverified or tags or [""])[0]


def is_unverified(version: Version, known_levels: dict) -> bool:
    return any(not known_levels.get(confidence_tag(b.get("confidence")), {}).get("verified", True)
               for b in version.item.get("basis") or [] if isinstance(b, dict))
