"""The province's communications report (tổng hợp) for a year, from the schools' annual
reports: counts by topic, level and commune, incidents and results, stories sent to the Sở,
press coverage, and the schools that sent no report. Written as HTML (a template), CSV and a
Word file in the NĐ 30/2020 layout through portal_office's writer (render_document)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from portal_office.docx_report import render_document

from .registry import LEVELS


def figures(records: list[dict], year: int) -> dict:
    sent = [r for r in records if r.get("report")]
    topics: dict[str, dict] = {}
    levels: dict[str, dict] = {}
    communes: dict[str, dict] = {}
    incidents, stories, press = [], [], []
    feedback = {"received": 0, "answered": 0, "open": 0, "overdue": 0}
    for r in sent:
        rep = r["report"]
        for t in rep["by_topic"]:
            entry = topics.setdefault(t["code"], {"code": t["code"], "title": t["title"],
                                                  "posts": 0, "schools": 0})
            entry["posts"] += t["posts"]
            entry["schools"] += bool(t["posts"])
        for key, label, table in ((r["level"], r["level_label"], levels),
                                  (r["commune_key"], r["commune"], communes)):
            entry = table.setdefault(key, {"key": key, "label": label, "schools": 0, "posts": 0})
            entry["schools"] += 1
            entry["posts"] += rep["total"]
        incidents += [{**i, "school": r["name"], "code": r["code"]} for i in rep["incidents"]]
        stories += [{**s, "school": r["name"], "code": r["code"]} for s in rep["sent_to_so"]]
        press += [{**p, "school": r["name"], "code": r["code"]} for p in rep["press"]]
        for key in feedback:
            feedback[key] += rep["feedback"].get(key, 0)
    order = list(LEVELS)
    return {
        "year": year,
        "schools": len(records), "sent": len(sent),
        "missing": [{"code": r["code"], "name": r["name"], "level": r["level_label"],
                     "commune": r["commune"]} for r in records if not r.get("report")],
        "posts": sum(r["report"]["total"] for r in sent),
        "by_topic": list(topics.values()),
        "by_level": sorted(levels.values(), key=lambda e: (
            order.index(e["key"]) if e["key"] in order else 99, e["label"])),
        "by_commune": sorted(communes.values(), key=lambda e: e["label"]),
        "incidents": sorted(incidents, key=lambda i: str(i.get("detected") or "")),
        "incidents_summary": {
            "total": len(incidents),
            "within_rule": sum(1 for i in incidents if i.get("within_rule") is True),
            "late": sum(1 for i in incidents if i.get("within_rule") is False),
            "without_first_info": sum(1 for i in incidents if i.get("response_hours") is None),
            "open": sum(1 for i in incidents if i.get("status") == "open")},
        "stories": sorted(stories, key=lambda s: str(s.get("sent") or "")),
        "press": sorted(press, key=lambda p: str(p.get("date") or "")),
        "feedback": feedback,
    }


def _vn(iso) -> str:
    if not iso:
        return ""
    day = dt.date.fromisoformat(str(iso)[:10])
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def to_csv(data: dict) -> str:
    """Phần, Mục, Giá trị (UTF-8 with BOM when written): bao-cao, chu-de, cap-hoc, xa-phuong,
    gui-so, bao-chi, su-co, phan-anh, chua-bao-cao."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["Phần", "Mục", "Giá trị"])
    w.writerow(["bao-cao", "Số trường", data["schools"]])
    w.writerow(["bao-cao", "Số trường đã có báo cáo", data["sent"]])
    w.writerow(["bai-viet", "Tổng số bài", data["posts"]])
    for t in data["by_topic"]:
        w.writerow(["chu-de", t["title"], t["posts"]])
    for e in data["by_level"]:
        w.writerow(["cap-hoc", e["label"], e["posts"]])
    for e in data["by_commune"]:
        w.writerow(["xa-phuong", e["label"], e["posts"]])
    for s in data["stories"]:
        w.writerow(["gui-so", f"{s['school']}: {s['title']}", s.get("sent") or ""])
    for p in data["press"]:
        w.writerow(["bao-chi", f"{s_or(p['school'])}: {p['outlet']}, {p['title']}",
                    p.get("date") or ""])
    for i in data["incidents"]:
        w.writerow(["su-co", f"{i['school']}: {i['title']}",
                    "" if i.get("response_hours") is None else i["response_hours"]])
    for key, value in data["feedback"].items():
        w.writerow(["phan-anh", key, value])
    for m in data["missing"]:
        w.writerow(["chua-bao-cao", f"{m['code']} {m['name']}", m["commune"]])
    return out.getvalue()


def s_or(value) -> str:
    return str(value or "")


def body_lines(data: dict, province: str) -> list[tuple[str, str]]:
    year = data["year"]
    lines = [("p", f"Trên cơ sở dữ liệu mở về công tác truyền thông năm {year} do các trường "
                   f"công bố trên cổng thông tin điện tử ({data['sent']}/{data['schools']} trường "
                   f"đã có báo cáo), Sở Giáo dục và Đào tạo tổng hợp kết quả như sau:")]
    lines.append(("h", "I. TÌNH HÌNH BÁO CÁO CỦA CÁC TRƯỜNG"))
    lines.append(("p", f"Số trường đã có báo cáo: {data['sent']}/{data['schools']}."))
    if data["missing"]:
        lines.append(("p", f"Các trường chưa có báo cáo ({len(data['missing'])}):"))
        lines += [("p", f"- {m['name']} ({m['code']}, {m['commune']}).") for m in data["missing"]]
    lines.append(("h", "II. BÀI VIẾT TRÊN CỔNG THÔNG TIN CÁC TRƯỜNG"))
    lines.append(("p", f"Tổng số bài viết thuộc kế hoạch truyền thông: {data['posts']}."))
    lines.append(("p", "Theo chủ đề:"))
    lines += [("p", f"- {t['title']}: {t['posts']} bài ({t['schools']} trường).")
              for t in data["by_topic"]] or [("p", "Không có.")]
    lines.append(("p", "Theo cấp học:"))
    lines += [("p", f"- {e['label']}: {e['posts']} bài ({e['schools']} trường).")
              for e in data["by_level"]]
    lines.append(("p", "Theo xã, phường:"))
    lines += [("p", f"- {e['label']}: {e['posts']} bài ({e['schools']} trường).")
              for e in data["by_commune"]]
    lines.append(("h", "III. BÀI VIẾT GỬI SỞ GDĐT"))
    lines += [("p", f"- {s['school']}: {s['title']} (gửi ngày {_vn(s.get('sent'))}).")
              for s in data["stories"]] or [("p", "Không có.")]
    lines.append(("h", "IV. BÁO CHÍ VIẾT VỀ CÁC TRƯỜNG"))
    lines += [("p", f"- {p['outlet']}, {_vn(p.get('date'))}: {p['title']} ({p['school']}).")
              for p in data["press"]] or [("p", "Không có.")]
    s = data["incidents_summary"]
    lines.append(("h", "V. SỰ CỐ TRUYỀN THÔNG VÀ KẾT QUẢ XỬ LÝ"))
    lines.append(("p", f"Tổng số sự cố: {s['total']}; có thông tin chính thức trong thời hạn: "
                       f"{s['within_rule']}; chậm: {s['late']}; chưa có thông tin chính thức: "
                       f"{s['without_first_info']}; chưa kết thúc: {s['open']}."))
    for i in data["incidents"]:
        hours = ("chưa có thông tin chính thức" if i.get("response_hours") is None else
                 f"thông tin chính thức sau {i['response_hours']:g} giờ".replace(".", ","))
        result = (i.get("result") or "đang xử lý").rstrip(". ")
        lines.append(("p", f"- {i['school']}: {i['title']} (phát hiện {_vn(i.get('detected'))};"
                           f" {hours}; kết quả: {result})."))
    f = data["feedback"]
    lines.append(("h", "VI. PHẢN ÁNH, KIẾN NGHỊ"))
    lines.append(("p", f"Các trường tiếp nhận {f['received']}; đã trả lời {f['answered']}; đang "
                       f"xử lý {f['open']} (quá hạn {f['overdue']})."))
    lines.append(("p", f"Trên đây là báo cáo tổng hợp kết quả công tác truyền thông năm {year} "
                       f"của các trường trên địa bàn{' tỉnh ' + province if province else ''}./."))
    return lines


def document_facts(registry, data: dict, today: dt.date) -> dict:
    report = registry.report or {}
    return {
        "parent_body": str(report.get("parent_body") or registry.parent_body
                           or (f"UBND tỉnh {registry.province}" if registry.province else "")),
        "issuing_body": str(registry.managing_body or "Sở Giáo dục và Đào tạo"),
        "number": f"Số:      /{report.get('symbol') or 'BC-SGDĐT'}",
        "place": str(report.get("place") or registry.province or ""),
        "date": today.isoformat(),
        "subject": f"Tổng hợp kết quả công tác truyền thông năm {data['year']} của các trường",
        "recipients": [str(r) for r in report.get("recipients")
                       or ["Bộ Giáo dục và Đào tạo (để báo cáo)", "UBND tỉnh (để báo cáo)",
                           "Lãnh đạo Sở", "Lưu: VT, VP"]],
        "signer_title": str(report.get("signer_title") or "GIÁM ĐỐC").upper(),
        "signer_name": str(report.get("signer_name") or ""),
    }


def docx(registry, data: dict, today: dt.date) -> bytes:
    return render_document(document_facts(registry, data, today),
                           body_lines(data, registry.province))
