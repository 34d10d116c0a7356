"""Where the school's project is: the folder holding pelicanconf.py and content/.

Every command works on one project, found like git finds its repository: the folder given, or
the current folder or the nearest folder above it that has a ``pelicanconf.py``.
"""

from __future__ import annotations

import os

SETTINGS = "pelicanconf.py"
PUBLISH_SETTINGS = "publishconf.py"


class ProjectError(Exception):
    """No project here: the message (Vietnamese) says what to do."""


def find_root(start: str | None = None) -> str:
    """The project folder at or above *start* (default: the current folder)."""
    here = os.path.abspath(start or os.getcwd())
    folder = here
    while True:
        if os.path.isfile(os.path.join(folder, SETTINGS)):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            raise ProjectError(
                f"Không thấy cổng thông tin nào ở «{here}» (không có tệp {SETTINGS} ở đây hay ở "
                "thư mục cha). Chạy lệnh trong thư mục kho của trường, hoặc tạo cổng mới bằng "
                "«cong-truong new THƯ_MỤC --name \"Trường …\" --level thcs --province \"…\"».")
        folder = parent


def root_or_none(start: str | None = None) -> str | None:
    try:
        return find_root(start)
    except ProjectError:
        return None
