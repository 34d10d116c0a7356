"""`cong-truong import NGUỒN --nhieu-truong --ra THƯ_MỤC`: a saved platform holding several
schools → one folder per school (its import, its facts to confirm) and one summary for the Sở
(bao-cao-so.html, bao-cao-so.csv). See schools.py for how the copy is split."""

from __future__ import annotations

import collections
import os

import yaml

from . import schools
from .write import Refused, import_site

FACTS_NAME = "thong-tin-truong.yml"
SUMMARY_HTML = "bao-cao-so.html"
SUMMARY_CSV = "bao-cao-so.csv"
FACTS_HEADER = ("# Thông tin của trường tìm thấy trên cổng cũ (công cụ nhập). CẦN XÁC NHẬN: mỗi mục\n"
                "# ghi nơi tìm thấy (source); nhà trường kiểm tra, sửa nếu sai, rồi đặt confirmed: true.\n")


def facts_yaml(facts: schools.SchoolFacts) -> str:
    return FACTS_HEADER + yaml.safe_dump(facts.as_data(), allow_unicode=True, sort_keys=False,
                                         width=10**6)


def _write_new(path: str, data: bytes) -> None:
    """Write a file that must not exist yet, or that already has these very bytes."""
    if os.path.exists(path):
        with open(path, "rb") as handle:
            if handle.read() == data:
                return
        raise Refused([path])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def import_platform(source: str, output: str, project_content: str, today: str = "",
                    mapping: str | None = None, check: bool = True) -> list[schools.SchoolResult]:
    """Every school of the saved copy imported into output/<trường>/, its facts beside it,
    the summary for the Sở in output/."""
    found, platform_pages = schools.split(source)
    results = []
    for school in found:
        facts = schools.read_facts(school)
        folder = os.path.join(output, schools.school_folder_name(school))
        totals = import_site(school.source, folder, project_content, mapping=mapping, today=today,
                             check=check, school=facts.name.value if facts.name else "")
        _write_new(os.path.join(folder, FACTS_NAME), facts_yaml(facts).encode("utf-8"))
        drafts = collections.Counter()
        for reasons in totals.get("draft_reasons", []):
            for kind in dict.fromkeys(schools.reason_kind(r) for r in reasons):
                drafts[kind] += 1
        problems = []
        if totals.get("listed_only"):
            problems.append(f"{totals['listed_only']} trang có trong sitemap mà không có bản lưu")
        if totals.get("unredirectable"):
            problems.append(f"{totals['unredirectable']} địa chỉ cũ có «?» không chuyển hướng "
                            "được trên trang tĩnh")
        missing = [label for label, value in (("tên", facts.name), ("địa chỉ", facts.address),
                                              ("điện thoại", facts.phone),
                                              ("thư điện tử", facts.email),
                                              ("lãnh đạo", facts.leaders)) if not value]
        if missing:
            problems.append("chưa tìm thấy trên cổng cũ: " + ", ".join(missing))
        results.append(schools.SchoolResult(school, facts, os.path.relpath(folder, output),
                                            totals, dict(drafts), problems))
    _write_new(os.path.join(output, SUMMARY_CSV), schools.summary_csv(results))
    _write_new(os.path.join(output, SUMMARY_HTML), schools.summary_html(
        results, platform_pages, os.path.basename(os.path.normpath(source))).encode("utf-8"))
    return results
