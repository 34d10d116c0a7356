"""A province's scoring sheet for its schools' portals, as data (``scoring/<id>.yml`` or a Sở's
own file), and the score of one school from its open data, with the evidence for every point.

The school's own ``cong-truong check`` and the Sở's dashboard call the same ``score()`` on the
same kind of facts (``Facts``): the school on what it is about to publish, the dashboard on what
it harvested, with every status recomputed as of the dashboard's date. Each criterion names a
``measure`` (the kinds below); what a point needs (thresholds, sections, years) is data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from urllib.parse import urlsplit

import yaml

from portal_core.dates import school_year_label
from portal_core.text import fold

HERE = os.path.dirname(os.path.abspath(__file__))
SHEETS = os.path.join(HERE, "scoring")
OVERDUE, DUE_STATUSES = "overdue", ("on_time", "late", "overdue")


@dataclasses.dataclass
class Facts:
    """What a school's score is computed from (plain values, as in the open data)."""

    today: dt.date
    url: str = ""  # the portal's address
    disclosure_rows: list = dataclasses.field(default_factory=list)  # statuses as of today
    disclosure_documents: list = dataclasses.field(default_factory=list)  # facts.documents
    sections: list = dataclasses.field(default_factory=list)  # statuses as of today
    activity: dict = dataclasses.field(default_factory=dict)  # hoat-dong.json
    reports: dict = dataclasses.field(default_factory=dict)  # {year: url} (annual reports)


def _vn(day) -> str:
    day = dt.date.fromisoformat(day[:10]) if isinstance(day, str) else day
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _school_year(today: dt.date, which: str = "current") -> int:
    start = today.year if today.month >= 9 else today.year - 1
    return start - (1 if which == "previous" else 0)


def _sy(start: int) -> str:
    return f"{start}-{start + 1}"


def _ratio(done: int, total: int, proportional: bool) -> float:
    if total <= 0:
        return 1.0
    return done / total if proportional else float(done >= total)


# ---------------------------------------------------------------------------- measures
# Each: (criterion, facts) -> (ratio 0..1, evidence, missing); ratio None = scored by hand.

def news_per_school_year(c: dict, f: Facts):
    start = _school_year(f.today, c.get("school_year", "current"))
    wanted = int(c.get("min", 40))
    categories = c.get("categories") or ["tin-tuc"]
    counts = ((f.activity.get("posts") or {}).get("by_school_year") or {}).get(_sy(start)) or {}
    count = sum(int(counts.get(cat, 0)) for cat in categories)
    label = school_year_label(_sy(start))
    evidence = (f"{count} bài tin tức trong {label.lower()}"
                + (f" (tính đến {_vn(f.today)})" if start == _school_year(f.today) else "")
                + f"; cần tối thiểu {wanted}.")
    missing = "" if count >= wanted else f"{count} trên {wanted} bài tin tức {label.lower()}."
    return min(1.0, count / wanted) if c.get("proportional") else float(count >= wanted), \
        evidence, missing


def content_current(c: dict, f: Facts):
    days = int(c.get("max_days", 45))
    categories = c.get("categories") or ["tin-tuc"]
    last = [d for cat, d in ((f.activity.get("posts") or {}).get("last") or {}).items()
            if cat in categories and d]
    if not last:
        return 0.0, "Chưa có bài tin tức nào.", "Chưa có bài tin tức nào."
    newest = max(last)
    age = (f.today - dt.date.fromisoformat(newest)).days
    evidence = f"Bài tin tức mới nhất ngày {_vn(newest)} ({age} ngày trước); cần trong {days} ngày."
    return float(age <= days), evidence, "" if age <= days else \
        f"Đã {age} ngày chưa có bài tin tức mới (cần trong {days} ngày)."


def disclosure_no_overdue(c: dict, f: Facts):
    years = [_sy(_school_year(f.today) - k) for k in range(int(c.get("school_years", 2)))]
    rows = [r for r in f.disclosure_rows if r.get("school_year") in years]
    due = [r for r in rows if r.get("status") in DUE_STATUSES]
    overdue = [r for r in due if r.get("status") == OVERDUE]
    labels = ", ".join(school_year_label(y).removeprefix("Năm học ") for y in sorted(years))
    evidence = (f"{len(overdue)} mục công khai quá hạn trên {len(due)} mục đã đến hạn "
                f"(năm học {labels}).")
    missing = ""
    if overdue:
        names = [f"{r['item']}" + (f" {r['period']}" if r.get("period") else "")
                 + f" ({r['school_year'].replace('-', '–')})" for r in overdue[:8]]
        missing = "Quá hạn, chưa công khai: " + ", ".join(names) + (
            f" và {len(overdue) - 8} mục khác" if len(overdue) > 8 else "") + "."
    return _ratio(len(due) - len(overdue), len(due), c.get("proportional", False)), \
        evidence, missing


def disclosure_school_years(c: dict, f: Facts):
    years = [_sy(_school_year(f.today) - k) for k in range(int(c.get("years", 2)))]
    counts = {y: sum(1 for d in f.disclosure_documents if d.get("school_year") == y)
              for y in years}
    have = [y for y in years if counts[y]]
    evidence = "; ".join(f"{school_year_label(y)}: {counts[y]} văn bản công khai"
                         for y in sorted(years)) + "."
    lacking = [school_year_label(y) for y in sorted(years) if not counts[y]]
    missing = ("Chưa có văn bản công khai riêng cho " + ", ".join(lacking).lower() + ".") \
        if lacking else ""
    return _ratio(len(have), len(years), c.get("proportional", False)), evidence, missing


def _section_line(s: dict) -> str:
    when = f", cập nhật {_vn(s['last_update'])}" if s.get("last_update") else ""
    return f"«{s.get('title', s.get('id'))}»: {s.get('status_label') or s.get('status')}{when}"


def section(c: dict, f: Facts):
    wanted = str(c.get("section", ""))
    found = next((s for s in f.sections if s.get("id") == wanted), None)
    if found is None:
        return 0.0, f"Không có mục «{wanted}» trong dữ liệu tuân thủ.", \
            f"Thiếu mục «{c.get('section_title') or wanted}»."
    ok = found.get("status") == "ok"
    return float(ok), "Mục " + _section_line(found) + ".", "" if ok else \
        "Mục " + _section_line(found) + "."


def sections_mandatory(c: dict, f: Facts):
    judged = [s for s in f.sections if s.get("mandatory") and s.get("status") != "not_applicable"]
    bad = [s for s in judged if s.get("status") != "ok"]
    evidence = (f"{len(judged) - len(bad)} trên {len(judged)} mục bắt buộc theo Thông tư "
                "37/2020/TT-BGDĐT có và được cập nhật.")
    missing = ("Mục " + "; ".join(_section_line(s) for s in bad) + ".") if bad else ""
    return _ratio(len(judged) - len(bad), len(judged), c.get("proportional", False)), \
        evidence, missing


def domain_suffix(c: dict, f: Facts):
    suffix = str(c.get("suffix", "")).lower().lstrip(".")
    host = (urlsplit(f.url).hostname or "").lower()
    ok = bool(suffix) and (host == suffix or host.endswith("." + suffix))
    evidence = f"Địa chỉ cổng: {host or '(không rõ)'}; cần thuộc hệ thống {suffix}."
    return float(ok), evidence, "" if ok else f"Cổng chưa thuộc hệ thống {suffix}."


def _within_months(day: dt.date, today: dt.date, months: int) -> bool:
    return 0 <= (today - day).days <= months * 31


def incidents_first_info(c: dict, f: Facts):
    hours = float(c.get("hours") or (f.activity.get("rules") or {}).get("first_info_hours")
                  or 24)
    months = int(c.get("months", 12))
    now = dt.datetime.combine(f.today, dt.time(23, 59))
    mine, late = [], []
    for item in f.activity.get("incidents") or []:
        detected = dt.datetime.fromisoformat(item["detected"])
        if not _within_months(detected.date(), f.today, months):
            continue
        mine.append(item)
        first = dt.datetime.fromisoformat(item["first_info"]) if item.get("first_info") else None
        spent = ((first or now) - detected).total_seconds() / 3600
        if spent > hours and (first is not None or not item.get("closed")):
            late.append(item)
    if not mine:
        return 1.0, f"Không có sự cố truyền thông trong {months} tháng qua.", ""
    evidence = (f"{len(mine) - len(late)} trên {len(mine)} sự cố trong {months} tháng qua có "
                f"thông tin chính thức trong {hours:g} giờ.")
    missing = ("Chậm hoặc chưa có thông tin chính thức: " + "; ".join(
        f"«{i['title']}» ({_vn(i['detected'])})" for i in late[:5]) + ".") if late else ""
    return _ratio(len(mine) - len(late), len(mine), c.get("proportional", False)), \
        evidence, missing


def feedback_in_time(c: dict, f: Facts):
    days = int(c.get("days") or (f.activity.get("rules") or {}).get("feedback_days") or 10)
    months = int(c.get("months", 12))
    mine, late = [], []
    for item in f.activity.get("feedback") or []:
        received = dt.date.fromisoformat(item["received"])
        if not _within_months(received, f.today, months):
            continue
        mine.append(item)
        answered = dt.date.fromisoformat(item["answered"]) if item.get("answered") else None
        if ((answered or f.today) - received).days > days:
            late.append(item)
    if not mine:
        return 1.0, f"Không có phản ánh, kiến nghị trong {months} tháng qua.", ""
    evidence = (f"{len(mine) - len(late)} trên {len(mine)} phản ánh, kiến nghị trong {months} "
                f"tháng qua được trả lời trong {days} ngày.")
    missing = (f"{len(late)} phản ánh trả lời chậm hoặc quá hạn chưa trả lời "
               f"(quy định {days} ngày).") if late else ""
    return _ratio(len(mine) - len(late), len(mine), c.get("proportional", False)), \
        evidence, missing


def report_published(c: dict, f: Facts):
    year = f.today.year - (1 if c.get("year", "previous") == "previous" else 0)
    url = f.reports.get(year) or f.reports.get(str(year))
    if url:
        return 1.0, f"Đã công bố báo cáo công tác truyền thông năm {year}.", ""
    return 0.0, f"Chưa có báo cáo công tác truyền thông năm {year} trong dữ liệu mở.", \
        f"Chưa công bố báo cáo công tác truyền thông năm {year}."


def manual(c: dict, f: Facts):
    del f
    return None, c.get("how") or "Sở chấm trực tiếp (không đánh giá được từ dữ liệu mở).", ""


MEASURES = {fn.__name__: fn for fn in (
    news_per_school_year, content_current, disclosure_no_overdue, disclosure_school_years,
    section, sections_mandatory, domain_suffix, incidents_first_info, feedback_in_time,
    report_published, manual)}


# ---------------------------------------------------------------------------- sheets

def validate_sheet(data, file: str) -> list[tuple[str, str, str, str]]:
    """(field, value, message, hint) for every mistake in a scoring sheet."""
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), list):
        return [("criteria", "", "Bộ tiêu chí phải có danh sách «criteria».",
                 "Ví dụ: criteria: [{id: '1', text: …, points: 10, measure: section, "
                 "section: lien-he}]")]
    problems = []
    for key in ("id", "title"):
        if not data.get(key):
            problems.append((key, "", f"Thiếu «{key}».", ""))
    seen = set()
    for index, item in enumerate(data["criteria"]):
        where = f"criteria[{index}]"
        if not isinstance(item, dict):
            problems.append((where, str(item), "Mỗi tiêu chí là một bảng khóa: giá trị.", ""))
            continue
        if str(item.get("id", "")) in seen or not item.get("id"):
            problems.append((f"{where}.id", str(item.get("id", "")),
                             "Mã tiêu chí thiếu hoặc bị trùng.", ""))
        seen.add(str(item.get("id", "")))
        if not item.get("text"):
            problems.append((f"{where}.text", "", "Thiếu nội dung tiêu chí.", ""))
        points = item.get("points")
        if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
            problems.append((f"{where}.points", str(points), "Điểm phải là số dương.",
                             "Ví dụ: points: 5"))
        if item.get("measure") not in MEASURES:
            problems.append((f"{where}.measure", str(item.get("measure", "")),
                             "Cách chấm không có.", "Dùng một trong: " + ", ".join(MEASURES)))
    for index, entry in enumerate(data.get("thresholds") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("min_percent"), (int, float)) \
                or not entry.get("label"):
            problems.append((f"thresholds[{index}]", str(entry), "Ngưỡng xếp loại cần "
                             "«min_percent» (số) và «label».", "Ví dụ: {min_percent: 90, "
                             "label: Tốt}"))
    return problems


def load_sheet(path: str) -> tuple[dict | None, list[tuple[str, str, str, str]]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        return None, [("", "", f"Không đọc được bộ tiêu chí: {error}", "")]
    problems = validate_sheet(data, path)
    return (data if not problems else None), problems


def sheets() -> dict[str, str]:
    """The sheets shipped in the package: id (file name) → path."""
    return {name[:-4]: os.path.join(SHEETS, name) for name in sorted(os.listdir(SHEETS))
            if name.endswith(".yml")}


def sheet_for(province: str | None, override: str = "", base: str = "") -> str | None:
    """The sheet to use: *override* (a path, relative to *base*, or a shipped id), else the
    shipped sheet whose ``province`` is the school's (case and tone marks ignored)."""
    shipped = sheets()
    if override:
        if override in shipped:
            return shipped[override]
        return override if os.path.isabs(override) else os.path.join(base, override)
    for path in shipped.values():
        try:
            with open(path, encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
        except (OSError, yaml.YAMLError):
            continue
        if province and fold(str(data.get("province", ""))) == fold(str(province)):
            return path
    return None


def score(sheet: dict, facts: Facts) -> dict:
    """The school's score: every criterion with its points, the points got (None: scored by
    the Sở by hand), the evidence and what is missing; totals over what open data evidences,
    and the rank of the sheet's thresholds (a percentage of those points)."""
    items, got, auto_max, manual_max = [], 0.0, 0.0, 0.0
    for criterion in sheet.get("criteria") or []:
        points = float(criterion["points"])
        ratio, evidence, missing = MEASURES[criterion["measure"]](criterion, facts)
        earned = None if ratio is None else round(points * ratio, 2)
        if earned is None:
            manual_max += points
        else:
            auto_max += points
            got += earned
        items.append({"id": str(criterion["id"]), "text": str(criterion["text"]),
                      "points": points, "got": earned, "evidence": evidence,
                      "missing": missing, "measure": criterion["measure"]})
    percent = round(100 * got / auto_max, 1) if auto_max else None
    rank = None
    for entry in sorted(sheet.get("thresholds") or [], key=lambda t: -t["min_percent"]):
        if percent is not None and percent >= entry["min_percent"]:
            rank = str(entry["label"])
            break
    return {"sheet": str(sheet.get("id", "")), "title": str(sheet.get("title", "")),
            "invented": bool(sheet.get("invented")), "got": round(got, 2),
            "auto_max": auto_max, "manual_max": manual_max, "percent": percent,
            "rank": rank, "items": items}


def summary_lines(result: dict) -> list[str]:
    """The score as the school's check prints it (Vietnamese), what is missing first."""
    def num(value):
        return f"{value:g}".replace(".", ",")

    head = (f"Điểm theo «{result['title']}»"
            + (" (bộ tiêu chí mẫu, tự đặt ra, không phải văn bản của Sở)"
               if result["invented"] else "")
            + f": {num(result['got'])}/{num(result['auto_max'])} điểm chấm được từ dữ liệu mở")
    if result["manual_max"]:
        head += f" (và {num(result['manual_max'])} điểm Sở chấm trực tiếp)"
    if result["rank"]:
        head += f"; xếp loại: {result['rank']}"
    lines = [head + "."]
    short = [i for i in result["items"] if i["missing"]]
    if short:
        lines.append("Còn thiếu:")
        lines += [f"  - {i['id']}. {i['missing']} ({num(i['got'] or 0)}/{num(i['points'])} "
                  "điểm)" for i in short]
    return lines
