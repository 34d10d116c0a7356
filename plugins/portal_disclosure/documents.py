"""Disclosure documents: reading and checking their front matter and attachments."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

from portal_core.dates import parse_iso, parse_school_year, vn_date
from portal_core.problems import ERROR, WARNING, Problem
from portal_core.text import closest, fold, nfc, split_list
from portal_safety.files import load_types

from . import versions as ver
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
    units = {unit for i in chosen for unit in item_units(i)} or {None}
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

    period = _check_period(meta, item, start_year, add, catalogue)

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


def item_units(item: dict) -> list[str]:
    """The kinds of period an item uses over time (quarters, then 3/6/9 months …)."""
    try:
        chain = ver.versions_of(item)
    except ValueError:
        chain = []
    units = [v.item.get("periods") for v in chain] or [item.get("periods")]
    return list(dict.fromkeys(u for u in units if u))


def _unit_in_force(item: dict, period, start_year, catalogue) -> str | None:
    """The kind of period the version judging *period* uses (None when no version does)."""
    reference = ver.reference_day(item, start_year if start_year is not None
                                  else school_year_of(period.end), period,
                                  (catalogue or {}).get("reference_default"))
    version = ver.version_for(item, reference, ver.budget_year(item, 0, period))
    return version.item.get("periods") if version is not None else None


def _check_period(meta, item, start_year, add, catalogue=None) -> str | None:
    raw = str(meta.get("period") or "").strip()
    units = item_units(item or {}) if item and item.get("id", "").count(",") == 0 else []
    if not raw:
        if units:
            add("Period", "", f"Mục {item['id']} là mục định kỳ: thiếu kỳ công khai.",
                f"Thêm dòng «Period: …» dạng {PERIOD_FORMS[units[-1]][1]}.")
        return None
    found = period_unit(raw)
    if found is None or (units and found not in units):
        hint = " hoặc ".join(PERIOD_FORMS[u][1] for u in units) if units else "; ".join(
            f for _, f in PERIOD_FORMS.values())
        add("Period", raw, "Kỳ công khai không đúng dạng.", f"Dạng {hint}.")
        return None
    try:
        period = parse_period(raw)
    except ValueError:
        add("Period", raw, "Kỳ công khai không tồn tại.", "Kiểm tra số tuần/quý.")
        return None
    if units:
        expected = _unit_in_force(item, period, start_year, catalogue)
        if expected and expected != found:
            # the law in force for that period asks for another kind of period: the same span
            # under its own name is the same report (quý I = 3 tháng đầu năm); else a mistake
            same = next((p for p in _periods_of_year(expected, period.end.year)
                         if (p.start, p.end) == (period.start, period.end)), None)
            if same is None:
                version = ver.version_for(item, period.end)
                law = (version.item.get("law") if version else "") or "quy định có hiệu lực"
                add("Period", raw, f"Kỳ {period.label} không phải kỳ công khai theo {law}.",
                    f"Dạng {PERIOD_FORMS[expected][1]}.")
                return None
            period = same
    unit = found
    if unit and start_year is not None and school_year_of(period.end) != start_year:
        own = school_year_of(period.end)
        add("Period", raw, f"Kỳ này thuộc năm học {own}-{own + 1}, không thuộc năm học "
            f"{start_year}-{start_year + 1}.",
            "Kỳ thuộc năm học chứa ngày kết thúc kỳ: quý III, IV của năm đầu và quý I, II "
            "của năm sau.")
        return None
    return period.id


def _periods_of_year(unit: str, year: int) -> list:
    ids = {"quarter": [f"{year}-Q{q}" for q in range(1, 5)], "half": [f"{year}-H1", f"{year}-H2"],
           "months": [f"{year}-M{n}" for n in (3, 6, 9)], "year": [str(year)]}.get(unit, [])
    return [parse_period(i) for i in ids]


PLAN_ITEMS_HINT = ("Với nội dung cho năm học tới (học phí, kế hoạch tuyển sinh, kế hoạch giáo "
                   "dục…), ghi rõ «School-year: …».")


def check_post(meta: dict, *, rel: str, catalogue: dict, today: dt.date, lines: dict | None = None,
               title: str = "", url: str = "") -> tuple[Document | None, list[Problem]]:
    """A news post or notice with ``Disclosure: CK-06`` (and ``School-year:``, ``Period:``):
    checked like a disclosure document and credited to its item. Without ``School-year`` the
    school year of the post's date is used; when that is ambiguous (an item for the coming
    school year published from January to August) a warning asks for it."""
    meta = dict(meta)
    problems: list[Problem] = []
    if not str(meta.get("school-year") or "").strip():
        try:
            day = parse_iso(meta.get("date")).date()
        except (ValueError, TypeError):
            day = None
        if day is not None:
            start = school_year_of(day)
            meta["school-year"] = f"{start}-{start + 1}"
            items = items_by_id(catalogue)
            chosen = [items[i] for i in (normalize_item_id(x) for x in split_list(
                meta.get("disclosure"))) if i in items]
            ahead = [i for i in chosen if isinstance(i.get("reference"), dict)
                     and i["reference"].get("year") == "start"]
            if ahead and day.month <= 8:
                problems.append(Problem(
                    rel, "School-year", "", f"Bài công khai mục {ahead[0]['id']} đăng ngày "
                    f"{vn_date(day, False)}: không rõ cho năm học {start}-{start + 1} hay "
                    f"{start + 1}-{start + 2}; đang tính là năm học {start}-{start + 1}.",
                    PLAN_ITEMS_HINT, line=(lines or {}).get("disclosure"), severity=WARNING,
                    plugin=PLUGIN))
    meta.pop("attachments", None)  # a post's files are its own links, not disclosure files
    doc, found = check_document(meta, rel=rel, source_dir="", content_root="", static_paths=[],
                                catalogue=catalogue, today=today, folder_year=None,
                                lines=lines, title=title, url=url)
    return doc, problems + [p for p in found if p.field != "Attachments"]


def repealed_citations(text: str, published: dt.date, catalogue: dict) -> list[tuple[str, dict]]:
    """(the citation found, the repealed entry) for each text of the catalogue's ``repealed``
    list that *text* cites although it was published on or after the day that text ended."""
    folded = fold(nfc(text or ""))
    found = []
    for entry in catalogue.get("repealed") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("from"), dt.date):
            continue
        if published < entry["from"]:
            continue
        for cite in entry.get("cites") or []:
            if fold(str(cite)) in folded:
                found.append((str(cite), entry))
                break
    return found


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
