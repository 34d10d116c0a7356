"""The disclosure index: every item × school year (× period) with its due date and status.

This is the one computation of the disclosure statuses: /cong-khai/ and its year pages, the
home page's deadlines, the open data (index.json, index.csv) and, through ``overdue`` and
``counts`` in the context, /tuan-thu/ all read it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from portal_core.dates import parse_iso, school_year_label, vn_date
from portal_core.public import basis_phrase, public_record
from portal_core.school_facts import is_dated

from . import versions as ver
from .catalogue import applicable, not_applicable_reason
from .deadlines import (LATE, NOT_APPLICABLE, NOT_JUDGED, ON_TIME, OVERDUE, PENDING, PUBLISHED,
                        STATUS_LABELS, Calendar, item_deadline, period_label,
                        periods_of_school_year, rollover_note, school_year_of, status)
from .home import row_anchor

STATUS_ORDER = (ON_TIME, LATE, PUBLISHED, PENDING, OVERDUE, NOT_JUDGED, NOT_APPLICABLE)
# The open data's columns (index.csv) and each record's keys (index.json), in this order. A
# public contract: the basis in plain words and its dates, never a confidence tag or a note.
FIELDS = ["item", "name", "category", "school_year", "period", "due", "due_estimated",
          "published", "status", "status_label", "url", "aliases", "legal_basis",
          "period_label", "due_rule_date", "basis_law", "basis_valid_from", "basis_valid_to",
          "basis_reference_day", "note", "change_date"]


def year_id(start: int) -> str:
    return f"{start}-{start + 1}"


def opening_day(start_year: int, opens: dict | None) -> dt.date | None:
    """The day school year *start_year* appears (catalogue ``next_year_opens``), or None."""
    if not isinstance(opens, dict):
        return None
    return dt.date(start_year, int(opens.get("month", 1)), int(opens.get("day", 1)))


def shown_years(today: dt.date, years_shown: int, document_years: set[int],
                opens: dict | None = None) -> tuple[list, list]:
    """(window, archive): start years shown in full (newest first) and older years kept.

    The window is the current school year and the years_shown − 1 before it, the next school
    year once its rows are open (*opens*: ``next_year_opens``, 1 January of its first year),
    plus any later year that already has documents; older years appear only if they have
    documents.
    """
    current = school_year_of(today)
    window = set(range(current - years_shown + 1, current + 1))
    opening = opening_day(current + 1, opens)
    if opening is not None and today >= opening:
        window.add(current + 1)
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
                rollover: dict | None = None, school_dated: dict | None = None) -> dict:
    """A plain structure for templates, open data and other plugins (no Pelican objects).

    Every year has its own page; the landing page details only the *detail_years* latest
    years up to the current one (page weight on cheap phones), and the next one once it is
    open, and summarises the others. *rollover* (deadlines.parse_rollover) moves deadlines that
    fall on a day off. *school_dated* (school.yml with its dated versions): a dated change of a
    fact an item publishes (its ``facts``) makes an update row of that item. ``calendar_years``
    lists every calendar year whose days off the statuses depend on.
    """
    years_shown = int(catalogue.get("years_shown") or 5)
    categories = [c for c in catalogue.get("categories") or [] if isinstance(c, dict)]
    category_names = {c["id"]: c["name"] for c in categories}
    window, archive = shown_years(today, years_shown, {d.start_year for d in documents},
                                  catalogue.get("next_year_opens"))
    current = school_year_of(today)
    docs_by_key: dict[tuple, list] = {}
    for doc in sorted(documents, key=lambda d: (d.published, d.url)):
        for item_id in doc.items:
            docs_by_key.setdefault((item_id, doc.start_year), []).append(doc)  # whole year
            docs_by_key.setdefault((item_id, doc.start_year, doc.period), []).append(doc)
            docs_by_key.setdefault((item_id,), []).append(doc)  # every year: updates

    years, needed = [], set()
    for start in window + archive:
        rows = _year_rows(catalogue, school, events.get(start) or {}, calendar, docs_by_key,
                          start, today, siteurl, category_names, rollover)
        rows += _change_rows(catalogue, school, school_dated, calendar, docs_by_key, start,
                             today, siteurl, category_names)
        order = {item["id"]: n for n, item in enumerate(catalogue.get("items") or [])
                 if isinstance(item, dict)}
        rows.sort(key=lambda r: (order.get(r["item"], 0), r["change_date"] or "",
                                 r["period_end"] or ""))
        needed |= {start, start + 1} | calendar_years_of(rows)
        counts = {code: sum(1 for r in rows if r["status"] == code) for code in STATUS_ORDER}
        archived = start in archive
        years.append({
            "id": year_id(start), "label": school_year_label(year_id(start)),
            "url": f"{folder}/{year_id(start)}/", "archived": archived,
            "current": start == current, "future": start > current,
            "counts": counts, "rows": rows,
            "not_judged_notes": list(dict.fromkeys(r["note"] for r in rows
                                                   if r["status"] == NOT_JUDGED and r["note"])),
            "detailed": not archived and (current - detail_years < start <= current
                                          or start > current),
            "categories": [category_group(c, [r for r in rows if r["category"] == c["id"]])
                           for c in categories if any(r["category"] == c["id"] for r in rows)],
        })
    shown = [y for y in years if not y["archived"]]
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
        "bases": bases_used(years),
        "facts": raw_facts(catalogue, school, events, documents, siteurl, school_dated),
        # The shown years (not the archive) together: what /tuan-thu/ and the home page count.
        "counts": {code: sum(y["counts"][code] for y in shown) for code in STATUS_ORDER},
        "overdue": [overdue_entry(row, year) for year in shown for row in year["rows"]
                    if row["status"] == OVERDUE],
    }


def raw_facts(catalogue: dict, school: dict, events: dict, documents: list,
              siteurl: str = "", school_dated: dict | None = None) -> dict:
    """The raw facts every status is computed from, for readers that recompute them (the
    Sở's dashboard never trusts a school's ``status``): the school facts the catalogue's
    ``applies_if`` reads, the event dates per school year, every published document (all
    years, not only the rows' window) with its items, school year, period, publication and
    change dates, and the start dates of the dated versions of the facts items publish
    (``fact_versions``: a change of those makes update rows; null = a version open at the
    start). Plain JSON values; open-data field names (a public contract)."""
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
        "fact_versions": fact_versions(catalogue, school_dated),
    }


def fact_versions(catalogue: dict, school_dated: dict | None) -> dict[str, list]:
    """{fact: [start of each dated version, null for one open at the start]} for the facts
    the catalogue's items publish; what fact_changes() reads, without the values."""
    keys = {str(k) for item in catalogue.get("items") or [] if isinstance(item, dict)
            for k in (item.get("facts") or {})}
    found = {}
    for key in sorted(keys):
        value = (school_dated or {}).get(key)
        if is_dated(value):
            found[key] = [str(v["from"])[:10] if v.get("from") else None for v in value]
    return found


def dated_from_versions(versions: dict) -> dict:
    """school.yml's dated facts as fact_changes() needs them, from ``fact_versions``."""
    return {key: [{"value": "", **({"from": start} if start else {})} for start in starts]
            for key, starts in (versions or {}).items() if isinstance(starts, list)}


def overdue_entry(row: dict, year: dict) -> dict:
    """An overdue row as other plugins read it (portal_sections' /tuan-thu/): plain values."""
    return {"item": row["item"], "name": row["name"], "category": row["category"],
            "school_year": row["school_year"], "school_year_label": year["label"],
            "period": row["period"], "period_label": row["period_label"],
            "change_date": row["change_date"], "due": row["due"],
            "due_display": row["due_display"],
            "url": f"{year['url']}#{row_anchor(row['item'], row['school_year'])}"}


def category_group(category: dict, rows: list[dict]) -> dict:
    """One category of a year's table, with the laws its rows were judged by (in plain words
    with their dates), numbered: a row carries its number (``basis_mark``) when the category
    has more than one (the pages show the basis compactly: once per group, with a footnote
    number per row)."""
    bases: list[dict] = []
    for row in rows:
        if row["status"] in (NOT_APPLICABLE, NOT_JUDGED) or not row["basis_law"]:
            row["basis_mark"] = None  # "Căn cứ đánh giá" names only the laws rows were judged by
            continue
        found = next((b for b in bases if b["label"] == row["basis_label"]), None)
        if found is None:
            found = {"n": len(bases) + 1, "law": row["basis_law"], "label": row["basis_label"]}
            bases.append(found)
        row["basis_mark"] = found["n"]
    if len(bases) < 2:
        for row in rows:
            row["basis_mark"] = None
    return {"id": category["id"], "name": category["name"], "rows": rows, "bases": bases}


def bases_used(years: list[dict]) -> list[dict]:
    """The laws rows were judged by, with the dates they apply, oldest first (undated last)."""
    found: dict[str, dict] = {}
    for year in years:
        for row in year["rows"]:
            if row["basis_law"] and row["status"] not in (NOT_JUDGED, NOT_APPLICABLE):
                found.setdefault(row["basis_label"], {
                    "law": row["basis_law"], "label": row["basis_label"],
                    "valid_from": row["basis_valid_from"], "valid_to": row["basis_valid_to"]})
    return sorted(found.values(), key=lambda b: (b["valid_from"] is None, b["valid_from"] or "",
                                                 b["law"]))


def calendar_years_of(rows: list[dict]) -> set[int]:
    """The years of every due date, rule date, change date and change due date of *rows*."""
    found = set()
    for row in rows:
        days = [row["due"], row["due_rule_date"], row["change_date"]]
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


def row_plans(base: dict, start: int, events: dict, calendar: Calendar, catalogue: dict,
              is_applicable: bool = True) -> list[tuple]:
    """(period, version, reference day) of each row of an item in a school year.

    A periodic item has the periods of the version in force for each of them: each version
    lists the periods of its own kind (quarters under TT 61/2017, 3, 6 and 9 months under TT
    26/2026) and keeps those it judges; a period no version covers stays, "not judged"."""
    default = catalogue.get("reference_default")
    chain = ver.versions_of(base)
    units = [v.item.get("periods") for v in chain]
    if not any(units) or not is_applicable:
        reference = ver.reference_day(base, start, None, default, events, calendar)
        return [(None, ver.version_for(base, reference, ver.budget_year(base, start)),
                 reference)]
    plans: dict[str, tuple] = {}
    for position, version in enumerate(chain):
        unit = version.item.get("periods")
        if not unit:
            continue
        for period in periods_of_school_year(unit, start, base.get("weeks_from", "09-05"),
                                             base.get("weeks_to", "05-31")):
            reference = ver.reference_day(base, start, period, default, events, calendar)
            chosen = ver.version_for(base, reference, ver.budget_year(base, start, period))
            if (chosen is not None and chosen.index == version.index) or (
                    chosen is None and position == 0):
                plans.setdefault(period.id, (period, chosen, reference))
    return sorted(plans.values(), key=lambda plan: (plan[0].end, plan[0].start))


def _year_rows(catalogue, school, events, calendar, docs_by_key, start, today, siteurl,
               category_names, rollover=None) -> list[dict]:
    rows = []
    for base in catalogue.get("items") or []:
        is_applicable = applicable(base, school)
        for period, version, reference in row_plans(base, start, events, calendar, catalogue,
                                                    is_applicable):
            key = (base["id"], start, period.id) if period else (base["id"], start)
            docs = docs_by_key.get(key) or []
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
            row.update(basis_fields(version, item, catalogue, reference))
            rows.append(row)
    return rows


def fact_changes(school_dated: dict | None, facts: dict) -> dict[dt.date, list[str]]:
    """The days a fact of *facts* ({key: label}) changed in school.yml (the ``from`` of each
    dated version but the earliest), each with the labels of the facts that changed."""
    found: dict[dt.date, list[str]] = {}
    for key, label in (facts or {}).items():
        value = (school_dated or {}).get(key)
        if not is_dated(value):
            continue
        starts = []
        for version in value:
            try:
                starts.append(parse_iso(version["from"]).date() if version.get("from")
                              else None)
            except (ValueError, TypeError):
                starts = []  # a malformed date: portal_core reports it
                break
        dated = sorted(d for d in starts if d is not None)
        earliest_open = None in starts
        for day in dated[0 if earliest_open else 1:]:
            found.setdefault(day, [])
            if str(label) not in found[day]:
                found[day].append(str(label))
    return dict(sorted(found.items()))


def _change_rows(catalogue, school, school_dated, calendar, docs_by_key, start, today, siteurl,
                 category_names) -> list[dict]:
    """Update rows: a dated change of a school fact an item publishes, in the school year of
    the change, due N working days later (the ``on_change`` of the version in force that day).
    Credited by the item's first document published on or after the change (any year)."""
    rows = []
    for base in catalogue.get("items") or []:
        if not isinstance(base, dict) or not base.get("facts") or not applicable(base, school):
            continue
        for day, labels in fact_changes(school_dated, base["facts"]).items():
            if school_year_of(day) != start:
                continue
            version = ver.version_for(base, day)
            if version is None or not version.judged or not version.item.get("on_change"):
                continue  # the law in force that day asked for no update
            item = version.item
            due = calendar.add_working_days(day, int(item["on_change"]["working_days"]))
            docs = [d for d in docs_by_key.get((base["id"],)) or [] if d.published >= day]
            published = docs[0].published if docs else None
            code = status(due, published, today)
            row = _row(item, start, None, due, False, published, code, "", docs[:1], siteurl,
                       category_names, calendar, item.get("retention")
                       or catalogue.get("retention_default") or {})
            row.update(change_date=day.isoformat(), change_facts=labels,
                       period_label=f"Cập nhật do thay đổi ngày {day:%d/%m/%Y}: "
                                    + ", ".join(labels))
            row.update(basis_fields(version, item, catalogue, day))
            rows.append(row)
    return rows


def basis_fields(version, item, catalogue, reference) -> dict:
    """The law a row was judged by, in plain words with its dates (what readers see)."""
    if version is None:
        return {"basis_law": "", "basis_label": "", "basis_valid_from": None,
                "basis_valid_to": None, "basis_reference_day": reference.isoformat(),
                "legal_basis": "", "basis_refs": ""}
    law = str(item.get("law") or catalogue.get("law") or "")
    refs = "; ".join(str(b.get("text", "")) for b in item.get("basis") or []
                     if isinstance(b, dict))
    return {
        "basis_law": law, "basis_label": basis_phrase(law, version.valid_from, version.valid_to),
        "basis_valid_from": _iso(version.valid_from), "basis_valid_to": _iso(version.valid_to),
        "basis_reference_day": reference.isoformat(),
        "legal_basis": refs, "basis_refs": refs,
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
        "school_year": year_id(start),
        "period": period.id if period else None,
        "period_label": period_label(period.id) if period else "",
        "period_end": _iso(period.end) if period else None,
        "change_date": None, "change_facts": [],
        "due": _iso(due), "due_display": _display(due), "due_estimated": bool(estimated),
        "due_rule_date": _iso(deadline.nominal) if rolled else None,
        "due_note": rollover_note(deadline, calendar) if rolled else "",
        "published": _iso(published), "published_display": _display(published),
        "status": code, "status_label": STATUS_LABELS[code], "late_days": late_days,
        "note": note,
        "retention": public_record(retention),
        "url": (siteurl + "/" + docs[0].url) if docs else None,
        "documents": documents,
    }


# ---------------------------------------------------------------------------- open data

def open_data_rows(index: dict) -> list[dict]:
    """One flat record per item × school year (× period, × change), in FIELDS order."""
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
                "basis_law": row["basis_law"], "basis_valid_from": row["basis_valid_from"],
                "basis_valid_to": row["basis_valid_to"],
                "basis_reference_day": row["basis_reference_day"], "note": row["note"] or None,
                "change_date": row["change_date"],
            })
    return records


def to_json(index: dict) -> str:
    payload = {
        "school": index["school"], "today": index["today"],
        "statuses": {code: index["status_labels"][code] for code in index["status_order"]},
        "counts": index.get("counts") or {},
        "bases": [{k: b[k] for k in ("law", "valid_from", "valid_to")}
                  for b in index.get("bases") or []],
        "fields": FIELDS, "rows": open_data_rows(index),
    }
    if index.get("facts") is not None:
        payload["facts"] = index["facts"]
    return json.dumps(public_record(payload), ensure_ascii=False, indent=1) + "\n"


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
