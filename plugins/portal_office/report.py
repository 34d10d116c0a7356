"""The complete report of the communications office for one year (pure figures), its JSON
(open data; fields in README.md, kept stable) and CSV.

``attach`` runs at ``all_generators_finalized``: by then portal_topics has matched every
post's topics (``article.plan_topics``) and put its reports in the context; this plugin
reads them from the context only (it imports no other feature plugin).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import statistics

from portal_core import state
from portal_core.problems import Problem
from portal_core.text import fold



def vn_iso(value: str) -> str:
    """Jinja filter: "2022-03-15" or "2022-03-15T08:30" → "15/03/2022" (the report's JSON
    keeps ISO dates; the page shows Vietnamese ones)."""
    day = dt.date.fromisoformat(str(value)[:10])
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vn_hours(value) -> str:
    """Jinja filter: 20.5 → "20,5", 95.0 → "95" (Vietnamese decimal comma)."""
    return f"{value:g}".replace(".", ",")


def _iso(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def incident_figures(incidents: list[dict], rules, start: dt.date, end: dt.date,
                     today: dt.date) -> dict:
    """Incidents detected from *start* to *end*: one row each, and the response times."""
    rows = []
    for item in incidents:
        if not start <= item["detected"].date() <= end:
            continue
        hours = item["response_hours"]
        closed = item["closed"]
        rows.append({
            "title": item["title"], "detected": _iso(item["detected"]),
            "channel": item["channel"], "topics": item["topics"],
            "first_info": _iso(item["first_info"]), "response_hours": hours,
            "within_rule": None if hours is None else hours <= rules.first_info_hours.value,
            "reported_to_so": _iso(item["reported_to_so"]), "result": item["result"] or None,
            "result_date": _iso(item["result_date"]), "result_days": item["result_days"],
            "closed": _iso(closed),
            "status": "closed" if closed is not None and closed <= today else "open",
        })
    rows.sort(key=lambda r: r["detected"])
    hours = [r["response_hours"] for r in rows if r["response_hours"] is not None]
    return {
        "rule": {"first_info_hours": rules.first_info_hours.value,
                 "basis": rules.first_info_hours.basis,
                 "confidence": rules.first_info_hours.confidence,
                 "result_days": rules.result_days.value},
        "rows": rows,
        "summary": {
            "total": len(rows),
            "within_rule": sum(1 for r in rows if r["within_rule"] is True),
            "late": sum(1 for r in rows if r["within_rule"] is False),
            "without_first_info": sum(1 for r in rows if r["response_hours"] is None),
            "open": sum(1 for r in rows if r["status"] == "open"),
            "median_response_hours": round(statistics.median(hours), 1) if hours else None,
            "max_response_hours": max(hours) if hours else None,
        },
    }


def feedback_figures(feedback: list[dict], rules, start: dt.date, end: dt.date,
                     today: dt.date) -> dict:
    mine = [f for f in feedback if start <= f["received"] <= end]
    days = [f["days"] for f in mine if f["days"] is not None]
    limit = rules.feedback_days.value
    overdue = [f for f in mine if f["answered"] is None
               and (today - f["received"]).days > limit]
    return {"rule_days": limit, "received": len(mine),
            "answered": sum(1 for f in mine if f["answered"] is not None),
            "answered_in_time": sum(1 for d in days if d <= limit),
            "open": sum(1 for f in mine if f["answered"] is None),
            "overdue": len(overdue),
            "average_days": round(sum(days) / len(days), 1) if days else None,
            "by_channel": {c: sum(1 for f in mine if f["channel"] == c)
                           for c in sorted({f["channel"] for f in mine})}}


def period_figures(year, period, plan, topics_json, articles, office, school, document,
                   today) -> dict:
    """The report's figures for *period* ({"id", "title", "start", "end"}) of plan *year*:
    the plan's posts dated in the period; incidents, feedback, press, training and stories
    sent by their own dates."""
    units = office["units"]
    rules = office["rules"]
    start, end = period["start"], period["end"]

    def within(day) -> bool:
        day = day.date() if isinstance(day, dt.datetime) else day
        return start <= day <= end

    mine = [a for a in articles if getattr(a, "plan_year", None) == year and within(a.date)]
    by_unit: dict[str, int] = {}
    by_topic: dict[str, int] = {}
    by_month: dict[str, int] = {}
    cross: dict[tuple[str, str], int] = {}
    for article in mine:
        unit = getattr(article, "unit", None)
        uid = unit.id if unit else ""
        by_unit[uid] = by_unit.get(uid, 0) + 1
        month = f"{article.date.year:04d}-{article.date.month:02d}"
        by_month[month] = by_month.get(month, 0) + 1
        for view in getattr(article, "plan_topics", ()):
            cross[(view.code, uid)] = cross.get((view.code, uid), 0) + 1
            by_topic[view.code] = by_topic.get(view.code, 0) + 1
    names = {u.id: u.name_on(end) for u in units.values()}  # a renamed unit: its name then
    titles = office["topic_titles"]
    tag = fold(rules.training_tag) if rules and rules.training_tag else ""
    training = [a for a in articles if within(a.date) and tag
                and any(fold(str(t)) == tag for t in getattr(a, "tags", []) or [])]
    releases = [a for a in articles if within(a.date)
                and getattr(getattr(a, "category", None), "slug", "") == office["press_category"]]
    sent = [a for a in articles if getattr(a, "sent_to_so", None)
            and within(a.sent_to_so)]
    data = {
        "school": school.get("name", ""), "managing_body": school.get("managing_body", ""),
        "year": year, "today": today.isoformat(),
        "period": {"id": period["id"], "title": period["title"], "start": start.isoformat(),
                   "end": end.isoformat()},
        "plan": (topics_json or {}).get("plan") or {
            "year": year, "number": getattr(plan, "number", ""), "title": getattr(plan, "title",
                                                                              ""),
            "date": None, "bases": list(getattr(plan, "bases", []) or [])},
        "document": document,
        "posts": {
            "total": len(mine),
            "by_topic": [{"code": t["code"], "title": t["title"],
                          "posts": by_topic.get(t["code"], 0)}
                         for t in (topics_json or {}).get("topics", [])],
            "by_month": dict(sorted(by_month.items())),
            "by_unit": [{"id": uid, "name": names.get(uid, "(chưa ghi đơn vị)"), "posts": n}
                        for uid, n in sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))],
            "by_topic_unit": [{"topic": code, "topic_title": titles.get(code, code),
                               "unit": uid, "unit_name": names.get(uid, ""), "posts": n}
                              for (code, uid), n in sorted(cross.items())],
        },
        "sent_to_so": [{"url": a.url, "title": a.title, "date": a.date.date().isoformat(),
                        "sent": a.sent_to_so.isoformat(),
                        "unit": a.unit.name if getattr(a, "unit", None) else ""}
                       for a in sorted(sent, key=lambda a: a.sent_to_so)],
        "press_releases": [{"url": a.url, "title": a.title, "date": a.date.date().isoformat()}
                           for a in sorted(releases, key=lambda a: a.date)],
        "press": [{"outlet": p["outlet"], "date": p["date"].isoformat(), "title": p["title"],
                   "url": p["url"] or None} for p in office["press"] if within(p["date"])],
        "training": [{"url": a.url, "title": a.title, "date": a.date.date().isoformat()}
                     for a in sorted(training, key=lambda a: a.date)],
    }
    if rules is not None:
        data["incidents"] = incident_figures(office["incidents"], rules, start, end, today)
        data["feedback"] = feedback_figures(office["feedback"], rules, start, end, today)
    return data


def _recipient(value) -> str:
    """A recipient line; «Lưu: VT» written unquoted in YAML is read as a mapping."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def document_facts(settings, school: dict, data: dict, year: int, today: dt.date,
                   period: str = "năm") -> dict:
    """The administrative layout's parts (NĐ 30/2020): issuing body, number, place and
    date, subject, recipients, signer — from content/data/truyen-thong.yml and school.yml."""
    report = (data or {}).get("report") or {}
    signer_position = str(report.get("signer_position") or "Hiệu trưởng")
    leader = next((l for l in school.get("leaders") or []
                   if fold(str(l.get("position", ""))) == fold(signer_position)), {})
    return {
        "parent_body": school.get("managing_body", ""),
        "issuing_body": school.get("name", ""),
        "number": f"Số:      /{report.get('symbol') or 'BC'}",
        "place": str(report.get("place") or school.get("province") or ""),
        "date": today.isoformat(),
        "subject": f"Kết quả công tác truyền thông {period} {year}",
        "recipients": [_recipient(r) for r in report.get("recipients")
                       or ["Sở GDĐT (qua Văn phòng Sở)", "Lưu: VT"]],
        "signer_title": signer_position.upper(),
        "signer_name": str(leader.get("name") or ""),
    }


def periods_of(data: dict, year: int, file: str) -> tuple[list[dict], list[Problem]]:
    """The year, then the periods of truyen-thong.yml (``periods: [{id, title, end: MM-DD}]``,
    each from 1 January), as {"id", "title", "start", "end"}."""
    found = [{"id": "", "title": "năm", "start": dt.date(year, 1, 1),
              "end": dt.date(year, 12, 31)}]
    problems = []
    for index, raw in enumerate((data or {}).get("periods") or []):
        where = f"periods[{index}]"
        ident = str((raw or {}).get("id") or "") if isinstance(raw, dict) else ""
        try:
            if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", ident) or not raw.get("title"):
                raise ValueError
            month, day = (int(x) for x in str(raw.get("end") or "").split("-"))
            end = dt.date(year, month, day)
        except (ValueError, TypeError, AttributeError):
            problems.append(Problem(file, where, str(raw), "Kỳ báo cáo cần «id» (chữ thường "
                                    "không dấu), «title» và «end» (tháng-ngày kết thúc).",
                                    "Ví dụ: {id: 6-thang, title: 6 tháng đầu năm, end: 06-30}",
                                    plugin="portal_office"))
            continue
        found.append({"id": ident, "title": str(raw["title"]), "start": dt.date(year, 1, 1),
                      "end": end})
    return found, problems


def attach(generators) -> None:
    context = generators[0].context
    settings = generators[0].settings
    office = context.get("portal_office")
    if not office:
        return
    topics = context.get("portal_topics") or {}
    today = state.today(settings)
    school = settings.get("PORTAL_SCHOOL") or {}
    articles = list(context.get("articles") or [])
    data = office.get("data") or {}
    file = f"content/{settings['PORTAL_DATA_PATH']}/{settings['PORTAL_OFFICE_FILE']}"
    for number, report in enumerate(topics.get("reports") or []):
        year = report["year"]
        periods, problems = periods_of(data, year, file)
        if number == 0:  # the same data for every year: report its mistakes once
            for problem in problems:
                state.add(settings, problem)
        done = []
        for period in periods:
            document = document_facts(settings, school, data, year, today, period["title"])
            figures = period_figures(year, period, report.get("plan"), report.get("json"),
                                     articles, office, school, document, today)
            done.append({"id": period["id"], "title": period["title"], "json": figures})
            suffix = f"-{period['id']}" if period["id"] else ""
            state.open_data(settings, "bao-cao-truyen-thong",
                            f"{report['url']}ban-truyen-thong{suffix}.json",
                            lambda figures=figures: json.loads(json.dumps(
                                figures, ensure_ascii=False)), year=int(year),
                            period=period["id"])
        office["years"][year] = {"url": report["url"], "json": done[0]["json"],
                                 "periods": done}


CSV_HEAD = ["Phần", "Mục", "Giá trị"]


def to_csv(data: dict) -> str:
    """One row per figure: part, item, value (stable parts: bai-viet, don-vi,
    chu-de-don-vi, gui-so, thong-cao, bao-chi, su-co, phan-anh, tap-huan)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEAD)
    writer.writerow(["bai-viet", "Tổng số bài", data["posts"]["total"]])
    for row in data["posts"]["by_unit"]:
        writer.writerow(["don-vi", row["name"], row["posts"]])
    for row in data["posts"]["by_topic_unit"]:
        writer.writerow(["chu-de-don-vi", f"{row['topic_title']} × {row['unit_name']}",
                         row["posts"]])
    for row in data["sent_to_so"]:
        writer.writerow(["gui-so", f"{row['title']} ({row['sent']})", row["url"]])
    for row in data["press_releases"]:
        writer.writerow(["thong-cao", f"{row['title']} ({row['date']})", row["url"]])
    for row in data["press"]:
        writer.writerow(["bao-chi", f"{row['outlet']}, {row['date']}: {row['title']}",
                         row["url"] or ""])
    for row in (data.get("incidents") or {}).get("rows", []):
        writer.writerow(["su-co", f"{row['title']} ({row['detected']})",
                         "" if row["response_hours"] is None else row["response_hours"]])
    feedback = data.get("feedback") or {}
    for key in ("received", "answered", "open", "overdue"):
        if key in feedback:
            writer.writerow(["phan-anh", key, feedback[key]])
    for row in data["training"]:
        writer.writerow(["tap-huan", f"{row['title']} ({row['date']})", row["url"]])
    return out.getvalue()
