"""Tasks for editors, developers and CI (invoke). `invoke --list` shows them all.

Each task calls the same code as the command `cong-truong` (cong_truong/commands.py), on this
repository's demo school; `invoke build` is `cong-truong build`, and so on.
"""

from __future__ import annotations

import os
import subprocess
import sys

from invoke import Exit, task

from cong_truong import commands

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = commands.output_dir(HERE)


def _done(code: int) -> None:
    """Stop the task with the command's exit code, without invoke's own report of it (the
    command already said what went wrong, in Vietnamese)."""
    if code:
        raise Exit(code=code)


@task(help={"strict": "Bản xuất bản: publishconf.py, cảnh báo cũng là lỗi (--fatal warnings).",
            "output": "Thư mục đầu ra (mặc định output/)."})
def build(c, strict=False, output=OUTPUT):
    """Dựng toàn bộ cổng thông tin vào output/ (build the whole portal)."""
    _done(commands.build(HERE, strict=strict, output=output))


@task(help={"dev": "Luật của bản xem trước (chỉ lỗi mới chặn) thay cho luật của bản xuất bản.",
            "strict": "Luật của bản xuất bản (mặc định): cảnh báo cũng chặn."})
def check(c, dev=False, strict=False):
    """Kiểm tra toàn bộ nội dung, không ghi trang; cho biết có xuất bản được không.

    The publishing build's rules (publishconf.py, a warning blocks) unless --dev; the last
    line says whether `invoke publish` would succeed.
    """
    del strict  # the default: kept so that `invoke check --strict` still works
    _done(commands.check(HERE, dev=dev))


@task(help={"port": "Cổng (mặc định 8000; nếu bận thì dùng cổng trống tiếp theo).",
            "build_first": "Dựng trước khi phục vụ."})
def serve(c, port=commands.DEFAULT_PORT, build_first=True):
    """Dựng rồi phục vụ cổng tại http://127.0.0.1:8000 (serve the built site)."""
    _done(commands.serve(HERE, int(port), build_first=build_first))


@task(help={"port": "Cổng (mặc định 8000; nếu bận thì dùng cổng trống tiếp theo)."})
def livereload(c, port=commands.DEFAULT_PORT):
    """Xem trước khi soạn: tự dựng lại khi nội dung thay đổi, trang tự tải lại (preview while editing)."""
    _done(commands.livereload(HERE, int(port)))


@task(name="import", help={
    "source": "Thư mục bản lưu cổng cũ (wget/HTTrack) hoặc tệp sitemap.xml/danh sách địa chỉ.",
    "ra": "Thư mục mới nhận nội dung (mặc định nhap-khau/<tên nguồn>); không ghi đè tệp có sẵn.",
    "danh_muc": "Tệp YAML ánh xạ danh mục cũ → loại bài (mẫu: categories.yml của công cụ nhập).",
    "khong_kiem_tra": "Bỏ bước kiểm tra bài bằng các quy tắc của cổng (nhanh hơn).",
    "nhieu_truong": "Bản lưu của nền tảng có nhiều trường: mỗi trường một thư mục, báo cáo cho Sở."})
def import_(c, source, ra="", danh_muc="", khong_kiem_tra=False, nhieu_truong=False):
    """Nhập bài, ảnh, tệp đính kèm và địa chỉ cũ từ bản lưu của cổng cũ."""
    _done(commands.import_site(HERE, source, ra, danh_muc, verify=not khong_kiem_tra,
                               many=nhieu_truong))


@task(name="import-apply", help={
    "sheet": "Bảng xac-nhan-chu-de.csv mà công cụ nhập đã ghi (có thể đã sửa bằng Excel).",
    "accept_all": "Nhận mọi chủ đề gợi ý, bỏ qua cột «Chủ đề xác nhận».",
    "khong_kiem_tra": "Đăng mà không chạy các kiểm tra của cổng (không nên)."})
def import_apply(c, sheet, accept_all=False, khong_kiem_tra=False):
    """Xác nhận chủ đề hàng loạt: ghi chủ đề trong bảng vào các bài nhập và đăng các bài đó
    (= cong-truong import --apply BẢNG)."""
    _done(commands.import_site(HERE, "", verify=not khong_kiem_tra, apply_sheet=sheet,
                               accept_all=accept_all))


@task(help={"port": "Cổng của trang xem trước (mặc định 8000).",
            "server_port": "Cổng của decap-server (mặc định 8081, như trong admin/config.yml).",
            "browser": "Mở trình duyệt (mặc định có; --no-browser để không mở)."})
def edit(c, port=commands.DEFAULT_PORT, server_port=commands.DEFAULT_EDITOR_PORT, browser=True):
    """Soạn bài trên trình duyệt: trình soạn thảo /admin/ ở chế độ cục bộ (mỗi lần «Công bố» là
    một commit git), trang xem trước tự dựng lại; Ctrl+C để dừng."""
    _done(commands.edit(HERE, int(port), int(server_port), browser))


@task(help={"remote": "Git remote nhận trang (mặc định origin).",
            "branch": "Nhánh trang (mặc định gh-pages).",
            "cname": "Tên miền riêng ghi vào CNAME (tùy chọn).",
            "push": "Đẩy lên remote (mặc định có)."})
def publish(c, remote="origin", branch="gh-pages", cname="", push=True):
    """Dựng bản xuất bản (--strict) rồi đưa lên nhánh gh-pages bằng ghp-import."""
    _done(commands.publish(HERE, remote, branch, cname, push))


@task
def clean(c):
    """Xóa output/ và cache/ (bộ nhớ đệm nội dung và ảnh; lần dựng sau sẽ chậm hơn)."""
    _done(commands.clean(HERE))


@task(help={"k": "Chỉ chạy các kiểm thử khớp biểu thức này (pytest -k)."})
def test(c, k=""):
    """Chạy toàn bộ kiểm thử (pytest)."""
    _done(subprocess.run([sys.executable, "-m", "pytest", "-q"] + (["-k", k] if k else []),
                         cwd=HERE).returncode)


@task(help={"output": "Thư mục đã dựng cần kiểm tra (mặc định output/).",
            "siteurl": "Địa chỉ trang; mặc định lấy từ link canonical của trang chủ."})
def check_budgets(c, output=OUTPUT, siteurl=""):
    """Kiểm tra ngân sách trang: HTML ≤ 50 KB, CSS ≤ 20 KB, JS chỉ ở /tim-kiem/, ảnh, máy chủ ngoài."""
    _done(commands.check_budgets(HERE, output, siteurl))


@task(help={"output": "Thư mục đã dựng cần kiểm tra (mặc định output/).",
            "skip": "Bỏ qua cổng, cách nhau bởi dấu phẩy: links,html,budgets,a11y.",
            "all_pages": "Kiểm tra tiếp cận mọi trang (mặc định: một trang mỗi loại)."})
def check_site(c, output=OUTPUT, skip="", all_pages=False):
    """Kiểm tra trang đã dựng: liên kết, HTML hợp lệ (vnu), ngân sách trang, tiếp cận WCAG 2.1 AA."""
    _done(commands.check_site(HERE, output, skip, all_pages))
