"""Pure logic of the redirect pages: entries from the data files, their output paths and the
page itself (no Pelican here)."""

from __future__ import annotations

import dataclasses
import html
import re

from portal_core.problems import Problem

PLUGIN = "portal_redirects"
# An old address a static host can serve: a path without query or fragment, ending in "/",
# ".html"/".htm" or a last part without extension ("/ct/12/101").
SERVABLE = re.compile(r"^/(?:[^?#\s]*/)?(?:[^./?#\s]+|[^/?#\s]+\.html?)?/?$")


@dataclasses.dataclass(frozen=True)
class Entry:
    old: str  # "/ct/12/101"
    target: str  # "tin-tuc/2019/bai.md" (a source file inside content/)
    file: str  # the data file it comes from
    index: int  # its position there (1-based), for messages


def output_path(old: str) -> str:
    """Where the redirect page is written: "/a/b.html" → "a/b.html", "/a/b" → "a/b/index.html"."""
    path = old.strip("/")
    if re.search(r"\.html?$", path):
        return path
    return (path + "/" if path else "") + "index.html"


def entries(data, file: str) -> tuple[list[Entry], list[Problem]]:
    found, problems = [], []
    if data is None:
        return found, problems
    if not isinstance(data, list):
        return found, [Problem(file, "", type(data).__name__, "Tệp chuyển hướng phải là một danh sách.",
                               "Mỗi mục có hai dòng: «- from: /địa-chỉ-cũ» và «  to: tin-tuc/<năm>/<bài>.md».",
                               plugin=PLUGIN)]
    for number, item in enumerate(data, 1):
        where = f"mục {number}"
        if not isinstance(item, dict) or not item.get("from") or not item.get("to"):
            problems.append(Problem(file, where, str(item), "Mục chuyển hướng thiếu «from» hoặc «to».",
                                    "Ví dụ: «- from: /ct/12/101» và «  to: tin-tuc/2019/bai.md».",
                                    plugin=PLUGIN))
            continue
        old, target = str(item["from"]).strip(), str(item["to"]).strip().lstrip("/")
        if ".." in old.split("/") or not SERVABLE.match(old) or old == "/":
            problems.append(Problem(file, f"{where}: from", old,
                                    "Địa chỉ cũ này không thể chuyển hướng bằng trang tĩnh.",
                                    "Chỉ dùng đường dẫn bắt đầu bằng «/», không có «?» hay «#», "
                                    "kết thúc bằng «/», «.html» hoặc một phần không có đuôi.",
                                    plugin=PLUGIN))
            continue
        found.append(Entry(old, target, file, number))
    return found, problems


def page(url: str, title: str) -> str:
    """The redirect page: noindex, canonical to the new address, a refresh and a link."""
    link, name = html.escape(url, quote=True), html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Trang đã chuyển: {name}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{link}">
<meta http-equiv="refresh" content="0; url={link}">
</head>
<body>
<main>
<h1>Trang đã chuyển địa chỉ</h1>
<p>Bài «{name}» nay ở địa chỉ mới: <a href="{link}">{link}</a>.</p>
</main>
</body>
</html>
"""
