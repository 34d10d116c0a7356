"""What the home page shows of the disclosure index: the newest documents, the next deadlines
and shortcuts to the items parents look for most (catalogue items with a `shortcut:` label).

Pure functions over the plain index of index.py; the plugin puts the result in the context as
``disclosure_home``.
"""

from __future__ import annotations

from .deadlines import PENDING


def latest_documents(index: dict, limit: int = 3) -> list[dict]:
    """The newest published documents of every school year, newest first, each once."""
    seen, found = set(), []
    for year in index.get("years") or []:
        for row in year["rows"]:
            for doc in row["documents"]:
                if doc["url"] in seen:
                    continue
                seen.add(doc["url"])
                found.append({"title": doc["title"], "url": doc["url"],
                              "published": doc["published"],
                              "published_display": doc["published_display"],
                              "item": row["item"], "name": row["name"]})
    found.sort(key=lambda d: (d["published"], d["url"]), reverse=True)
    return found[:limit]


def upcoming_deadlines(index: dict, limit: int = 3) -> list[dict]:
    """Items not yet due and not yet published, soonest first (one row per item and period)."""
    rows = [row for year in index.get("years") or [] if not year.get("archived")
            for row in year["rows"] if row["status"] == PENDING and row["due"]]
    rows.sort(key=lambda r: (r["due"], r["item"], r["period"] or ""))
    return [{"item": r["item"], "name": r["name"], "period_label": r["period_label"],
             "school_year": r["school_year"], "due": r["due"], "due_display": r["due_display"],
             "due_estimated": r["due_estimated"]} for r in rows[:limit]]


def shortcuts(index: dict, catalogue: dict) -> list[dict]:
    """One link per catalogue item with a `shortcut:` label: the current school year's newest
    document of that item, or else the item's row on that year's page."""
    current = next((y for y in index.get("years") or [] if y.get("current")), None)
    if current is None:
        return []
    links = []
    for item in catalogue.get("items") or []:
        label = isinstance(item, dict) and item.get("shortcut")
        if not label:
            continue
        rows = [r for r in current["rows"] if r["item"] == item["id"]]
        docs = sorted((d for r in rows for d in r["documents"]),
                      key=lambda d: (d["published"], d["url"]))
        if docs:
            links.append({"label": str(label), "url": docs[-1]["url"], "item": item["id"],
                          "published_display": docs[-1]["published_display"]})
        else:
            links.append({"label": str(label), "url": f"{current['url']}#{row_anchor(item['id'], current['id'])}",
                          "item": item["id"], "published_display": ""})
    return links


def row_anchor(item_id: str, year_id: str) -> str:
    """The id of an item's first row in a year's table (disclosure_macros.html):
    ("CK-06", "2026-2027") → "ck-06-2026-2027"."""
    return f"{item_id.lower()}-{year_id}"


def highlights(index: dict, catalogue: dict, limit: int = 3) -> dict:
    """What the home page shows; ``overdue`` is the count of the same index (the one
    computation: /cong-khai/ and /tuan-thu/ show the same number)."""
    return {"url": index.get("url", ""), "latest": latest_documents(index, limit),
            "upcoming": upcoming_deadlines(index, limit),
            "overdue": len(index.get("overdue") or []),
            "shortcuts": shortcuts(index, catalogue), "today_display": index.get("today_display")}
