"""Cài đặt bản xuất bản (`cong-truong build --strict`, `cong-truong publish`, CI): địa chỉ thật
của trang và luật nghiêm (mọi cảnh báo là lỗi; còn thông tin «CẦN ĐIỀN» thì không xuất bản).

Địa chỉ trang: biến PORTAL_SITEURL nếu có, nếu không thì https://<domain> trong
content/data/school.yml, nếu không thì địa chỉ trang do CI cho biết (GitHub Pages, GitLab Pages).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.append(HERE)

from pelicanconf import *  # noqa: E402,F401,F403

from cong_truong.settings import publishing_siteurl  # noqa: E402

SITEURL = publishing_siteurl(HERE)
FEED_DOMAIN = SITEURL
PORTAL_STRICT = True
DELETE_OUTPUT_DIRECTORY = True
