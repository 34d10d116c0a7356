"""The dashboard's tables, from the schools' records: each a title, columns and rows of plain
values, written as an HTML table, a CSV file (UTF-8 with BOM) and a JSON file beside the page.
Pure functions."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

from .harvest import HARVEST_LABELS, INVALID, OK, STALE, UNREACHABLE
from .registry import LEVELS


@dataclasses.dataclass
class Table:
    name: str  # file name: <name>.csv, <name>.json
    title: str
    columns: list  # [(key, label)]
    rows: list  # [dict]
    caption: str = ""
    links: dict = dataclasses.field(default_factory=dict)  # column key → row key of its URL
    machine: tuple = ()  # column keys for CSV/JSON only (codes), not shown on the page

    @property
    def shown(self) -> list:
        return [(k, label) for k, label in self.columns if k not in self.machine]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([label for _, label in self.columns])
        for row in self.rows:
            writer.writerow(["" if row.get(k) is None else _cell(row.get(k))
                             for k, _ in self.columns])
        return out.getvalue()

    def json(self) -> str:
        return json.dumps({"title": self.title, "fields": [k for k, _ in self.columns],
                           "labels": {k: v for k, v in self.columns},
                           "rows": [{k: row.get(k) for k, _ in self.columns}
                                    for row in self.rows]},
                          ensure_ascii=False, indent=1) + "\n"


def _cell(value):
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return value


def current_years(today) -> tuple[str, str]:
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}-{start + 1}", f"{start - 1}-{start}"


def harvest_counts(records: list[dict]) -> Table:
    rows = [{"status": s, "label": HARVEST_LABELS[s],
             "schools": sum(1 for r in records if r["harvest"] == s)}
            for s in (OK, STALE, UNREACHABLE, INVALID)]
    return Table("thu-thap", "Tình trạng thu thập dữ liệu",
                 [("status", "Mã"), ("label", "Tình trạng"), ("schools", "Số trường")], rows,
                 machine=("status",))


def schools_table(records: list[dict], today, year: int) -> Table:
    this, last = current_years(today)
    rows = []
    for r in records:
        score = r.get("score") or {}
        rows.append({
            "code": r["code"], "name": r["name"], "level": r["level_label"],
            "commune": r["commune"], "harvest": HARVEST_LABELS[r["harvest"]],
            "fetched_at": (r["fetched_at"] or "")[:10] or None,
            "overdue_this": r["overdue_by_year"].get(this) if r["has_data"] else None,
            "overdue_last": r["overdue_by_year"].get(last) if r["has_data"] else None,
            "sections_missing": len(r["sections_missing"]) if r["has_data"] else None,
            "incidents_late": len(r["incidents_late"]) if r["has_data"] else None,
            "feedback_overdue": r["feedback_overdue"] if r["has_data"] else None,
            "report": bool(r["report"]) if r["has_data"] else None,
            "score": score.get("got"), "score_max": score.get("auto_max"),
            "rank": score.get("rank"), "faults": len(r["faults"]),
            "page": f"truong/{r['key']}/",
        })
    columns = [("code", "Mã trường"), ("name", "Tên trường"), ("level", "Cấp học"),
               ("commune", "Xã, phường"), ("harvest", "Thu thập"),
               ("fetched_at", "Dữ liệu ngày"),
               ("overdue_this", f"Mục công khai quá hạn {this.replace('-', '–')}"),
               ("overdue_last", f"Quá hạn {last.replace('-', '–')}"),
               ("sections_missing", "Mục TT 37 thiếu"),
               ("incidents_late", "Sự cố chưa có thông tin"),
               ("feedback_overdue", "Phản ánh quá hạn"),
               ("report", f"Báo cáo truyền thông {year}"),
               ("score", "Điểm"), ("score_max", "Trên"), ("rank", "Xếp loại"),
               ("faults", "Lỗi")]
    return Table("truong", "Các trường", columns, rows, links={"name": "page"})


def overdue_by_item(records: list[dict]) -> Table:
    found: dict[str, dict] = {}
    for r in records:
        for row in r["overdue_rows"]:
            entry = found.setdefault(row["item"], {"item": row["item"], "name": row["name"],
                                                   "schools": set(), "rows": 0})
            entry["schools"].add(r["code"])
            entry["rows"] += 1
    rows = [{"item": e["item"], "name": e["name"], "schools": len(e["schools"]),
             "rows": e["rows"]} for e in sorted(found.values(), key=lambda e: e["item"])]
    return Table("qua-han-theo-muc", "Mục công khai quá hạn, theo mục",
                 [("item", "Mục"), ("name", "Nội dung"), ("schools", "Số trường quá hạn"),
                  ("rows", "Số lượt quá hạn (năm học, kỳ)")], rows)


def _group(records, key, label_key, name, title, label):
    groups: dict[str, dict] = {}
    for r in records:
        entry = groups.setdefault(r[key], {"key": r[key], "label": r[label_key], "schools": 0,
                                           "with_data": 0, "overdue_schools": 0, "rows": 0})
        entry["schools"] += 1
        if r["has_data"]:
            entry["with_data"] += 1
            entry["rows"] += len(r["overdue_rows"])
            entry["overdue_schools"] += bool(r["overdue_rows"])
    order = list(LEVELS) if key == "level" else None
    rows = sorted(groups.values(), key=lambda e: (order.index(e["key"]) if order and e["key"]
                                                  in order else 99, e["label"]))
    return Table(name, title, [("label", label), ("schools", "Số trường"),
                               ("with_data", "Có dữ liệu"),
                               ("overdue_schools", "Trường có mục quá hạn"),
                               ("rows", "Số lượt quá hạn")], rows)


def overdue_by_level(records):
    return _group(records, "level", "level_label", "qua-han-theo-cap",
                  "Mục công khai quá hạn, theo cấp học", "Cấp học")


def overdue_by_commune(records):
    return _group(records, "commune_key", "commune", "qua-han-theo-xa",
                  "Mục công khai quá hạn, theo xã, phường", "Xã, phường")


def sections_missing(records: list[dict]) -> Table:
    found: dict[str, dict] = {}
    for r in records:
        for kind in ("sections_missing", "sections_outdated"):
            for s in r[kind]:
                entry = found.setdefault(s["id"], {"id": s["id"], "title": s["title"],
                                                   "missing": 0, "outdated": 0})
                entry["missing" if kind == "sections_missing" else "outdated"] += 1
    rows = sorted(found.values(), key=lambda e: (-e["missing"], -e["outdated"], e["id"]))
    return Table("tt37-thieu", "Mục bắt buộc theo TT 37/2020 còn thiếu hoặc quá hạn cập nhật",
                 [("id", "Mã mục"), ("title", "Mục"), ("missing", "Số trường thiếu"),
                  ("outdated", "Số trường quá hạn cập nhật")], rows)


def incidents_late(records: list[dict]) -> Table:
    rows = [{"code": r["code"], "name": r["name"], "title": i["title"],
             "detected": i["detected"], "hours": i["hours"], "page": f"truong/{r['key']}/"}
            for r in records for i in r["incidents_late"]]
    return Table("su-co-chua-co-thong-tin",
                 "Sự cố truyền thông chưa có thông tin chính thức quá thời hạn",
                 [("code", "Mã trường"), ("name", "Trường"), ("title", "Sự cố"),
                  ("detected", "Phát hiện lúc"), ("hours", "Đã qua (giờ)")], rows,
                 links={"name": "page"})


def feedback_overdue(records: list[dict]) -> Table:
    rows = [{"code": r["code"], "name": r["name"], "overdue": r["feedback_overdue"],
             "days": (r.get("rules") or {}).get("feedback_days"), "page": f"truong/{r['key']}/"}
            for r in records if r["feedback_overdue"]]
    return Table("phan-anh-qua-han", "Phản ánh, kiến nghị quá hạn chưa trả lời",
                 [("code", "Mã trường"), ("name", "Trường"), ("overdue", "Số phản ánh quá hạn"),
                  ("days", "Thời hạn (ngày)")], rows, links={"name": "page"})


def reports_received(records: list[dict], year: int) -> Table:
    rows = [{"code": r["code"], "name": r["name"], "received": bool(r["report"]),
             "posts": (r["report"] or {}).get("total"), "page": f"truong/{r['key']}/"}
            for r in records]
    return Table("bao-cao-nhan", f"Báo cáo công tác truyền thông năm {year} đã có",
                 [("code", "Mã trường"), ("name", "Trường"), ("received", "Đã có báo cáo"),
                  ("posts", "Số bài trong kế hoạch")], rows, links={"name": "page"})


def faults(records: list[dict], registry_faults: list) -> Table:
    rows = [{"code": code, "name": "", "fault": line} for code, line in registry_faults]
    rows += [{"code": r["code"], "name": r["name"], "fault": line, "page": f"truong/{r['key']}/"}
             for r in records for line in r["faults"]]
    return Table("loi", "Lỗi khi thu thập và đọc dữ liệu",
                 [("code", "Mã trường"), ("name", "Trường"), ("fault", "Lỗi")], rows,
                 links={"name": "page"})


def overview_tables(records, registry_faults, today, year) -> list[Table]:
    """The overview's tables; the first (harvest counts) is shown as the summary line."""
    return [harvest_counts(records), overdue_by_item(records), overdue_by_level(records),
            overdue_by_commune(records), sections_missing(records), incidents_late(records),
            feedback_overdue(records), reports_received(records, year),
            faults(records, registry_faults), schools_table(records, today, year)]
