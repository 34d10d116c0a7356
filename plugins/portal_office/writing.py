"""What the office's templates see (public fields only) and the pages it writes.

``public_view`` is the one place where register records become template data: it copies the
public fields by name, so a non-public field (severity, steps, notes, the incident's text) can
never reach a template, and so never ``output/``.
"""

from __future__ import annotations

import json
import math
import os

from portal_core.dates import parse_iso
from portal_core.problems import Problem

PLUGIN = "portal_office"


def _post(urls: dict, url: str):
    item = urls.get(url)
    return {"url": url, "title": item.title} if item is not None and url else None


def press_coverage(data, file: str, add) -> list[dict]:
    """Press coverage (content/data/bao-chi.yml): outlet, date, title, url; newest first."""
    items = []
    rows = (data or {}).get("coverage") if isinstance(data, dict) else None
    for index, raw in enumerate(rows or []):
        where = f"coverage[{index}]"
        if not isinstance(raw, dict):
            add(Problem(file, where, str(raw), "Mỗi bài báo là một bảng khóa: giá trị.",
                        "outlet, date, title, url.", plugin=PLUGIN))
            continue
        missing = [k for k in ("outlet", "date", "title") if not raw.get(k)]
        for key in missing:
            add(Problem(file, f"{where}.{key}", "", "Thiếu thông tin bắt buộc.",
                        f"Thêm «{key}: …».", plugin=PLUGIN))
        if missing:
            continue
        try:
            day = parse_iso(raw["date"]).date()
        except ValueError:
            add(Problem(file, f"{where}.date", str(raw["date"]), "Ngày không đúng dạng.",
                        "Dạng YYYY-MM-DD.", plugin=PLUGIN))
            continue
        url = str(raw.get("url") or "").strip()
        if url and not url.startswith("https://"):
            add(Problem(file, f"{where}.url", url, "Liên kết bài báo phải bắt đầu bằng "
                        "https://.", "Chép nguyên địa chỉ bài báo từ trình duyệt.",
                        plugin=PLUGIN))
            url = ""
        items.append({"outlet": str(raw["outlet"]), "date": day, "title": str(raw["title"]),
                      "url": url})
    items.sort(key=lambda i: (i["date"], i["title"]), reverse=True)
    return items


def incident_view(item, rules, urls) -> dict:
    """The public fields of an incident (and figures computed from them)."""
    late = item.first_info_late(rules) if rules else None
    return {
        "slug": item.slug, "title": item.title, "detected": item.detected,
        "channel": rules.channels.get(item.channel, item.channel) if rules else item.channel,
        "topics": list(item.topics), "summary": item.summary,
        "first_info": item.first_info, "first_info_post": _post(urls, item.first_info_post),
        "correction_post": _post(urls, item.correction_post),
        "response_hours": item.response_hours, "late": late,
        "reported_to_so": item.reported_to_so, "result": item.result,
        "result_date": item.result_date, "result_days": item.result_days,
        "result_post": _post(urls, item.result_post), "closed": item.closed,
    }


def feedback_view(item, rules) -> dict:
    return {
        "slug": item.slug, "title": item.title, "received": item.received,
        "channel": rules.channels.get(item.channel, item.channel) if rules else item.channel,
        "topics": list(item.topics), "answer": item.answer if item.public else "",
        "answered": item.answered, "days": item.days_to_answer, "public": item.public,
    }


def public_view(settings, units, default, rules, incidents, feedback, press_data, press_file,
                urls, today, add) -> dict:
    topics = {}
    for plan in (settings.get("PORTAL_PLANS") or {}).values():
        for topic in getattr(plan, "topics", ()):
            topics[topic.code] = topic.title
    answered = [feedback_view(f, rules) for f in feedback if f.answered and f.public]
    by_topic: dict[str, list] = {}
    for item in answered:
        for code in item["topics"] or ["khac"]:
            by_topic.setdefault(code, []).append(item)
    return {
        "units": units, "default_unit": default,
        "units_url": settings["PORTAL_UNITS_URL"],
        "rules": rules, "today": today, "topic_titles": topics,
        "incidents": [incident_view(i, rules, urls) for i in incidents],
        "feedback": [feedback_view(f, rules) for f in feedback],
        "qa_groups": [(topics.get(code, "Khác"), items) for code, items in sorted(
            by_topic.items(), key=lambda kv: topics.get(kv[0], "~"))],
        "press": press_coverage(press_data, press_file, add),
        "official_url": settings["PORTAL_OFFICIAL_URL"],
        "press_url": settings["PORTAL_PRESS_URL"],
        "press_category": settings["PORTAL_PRESS_CATEGORY"],
        "press_rules_slug": settings["PORTAL_PRESS_RULES_SLUG"],
        "years": {},  # filled by report.attach (all_generators_finalized)
    }


def unit_outputs(settings, units) -> list[tuple[object, str, str]]:
    """(unit, url, save_as) for every unit."""
    return [(unit, settings["PORTAL_UNIT_URL"].format(id=unit.id),
             settings["PORTAL_UNIT_SAVE_AS"].format(id=unit.id)) for unit in units.values()]


def write_all(generator, writer) -> None:
    office = getattr(generator, "office", None)
    if not office:
        return
    settings, context = generator.settings, generator.context
    relative = settings.get("RELATIVE_URLS", False)
    if office["units"]:
        writer.write_file(settings["PORTAL_UNITS_SAVE_AS"], generator.get_template("units"),
                          context, relative_urls=relative, url=office["units_url"])
        for unit, url, save_as in unit_outputs(settings, office["units"]):
            writer.write_file(save_as, generator.get_template("unit"), context,
                              relative_urls=relative, paginated={"articles": unit.posts},
                              template_name="unit", url=url, unit=unit)
    if office["rules"] is not None:
        writer.write_file(settings["PORTAL_OFFICIAL_SAVE_AS"],
                          generator.get_template("official_info"), context,
                          relative_urls=relative, url=office["official_url"])
    writer.write_file(settings["PORTAL_PRESS_SAVE_AS"], generator.get_template("press"),
                      context, relative_urls=relative, url=office["press_url"])
    from .docx_report import write_docx
    from .report import to_csv

    for year, figures in office["years"].items():
        folder = os.path.join(generator.output_path, figures["url"])
        os.makedirs(folder, exist_ok=True)
        for period in figures["periods"]:
            suffix = f"-{period['id']}" if period["id"] else ""
            with open(os.path.join(folder, f"ban-truyen-thong{suffix}.json"), "w",
                      encoding="utf-8") as handle:
                json.dump(period["json"], handle, ensure_ascii=False, indent=1)
                handle.write("\n")
            with open(os.path.join(folder, f"ban-truyen-thong{suffix}.csv"), "w",
                      encoding="utf-8-sig", newline="") as handle:
                handle.write(to_csv(period["json"]))
            write_docx(period["json"], os.path.join(folder, f"bao-cao{suffix}.docx"))


def unit_pages(settings, units, per_page) -> set[str]:
    found = set()
    for unit, _, save_as in unit_outputs(settings, units):
        found.add(save_as)
        for number in range(2, max(1, math.ceil(len(unit.posts) / per_page)) + 1):
            found.add(f"{os.path.dirname(save_as)}/trang-{number}/index.html")
    return found
