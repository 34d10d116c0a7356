"""Topics confirmed in bulk: the review sheet an import writes (xac-nhan-chu-de.csv and .html,
one row per post waiting for its plan topics) and `cong-truong import --apply SHEET`, which
writes the confirmed topics into those posts and publishes them in one step.

The sheet's column «Chủ đề xác nhận» is filled in with the suggestion: running --apply on the
sheet as it is accepts every suggestion (so does --accept-all, whatever the column says). An
editor changes a cell (codes or topic titles, with or without diacritics, separated by commas),
empties it to leave the post for later, or writes «không» under «Đăng» to confirm the topics but
keep the post a draft. Excel and LibreOffice open the CSV (UTF-8 with BOM) and may save it back
with «;» and in windows-1258: both are read. A post is published only when the portal's own
checks find nothing in it once its topics are written.
"""

from __future__ import annotations

import csv
import dataclasses
import html as html_lib
import io
import os
import re
import shutil
import tempfile
import unicodedata

from portal_core.text import fold

CSV_NAME = "xac-nhan-chu-de.csv"
HTML_NAME = "xac-nhan-chu-de.html"
COLUMNS = ["Tệp", "Tiêu đề", "Ngày đăng", "Đầu bài", "Gợi ý chủ đề", "Lý do gợi ý",
           "Chủ đề xác nhận", "Đăng", "Lý do khác (bản nháp)"]
YES = {"co", "c", "x", "yes", "y", "1", "dang", "dong y", "ok"}
NO = {"khong", "k", "no", "n", "0", "chua"}
COMMENT = re.compile(r"\n?<!-- Gợi ý chủ đề \(công cụ nhập, chưa xác nhận\):.*?-->\n?", re.S)


def plan_topics(content: str) -> dict[int, object]:
    """{year: portal_topics Plan} of the project's plans (problems are the build's to report)."""
    from portal_topics import load_groups
    from portal_topics.plans import load_plans

    plans, _ = load_plans(os.path.join(content, "plans"), content, load_groups())
    return plans


def _plain_start(markdown: str, limit: int = 220) -> str:
    body = COMMENT.sub("", markdown.split("\n\n", 1)[1] if "\n\n" in markdown else markdown)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", body)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*\|?\s*:?-{3,}.*$", " ", text, flags=re.M)  # table rules
    text = re.sub(r"<[^>]+>|[#*_>|`]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def rows(posts, plans: dict, keywords: dict[str, str]) -> list[dict]:
    """One row per post waiting for its topics, oldest first."""
    from portal_topics.plans import plan_for_year

    from . import topics
    from .run import TOPICS_REASON

    found = []
    for post in sorted(posts, key=lambda p: (p.date, p.target)):
        if TOPICS_REASON not in post.reasons:
            continue
        plan = plan_for_year(plans, post.date.year) if plans else None
        names = []
        for code in post.topics or []:
            topic = plan.topic(code) if plan is not None else None
            names.append(f"{code} ({topic.title})" if topic is not None else code)
        reasons = [f"{code}: {topics.reason(hits, keywords)}" for code, hits in post.hits.items()]
        others = [r for r in post.reasons if r != TOPICS_REASON]
        personal = any("dữ liệu cá nhân" in r for r in others)  # not copied into one more file
        found.append({
            "Tệp": post.target, "Tiêu đề": post.title, "Ngày đăng": f"{post.date:%d/%m/%Y}",
            "Đầu bài": "(không chép: bài có dữ liệu cá nhân)" if personal else
            _plain_start(post.text), "Gợi ý chủ đề": "; ".join(names),
            "Lý do gợi ý": "; ".join(reasons) or "không thấy từ khóa nào: chọn chủ đề",
            "Chủ đề xác nhận": ", ".join(post.topics or []),
            "Đăng": "không" if others or not post.topics else "có",
            "Lý do khác (bản nháp)": " | ".join(others)})
    return found


def csv_bytes(found: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(found)
    return buffer.getvalue().encode("utf-8-sig")


def html_text(found: list[dict], plans: dict, sheet: str) -> str:
    esc = html_lib.escape
    years = sorted({int(r["Ngày đăng"][-4:]) for r in found})
    from portal_topics.plans import plan_for_year

    shown = {}
    for year in years:
        plan = plan_for_year(plans, year) if plans else None
        if plan is not None:
            shown[plan.year] = plan
    lines = ["<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Xác nhận chủ đề cho bài nhập từ cổng cũ</title>",
             "<style>body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;"
             "max-width:72rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.5rem}"
             "code{background:#f1f1f1;padding:0 .2rem;overflow-wrap:anywhere}"
             "table{border-collapse:collapse;width:100%;font-size:.95rem}"
             "th,td{border:1px solid #999;padding:.4rem;vertical-align:top;text-align:left}"
             "th{background:#eef2f7}.so{color:#444;font-size:.9rem}.cho{background:#fff4d6}"
             "@media (max-width:700px){table,thead,tbody,tr,th,td{display:block}"
             "thead{position:absolute;left:-9999px}tr{border:1px solid #999;margin:0 0 1rem}"
             "td{border:0;border-top:1px solid #ddd}"
             "td::before{content:attr(data-cot);display:block;font-weight:600;color:#333}}"
             "</style>", "</head>", "<body>", "<main>",
             "<h1>Xác nhận chủ đề cho bài nhập từ cổng cũ</h1>",
             f"<p>{len(found)} bài thuộc năm đã có kế hoạch truyền thông đang chờ chủ đề. Mỗi bài "
             "một dòng, với chủ đề công cụ gợi ý và lý do (các từ khóa tìm thấy trong bài).</p>",
             "<h2>Cách xác nhận</h2>", "<ol>",
             "<li><strong>Nhận mọi gợi ý:</strong> chạy "
             f"<code>cong-truong import --apply {esc(sheet)}</code> (cột «Chủ đề xác nhận» đã "
             "điền sẵn gợi ý; thêm <code>--accept-all</code> để nhận gợi ý dù cột đã sửa).</li>",
             f"<li><strong>Sửa vài bài:</strong> mở <code>{esc(CSV_NAME)}</code> bằng Excel hoặc "
             "LibreOffice, sửa cột «Chủ đề xác nhận» (mã hoặc tên chủ đề, cách nhau bởi dấu "
             "phẩy; để trống nếu chưa muốn xử lý bài đó), ghi «không» ở cột «Đăng» nếu chỉ muốn "
             "ghi chủ đề mà chưa đăng; lưu lại dạng CSV rồi chạy lệnh trên.</li>",
             "<li>Bài được đăng khi ghi xong chủ đề mà các kiểm tra của cổng không thấy vấn đề; "
             "bài còn lý do khác (cột cuối) vẫn là bản nháp đến khi sửa xong.</li>", "</ol>"]
    for year, plan in sorted(shown.items()):
        lines.append(f"<details><summary>Các chủ đề của kế hoạch năm {year}</summary><ul>")
        lines += [f"<li><code>{esc(t.code)}</code>: {esc(t.title)}</li>" for t in plan.topics]
        lines.append("</ul></details>")
    lines += ["<h2>Các bài chờ chủ đề</h2>", "<table>", "<thead><tr>"
              + "".join(f'<th scope="col">{esc(c)}</th>' for c in COLUMNS[1:]) + "</tr></thead>",
              "<tbody>"]
    for row in found:
        cells = []
        for column in COLUMNS[1:]:
            value = esc(row[column])
            if column == "Tiêu đề":
                value = f"{value}<br><span class=\"so\">{esc(row['Tệp'])}</span>"
            cells.append(f'<td data-cot="{esc(column)}">{value}</td>')
        css = ' class="cho"' if row["Lý do khác (bản nháp)"] else ""
        lines.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>", "</main>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


# --- --apply -----------------------------------------------------------------------------

class SheetError(Exception):
    """The sheet cannot be read: said in Vietnamese."""


def read_sheet(path: str) -> list[dict]:
    """The rows of a sheet saved by any spreadsheet: UTF-8 (with or without BOM) or
    windows-1258, «,» «;» or tab separated; columns found by their names."""
    with open(path, "rb") as handle:
        data = handle.read()
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly anything
        raise SheetError("Không đọc được bảng (không phải UTF-8 hay windows-1258).")
    text = unicodedata.normalize("NFC", text)
    header = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=header.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table = [r for r in reader if any(cell.strip() for cell in r)]
    if not table:
        raise SheetError("Bảng trống.")
    names = {fold(name): i for i, name in enumerate(table[0])}
    wanted = {fold(c): c for c in COLUMNS}
    if fold("Tệp") not in names or fold("Chủ đề xác nhận") not in names:
        raise SheetError("Bảng thiếu cột «Tệp» hoặc «Chủ đề xác nhận» (dòng đầu của bảng phải "
                         "giữ tên các cột như khi công cụ nhập ghi ra).")
    found = []
    for number, cells in enumerate(table[1:], start=2):
        row = {wanted[key]: (cells[i].strip() if i < len(cells) else "")
               for key, i in names.items() if key in wanted}
        row["_dong"] = number
        found.append(row)
    return found


@dataclasses.dataclass
class Applied:
    confirmed: list = dataclasses.field(default_factory=list)  # (file, codes)
    published: list = dataclasses.field(default_factory=list)  # files
    kept: list = dataclasses.field(default_factory=list)  # (file, why still a draft)
    skipped: list = dataclasses.field(default_factory=list)  # (file, why)
    problems: list = dataclasses.field(default_factory=list)  # (line, file, message)
    written: list = dataclasses.field(default_factory=list)  # paths changed


def set_topics(text: str, codes: list[str], publish: bool) -> str:
    """The post with «Topics: …» in its front matter, the suggestion comment gone and, when
    *publish*, «Status: draft» removed; the rest as the editor left it."""
    head, sep, body = text.partition("\n\n")
    lines = [line for line in head.split("\n") if not re.match(r"(?i)^topics\s*:", line)]
    where = next((i + 1 for i, line in enumerate(lines) if re.match(r"(?i)^category\s*:", line)),
                 len(lines))
    lines.insert(where, f"Topics: {', '.join(codes)}")
    if publish:
        lines = [line for line in lines if not re.match(r"(?i)^status\s*:\s*draft\s*$", line)]
    body = COMMENT.sub("\n", body).lstrip("\n") if body else body
    return "\n".join(lines) + (sep or "\n\n") + body


def _candidates(target: str, sheet_dir: str, content: str) -> list[str]:
    rel = target.replace("\\", "/").lstrip("/")
    if ".." in rel.split("/") or not rel.endswith(".md"):
        return []
    found = []
    for folder in (sheet_dir, content):
        path = os.path.join(folder, *rel.split("/"))
        if os.path.isfile(path) and os.path.abspath(path) not in found:
            found.append(os.path.abspath(path))
    return found


def apply(sheet: str, content: str, today: str, accept_all: bool = False,
          check: bool = True) -> Applied:
    """Write the confirmed topics of every row of *sheet* into its post (in the sheet's
    folder, and in content/ when the post was already copied there), then publish the rows
    marked «có» that the portal's checks accept. Nothing is written when any row is wrong."""
    from portal_topics.matching import TopicMatcher, resolve
    from portal_topics.plans import plan_for_year

    result = Applied()
    sheet_dir = os.path.dirname(os.path.abspath(sheet))
    plans = plan_topics(content)
    planned: list[tuple[dict, list[str], list[str], bool]] = []
    for row in read_sheet(sheet):
        target = row.get("Tệp", "")
        paths = _candidates(target, sheet_dir, content)
        if not paths:
            result.problems.append((row["_dong"], target, "Không thấy tệp bài này (trong thư mục "
                                    "của bảng hoặc content/)."))
            continue
        raw = row.get("Gợi ý chủ đề", "") if accept_all else row.get("Chủ đề xác nhận", "")
        if accept_all:
            raw = ", ".join(re.sub(r"\s*\(.*?\)\s*", "", part).strip()
                            for part in raw.split(";"))
        if not raw.strip():
            result.skipped.append((target, "chưa chọn chủ đề"))
            continue
        with open(paths[0], encoding="utf-8") as handle:
            text = handle.read()
        year = re.search(r"^Date:\s*(\d{4})", text, re.M)
        plan = plan_for_year(plans, int(year.group(1))) if plans and year else None
        if plan is None:
            result.problems.append((row["_dong"], target, "Không có kế hoạch truyền thông cho "
                                    "năm của bài."))
            continue
        matcher = TopicMatcher(plan.topics)
        codes, unknown = resolve(raw, matcher)
        if unknown:
            result.problems.append((row["_dong"], target, "Chủ đề không có trong kế hoạch năm "
                                    f"{plan.year}: «{', '.join(unknown)}». "
                                    + matcher.hint(unknown[0])))
            continue
        wants = fold(row.get("Đăng", "có") or "có") not in NO
        planned.append((row, codes, paths, wants))
    if result.problems:
        return result
    publishable = _checked([(row, codes, paths) for row, codes, paths, wants in planned if wants],
                           content, today, result) if check else {
        row["Tệp"] for row, _, _, wants in planned if wants}
    for row, codes, paths, wants in planned:
        target = row["Tệp"]
        publish = target in publishable
        for path in paths:
            with open(path, encoding="utf-8") as handle:
                before = handle.read()
            after = set_topics(before, codes, publish)
            if after != before:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(after)
                result.written.append(path)
        result.confirmed.append((target, codes))
        if publish:
            result.published.append(target)
        elif not wants:
            result.kept.append((target, "cột «Đăng» ghi «không»"))
    return result


def _checked(rows_, content: str, today: str, result: Applied) -> set[str]:
    """The rows whose post, with its topics and without «Status: draft», passes the portal's
    own checks (the same reading phase as the import's)."""
    from . import verify

    if not rows_:
        return set()
    ok = set()
    with tempfile.TemporaryDirectory(prefix="xac-nhan-") as staged:
        for row, codes, paths in rows_:
            with open(paths[0], encoding="utf-8") as handle:
                text = set_topics(handle.read(), codes, True)
            path = os.path.join(staged, *row["Tệp"].split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        _copy_linked_files(rows_, staged, content)
        found = verify.check(staged, content, today)
    for row, _, _ in rows_:
        problems = found.get(row["Tệp"], [])
        if problems:
            why = "; ".join(p.message + (f" «{p.value}»" if p.value else "") for p in problems)
            result.kept.append((row["Tệp"], f"kiểm tra: {why}"))
        else:
            ok.add(row["Tệp"])
    return ok


def _copy_linked_files(rows_, staged: str, content: str) -> None:
    """Photos and files the posts show, from beside them (the import's folder) or content/,
    so that the check sees them as the build will."""
    for row, _, paths in rows_:
        base = os.path.abspath(paths[0])
        root = base[: -len(row["Tệp"])].rstrip(os.sep) if base.endswith(
            row["Tệp"].replace("/", os.sep)) else os.path.dirname(base)
        with open(paths[0], encoding="utf-8") as handle:
            text = handle.read()
        for rel in re.findall(r"\((/(?:images|files|cong-khai)/[^)\s]+)\)", text):
            for folder in (root, content):
                source = os.path.join(folder, *rel.lstrip("/").split("/"))
                if os.path.isfile(source):
                    target = os.path.join(staged, *rel.lstrip("/").split("/"))
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    shutil.copyfile(source, target)
                    break
