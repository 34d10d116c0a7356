"""`python -m cong_truong.tools.importer SOURCE [--ra THƯ_MỤC] …` (what `cong-truong import` and
`invoke import` run), `… --apply SHEET [--accept-all]` (topics confirmed in bulk) and
`… SOURCE --nhieu-truong --ra THƯ_MỤC` (a saved platform holding several schools)."""

from __future__ import annotations

import argparse
import os
import sys


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="cong-truong import", description="Nhập bài, tệp và địa chỉ cũ từ bản lưu của cổng cũ.")
    main.add_argument("source", nargs="?", default="",
                      help="thư mục bản lưu (wget/HTTrack) hoặc sitemap.xml/danh sách địa chỉ")
    main.add_argument("--ra", dest="output", default="",
                      help="thư mục mới nhận nội dung (mặc định nhap-khau/<tên nguồn>)")
    main.add_argument("--danh-muc", dest="mapping", default=None,
                      help="tệp YAML ánh xạ danh mục cũ → loại bài (mẫu: categories.yml của công cụ nhập)")
    main.add_argument("--hom-nay", dest="today", default=os.environ.get("PORTAL_TODAY", ""),
                      help="ngày hôm nay YYYY-MM-DD (mặc định PORTAL_TODAY hoặc hôm nay)")
    main.add_argument("--khong-kiem-tra", dest="check", action="store_false",
                      help="bỏ bước kiểm tra bài bằng các quy tắc của cổng")
    main.add_argument("--apply", "--xac-nhan", dest="sheet", default="", metavar="BẢNG",
                      help="ghi chủ đề đã xác nhận trong bảng xac-nhan-chu-de.csv vào các bài và "
                           "đăng các bài đó")
    main.add_argument("--accept-all", "--nhan-het", dest="accept_all", action="store_true",
                      help="cùng --apply: nhận mọi chủ đề gợi ý, bỏ qua cột «Chủ đề xác nhận»")
    main.add_argument("--nhieu-truong", dest="many", action="store_true",
                      help="bản lưu của một nền tảng có nhiều trường: mỗi trường một thư mục, "
                           "kèm báo cáo chung cho Sở")
    return main


def _apply(args, project: str) -> int:
    from .review import SheetError, apply

    if not os.path.isfile(args.sheet):
        print(f"Không thấy bảng «{args.sheet}»: đưa đường dẫn tới tệp xac-nhan-chu-de.csv mà "
              "công cụ nhập đã ghi.", file=sys.stderr)
        return 1
    try:
        result = apply(args.sheet, os.path.join(project, "content"), args.today or "",
                       accept_all=args.accept_all, check=args.check)
    except SheetError as error:
        print(f"Không đọc được bảng «{args.sheet}»: {error}", file=sys.stderr)
        return 1
    if result.problems:
        print("Chưa ghi gì: bảng có dòng cần sửa (sửa rồi chạy lại):", file=sys.stderr)
        for line, target, message in result.problems:
            print(f"  dòng {line} ({target}): {message}", file=sys.stderr)
        return 1
    print(f"Đã ghi chủ đề cho {len(result.confirmed)} bài, đăng {len(result.published)} bài; "
          f"{len(result.written)} tệp thay đổi.")
    for target, why in result.kept:
        print(f"  Vẫn là bản nháp: {target} — {why}")
    for target, why in result.skipped:
        print(f"  Bỏ qua: {target} — {why}")
    return 0


def _many(args, project: str) -> int:
    from .many import import_platform
    from .write import Refused

    name = os.path.basename(os.path.normpath(args.source)) or "nen-tang"
    output = args.output or os.path.join(project, "nhap-khau", name)
    try:
        results = import_platform(args.source, output, os.path.join(project, "content"),
                                  args.today, args.mapping, args.check)
    except Refused as refused:
        print("Không ghi gì thêm: các tệp sau đã có với nội dung khác (công cụ nhập không bao giờ "
              "ghi đè):", file=sys.stderr)
        for path in refused.paths:
            print(f"  {path}", file=sys.stderr)
        return 1
    for result in results:
        t = result.totals
        name = result.facts.name.value if result.facts.name else result.school.key
        print(f"{name}: {t['posts']} bài ({t['published']} đăng ngay, {t['drafts']} bản nháp), "
              f"{t['redirects']} địa chỉ cũ → {os.path.join(output, result.folder)}")
    print(f"Báo cáo cho Sở: {os.path.join(output, 'bao-cao-so.html')} (và .csv).")
    return 0


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    from ...project import root_or_none
    from .write import Refused, import_site

    project = root_or_none() or os.getcwd()
    if args.sheet:
        return _apply(args, project)
    if not args.source:
        print("Thiếu nguồn: đưa đường dẫn tới thư mục bản lưu của cổng cũ (hoặc --apply BẢNG để "
              "xác nhận chủ đề).", file=sys.stderr)
        return 2
    if not os.path.exists(args.source):
        print(f"Không thấy nguồn «{args.source}»: đưa đường dẫn tới thư mục bản lưu hoặc tệp "
              "sitemap.xml.", file=sys.stderr)
        return 1
    if args.many:
        return _many(args, project)
    from .schools import split

    found, _ = split(args.source)
    if len(found) > 1:
        names = ", ".join(s.name or s.key for s in found)
        print(f"Bản lưu có {len(found)} trường ({names}): chạy lại với --nhieu-truong để nhập "
              "mỗi trường vào một thư mục riêng.", file=sys.stderr)
        return 1
    name = os.path.basename(os.path.normpath(args.source)) or "cong-cu"
    output = args.output or os.path.join(project, "nhap-khau", name)
    try:
        totals = import_site(args.source, output, os.path.join(project, "content"),
                             mapping=args.mapping, today=args.today, check=args.check)
    except Refused as refused:
        print("Không ghi gì: các tệp sau đã có với nội dung khác (công cụ nhập không bao giờ "
              "ghi đè):", file=sys.stderr)
        for path in refused.paths:
            print(f"  {path}", file=sys.stderr)
        print("→ Chọn thư mục ra mới bằng --ra, hoặc xóa các tệp này nếu muốn nhập lại.",
              file=sys.stderr)
        return 1
    print(f"Đã nhập vào {output}: {totals['posts']} bài ({totals['published']} đăng ngay, "
          f"{totals['drafts']} bản nháp), trong đó {totals['documents']} văn bản và "
          f"{totals['disclosures']} tài liệu công khai; {totals['duplicates']} trang trùng, "
          f"{totals['skipped']} trang bỏ qua, {totals['redirects']} địa chỉ cũ chuyển hướng "
          f"({totals['redirects_live']} chạy ngay, số còn lại khi bài được đăng); "
          f"{totals['written']} tệp mới ghi.")
    print(f"Báo cáo: {os.path.join(output, 'bao-cao-nhap.html')} (và .csv).")
    if totals.get("topics_waiting"):
        sheet = os.path.join(output, "xac-nhan-chu-de.csv")
        print(f"{totals['topics_waiting']} bài chờ xác nhận chủ đề: xem "
              f"{os.path.join(output, 'xac-nhan-chu-de.html')}, rồi chạy "
              f"«cong-truong import --apply {sheet}» (nhận mọi gợi ý, hoặc sửa bảng trước).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
