"""The communications coverage report for one plan year (pure functions over plain records).

Counts published posts per topic and month, flags topics left without posts, and serialises
the same figures as CSV (UTF-8 with BOM, for Excel) and JSON (open data; fields documented
in plugins/portal_topics/README.md).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

from .plans import Plan

CSV_HEAD = ["Mã chủ đề", "Chủ đề", "Nhóm"]


@dataclasses.dataclass(frozen=True)
class PostRecord:
    """What the report needs of a published post."""

    url: str  # site-relative, as Pelican gives it: "tin-tuc/<slug>/"
    title: str
    date: dt.date
    codes: tuple[str, ...]
    plan_year: int
    category: str = ""


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def highlight_mode(plan_year: int, today: dt.date) -> str:
    """"recent" for the plan of today's year, "zero" for past years, "none" for future ones."""
    if plan_year == today.year:
        return "recent"
    return "zero" if plan_year < today.year else "none"


def coverage(plan: Plan, posts: list[PostRecord], today: dt.date, groups: dict[str, str],
             stale_days: int = 60) -> dict:
    """Figures of the report of *plan*: rows per topic, totals, flags.

    *posts* are all published posts (every plan): those of this plan are counted; the
    "no post in the last *stale_days* days" flag of the current year looks at every post.
    """
    mine = sorted((p for p in posts if p.plan_year == plan.year), key=lambda p: (p.date, p.url))
    months = sorted({f"{plan.year:04d}-{m:02d}" for m in range(1, 13)}
                    | {month_key(p.date) for p in mine})
    mode = highlight_mode(plan.year, today)
    since = today - dt.timedelta(days=stale_days)
    rows = []
    for topic in plan.topics:
        tagged = [p for p in mine if topic.code in p.codes]
        by_month = {m: 0 for m in months}
        for post in tagged:
            by_month[month_key(post.date)] += 1
        dates = [p.date for p in posts if topic.code in p.codes and p.date <= today]
        last = max(dates) if dates else None
        if mode == "recent":
            flagged = last is None or last < since
            flag = f"Chưa có bài trong {stale_days} ngày qua" if flagged else ""
        elif mode == "zero":
            flagged = not tagged
            flag = "Không có bài nào trong năm" if flagged else ""
        else:
            flagged, flag = False, ""
        rows.append({"topic": topic, "group_title": groups.get(topic.group, topic.group),
                     "by_month": by_month, "counts": [by_month[m] for m in months],
                     "total": len(tagged), "posts": tagged, "last": last,
                     "flagged": flagged, "flag": flag})
    sums = [sum(row["by_month"][m] for row in rows) for m in months]
    distinct = [sum(1 for p in mine if month_key(p.date) == m) for m in months]
    return {
        "plan": plan, "year": plan.year, "months": months, "today": today, "mode": mode,
        "stale_days": stale_days, "rows": rows,
        "groups": [(gid, title, [r for r in rows if r["topic"].group == gid])
                   for gid, title in groups.items()
                   if any(r["topic"].group == gid for r in rows)],
        "totals": {"counts": sums, "total": sum(sums)},
        "distinct": {"counts": distinct, "total": len(mine)},
        "posts": mine,
        "flagged": [r for r in rows if r["flagged"]],
    }


def to_csv(report: dict) -> str:
    """One row per topic: code, title, group, one column per month (YYYY-MM), total.

    Returned as text; write it with encoding "utf-8-sig" so Excel sees the BOM.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEAD + report["months"] + ["Tổng"])
    for row in report["rows"]:
        topic = row["topic"]
        writer.writerow([topic.code, topic.title, row["group_title"]] + row["counts"]
                        + [row["total"]])
    return out.getvalue()


def to_json(report: dict, school: str = "") -> dict:
    plan = report["plan"]
    return {
        "school": school,
        "plan": {"year": plan.year, "number": plan.number,
                 "date": plan.date.isoformat() if plan.date else None, "title": plan.title,
                 "bases": list(plan.bases), "report": plan.report},
        "today": report["today"].isoformat(),
        "highlight": {"mode": report["mode"], "stale_days": report["stale_days"]},
        "months": report["months"],
        "topics": [{
            "code": row["topic"].code, "title": row["topic"].title, "group": row["topic"].group,
            "group_title": row["group_title"], "total": row["total"],
            "by_month": row["by_month"],
            "last_post": row["last"].isoformat() if row["last"] else None,
            "flagged": row["flagged"], "flag": row["flag"] or None,
            "posts": [p.url for p in row["posts"]],
        } for row in report["rows"]],
        "totals": {"by_month": dict(zip(report["months"], report["totals"]["counts"])),
                   "total": report["totals"]["total"],
                   "posts_by_month": dict(zip(report["months"], report["distinct"]["counts"])),
                   "posts": report["distinct"]["total"]},
        "posts": [{"url": p.url, "title": p.title, "date": p.date.isoformat(),
                   "category": p.category, "topics": list(p.codes)} for p in report["posts"]],
    }
