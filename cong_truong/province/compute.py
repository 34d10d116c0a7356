"""One school's figures on the dashboard's date, from its harvested copy.

Every status is recomputed here with the package's own law catalogues and functions, as of the
dashboard's date; a school's own ``status`` fields are never read for a figure (only to say
where its claim differs). Disclosure: portal_disclosure's ``build_index`` on the raw facts
(documents, event dates, applies_if facts). TT 37 structure: portal_sections' status rules on
each item's sources, last update and update rule. Incidents and feedback: their dates against
the rules. Nothing from a school is trusted as markup: values stay plain text for the templates
(autoescaped) and CSV/JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
from urllib.parse import urljoin, urlsplit

import yaml

import portal_disclosure
import portal_sections.status as sections_status
from portal_core.dates import parse_school_year, within
from portal_disclosure.catalogue import normalize_item_id
from portal_disclosure.deadlines import OVERDUE, STATUS_LABELS, parse_calendar, parse_rollover
from portal_disclosure.documents import Document
from portal_disclosure.index import build_index
from portal_opendata import scoring

from .harvest import MANIFEST, Result
from .registry import LEVELS, School, has_markup

DISCLOSURE_DIR = os.path.dirname(os.path.abspath(portal_disclosure.__file__))
CLAIMS = {"on_time": "đã công khai đúng hạn", "late": "công khai muộn", "pending": "chưa đến hạn",
          "overdue": "quá hạn", "not_applicable": "không áp dụng", "not_judged": "không đánh giá"}


@functools.lru_cache(maxsize=None)
def disclosure_law() -> tuple[dict, object, dict]:
    """The package's disclosure catalogue, calendar of days off and rollover rules (read once;
    the same files the school's build reads)."""
    with open(os.path.join(DISCLOSURE_DIR, "catalogue.yml"), encoding="utf-8") as handle:
        catalogue = yaml.safe_load(handle)
    with open(os.path.join(DISCLOSURE_DIR, "holidays.yml"), encoding="utf-8") as handle:
        calendar, _ = parse_calendar(yaml.safe_load(handle))
    rollover, _ = parse_rollover(catalogue.get("deadline_rollover"))
    return catalogue, calendar, rollover


def safe_link(base: str, value) -> str | None:
    """An http(s) address from a school's data, resolved against its portal; None otherwise
    (never a javascript: or data: link in the dashboard)."""
    if not value or not isinstance(value, str) or not base:
        return None
    url = urljoin(base, value.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


def _date(value) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def recompute_disclosure(data: dict, today: dt.date, level: str | None = None
                         ) -> tuple[list[dict], list[str]]:
    """Every row (item × school year × period) of the school's window as of *today*,
    recomputed from ``facts``; and the problems met in the facts (skipped documents).
    *level*: the school's level from the Sở's registry, which wins over the school's own."""
    catalogue, calendar, rollover = disclosure_law()
    known = {item["id"] for item in catalogue.get("items") or []}
    facts = data.get("facts") or {}
    school = dict(facts.get("school") or {})
    if level:
        school["level"] = level
    problems = []
    events = {}
    for year, days in (facts.get("events") or {}).items():
        try:
            start, _ = parse_school_year(year)
            events[start] = {str(k): _date(v) for k, v in (days or {}).items()}
        except ValueError:
            problems.append(f"Mốc thời gian của năm học «{year}» không hợp lệ: bỏ qua.")
    documents = []
    for number, doc in enumerate(facts.get("documents") or []):
        try:
            start, _ = parse_school_year(doc["school_year"])
            items = [i for i in (normalize_item_id(x) for x in doc["items"]) if i in known]
            if not items:
                continue
            documents.append(Document(
                source="", title=str(doc.get("title", "")), url=str(doc.get("url", "")),
                items=items, start_year=start, period=doc.get("period") or None,
                published=_date(doc["published"]),
                change_date=_date(doc["change_date"]) if doc.get("change_date") else None))
        except (KeyError, TypeError, ValueError):
            problems.append(f"Văn bản công khai thứ {number + 1} có ngày hoặc năm học không hợp "
                            "lệ: bỏ qua.")
    index = build_index(catalogue, school, events, calendar, documents, today,
                        rollover=rollover)
    rows = [row for year in index["years"] for row in year["rows"]]
    return rows, problems


def claim_differences(data: dict, rows: list[dict]) -> list[dict]:
    """Rows where the school's own ``status`` differs from the recomputed one."""
    recomputed = {(r["item"], r["school_year"], r["period"]): r for r in rows}
    found = []
    for claimed in data.get("rows") or []:
        key = (claimed.get("item"), claimed.get("school_year"), claimed.get("period"))
        row = recomputed.get(key)
        if row is None or claimed.get("status") == row["status"]:
            continue
        found.append({"item": row["item"], "name": row["name"], "school_year": row["school_year"],
                      "period": row["period"], "claimed": str(claimed.get("status")),
                      "status": row["status"]})
    return found


def recompute_sections(data: dict, today: dt.date) -> list[dict]:
    """The TT 37 items with their status as of *today* (portal_sections' rules)."""
    found = []
    for item in data.get("items") or []:
        valid = within(today, _date(item["valid_from"]) if item.get("valid_from") else None,
                       _date(item["valid_to"]) if item.get("valid_to") else None)
        applicable = item.get("status") != sections_status.NOT_APPLICABLE and valid
        last = _date(item["last_update"]) if item.get("last_update") else None
        try:
            code = sections_status.compute_status(applicable, item.get("sources") or [], last,
                                                  item.get("update_rule") or {}, today)
        except (KeyError, TypeError, ValueError):
            code = sections_status.compute_status(applicable, item.get("sources") or [], None,
                                                  {}, today)
        found.append({"id": str(item.get("id", "")), "title": str(item.get("title", "")),
                      "mandatory": bool(item.get("mandatory")), "status": code,
                      "status_label": sections_status.STATUS_LABELS[code],
                      "last_update": item.get("last_update"),
                      "claimed": item.get("status")})
    return found


def late_incidents(activity: dict, now: dt.datetime, hours: float) -> list[dict]:
    """Open incidents without official information after *hours*."""
    found = []
    for item in activity.get("incidents") or []:
        if item.get("first_info") or item.get("closed"):
            continue
        detected = dt.datetime.fromisoformat(item["detected"])
        spent = (now - detected).total_seconds() / 3600
        if spent > hours:
            found.append({"title": str(item.get("title", "")), "detected": item["detected"],
                          "hours": round(spent, 1)})
    return found


def overdue_feedback(activity: dict, today: dt.date, days: int) -> int:
    return sum(1 for f in activity.get("feedback") or []
               if not f.get("answered") and (today - _date(f["received"])).days > days)


@dataclasses.dataclass
class Context:
    today: dt.date
    year: int  # the report year
    sheet: dict | None
    first_info_hours: float | None = None  # the province's rule (None: the school's, else 24)
    feedback_days: int | None = None


def _load(folder: str, name: str):
    path = os.path.join(folder, name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8-sig") as handle:
        return json.load(handle)


def summarize(result: Result, ctx: Context) -> dict:
    """The plain record of one school for the dashboard (small: no raw rows kept)."""
    school: School = result.school
    record = {
        "code": school.code, "key": school.key, "name": school.name, "level": school.level,
        "level_label": school.level_label, "commune": school.commune or "(chưa rõ)",
        "commune_key": school.commune_key, "url": school.url or None,
        "harvest": result.status, "fetched_at": result.fetched_at,
        "faults": list(school.faults) + list(result.faults), "published_name": None,
        "portal_version": None, "has_data": False,
        "overdue_by_year": {}, "overdue_rows": [], "differences": [], "counts_by_year": {},
        "sections_missing": [], "sections_outdated": [], "incidents_late": [],
        "feedback_overdue": 0, "report": None, "score": None, "links": {},
    }
    folder = result.folder
    if not folder:
        return record
    try:
        _fill(record, folder, school, ctx)
    except (KeyError, TypeError, ValueError, OSError) as error:
        record["faults"].append(f"Dữ liệu đã lưu của trường không xử lý được "
                                f"({type(error).__name__}): bỏ qua phần số liệu.")
        record["has_data"] = False
    return record


def _fill(record: dict, folder: str, school: School, ctx: Context) -> None:
    meta = _load(folder, "meta.json") or {}
    manifest = _load(folder, MANIFEST) or {}
    base = meta.get("url") or school.url
    info = manifest.get("school") or {}
    record["published_name"] = str(info.get("name") or "") or None
    record["portal_version"] = str((manifest.get("portal") or {}).get("version") or "") or None
    if record["published_name"] and has_markup(record["published_name"]):
        record["faults"].append("Tên trường trong dữ liệu mở có thẻ HTML hoặc mã script: hiển "
                                "thị nguyên văn như chữ.")
    cong_khai = _load(folder, "cong-khai.json") or {}
    tuan_thu = _load(folder, "tuan-thu.json") or {}
    activity = _load(folder, "hoat-dong.json") or {}
    rows, problems = recompute_disclosure(
        cong_khai, ctx.today, school.level if school.level in LEVELS else None)
    record["faults"] += problems
    for row in rows:
        counts = record["counts_by_year"].setdefault(row["school_year"], {})
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    record["overdue_by_year"] = {year: counts.get(OVERDUE, 0)
                                 for year, counts in sorted(record["counts_by_year"].items())}
    record["overdue_rows"] = [{"item": r["item"], "name": r["name"],
                               "school_year": r["school_year"], "period": r["period"],
                               "period_label": r["period_label"], "due": r["due"]}
                              for r in rows if r["status"] == OVERDUE]
    record["differences"] = claim_differences(cong_khai, rows)
    sections = recompute_sections(tuan_thu, ctx.today)
    record["sections_missing"] = [{"id": s["id"], "title": s["title"]} for s in sections
                                  if s["status"] == sections_status.MISSING and s["mandatory"]]
    record["sections_outdated"] = [{"id": s["id"], "title": s["title"],
                                    "last_update": s["last_update"]} for s in sections
                                   if s["status"] == sections_status.OUTDATED]
    rules = activity.get("rules") or {}
    hours = float(ctx.first_info_hours or rules.get("first_info_hours") or 24)
    days = int(ctx.feedback_days or rules.get("feedback_days") or 10)
    now = dt.datetime.combine(ctx.today, dt.time(23, 59))
    record["incidents_late"] = late_incidents(activity, now, hours)
    record["feedback_overdue"] = overdue_feedback(activity, ctx.today, days)
    record["rules"] = {"first_info_hours": hours, "feedback_days": days}
    reports = meta.get("reports") or {}
    report = _load(folder, f"bao-cao-truyen-thong-{ctx.year}.json")
    if report is not None:
        record["report"] = report_part(report)
    record["links"] = {
        "portal": base,
        "cong_khai": safe_link(base, "cong-khai/"),
        "tuan_thu": safe_link(base, "tuan-thu/"),
        "report": safe_link(base, f"bao-cao/truyen-thong/{ctx.year}/")
        if str(ctx.year) in reports else None,
        "manifest": safe_link(base, MANIFEST),
    }
    if ctx.sheet is not None:
        facts = scoring.Facts(
            today=ctx.today, url=base, disclosure_rows=rows,
            disclosure_documents=(cong_khai.get("facts") or {}).get("documents") or [],
            sections=sections, activity=activity,
            reports={int(y): u for y, u in reports.items() if str(y).isdigit()})
        record["score"] = scoring.score(ctx.sheet, facts)
    record["has_data"] = True


def report_part(data: dict) -> dict:
    """What the province's tổng hợp needs of a school's annual report (small)."""
    posts = data.get("posts") or {}
    incidents = data.get("incidents") or {}
    feedback = data.get("feedback") or {}
    return {
        "total": int(posts.get("total") or 0),
        "by_topic": [{"code": str(t.get("code", "")), "title": str(t.get("title", "")),
                      "posts": int(t.get("posts") or 0)} for t in posts.get("by_topic") or []],
        "sent_to_so": [{"title": str(s.get("title", "")), "sent": s.get("sent")}
                       for s in data.get("sent_to_so") or []],
        "press": [{"outlet": str(p.get("outlet", "")), "date": p.get("date"),
                   "title": str(p.get("title", ""))} for p in data.get("press") or []],
        "incidents": [{"title": str(r.get("title", "")), "detected": r.get("detected"),
                       "response_hours": r.get("response_hours"),
                       "within_rule": r.get("within_rule"), "result": r.get("result"),
                       "status": r.get("status")} for r in incidents.get("rows") or []],
        "feedback": {k: int(feedback.get(k) or 0)
                     for k in ("received", "answered", "open", "overdue")},
    }


__all__ = ["Context", "summarize", "recompute_disclosure", "recompute_sections",
           "STATUS_LABELS", "CLAIMS"]
