"""The disclosure index: every item × school year (× period) with its due date and status."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from portal_core.dates import school_year_label, vn_date

from . import versions as ver
from .catalogue import applicable, not_applicable_reason
from .deadlines import (LATE, NOT_APPLICABLE, NOT_JUDGED, ON_TIME, OVERDUE, PENDING,
                        STATUS_LABELS, Calendar, item_deadline, period_label,
                        periods_of_school_year, rollover_note, school_year_of, status)

STATUS_ORDER = (ON_TIME, LATE, PENDING, OVERDUE, NOT_JUDGED, NOT_APPLICABLE)
FIELDS = ["item", "name", "category", "school_year", "period", "due", "due_estimated",
          "published", "status", "status_label", "url", "aliases", "legal_basis",
          "period_label", "due_rule_date", "basis_law", "basis_confidence", "basis_unverified",
          "basis_valid_from", "basis_valid_to", "basis_reference_day", "note"]


def year_id(start: int) -> str:
    return f"{start}-{start + 1}"


def shown_years(today: dt.date, years_shown: int, document_years: set[int]) -> tuple[list, list]:
    """(window, archive): start years shown in full (newest first) and older years kept.

    The window is the current school year and the years_shown − 1 before it, plus any later
    year that already has documents; older years appear only if they have documents.
    """
    current = school_year_of(today)
    window = set(range(current - years_shown + 1, current + 1))
    window |= {y for y in document_years if y > current}
    archive = {y for y in document_years if y < min(window)}
    return sorted(window, reverse=True), sorted(archive, reverse=True)


def _iso(day):
    return day.isoformat() if day else None


def _display(day):
    return vn_date(day, False) if day else ""


def build_index(catalogue: dict, school: dict, events: dict, calendar: Calendar,
                documents: list, today: dt.date, siteurl: str = "",
                folder: str = "cong-khai", detail_years: int = 2,
                rollover: dict | None = None) -> dict:
    """A plain structure for templates, open data and other plugins (no Pelican objects).

    Every year has its own page; the landing page details only the *detail_years* latest
    years up to the current one (page weight on cheap phones) and summarises the others.
    *rollover* (deadlines.parse_rollover) moves deadlines that fall on a day off.
    ``calendar_years`` lists every calendar year whose days off the statuses depend on.
    """
    years_shown = int(catalogue.get("years_shown") or 5)
    categories = [c for c in catalogue.get("categories") or [] if isinstance(c, dict)]
    category_names = {c["id"]: c["name"] for c in categories}
    window, archive = shown_years(today, years_shown, {d.start_year for d in documents})
    docs_by_key: dict[tuple, list] = {}
    for doc in sorted(documents, key=lambda d: (d.published, d.url)):
        for item_id in doc.items:
            docs_by_key.setdefault((item_id, doc.start_year), []).append(doc)  # whole year
            docs_by_key.setdefault((item_id, doc.start_year, doc.period), []).append(doc)

    years, needed = [], set()
    for start in window + archive:
        rows = _year_rows(catalogue, school, events.get(start) or {}, calendar, docs_by_key,
                          start, today, siteurl, category_names, rollover)
        needed |= {start, start + 1} | calendar_years_of(rows)
        counts = {code: sum(1 for r in rows if r["status"] == code) for code in STATUS_ORDER}
        years.append({
            "id": year_id(start), "label": school_year_label(year_id(start)),
            "url": f"{folder}/{year_id(start)}/", "archived": start in archive,
            "current": start == school_year_of(today), "counts": counts, "rows": rows,
            "not_judged_notes": list(dict.fromkeys(r["note"] for r in rows
                                                   if r["status"] == NOT_JUDGED and r["note"])),
            "detailed": school_year_of(today) - detail_years < start <= school_year_of(today),
            "categories": [category_group(c, [r for r in rows if r["category"] == c["id"]])
                           for c in categories if any(r["category"] == c["id"] for r in rows)],
        })
    return {
        "url": f"{folder}/", "json_url": f"{folder}/index.json", "csv_url": f"{folder}/index.csv",
        "today": today.isoformat(), "today_display": _display(today),
        "school": (school or {}).get("name", ""),
        "years": years, "window": [year_id(y) for y in window],
        "archive": [year_id(y) for y in archive],
        "status_labels": dict(STATUS_LABELS), "status_order": list(STATUS_ORDER),
        "categories": [{"id": c["id"], "name": c["name"]} for c in categories],
        "aliases": aliases(catalogue),
        "calendar_years": sorted(needed),
        "confidence_levels": ver.levels(catalogue),
        "bases": bases_used(years),
        "facts": raw_facts(catalogue, school, events, documents, siteurl),
    }


def raw_facts(catalogue: dict, school: dict, events: dict, documents: list,
              siteurl: str = "") -> dict:
    """The raw facts every status is computed from, for readers that recompute them (the
    Sở's dashboard never trusts a school's ``status``): the school facts the catalogue's
    ``applies_if`` reads, the event dates per school year, and every published document
    (all years, not only the rows' window) with its items, school year, period, publication
    and change dates. Plain JSON values; open-data field names (a public contract)."""
    keys = {str(k) for item in catalogue.get("items") or [] if isinstance(item, dict)
            for k in (item.get("applies_if") or {})} | {"level", "covers"}  # levels: what
    facts = {key: (school or {}).get(key) for key in sorted(keys)}  # an item applies to

    def plain(value):
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        return value if isinstance(value, (str, int, float, bool)) or value is None \
            else str(value)

    return {
        "school": {k: plain(v) for k, v in facts.items()},
        "events": {year_id(start): {name: day.isoformat() for name, day in sorted(days.items())}
                   for start, days in sorted((events or {}).items()) if days},
        "documents": [{
            "url": siteurl + "/" + doc.url, "title": doc.title, "items": list(doc.items),
            "school_year": doc.school_year, "period": doc.period,
            "published": doc.published.isoformat(),
            "change_date": doc.change_date.isoformat() if doc.change_date else None,
        } for doc in sorted(documents, key=lambda d: (d.published, d.url))],
    }


def category_group(category: dict, rows: list[dict]) -> dict:
    """One category of a year's table, with the laws its rows were judged by, numbered: a
    row carries its number (``basis_mark``) when the category has more than one (the pages show
    the basis compactly: once per group, with a footnote number per row)."""
    bases: list[dict] = []
    for row in rows:
        if row["status"] == NOT_APPLICABLE or not row["basis_law"]:
            row["basis_mark"] = None
            continue
        key = (row["basis_law"], row["basis_unverified"])
        found = next((b for b in bases if (b["law"], b["unverified"]) == key), None)
        if found is None:
            found = {"n": len(bases) + 1, "law": key[0], "unverified": key[1]}
            bases.append(found)
        row["basis_mark"] = found["n"]
    if len(bases) < 2:
        for row in rows:
            row["basis_mark"] = None
    return {"id": category["id"], "name": category["name"], "rows": rows, "bases": bases}


def bases_used(years: list[dict]) -> list[dict]:
    """The laws rows were judged by, in order of first use, with whether any row is flagged."""
    found: dict[str, dict] = {}
    for year in years:
        for row in year["rows"]:
            if row["basis_law"] and row["status"] not in (NOT_JUDGED, NOT_APPLICABLE):
                entry = found.setdefault(row["basis_law"], {"law": row["basis_law"],
                                                            "unverified": False})
                entry["unverified"] |= row["basis_unverified"]
    return list(found.values())


def calendar_years_of(rows: list[dict]) -> set[int]:
    """The years of every due date, rule date, change date and change due date of *rows*."""
    found = set()
    for row in rows:
        days = [row["due"], row["due_rule_date"]]
        for entry in row["documents"]:
            days += [entry.get("change_date"), entry.get("change_due")]
        found |= {int(day[:4]) for day in days if day}
    return found


def aliases(catalogue: dict) -> list[tuple[str, list[str]]]:
    """Old names (Biểu mẫu 09, Ba công khai …) with the items they now correspond to."""
    found: dict[str, list[str]] = {}
    for item in catalogue.get("items") or []:
        for alias in item.get("aliases") or []:
            found.setdefault(alias, []).append(item["id"])
    return sorted(found.items(), key=lambda pair: (not pair[0].startswith("Biểu mẫu"), pair[0]))


def _year_rows(catalogue, school, events, calendar, docs_by_key, start, today, siteurl,
               category_names, rollover=None) -> list[dict]:
    rows = []
    known_levels = ver.levels(catalogue)
    for base in catalogue.get("items") or []:
        is_applicable = applicable(base, school)
        item = base
        unit = item.get("periods")
        if unit and is_applicable:
            periods = periods_of_school_year(unit, start, item.get("weeks_from", "09-05"),
                                             item.get("weeks_to", "05-31"))
        else:
            periods = [None]
        for period in periods:
            key = (base["id"], start, period.id) if period else (base["id"], start)
            docs = docs_by_key.get(key) or []
            reference = ver.reference_day(base, start, period, catalogue.get("reference_default"))
            version = ver.version_for(base, reference)
            item = version.item if version else base
            deadline = item_deadline(item, start, events, calendar, period, rollover)
            due, estimated = deadline.due, deadline.estimated
            published = docs[0].published if docs else None
            code = status(due, published, today, is_applicable)
            note = ""
            if is_applicable and (version is None or not version.judged):
                code, due, deadline = NOT_JUDGED, None, None
                note = (version.item.get("reason") if version else
                        f"Không có quy định nào trong danh mục có hiệu lực vào ngày "
                        f"{reference:%d/%m/%Y} cho mục này.")
            elif not is_applicable:
                note = not_applicable_reason(item)
            elif item.get("optional") and not docs:
                code, note = NOT_APPLICABLE, "Không bắt buộc công khai trên cổng."
                due, deadline = None, None
            elif estimated:
                note = ("Hạn ước tính theo lịch thông thường; nhà trường sẽ cập nhật khi có "
                        "ngày chính thức.")
            row = _row(item, start, period, due, estimated, published, code, note, docs,
                       siteurl, category_names, calendar,
                       item.get("retention") or catalogue.get("retention_default") or {},
                       deadline)
            row.update(basis_fields(version, item, catalogue, known_levels, reference))
            rows.append(row)
    return rows


def basis_fields(version, item, catalogue, known_levels, reference) -> dict:
    """The law a row was judged by: its name, confidence, dates, and the unverified flag."""
    if version is None:
        return {"basis_law": "", "basis_confidence": "", "basis_unverified": False,
                "basis_valid_from": None, "basis_valid_to": None,
                "basis_reference_day": reference.isoformat(), "legal_basis": "",
                "basis_refs": ""}
    return {
        "basis_law": str(item.get("law") or catalogue.get("law") or ""),
        "basis_confidence": ver.weakest(version, known_levels),
        "basis_unverified": ver.is_unverified(version, known_levels) and version.judged,
        "basis_valid_from": _iso(version.valid_from), "basis_valid_to": _iso(version.valid_to),
        "basis_reference_day": reference.isoformat(),
        "legal_basis": ver.basis_text(version),
        "basis_refs": "; ".join(str(b.get("text", "")) for b in item.get("basis") or []
                                if isinstance(b, dict)),
    }


def _row(item, start, period, due, estimated, published, code, note, docs, siteurl,
         category_names, calendar, retention, deadline=None) -> dict:
    rolled = deadline is not None and deadline.rolled
    late_days = (published - due).days if code == LATE else None
    documents = []
    for doc in docs:
        entry = {"title": doc.title, "url": doc.url, "published": doc.published.isoformat(),
                 "published_display": _display(doc.published), "is_update": False,
                 "attachments": [{"name": a.name, "url": a.url, "label": a.label}
                                 for a in doc.attachments]}
        if doc.change_date and item.get("on_change"):
            change_due = calendar.add_working_days(doc.change_date,
                                                   int(item["on_change"]["working_days"]))
            entry.update(is_update=True, change_date=doc.change_date.isoformat(),
                         change_date_display=_display(doc.change_date),
                         change_due=change_due.isoformat(), change_due_display=_display(change_due),
                         change_status=LATE if doc.published > change_due else ON_TIME)
        documents.append(entry)
    return {
        "item": item["id"], "name": item["name"], "description": item.get("description", ""),
        "category": item["category"], "category_name": category_names.get(item["category"], ""),
        "aliases": list(item.get("aliases") or []),
        "legal_basis": "; ".join(f"{b['text']} [{b.get('confidence', '')}]"
                                 for b in item.get("basis") or []),
        "school_year": year_id(start),
        "period": period.id if period else None,
        "period_label": period_label(period.id) if period else "",
        "due": _iso(due), "due_display": _display(due), "due_estimated": bool(estimated),
        "due_rule_date": _iso(deadline.nominal) if rolled else None,
        "due_note": rollover_note(deadline, calendar) if rolled else "",
        "published": _iso(published), "published_display": _display(published),
        "status": code, "status_label": STATUS_LABELS[code], "late_days": late_days,
        "note": note,
        "retention": retention,
        "url": (siteurl + "/" + docs[0].url) if docs else None,
        "documents": documents,
    }


# ---------------------------------------------------------------------------- open data

def open_data_rows(index: dict) -> list[dict]:
    """One flat record per item × school year (× period), in FIELDS order."""
    records = []
    for year in index["years"]:
        for row in year["rows"]:
            records.append({
                "item": row["item"], "name": row["name"], "category": row["category_name"],
                "school_year": row["school_year"], "period": row["period"], "due": row["due"],
                "due_estimated": row["due_estimated"], "published": row["published"],
                "status": row["status"], "status_label": row["status_label"], "url": row["url"],
                "aliases": row["aliases"], "legal_basis": row["legal_basis"],
                "period_label": row["period_label"] or None, "due_rule_date": row["due_rule_date"],
                **{key: row[key] for key in FIELDS[15:21]}, "note": row["note"] or None,
            })
    return records


def to_json(index: dict) -> str:
    payload = {
        "school": index["school"], "today": index["today"],
        "statuses": {code: index["status_labels"][code] for code in index["status_order"]},
        "confidence_levels": index.get("confidence_levels") or {},
        "bases": index.get("bases") or [],
        "fields": FIELDS, "rows": open_data_rows(index),
    }
    if index.get("facts") is not None:
        payload["facts"] = index["facts"]
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def to_csv(index: dict) -> str:
    """CSV text (the caller writes it with a UTF-8 BOM so spreadsheet programs read it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for record in open_data_rows(index):
        values = []
        for field in FIELDS:
            value = record[field]
            if isinstance(value, bool):
                value = "true" if value else "false"
            elif isinstance(value, list):
                value = "; ".join(value)
            values.append("" if value is None else value)
        writer.writerow(values)
    return out.getvalue()
