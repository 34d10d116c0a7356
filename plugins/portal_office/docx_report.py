"""The report as a Word file in the layout of Vietnamese administrative documents
(Nghị định 30/2020/NĐ-CP, Phụ lục I): issuing body and number on the left, national title and
motto on the right, place and date, the document's kind and subject, body, "Nơi nhận" and the
signer's title and name. Made with python-docx; the ZIP is written with fixed timestamps so
that the same figures give the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"


def _para(cell_or_doc, text="", bold=False, italic=False, size=13, align=None, space_after=0):
    # a new table cell's own empty paragraph is used; the document's paragraphs are never
    # listed (listing them at every line made a long report quadratic)
    existing = cell_or_doc.paragraphs if hasattr(cell_or_doc, "_tc") else None
    if existing is not None and len(existing) == 1 and not existing[0].runs:
        paragraph = existing[0]
    else:
        paragraph = cell_or_doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    paragraph.paragraph_format.space_after = Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _header(doc, facts: dict) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(left, facts["parent_body"].upper(), size=12, align=center)
    _para(left, facts["issuing_body"].upper(), bold=True, size=12, align=center)
    _para(left, "———", size=12, align=center)
    _para(left, facts["number"], size=13, align=center)
    _para(right, NATIONAL_TITLE, bold=True, size=12, align=center)
    _para(right, MOTTO, bold=True, size=13, align=center)
    _para(right, "———————————", size=12, align=center)
    day = dt.date.fromisoformat(facts["date"])
    _para(right, f"{facts['place']}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
          italic=True, size=13, align=center)


def _signature(doc, facts: dict) -> None:
    table = doc.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(85), Mm(80)
    _para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    recipients = facts["recipients"]
    for index, name in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ";"
        _para(left, f"- {name}{end}", size=11)
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(right, facts["signer_title"], bold=True, size=13, align=center)
    _para(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12, align=center)
    for _ in range(3):
        _para(right, "", size=13)
    _para(right, facts["signer_name"], bold=True, size=13, align=center)


def _hours(value) -> str:
    return "chưa có" if value is None else f"{value:g} giờ".replace(".", ",")


def body_lines(data: dict) -> list[tuple[str, str]]:
    """(style, text) lines of the report's body: "h" headings, "p" paragraphs."""
    plan = data.get("plan") or {}
    posts = data["posts"]
    lines = [("p", f"Căn cứ {base};") for base in plan.get("bases") or []]
    lines += [("p", f"Thực hiện {plan.get('title') or 'kế hoạch truyền thông'}"
                   + (f" (số {plan['number']})" if plan.get("number") else "")
                   + f", {data['school']} báo cáo kết quả công tác truyền thông năm "
                   f"{data['year']} như sau:")]
    lines.append(("h", "I. BÀI VIẾT TRÊN CỔNG THÔNG TIN"))
    lines.append(("p", f"Tổng số bài viết thuộc kế hoạch: {posts['total']}."))
    for row in posts["by_topic"]:
        lines.append(("p", f"- {row['title']}: {row['posts']} bài."))
    lines.append(("p", "Theo đơn vị thực hiện:"))
    for row in posts["by_unit"]:
        lines.append(("p", f"- {row['name']}: {row['posts']} bài."))
    lines.append(("h", "II. BÀI VIẾT GỬI SỞ GDĐT"))
    lines += [("p", f"- {r['title']} (gửi ngày {_vn(r['sent'])}).") for r in data["sent_to_so"]] \
        or [("p", "Không có.")]
    lines.append(("h", "III. THÔNG CÁO BÁO CHÍ VÀ BÁO CHÍ VIẾT VỀ NHÀ TRƯỜNG"))
    lines += [("p", f"- Thông cáo: {r['title']} ({_vn(r['date'])}).")
              for r in data.get("press_releases", [])]
    lines += [("p", f"- {r['outlet']}, {_vn(r['date'])}: {r['title']}.") for r in data["press"]] \
        or [("p", "Không có.")]
    incidents = data.get("incidents")
    if incidents:
        s = incidents["summary"]
        rule = incidents["rule"]
        lines.append(("h", "IV. SỰ CỐ TRUYỀN THÔNG VÀ KẾT QUẢ XỬ LÝ"))
        lines.append(("p", f"Tổng số sự cố: {s['total']}; có thông tin chính thức trong "
                           f"{rule['first_info_hours']} giờ: {s['within_rule']}; chậm: "
                           f"{s['late']}; chưa có thông tin chính thức: "
                           f"{s['without_first_info']}; chưa kết thúc: {s['open']}."))
        for row in incidents["rows"]:
            result = (row["result"] or "đang xử lý").rstrip(". ")
            late = " (chậm so với quy định)" if row["within_rule"] is False else ""
            so = (f"; đã báo cáo Sở ngày {_vn(row['reported_to_so'])}"
                  if row["reported_to_so"] else "")
            lines.append(("p", f"- {row['title']} (phát hiện {_vn(row['detected'])}, kênh "
                               f"{row['channel']}): thông tin chính thức sau "
                               f"{_hours(row['response_hours'])}{late}{so}; kết quả: {result}."))
    feedback = data.get("feedback")
    if feedback:
        lines.append(("h", "V. TIẾP NHẬN VÀ TRẢ LỜI PHẢN ÁNH, KIẾN NGHỊ"))
        lines.append(("p", f"Tiếp nhận {feedback['received']}; đã trả lời {feedback['answered']}"
                           f" ({feedback['answered_in_time']} trong thời hạn "
                           f"{feedback['rule_days']} ngày); đang xử lý {feedback['open']}"
                           f" (quá hạn {feedback['overdue']})."))
    lines.append(("h", "VI. TẬP HUẤN VỀ CÔNG TÁC TRUYỀN THÔNG"))
    lines += [("p", f"- {r['title']} ({_vn(r['date'])}).") for r in data["training"]] \
        or [("p", "Không có.")]
    lines.append(("p", f"Trên đây là báo cáo {data['document']['subject'][0].lower()}"
                       f"{data['document']['subject'][1:]} của {data['school']}./."))
    return lines


def _vn(iso: str) -> str:
    day = dt.date.fromisoformat(iso[:10])
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def render(data: dict) -> bytes:
    """The school's report (figures of ban-truyen-thong.json) as a Word file."""
    return render_document(data["document"], body_lines(data))


def render_document(facts: dict, lines: list[tuple[str, str]]) -> bytes:
    """Any report in the NĐ 30/2020 layout: *facts* are the administrative parts (as
    ``document_facts`` gives them: parent_body, issuing_body, number, place, date, subject,
    recipients, signer_title, signer_name), *lines* the body as (style, text) pairs ("h"
    headings, "p" paragraphs). Used for the school's report and the province's tổng hợp."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    _header(doc, facts)
    _para(doc, "BÁO CÁO", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, facts["subject"], bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER,
          space_after=12)
    for kind, text in lines:
        paragraph = _para(doc, text, bold=kind == "h", size=13, space_after=6)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10) if kind == "p" else None
    _signature(doc, facts)
    day = dt.datetime.fromisoformat(facts["date"])
    props = doc.core_properties
    props.author = facts["issuing_body"]
    props.title = facts["subject"]
    props.created = props.modified = day
    props.last_modified_by = facts["issuing_body"]
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same ZIP with every entry dated 1980-01-01: one set of figures, one file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def write_docx(data: dict, path: str) -> None:
    with open(path, "wb") as handle:
        handle.write(render(data))
