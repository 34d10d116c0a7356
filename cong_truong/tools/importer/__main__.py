"""`python -m cong_truong.tools.importer SOURCE [--ra THƯ_MỤC] …` (what `cong-truong import` and `invoke import` run)."""

from __future__ import annotations

import argparse
import os
import sys



def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="cong-truong import", description="Nhập bài, tệp và địa chỉ cũ từ bản lưu của cổng cũ.")
    parser.add_argument("source", help="thư mục bản lưu (wget/HTTrack) hoặc sitemap.xml/danh sách địa chỉ")
    parser.add_argument("--ra", dest="output", default="",
                        help="thư mục mới nhận nội dung (mặc định nhap-khau/<tên nguồn>)")
    parser.add_argument("--danh-muc", dest="mapping", default=None,
                        help="tệp YAML ánh xạ danh mục cũ → loại bài (mẫu: categories.yml của công cụ nhập)")
    parser.add_argument("--hom-nay", dest="today", default=os.environ.get("PORTAL_TODAY", ""),
                        help="ngày hôm nay YYYY-MM-DD (mặc định PORTAL_TODAY hoặc hôm nay)")
    parser.add_argument("--khong-kiem-tra", dest="check", action="store_false",
                        help="bỏ bước kiểm tra bài bằng các quy tắc của cổng")
    args = parser.parse_args(argv)
    from ...project import root_or_none
    from .write import Refused, import_site

    project = root_or_none() or os.getcwd()

    if not os.path.exists(args.source):
        print(f"Không thấy nguồn «{args.source}»: đưa đường dẫn tới thư mục bản lưu hoặc tệp "
              "sitemap.xml.", file=sys.stderr)
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
          f"{totals['drafts']} bản nháp), {totals['duplicates']} trang trùng, "
          f"{totals['skipped']} trang bỏ qua, {totals['redirects']} địa chỉ cũ chuyển hướng; "
          f"{totals['written']} tệp mới ghi.")
    print(f"Báo cáo: {os.path.join(output, 'bao-cao-nhap.html')} (và .csv).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
