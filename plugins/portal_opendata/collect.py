"""What the portal publishes as open data, gathered from the build's context as plain JSON
values, and the manifest /du-lieu-mo.json. Pure functions over plain values (the plugin hands
them the context's parts)."""

from __future__ import annotations

import datetime as dt
import hashlib

from portal_core.dates import school_year_id

from .contract import current


def _day(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _iso(value) -> str | None:
    day = _day(value)
    return day.isoformat() if day else None


def _minute(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.isoformat()


def activity(articles, office: dict | None, school: dict, today: dt.date) -> dict:
    """/du-lieu-mo/hoat-dong.json: posts per school year and category, the newest post of each
    category, the public part of the incident register and the dates of the feedback register
    (never who sent it, never an internal field)."""
    by_year: dict[str, dict[str, int]] = {}
    last: dict[str, str] = {}
    names: dict[str, str] = {}
    for article in articles:
        day = _day(article.date)
        if day is None or day > today or getattr(article, "status", "published") != "published":
            continue
        category = getattr(article, "category", None)
        slug = getattr(category, "slug", "") or "khac"
        names[slug] = str(getattr(category, "name", slug))
        year = by_year.setdefault(school_year_id(day), {})
        year[slug] = year.get(slug, 0) + 1
        if day.isoformat() > last.get(slug, ""):
            last[slug] = day.isoformat()
    office = office or {}
    rules = office.get("rules")
    incidents = []
    for entry in office.get("incidents") or []:
        incidents.append({
            "title": str(entry.get("title", "")),
            "detected": _minute(entry.get("detected")),
            "first_info": _minute(entry.get("first_info")),
            "result_date": _iso(entry.get("result_date")),
            "closed": _iso(entry.get("closed")),
            "url": _url(entry.get("first_info_post")),
        })
    feedback = [{"received": _iso(f.get("received")), "answered": _iso(f.get("answered"))}
                for f in office.get("feedback") or [] if f.get("received")]
    return {
        "school": str(school.get("name") or ""),
        "today": today.isoformat(),
        "posts": {"by_school_year": dict(sorted(by_year.items())),
                  "last": dict(sorted(last.items())),
                  "categories": dict(sorted(names.items()))},
        "rules": {"first_info_hours": _rule(rules, "first_info_hours"),
                  "feedback_days": _rule(rules, "feedback_days"),
                  "result_days": _rule(rules, "result_days")} if rules else {},
        "incidents": sorted(incidents, key=lambda i: i["detected"] or ""),
        "feedback": sorted(feedback, key=lambda f: f["received"]),
    }


def _url(post) -> str | None:
    """The address of a linked post (a view dict, an object with ``url``, or a string)."""
    if isinstance(post, dict):
        post = post.get("url")
    elif post is not None and not isinstance(post, str):
        post = getattr(post, "url", None)
    return str(post) if post else None


def _rule(rules, name):
    value = getattr(getattr(rules, name, None), "value", None)
    return value


def entry(kind: str, url: str, raw: bytes, **extra) -> dict:
    """One line of the manifest's ``files``: kind, URL (relative to the portal's root), schema
    version, size and SHA-256 of the bytes written."""
    return {"kind": kind, "url": url, "schema_version": current(kind), "bytes": len(raw),
            "sha256": hashlib.sha256(raw).hexdigest(), **extra}


def manifest(school: dict, siteurl: str, today: dt.date, version: str, files: list[dict]) -> dict:
    """/du-lieu-mo.json. ``code`` and ``level`` come from content/data/school.yml (``code``:
    mã trường; ``level``: cấp học); absent: null (unknown)."""
    def text(key):
        value = school.get(key)
        return None if value in (None, "") else str(value)

    return {
        "contract": "du-lieu-mo", "version": current("du-lieu-mo"),
        "generated": today.isoformat(),
        "school": {"code": text("code"), "name": str(school.get("name") or ""),
                   "level": text("level"), "province": text("province"),
                   "managing_body": text("managing_body"), "url": siteurl or None},
        "portal": {"name": "cong-truong", "version": version},
        "files": files,
    }
