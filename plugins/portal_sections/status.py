"""Compliance status and document helpers: pure functions over plain values and dates."""

from __future__ import annotations

import datetime as dt

from portal_core.text import fold, slugify

OK, MISSING, OUTDATED, NOT_APPLICABLE = "ok", "missing", "outdated", "not_applicable"
STATUS_LABELS = {
    OK: "Có",
    MISSING: "Thiếu",
    OUTDATED: "Quá hạn cập nhật",
    NOT_APPLICABLE: "Không áp dụng",
}

VALIDITY = {"con-hieu-luc": "Còn hiệu lực", "het-hieu-luc": "Hết hiệu lực"}


def as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def last_deadline(today: dt.date, day: int, month: int) -> dt.date:
    """The latest day/month on or before *today* (29/2 falls back to 28/2 in common years)."""
    def on(year):
        try:
            return dt.date(year, month, day)
        except ValueError:
            return dt.date(year, month, day - 1)
    this_year = on(today.year)
    return this_year if this_year <= today else on(today.year - 1)


def is_outdated(update: dict, last_update, today: dt.date) -> bool:
    """Whether content last updated on *last_update* breaks the update rule on *today*.

    - ``max_age``: older than ``days`` days.
    - ``annual`` (``by: "30/6"``, read "trước ngày 30/6" like the disclosure catalogue: the
      day named is the first day too late): not updated in the year before the latest such
      day, i.e. before the same day one year earlier (an update on 30/6 counts for the next
      year's deadline).
    An unknown date (None) cannot be judged: not outdated.
    """
    last = as_date(last_update)
    rule = (update or {}).get("rule", "none")
    if last is None or rule == "none":
        return False
    if rule == "max_age":
        return (today - last).days > int(update["days"])
    if rule == "annual":
        day, month = (int(x) for x in str(update["by"]).split("/"))
        deadline = last_deadline(today, day, month)
        previous = last_deadline(deadline - dt.timedelta(days=1), day, month)
        return last < previous
    return False


def compute_status(applicable: bool, sources: list, last_update, update: dict,
                   today: dt.date, overdue: bool = False) -> str:
    """ok, missing, outdated or not_applicable for one catalogue item; *overdue*: the plugin
    that provides the section has contents past their deadline (outdated too)."""
    if not applicable:
        return NOT_APPLICABLE
    if not sources:
        return MISSING
    if overdue or is_outdated(update, last_update, today):
        return OUTDATED
    return OK


def summarize(statuses: list[str]) -> dict[str, int]:
    return {key: sum(1 for s in statuses if s == key) for key in STATUS_LABELS}


def parse_validity(value) -> str | None:
    """"Còn hiệu lực", "con hieu luc", "CON-HIEU-LUC" → "con-hieu-luc"; None if unknown."""
    if value is None:
        return None
    key = fold(str(value)).replace(" ", "-")
    return key if key in VALIDITY else None


def issuer_slug(issuer: str) -> str:
    return slugify(issuer)


def group_documents(documents: list[dict]) -> dict:
    """Group documents (dicts with ``issuer``, ``issued`` date) for the filter pages.

    Returns ``{"issuers": [(slug, name, docs)], "years": [(year, docs)]}``: issuers by name
    (names that differ only by case or tone marks are one issuer, first spelling wins),
    years newest first; documents inside each group newest first.
    """
    ordered = sort_documents(documents)
    issuers: dict[str, tuple[str, list]] = {}
    years: dict[int, list] = {}
    for doc in ordered:
        if doc.get("issuer"):
            slug = issuer_slug(doc["issuer"])
            issuers.setdefault(slug, (doc["issuer"], []))[1].append(doc)
        if doc.get("issued"):
            years.setdefault(doc["issued"].year, []).append(doc)
    return {
        "issuers": sorted(((slug, name, docs) for slug, (name, docs) in issuers.items()),
                          key=lambda item: fold(item[1])),
        "years": sorted(years.items(), reverse=True),
    }


def sort_documents(documents: list[dict]) -> list[dict]:
    """Newest first; undated documents last, by title."""
    dated = sorted((d for d in documents if d.get("issued")),
                   key=lambda d: (d["issued"], d.get("number") or ""), reverse=True)
    undated = sorted((d for d in documents if not d.get("issued")),
                     key=lambda d: fold(str(d.get("title", ""))))
    return dated + undated


def consultation_closed(deadline, today: dt.date) -> bool | None:
    """A consultation is closed once its deadline day has passed; None when no deadline."""
    day = as_date(deadline)
    return None if day is None else day < today


def order_items(items: list[dict], layout: str) -> list[dict]:
    if layout == "documents":
        return sort_documents(items)
    if layout == "consultations":  # open ones first (nearest deadline first), then closed
        return sorted(items, key=lambda i: (bool(i["closed"]),
                                            (i["deadline"].toordinal() if i["deadline"] else 0)
                                            * (-1 if i["closed"] else 1)))
    return sorted(items, key=lambda i: (i["order"] is None, str(i["order"] or ""),
                                        -(i["modified"].toordinal() if i["modified"] else 0),
                                        i["title"]))


def summary_text(rows) -> str:
    counts = summarize([r["status"] for r in rows])
    return ", ".join(f"{counts[k]} {STATUS_LABELS[k].lower()}" for k in STATUS_LABELS)
