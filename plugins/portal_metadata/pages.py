"""Pure helpers of portal_metadata: share-preview covers and robots.txt."""

from __future__ import annotations

import os
import re

from portal_core.text import nfc


def normalise_cover(value) -> str:
    """A cover path relative to the site root: "/images/a.jpg", "{static}/images/a.jpg" and
    "images/a.jpg" all give "images/a.jpg"; "" when empty."""
    value = nfc(str(value or "")).strip()
    value = re.sub(r"^\{(static|attach|filename)\}", "", value)
    return value.lstrip("/")


def cover_problem(value: str, content_path: str) -> tuple[str, str] | None:
    """(message, hint) in Vietnamese when a cover cannot be used, else None."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I) or value.startswith("//"):
        return ("Ảnh đại diện phải nằm trong trang, không lấy từ trang web khác.",
                "Chép ảnh vào content/images/ rồi ghi, ví dụ: images/2023/khai-giang.jpg")
    if not re.search(r"\.(jpe?g|png|webp|gif)$", value, re.I):
        return ("Ảnh đại diện phải là tệp ảnh JPG, PNG, WEBP hoặc GIF.",
                "Ví dụ: images/2023/khai-giang.jpg")
    if not os.path.isfile(os.path.join(content_path, value)):
        return ("Không tìm thấy tệp ảnh đại diện trong content/.",
                "Kiểm tra tên tệp (chữ hoa, chữ thường) và thư mục, ví dụ: images/2023/khai-giang.jpg")
    return None


def robots_txt(siteurl: str, disallow=()) -> str:
    """robots.txt: everything may be crawled but /pagefind/ and the folders in *disallow*
    (`PORTAL_ROBOTS_DISALLOW`, which other plugins extend: portal_editor's /admin/); the
    sitemap by its absolute URL when known."""
    lines = ["User-agent: *", "Allow: /", "Disallow: /pagefind/"]
    lines += [f"Disallow: {path}" for path in disallow if path != "/pagefind/"] + [""]
    if siteurl:
        lines.append(f"Sitemap: {siteurl.rstrip('/')}/sitemap.xml")
    else:
        lines.append("# Sitemap: chỉ ghi trong bản xuất bản (publishconf.py đặt SITEURL).")
    return "\n".join(lines) + "\n"
