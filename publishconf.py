"""Cài đặt bản xuất bản (`cong-truong build --strict`, `cong-truong publish`, CI): địa chỉ thật
của trang và luật nghiêm (mọi cảnh báo là lỗi)."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "https://nguyentrai-nd.edu.vn")
FEED_DOMAIN = SITEURL
PORTAL_STRICT = True
DELETE_OUTPUT_DIRECTORY = True
