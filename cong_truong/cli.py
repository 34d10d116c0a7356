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
import os
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
    main.add_argument("-C", dest="C", default=None, metavar="THƯ_MỤC",
                      help="thư mục kho của trường (mặc định: thư mục hiện tại hoặc thư mục cha "
                           "có pelicanconf.py)")
    sub = main.add_subparsers(dest="command", metavar="LỆNH", required=True)

    new = sub.add_parser(
        "new", help="tạo kho cổng thông tin cho một trường mới (hoặc nhiều trường từ CSV)",
        description="Tạo kho cổng thông tin của một trường từ thông tin của trường: trang của "
                    "mọi mục bắt buộc theo cấp học (đánh dấu «CẦN ĐIỀN»), kế hoạch truyền thông "
                    "năm nay, CI cho GitHub và GitLab, kho git. Thông tin không ghi bằng tham số "
                    "được hỏi khi chạy trong cửa sổ dòng lệnh, hoặc để «CẦN ĐIỀN».")
    new.add_argument("directory", metavar="THƯ_MỤC",
                     help="thư mục mới (chưa có hoặc trống); với --csv: thư mục chứa các trường")
    new.add_argument("--name", help="tên trường, ví dụ \"Trường THCS Lê Lợi\"")
    new.add_argument("--level", help="cấp học: mam-non, tieu-hoc, thcs, thpt, lien-cap, gdtx "
                                     "(«so» dành cho kho của Sở, chưa có)")
    new.add_argument("--province", help="tỉnh, thành phố (34 đơn vị từ 01/7/2025), ví dụ "
                                        "\"Ninh Bình\"")
    new.add_argument("--covers", help="trường liên cấp: các cấp học, ví dụ tieu-hoc,thcs")
    new.add_argument("--short-name", dest="short_name", help="tên ngắn, ví dụ \"THCS Lê Lợi\"")
    new.add_argument("--type", help="loại hình: \"Công lập\" (mặc định), \"Tư thục\", "
                                    "\"Dân lập\"")
    new.add_argument("--managing-body", dest="managing_body",
                     help="cơ quan quản lý trực tiếp, ví dụ \"Ủy ban nhân dân phường Hoa Lư\"")
    new.add_argument("--address", help="địa chỉ cơ sở chính")
    new.add_argument("--ward", help="xã, phường, đặc khu, ví dụ \"phường Hoa Lư\"")
    new.add_argument("--phone", help="điện thoại văn phòng, ví dụ \"0229 3 871 234\"")
    new.add_argument("--email", help="thư điện tử chính thức")
    new.add_argument("--domain", help="tên miền của cổng, ví dụ thcsleloi.edu.vn")
    new.add_argument("--principal", help="họ tên Hiệu trưởng")
    new.add_argument("--code", help="mã trường trong cơ sở dữ liệu ngành (do Sở GDĐT cấp)")
    meals = new.add_mutually_exclusive_group()
    meals.add_argument("--serves-meals", dest="serves_meals", action="store_true", default=None,
                       help="trường tổ chức ăn bán trú (mặc định: có với mầm non)")
    meals.add_argument("--no-serves-meals", dest="serves_meals", action="store_false",
                       help="trường không tổ chức ăn cho người học")
    new.add_argument("--source", default="",
                     help="nguồn cài gói cong-truong ghi vào requirements.txt của trường: kho git "
                          "(git+https://…/cong-truong, thẻ v<phiên bản>) hoặc tệp wheel "
                          "(.whl, chép vào vendor/); mặc định: biến CONG_TRUONG_SOURCE hoặc nơi "
                          "gói đang chạy được cài từ đó")
    new.add_argument("--csv", default="", metavar="TỆP",
                     help="tạo nhiều trường từ tệp CSV (cột ten, cap, tinh, thu_muc, …)")
    new.add_argument("--no-git", dest="no_git", action="store_true",
                     help="không tạo kho git và commit đầu tiên")

    upgrade = sub.add_parser(
        "upgrade", help="đưa kho của trường lên định dạng của phiên bản này (xem trước: "
                        "--dry-run)")
    upgrade.add_argument("--dry-run", dest="dry_run", action="store_true",
                         help="chỉ hiện các thay đổi (diff), không ghi gì")
    upgrade.add_argument("--check", action="store_true",
                         help="chỉ cho biết kho có cần nâng cấp không (mã thoát 1 nếu cần)")
    upgrade.add_argument("--level", default="",
                         help="cấp học ghi vào school.yml khi không đoán được từ tên trường")
    upgrade.add_argument("--source", default="",
                         help="(kho chép trước khi có gói) nguồn cài cong-truong cho "
                              "requirements.txt, như «new --source»")

    check = sub.add_parser("check", help="kiểm tra toàn bộ nội dung; cho biết có xuất bản được "
                                         "không (không ghi trang)")
    check.add_argument("--dev", action="store_true",
                       help="luật của bản xem trước (chỉ lỗi mới chặn)")
    check.add_argument("--phap-ly", dest="legal", action="store_true",
                       help="báo cáo cho người duy trì dữ liệu: mọi căn cứ pháp lý chưa kiểm "
                            "chứng, đọc qua nguồn thứ cấp hoặc suy luận (không xuất bản)")

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
    if args.command == "new":
        from . import school

        if args.C:  # «-C THƯ_MỤC new TÊN»: the new folder inside that one
            args.directory = os.path.join(args.C, args.directory)
        return school.main(args)
    root = find_root(args.C)
    if args.command == "upgrade":
        from . import upgrade

        return upgrade.main(root, dry_run=args.dry_run, check_only=args.check, level=args.level,
                            source=args.source)
    problem = None if args.command in ("clean", "import") else _format_problem(root)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if args.command == "check":
        return commands.check(root, dev=args.dev, legal=args.legal)
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


def _format_problem(root: str) -> str:
    """A repository this version cannot build as it is (older or newer data format)."""
    from . import upgrade

    return upgrade.format_problem(root)


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
