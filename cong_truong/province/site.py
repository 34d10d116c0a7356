"""The dashboard as a static site: Jinja2 with autoescape (markup in a school's name or titles
is text), the portal theme's stylesheet, relative links; CSV and JSON beside every table."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import jinja2

import cong_truong.theme

from . import report, tables
from .harvest import HARVEST_LABELS
from .registry import LEVELS

HERE = os.path.dirname(os.path.abspath(__file__))
THEME = os.path.dirname(os.path.abspath(cong_truong.theme.__file__))
MEASURE_LABELS = {
    "news_per_school_year": "Đếm bài tin tức trong năm học",
    "content_current": "Ngày của bài tin tức mới nhất",
    "disclosure_no_overdue": "Mục công khai đã đến hạn mà chưa công khai (tính lại theo quy định)",
    "disclosure_school_years": "Văn bản công khai của từng năm học",
    "section": "Mục của cổng có và được cập nhật (TT 37/2020)",
    "sections_mandatory": "Các mục bắt buộc của cổng theo TT 37/2020",
    "domain_suffix": "Tên miền của cổng",
    "incidents_first_info": "Thời gian từ khi phát hiện sự cố đến thông tin chính thức",
    "feedback_in_time": "Thời gian trả lời phản ánh, kiến nghị",
    "report_published": "Báo cáo công tác truyền thông đã công bố",
    "manual": "Sở chấm trực tiếp",
}


def vn_number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_iso(value):
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vn_datetime(value):
    text = str(value or "")
    if len(text) >= 16 and text[10] in "T ":
        return f"{text[11:16]} {vn_iso(text)}"
    return vn_iso(text)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(HERE, "templates")),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(vn_number=vn_number, vn_iso=vn_iso, vn_datetime=vn_datetime)
    return env


class Writer:
    def __init__(self, out: str, common: dict):
        self.out, self.common, self.env = out, common, environment()

    def page(self, rel: str, template: str, **context) -> None:
        """*rel*: the page's folder ("" for the root, "truong/x/")."""
        depth = rel.count("/")
        html = self.env.get_template(template).render(
            **self.common, root="../" * depth, here="", **context)
        self.file(rel + "index.html", html)

    def file(self, rel: str, text: str | bytes, bom: bool = False) -> None:
        path = os.path.join(self.out, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(text, bytes):
            with open(path, "wb") as handle:
                handle.write(text)
        else:
            with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as h:
                h.write(text)

    def tables(self, rel: str, found: list) -> None:
        for table in found:
            self.file(f"{rel}{table.name}.csv", table.csv(), bom=True)
            self.file(f"{rel}{table.name}.json", table.json())


def _filters(records, key, label_key, prefix, current=None):
    found: dict[str, dict] = {}
    for r in records:
        entry = found.setdefault(r[key], {"key": r[key], "label": r[label_key], "count": 0,
                                          "url": f"{prefix}/{r[key]}/"})
        entry["count"] += 1
    for entry in found.values():
        entry["current"] = entry["key"] == current
    order = list(LEVELS)
    return sorted(found.values(), key=lambda e: (
        order.index(e["key"]) if key == "level" and e["key"] in order else 99, e["label"]))


def index_records(records: list[dict], today: dt.date) -> list[dict]:
    """DIR/index.json: one record per school (a public contract: README)."""
    found = []
    for r in records:
        score = r.get("score") or {}
        found.append({
            "code": r["code"], "name": r["name"], "level": r["level"], "commune": r["commune"],
            "url": r["url"], "harvest": r["harvest"], "fetched_at": r["fetched_at"],
            "stale": r["harvest"] == "stale", "faults": r["faults"],
            "portal_version": r["portal_version"],
            "overdue_by_school_year": r["overdue_by_year"] if r["has_data"] else {},
            "sections_missing": [s["id"] for s in r["sections_missing"]],
            "sections_outdated": [s["id"] for s in r["sections_outdated"]],
            "incidents_without_official_information": len(r["incidents_late"]),
            "feedback_overdue": r["feedback_overdue"],
            "report_received": bool(r["report"]),
            "score": ({"sheet": score.get("sheet"), "points": score.get("got"),
                       "of": score.get("auto_max"), "manual_points": score.get("manual_max"),
                       "rank": score.get("rank"),
                       "items": [{"id": i["id"], "points": i["points"], "got": i["got"],
                                  "evidence": i["evidence"], "missing": i["missing"]}
                                 for i in score.get("items") or []]} if score else None),
            "page": f"truong/{r['key']}/",
        })
    return found


CONTRACT = "bang-dieu-khien-tinh"


def refusal(out: str) -> str:
    """Why *out* may not be emptied ("" when it may): only an empty folder, or a dashboard
    written by this command before (its index.json), is replaced."""
    if not os.path.exists(out):
        return ""
    if not os.path.isdir(out):
        return f"«{out}» là một tệp, không phải thư mục."
    names = [n for n in os.listdir(out) if n != ".git"]
    if not names:
        return ""
    try:
        with open(os.path.join(out, "index.json"), encoding="utf-8") as handle:
            if json.load(handle).get("contract") == CONTRACT:
                return ""
    except (OSError, ValueError, AttributeError):
        pass
    return (f"Thư mục «{out}» đã có tệp khác, không phải bảng điều khiển: không ghi đè. Chọn "
            "một thư mục trống hoặc thư mục bảng điều khiển cũ cho --out.")


def write(out: str, registry, records: list[dict], today: dt.date, year: int, sheet,
          harvest_info: dict, version: str) -> None:
    """Every page and file of the dashboard into *out* (emptied first, except .git)."""
    if os.path.isdir(out):
        for name in os.listdir(out):
            if name == ".git":
                continue
            path = os.path.join(out, name)
            shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) \
                else os.remove(path)
    os.makedirs(out, exist_ok=True)
    css = os.path.join(out, "theme", "css")
    os.makedirs(css, exist_ok=True)
    shutil.copyfile(os.path.join(THEME, "static", "css", "portal.css"),
                    os.path.join(css, "portal.css"))
    shutil.copyfile(os.path.join(THEME, "static", "favicon.svg"),
                    os.path.join(out, "theme", "favicon.svg"))
    body = registry.managing_body or (f"Sở GDĐT {registry.province}" if registry.province
                                      else "Sở Giáo dục và Đào tạo")
    common = {"body_name": body, "today_vn": vn_iso(today.isoformat()), "version": version,
              "labels": HARVEST_LABELS, "year": year}
    w = Writer(out, common)

    def overview(rel, subset, title, filter_label="", level=None, commune=None):
        found = tables.overview_tables(subset, registry.faults if not filter_label else [],
                                       today, year)
        counts = found[0]
        w.page(rel, "overview.html", title=title, nav="home", tables=found, counts=counts,
               schools_count=len(subset), filter_label=filter_label,
               level_filters=_filters(records, "level", "level_label", "cap", level),
               commune_filters=_filters(records, "commune_key", "commune", "xa", commune),
               commune_open=commune is not None)
        w.tables(rel, found)

    overview("", records, "Cổng thông tin các trường — tổng quan")
    for f in _filters(records, "level", "level_label", "cap"):
        subset = [r for r in records if r["level"] == f["key"]]
        overview(f["url"], subset, f"Cấp học: {f['label']}", f"cấp học {f['label']}",
                 level=f["key"])
    for f in _filters(records, "commune_key", "commune", "xa"):
        subset = [r for r in records if r["commune_key"] == f["key"]]
        overview(f["url"], subset, f"Xã, phường: {f['label']}", f["label"], commune=f["key"])
    from .compute import CLAIMS, STATUS_LABELS
    status_order = ["on_time", "late", "pending", "overdue", "not_judged", "not_applicable"]
    for r in records:
        w.page(f"truong/{r['key']}/", "school.html", title=r["name"], nav="", s=r,
               level_url=f"cap/{r['level']}/", commune_url=f"xa/{r['commune_key']}/",
               status_order=status_order, status_labels=STATUS_LABELS, claims=CLAIMS)
    data = report.figures(records, year)
    w.page("bao-cao/", "report.html", title=f"Tổng hợp công tác truyền thông năm {year}",
           nav="report", r=data)
    w.file(f"bao-cao/tong-hop-{year}.csv", report.to_csv(data), bom=True)
    w.file(f"bao-cao/tong-hop-{year}.json",
           json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    w.file(f"bao-cao/tong-hop-{year}.docx", report.docx(registry, data, today))
    faults = tables.faults(records, registry.faults)
    counts = tables.harvest_counts(records)
    w.page("thu-thap/", "harvest.html", title="Thu thập dữ liệu", nav="harvest",
           faults=faults, counts=counts, stats=harvest_info,
           started=harvest_info.get("started", ""))
    w.tables("thu-thap/", [faults, counts])
    w.file("thu-thap/bao-cao-thu-thap.txt", harvest_text(records, registry, harvest_info))
    w.page("tieu-chi/", "criteria.html", title="Bộ tiêu chí chấm điểm cổng thông tin",
           nav="criteria", sheet=sheet, measures=MEASURE_LABELS)
    w.file("index.json", json.dumps({
        "contract": CONTRACT, "version": 1, "today": today.isoformat(),
        "report_year": year, "province": registry.province,
        "managing_body": registry.managing_body,
        "harvest": {k: v for k, v in harvest_info.items()},
        "registry_faults": [line for _, line in registry.faults],
        "schools": index_records(records, today)}, ensure_ascii=False, indent=1) + "\n")


def harvest_text(records, registry, info) -> str:
    """The harvest report as plain text (also printed by the command)."""
    lines = [f"Báo cáo thu thập dữ liệu mở — {info.get('started', '')}",
             f"{len(records)} trường: " + ", ".join(
                 f"{sum(1 for r in records if r['harvest'] == k)} {v.lower()}"
                 for k, v in HARVEST_LABELS.items()),
             f"{info.get('requests', 0)} yêu cầu, {info.get('downloaded', 0)} byte, "
             f"{info.get('changed', 0)} trường có dữ liệu mới, {info.get('seconds', 0)} giây."]
    for _, line in registry.faults:
        lines.append(f"  danh sách: {line}")
    for r in records:
        for line in r["faults"]:
            lines.append(f"  {r['code']} {r['name']}: {line}")
    return "\n".join(lines) + "\n"
