"""The command `cong-truong`: one command for a school's whole portal.

    cong-truong new THƯ_MỤC --name "Trường THCS Lê Lợi" --level thcs --province "Ninh Bình"
    cong-truong check | build [--strict] | serve [--live] | edit | publish
    cong-truong import NGUỒN [--nhieu-truong] | import --apply BẢNG [--accept-all]
    cong-truong check-site | upgrade [--dry-run] | clean | --version
    cong-truong province DANH_SÁCH.yml --out THƯ_MỤC [--today YYYY-MM-DD]   (Sở GDĐT)

Every command but `new` works on the project found from the current folder (or `-C THƯ_MỤC`).
Exit codes: 0 done, 1 a content problem or a refused input (said in Vietnamese), 2 a mistake in
the command line, 3 a program error (its traceback under a Vietnamese heading).
"""

from __future__ import annotations

import argparse
import sys

from . import __version__, commands
from .project import ProjectError, find_root

# argparse's own messages in Vietnamese (it looks them up through gettext: the one place where
# its English default is replaced).
ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "giá trị %(value)r không có (chọn một trong: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần %(type)s)",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s",
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
}


def _vietnamese(message: str) -> str:
    return ARGPARSE_VI.get(message, message)


def _vietnamese_plural(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "cần %s giá trị"
    return singular if count == 1 else plural


argparse._ = _vietnamese  # type: ignore[attr-defined]
argparse.ngettext = _vietnamese_plural  # type: ignore[attr-defined]


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="cong-truong",
        description="Cổng thông tin điện tử của trường: tạo, kiểm tra, dựng, xem trước, "
                    "soạn bài, nhập cổng cũ, xuất bản và nâng cấp.")
    main.add_argument("--version", action="version", version=f"cong-truong {__version__}")
    main.add_argument("-C", dest="directory", default=None, metavar="THƯ_MỤC",
                      help="thư mục kho của trường (mặc định: thư mục hiện tại hoặc thư mục cha "
                           "có pelicanconf.py)")
    sub = main.add_subparsers(dest="command", metavar="LỆNH", required=True)

    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung; cho biết có xuất bản được "
                                         "không (không ghi trang)")
    check.add_argument("--dev", action="store_true",
                       help="luật của bản xem trước (chỉ lỗi mới chặn)")

    build = sub.add_parser("build", help="dựng toàn bộ cổng vào output/")
    build.add_argument("--strict", action="store_true",
                       help="bản xuất bản: publishconf.py, mọi cảnh báo là lỗi")
    build.add_argument("--output", default=None, metavar="THƯ_MỤC",
                       help="thư mục đầu ra (mặc định output/)")

    serve = sub.add_parser("serve", help="dựng rồi mở trang tại http://127.0.0.1:8000")
    serve.add_argument("--port", type=int, default=commands.DEFAULT_PORT,
                       help="cổng (mặc định 8000; nếu bận thì cổng trống tiếp theo)")
    serve.add_argument("--live", action="store_true",
                       help="tự dựng lại khi lưu tệp, trang đang mở tự tải lại")
    serve.add_argument("--no-build", dest="build_first", action="store_false",
                       help="không dựng trước, phục vụ output/ có sẵn")

    edit = sub.add_parser("edit", help="soạn bài trên trình duyệt (/admin/) ở máy này")
    edit.add_argument("--port", type=int, default=commands.DEFAULT_PORT,
                      help="cổng của trang xem trước (mặc định 8000)")
    edit.add_argument("--server-port", type=int, default=commands.DEFAULT_EDITOR_PORT,
                      help="cổng của decap-server (mặc định 8081)")
    edit.add_argument("--no-browser", dest="browser", action="store_false",
                      help="không tự mở trình duyệt")

    imp = sub.add_parser("import", help="chuyển bài, tệp và địa chỉ cũ từ bản lưu của cổng cũ")
    imp.add_argument("source", metavar="NGUỒN", nargs="?", default="",
                     help="thư mục bản lưu (wget/HTTrack) hoặc sitemap.xml/danh sách địa chỉ")
    imp.add_argument("--ra", default="", metavar="THƯ_MỤC",
                     help="thư mục mới nhận nội dung (mặc định nhap-khau/<tên nguồn>)")
    imp.add_argument("--danh-muc", default="", metavar="TỆP",
                     help="tệp YAML ánh xạ danh mục cũ → loại bài")
    imp.add_argument("--khong-kiem-tra", dest="verify", action="store_false",
                     help="bỏ bước kiểm tra bài bằng các quy tắc của cổng")
    imp.add_argument("--apply", "--xac-nhan", dest="apply", default="", metavar="BẢNG",
                     help="ghi chủ đề đã xác nhận trong bảng xac-nhan-chu-de.csv vào các bài "
                          "và đăng các bài đó (không cần NGUỒN)")
    imp.add_argument("--accept-all", "--nhan-het", dest="accept_all", action="store_true",
                     help="cùng --apply: nhận mọi chủ đề gợi ý")
    imp.add_argument("--nhieu-truong", dest="many", action="store_true",
                     help="bản lưu của một nền tảng có nhiều trường: mỗi trường một thư mục, "
                          "kèm báo cáo chung cho Sở")

    publish = sub.add_parser("publish", help="dựng bản xuất bản rồi đưa lên nhánh gh-pages")
    publish.add_argument("--remote", default="origin", help="git remote (mặc định origin)")
    publish.add_argument("--branch", default="gh-pages", help="nhánh trang (mặc định gh-pages)")
    publish.add_argument("--cname", default="", help="tên miền riêng ghi vào CNAME")
    publish.add_argument("--no-push", dest="push", action="store_false",
                         help="chỉ tạo commit, không đẩy lên remote")

    site = sub.add_parser("check-site", help="kiểm tra trang đã dựng: liên kết, HTML, dung "
                                             "lượng, tiếp cận WCAG 2.1 AA")
    site.add_argument("--output", default=None, metavar="THƯ_MỤC")
    site.add_argument("--skip", default="", help="bỏ qua cổng: links,html,budgets,a11y")
    site.add_argument("--all-pages", action="store_true",
                      help="kiểm tra tiếp cận mọi trang (mặc định: một trang mỗi loại)")

    sub.add_parser("clean", help="xóa output/ và cache/")

    province = sub.add_parser("province", help="(Sở GDĐT) thu thập dữ liệu mở của các trường, "
                                               "dựng bảng điều khiển và báo cáo tổng hợp")
    province.add_argument("registry", metavar="DANH_SÁCH.yml",
                          help="danh sách trường (code, name, level, commune, url)")
    province.add_argument("--out", required=True, metavar="THƯ_MỤC",
                          help="thư mục ghi bảng điều khiển (trang tĩnh)")
    province.add_argument("--today", default=None, metavar="YYYY-MM-DD",
                          help="ngày tính số liệu (mặc định: hôm nay, giờ Việt Nam)")
    province.add_argument("--year", type=int, default=None, metavar="NĂM",
                          help="năm của báo cáo truyền thông tổng hợp (mặc định: năm của --today)")
    province.add_argument("--cache", default=None, metavar="THƯ_MỤC",
                          help="nơi giữ bản thu thập tốt gần nhất của mỗi trường (mặc định "
                               "cache/province/ cạnh danh sách)")
    province.add_argument("--quiet", action="store_true", help="không in tiến độ")
    main.set_defaults(import_parser=imp)
    return main


def run(args: argparse.Namespace) -> int:
    if args.command == "province":  # the Sở's repository is not a school's project
        from .province import run as province

        return province(args.registry, args.out, args.today, args.year, args.cache, args.quiet)
    root = find_root(args.directory)
    if args.command == "check":
        return commands.check(root, dev=args.dev)
    if args.command == "build":
        return commands.build(root, strict=args.strict, output=args.output)
    if args.command == "serve":
        if args.live:
            return commands.livereload(root, args.port)
        return commands.serve(root, args.port, build_first=args.build_first)
    if args.command == "edit":
        return commands.edit(root, args.port, args.server_port, args.browser)
    if args.command == "import":
        return commands.import_site(root, args.source, args.ra, args.danh_muc, args.verify,
                                    apply_sheet=args.apply, accept_all=args.accept_all,
                                    many=args.many)
    if args.command == "publish":
        return commands.publish(root, args.remote, args.branch, args.cname, args.push)
    if args.command == "check-site":
        return commands.check_site(root, args.output, args.skip, args.all_pages)
    if args.command == "clean":
        return commands.clean(root)
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "import" and not (args.source or args.apply):
        args.import_parser.error("thiếu tham số bắt buộc: NGUỒN (hoặc --apply BẢNG)")
    try:
        return run(args)
    except ProjectError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng (Ctrl+C).", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the boundary: a program error, said as one
        import traceback

        from portal_core.build import program_error_heading

        print(program_error_heading(), file=sys.stderr)
        traceback.print_exc()
        return 3
