"""The import report: one row per saved page (and per listed page that was not saved), what
became of it, where, which extractor ran, why it is a draft, warnings; totals on top. HTML
for reading (no script, no other host) and CSV (UTF-8 with BOM, opens in Excel)."""

from __future__ import annotations

import csv
import html as html_lib
import io

from .model import KIND_LABELS

HTML = "bao-cao-nhap.html"
CSV = "bao-cao-nhap.csv"
COLUMNS = ["Địa chỉ cũ", "Tệp đã lưu", "Kết quả", "Bài mới (tệp)", "Địa chỉ mới", "Loại",
           "Bộ trích xuất", "Ngày đăng", "Ngày lấy từ", "Bảng mã", "Cần sửa (bản nháp)",
           "Cảnh báo"]


def page_outcome(page) -> str:
    post = page.post
    if post is not None and post.page is page:
        return "bản nháp" if post.draft else "đã nhập"
    return page.outcome or "bỏ qua"


def rows(pages, posts, src=None) -> list[list[str]]:
    found = []
    for page in sorted(pages, key=lambda p: p.url):
        post = page.post
        main = post is not None and post.page is page
        ex = page.extracted
        found.append([
            page.url, page.file, page_outcome(page),
            post.target if main else "",
            (post.url + (" (khi đăng)" if post.draft else "")) if main else "",
            KIND_LABELS.get(post.kind, "") if main else "",
            ex.extractor if ex else "",
            f"{ex.date:%Y-%m-%d %H:%M}" if ex and ex.date else "", ex.date_from if ex else "",
            page.encoding,
            " | ".join(post.reasons) if main else "",
            " | ".join(list(dict.fromkeys(page.warnings + (post.warnings if main else [])))
                       + ([f"Không chuyển hướng được trên trang tĩnh: {', '.join(post.unredirectable)}"]
                          if main and post.unredirectable else [])),
        ])
    for path in (src.listed_only if src else []):
        found.append([path, "", "thiếu bản lưu (có trong sitemap/danh sách)", "", "", "", "",
                      "", "", "", "", "Tải lại trang này rồi chạy lại công cụ nhập."])
    return found


def summary(src, pages, posts, files: int = 0) -> dict:
    return {
        "saved": len(pages), "listed_only": len(src.listed_only),
        "posts": len(posts), "published": sum(1 for p in posts if not p.draft),
        "drafts": sum(1 for p in posts if p.draft),
        "documents": sum(1 for p in posts if p.kind == "van-ban"),
        "disclosures": sum(1 for p in posts if p.kind == "cong-khai"),
        "duplicates": sum(1 for p in pages if p.outcome.startswith("trùng")),
        "skipped": sum(1 for p in pages if p.outcome.startswith("bỏ qua")),
        "redirects": sum(len(p.old_paths) for p in posts),
        "redirects_live": sum(len(p.old_paths) for p in posts if not p.draft),
        "unredirectable": sum(len(p.unredirectable) for p in posts),
        "files": files,
    }


def csv_text(pages, posts, src=None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(pages, posts, src))
    return buffer.getvalue()


def html(src, pages, posts, totals: dict) -> str:
    esc = html_lib.escape
    lines = ["<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Báo cáo nhập bài từ cổng cũ</title>",
             "<style>body{font-family:sans-serif;margin:1rem;line-height:1.4}"
             "table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #888;"
             "padding:.3rem;vertical-align:top;text-align:left}"
             ".nhap{background:#fff4d6}.bo{color:#555}</style>", "</head>", "<body>", "<main>",
             "<h1>Báo cáo nhập bài từ cổng cũ</h1>",
             "<p>Mỗi trang đã lưu của cổng cũ là một dòng. Làm lần lượt: xác nhận chủ đề của "
             "các bài chờ chủ đề một lần cho tất cả (bảng <code>xac-nhan-chu-de.html</code>, "
             "lệnh <code>cong-truong import --apply …</code>); sửa các bài <strong>bản "
             "nháp</strong> còn lại theo cột «Cần sửa», xóa dòng «Status: draft» khi xong; chạy "
             "<code>cong-truong check</code>. Cột «Cảnh báo» nêu những gì công cụ đã suy ra "
             "(mục công khai, hiệu lực văn bản…): nên kiểm tra.</p>", "<ul>",
             f"<li>Trang đã lưu: {totals['saved']}; có trong sitemap mà thiếu bản lưu: "
             f"{totals['listed_only']}</li>",
             f"<li>Bài nhập được: {totals['posts']} (đăng ngay: {totals['published']}, "
             f"bản nháp cần sửa: {totals['drafts']})</li>",
             f"<li>Trang trùng bài (gộp): {totals['duplicates']}; bỏ qua (không phải bài "
             f"viết): {totals['skipped']}</li>",
             f"<li>Địa chỉ cũ được giữ (trang chuyển hướng): {totals['redirects']}, trong đó "
             f"{totals['redirects_live']} chạy ngay, số còn lại chạy từ ngày bài đích được "
             f"đăng; không chuyển hướng được trên trang tĩnh: {totals['unredirectable']}</li>",
             f"<li>Văn bản: {totals['documents']}; tài liệu công khai: "
             f"{totals['disclosures']}; tệp (ảnh, tệp đính kèm): {totals['files']}</li>", "</ul>",
             "<table>", "<thead><tr>" + "".join(f'<th scope="col">{esc(c)}</th>' for c in COLUMNS)
             + "</tr></thead>", "<tbody>"]
    for row in rows(pages, posts, src):
        css = "nhap" if row[2] == "bản nháp" else "bo" if not row[3] else ""
        cells = "".join(f"<td>{esc(value)}</td>" for value in row)
        lines.append(f'<tr class="{css}">{cells}</tr>' if css else f"<tr>{cells}</tr>")
    lines += ["</tbody>", "</table>", "</main>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"
