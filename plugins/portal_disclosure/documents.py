"""Disclosure documents: reading and checking their front matter and attachments."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

from portal_core.dates import parse_iso, parse_school_year, vn_date
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.text import closest, fold, split_list
from portal_safety.files import load_types

from .catalogue import PLUGIN, items_by_id, normalize_item_id, suggest_item
from .deadlines import PERIOD_FORMS, parse_period, period_unit, school_year_of

# extension → label shown to readers: the types marked `disclosure: true` in portal_safety's
# attachments.yml (the one list of publishable types; their content is checked there too)
FILE_TYPES = {ext: spec["label"] for ext, spec in load_types().types.items()
              if spec.get("disclosure")}
LATEST_YEARS_AFTER = 5  # a document may be published late, but not more than this after its year


@dataclasses.dataclass
class Attachment:
    name: str  # file name as shown
    url: str  # path inside the output, e.g. cong-khai/2024-2025/du-toan-2025.xlsx
    kind: str  # "PDF"
    size: int  # bytes

    @property
    def label(self) -> str:
        return f"{self.kind}, {human_size(self.size)}"


@dataclasses.dataclass
class Document:
    source: str  # relative to the project, for messages
    title: str
    url: str
    items: list  # item ids, e.g. ["CK-01", "CK-02"]
    start_year: int
    period: str | None
    published: dt.date
    change_date: dt.date | None = None
    attachments: list = dataclasses.field(default_factory=list)

    @property
    def school_year(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"


def human_size(size: int) -> str:
    """"48 KB", "1,2 MB" (Vietnamese decimal comma; at least 1 KB)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def folder_school_year(rel_to_folder: str) -> str | None:
    """The school-year folder of a document path relative to content/cong-khai/, if any."""
    parts = rel_to_folder.replace(os.sep, "/").split("/")
    return parts[0] if len(parts) > 1 else None


def url_school_year(meta: dict, folder_year: str | None) -> str | None:
    """The school year used in the document's URL: its School-year if valid, else its folder."""
    for value in (meta.get("school-year"), folder_year):
        try:
            start, end = parse_school_year(str(value or ""))
            return f"{start}-{end}"
        except ValueError:
            continue
    return None


def check_document(meta: dict, *, rel: str, source_dir: str, content_root: str,
                   static_paths: list[str], catalogue: dict, today: dt.date,
                   folder_year: str | None, lines: dict | None = None,
                   title: str = "", url: str = "") -> tuple[Document | None, list[Problem]]:
    """Check one document's metadata; return the document (None if unusable) and problems.

    *meta* has lower-case keys (disclosure, school-year, date, period, attachments,
    change-date) as Pelican read them; dates may already be datetimes.
    """
    problems: list[Problem] = []
    lines = lines if lines is not None else {}

    def add(field, value, message, hint="", severity=ERROR):
        problems.append(Problem(rel, field, str(value), message, hint,
                                line=lines.get(field.lower()), severity=severity, plugin=PLUGIN))

    items = items_by_id(catalogue)
    raw_items = split_list(meta.get("disclosure"))
    chosen: list[dict] = []
    if not raw_items:
        add("Disclosure", "", "Thiếu mã mục công khai.",
            "Thêm dòng «Disclosure: CK-13» (mã trong danh mục; nhiều mục cách nhau bởi dấu phẩy).")
    for raw_item in raw_items:
        item = items.get(normalize_item_id(raw_item))
        if item is None:
            add("Disclosure", raw_item, "Mã mục công khai không có trong danh mục.",
                suggest_item(raw_item, catalogue))
        elif item not in chosen:
            chosen.append(item)
    units = {i.get("periods") for i in chosen}
    if len(chosen) > 1 and (len(units) > 1 or None not in units):
        add("Disclosure", meta.get("disclosure"), "Mục định kỳ phải có văn bản riêng cho từng kỳ.",
            "Tách thành các tệp riêng, mỗi tệp một mục định kỳ và một kỳ (Period).")
    item = chosen[0] if len(chosen) == 1 else (
        {"id": ", ".join(i["id"] for i in chosen), "periods": None} if chosen else None)

    start_year = None
    raw_year = str(meta.get("school-year") or "").strip()
    if not raw_year:
        add("School-year", "", "Thiếu năm học.", "Thêm dòng «School-year: 2024-2025».")
    else:
        try:
            start_year, _ = parse_school_year(raw_year)
        except ValueError:
            add("School-year", raw_year, "Năm học không hợp lệ.",
                "Dạng YYYY-YYYY gồm hai năm liên tiếp, ví dụ 2024-2025.")
    if start_year is not None and folder_year and folder_year != f"{start_year}-{start_year + 1}":
        add("School-year", raw_year, f"Năm học khác với thư mục chứa tệp ({folder_year}).",
            f"Chuyển tệp vào thư mục cong-khai/{start_year}-{start_year + 1}/ hoặc sửa năm học.")

    published = None
    raw_date = meta.get("date")
    if raw_date in (None, ""):
        add("Date", "", "Thiếu ngày công khai.", "Thêm dòng «Date: 2025-06-20» (YYYY-MM-DD).")
    else:
        try:
            published = parse_iso(raw_date).date()
        except ValueError:
            pass  # portal_core's reader already reported the malformed date
    if published is not None and published.year <= 1970:
        published = None  # the reader's placeholder for a malformed date
    if published is not None and start_year is not None:
        earliest = dt.date(start_year, 1, 1)
        latest = min(today, dt.date(start_year + 1 + LATEST_YEARS_AFTER, 12, 31))
        if not earliest <= published <= latest:
            future = published > today
            add("Date", published.isoformat(),
                "Ngày công khai ở tương lai (sau hôm nay)." if future else
                f"Ngày công khai nằm ngoài khoảng hợp lý của năm học "
                f"{start_year}-{start_year + 1}.",
                f"Ngày hợp lệ từ {vn_date(earliest, False)} đến {vn_date(latest, False)}; "
                "kiểm tra lại năm của ngày đăng hoặc năm học.")
            published = None

    period = _check_period(meta, item, start_year, add)

    change_date = None
    if meta.get("change-date"):
        try:
            change_date = parse_iso(meta["change-date"]).date()
        except ValueError:
            add("Change-date", meta["change-date"], "Ngày thay đổi không đúng dạng.",
                "Dạng YYYY-MM-DD, ví dụ 2025-03-10.")
        if chosen and change_date is not None and not all(i.get("on_change") for i in chosen):
            add("Change-date", meta["change-date"],
                "Mục này không có hạn cập nhật khi thay đổi.", "Xóa dòng Change-date.", WARNING)

    attachments = check_attachments(meta.get("attachments"), rel=rel, source_dir=source_dir,
                                    content_root=content_root, static_paths=static_paths, add=add)
    for required in (i for i in chosen if i.get("requires_attachment")):
        wanted = required["requires_attachment"]
        if not any(a.name.lower().endswith("." + wanted) for a in attachments):
            add("Attachments", meta.get("attachments") or "",
                f"Mục {required['id']} cần tệp đính kèm dạng {wanted.upper()}.",
                f"Đính kèm bản {wanted.upper()} (ví dụ bao-cao-thuong-nien.{wanted}).", WARNING)

    if any(p.severity == ERROR for p in problems) or None in (item, start_year, published):
        return None, problems
    return Document(rel, title, url, [i["id"] for i in chosen], start_year, period, published,
                    change_date, attachments), problems


def _check_period(meta, item, start_year, add) -> str | None:
    raw = str(meta.get("period") or "").strip()
    unit = (item or {}).get("periods")
    if not raw:
        if unit:
            add("Period", "", f"Mục {item['id']} là mục định kỳ: thiếu kỳ công khai.",
                f"Thêm dòng «Period: …» dạng {PERIOD_FORMS[unit][1]}.")
        return None
    found = period_unit(raw)
    if found is None or (unit and found != unit):
        hint = PERIOD_FORMS[unit][1] if unit else "; ".join(f for _, f in PERIOD_FORMS.values())
        add("Period", raw, "Kỳ công khai không đúng dạng.", f"Dạng {hint}.")
        return None
    try:
        period = parse_period(raw)
    except ValueError:
        add("Period", raw, "Kỳ công khai không tồn tại.", "Kiểm tra số tuần/quý.")
        return None
    if unit and start_year is not None and school_year_of(period.end) != start_year:
        own = school_year_of(period.end)
        add("Period", raw, f"Kỳ này thuộc năm học {own}-{own + 1}, không thuộc năm học "
            f"{start_year}-{start_year + 1}.",
            "Kỳ thuộc năm học chứa ngày kết thúc kỳ: quý III, IV của năm đầu và quý I, II "
            "của năm sau.")
        return None
    return period.id


def check_attachments(value, *, rel, source_dir, content_root, static_paths, add) -> list:
    """Attachments listed in front matter: beside the document (or elsewhere in a static
    folder of content/), existing, of a known type. Returns the valid ones."""
    found = []
    root = os.path.abspath(content_root)
    statics = [os.path.join(root, p) for p in static_paths]
    for name in split_list(value):
        drive = len(name) > 1 and name[1] == ":"  # C:\… typed on Windows
        if os.path.isabs(name) or name.startswith(("/", "\\")) or drive:
            add("Attachments", name, "Tệp đính kèm dùng đường dẫn tuyệt đối.",
                "Ghi tên tệp đặt cùng thư mục với bài, ví dụ «bao-cao-2024.pdf».")
            continue
        path = os.path.normpath(os.path.join(source_dir, name))
        if os.path.commonpath([root, os.path.abspath(path)]) != root:
            add("Attachments", name, "Tệp đính kèm nằm ngoài thư mục content/ (không được phép).",
                "Chép tệp vào cùng thư mục với bài rồi ghi tên tệp.")
            continue
        if ".." in name.replace("\\", "/").split("/"):
            add("Attachments", name, "Đường dẫn tệp đính kèm đi ra khỏi thư mục của bài «..» "
                "(không được phép).", "Chép tệp vào cùng thư mục với bài rồi ghi tên tệp.")
            continue
        extension = os.path.splitext(name)[1].lower().lstrip(".")
        if extension not in FILE_TYPES:
            add("Attachments", name, "Loại tệp đính kèm không được hỗ trợ.",
                "Dùng: " + ", ".join(sorted(FILE_TYPES)))
            continue
        if not os.path.isfile(path):
            folder = os.path.dirname(path)
            present = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
            guess = closest(os.path.basename(name), {fold(f): f for f in present
                                                     if not f.endswith(".md")}, limit=1)
            add("Attachments", name, "Không tìm thấy tệp đính kèm.",
                f"Có phải ý bạn là: {guess[0]}?" if guess else
                "Đặt tệp cùng thư mục với bài và kiểm tra tên tệp (chữ thường, không dấu).")
            continue
        if not any(os.path.commonpath([s, os.path.abspath(path)]) == s for s in statics):
            add("Attachments", name, "Tệp đính kèm không nằm trong thư mục được xuất bản.",
                "Đặt tệp trong thư mục cong-khai/ hoặc files/.")
            continue
        url = os.path.relpath(path, root).replace(os.sep, "/")
        found.append(Attachment(os.path.basename(path), url, FILE_TYPES[extension],
                                os.path.getsize(path)))
    return found
