"""Draw a school's share image (content/files/share.png, 1200×630) with the system Chromium.

Not part of the build (the PNG is committed in the school's content). From the school's
project folder, then ``share_image: files/share.png`` in content/data/school.yml:

    .venv/bin/python -m cong_truong.tools.make_share_image \
        "Trường THCS …" "Sở GDĐT …"
"""

from __future__ import annotations

import html
import os
import sys

TARGET = os.path.join("content", "files", "share.png")  # in the school's project folder
CHROMIUM = os.environ.get("PORTAL_CHROMIUM") or "/usr/bin/chromium"  # ./dev sets it
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
html, body {{ margin: 0; width: 1200px; height: 630px; overflow: hidden; }}
body {{ background: #0b3d6e; color: #fff; font-family: "Noto Sans", "DejaVu Sans", sans-serif;
  display: flex; flex-direction: column; justify-content: center; padding: 0 90px;
  box-sizing: border-box; border-bottom: 28px solid #f2a900; }}
.body {{ font-size: 34px; letter-spacing: .04em; text-transform: uppercase; opacity: .92; }}
.name {{ font-size: 76px; text-wrap: balance; font-weight: 700; line-height: 1.1; margin: 18px 0 26px; }}
.tag {{ font-size: 38px; opacity: .92; }}
</style></head><body>
<div class="body">{managing_body}</div>
<div class="name">{name}</div>
<div class="tag">{tagline}</div>
</body></html>"""


def render(name: str, managing_body: str, tagline: str = "Cổng thông tin điện tử",
           target: str = TARGET) -> str:
    from playwright.sync_api import sync_playwright

    markup = PAGE.format(name=html.escape(name), managing_body=html.escape(managing_body),
                         tagline=html.escape(tagline))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(markup)
        page.screenshot(path=target, full_page=False)
        browser.close()
    return os.path.abspath(target)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("Cách dùng: python -m cong_truong.tools.make_share_image \"Trường …\" "
                 "\"Sở Giáo dục và Đào tạo …\"")
    print(render(*sys.argv[1:3]))
