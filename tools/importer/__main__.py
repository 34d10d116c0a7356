"""`python -m tools.importer SOURCE [--ra THƯ_MỤC] …` (what `invoke import` runs)."""

from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(os.path.dirname(HERE))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="invoke import", description="Nhập bài, tệp và địa chỉ cũ từ bản lưu của cổng cũ.")
    parser.add_argument("source", help="thư mục bản lưu (wget/HTTrack) hoặc sitemap.xml/danh sách địa chỉ")
    parser.add_argument("--ra", dest="output", default="",
                        help="thư mục mới nhận nội dung (mặc định nhap-khau/<tên nguồn>)")
    parser.add_argument("--danh-muc", dest="mapping", default=None,
                        help="tệp YAML ánh xạ danh mục cũ → loại bài (mẫu: tools/importer/categories.yml)")
    parser.add_argument("--hom-nay", dest="today", default=os.environ.get("PORTAL_TODAY", ""),
                        help="ngày hôm nay YYYY-MM-DD (mặc định PORTAL_TODAY hoặc hôm nay)")
    parser.add_argument("--khong-kiem-tra", dest="check", action="store_false",
                        help="bỏ bước kiểm tra bài bằng các quy tắc của cổng")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(PROJECT, "plugins"))
    from .write import Refused, import_site

    if not os.path.exists(args.source):
        print(f"Không thấy nguồn «{args.source}»: đưa đường dẫn tới thư mục bản lưu hoặc tệp "
              "sitemap.xml.", file=sys.stderr)
        return 1
    name = os.path.basename(os.path.normpath(args.source)) or "cong-cu"
    output = args.output or os.path.join(PROJECT, "nhap-khau", name)
    try:
        totals = import_site(args.source, output, mapping=args.mapping, today=args.today,
                             check=args.check)
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
