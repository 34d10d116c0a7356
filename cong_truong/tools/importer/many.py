"""`cong-truong import NGUỒN --nhieu-truong --ra THƯ_MỤC`: a saved platform holding several
schools → one folder per school (its import, its facts to confirm) and one summary for the Sở
(bao-cao-so.html, bao-cao-so.csv). See schools.py for how the copy is split."""

from __future__ import annotations

import collections
import os
import shutil
import tempfile
from typing import Callable

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


# create(facts, folder) -> the content/ folder of a new school repository made at *folder*
# (cong-truong new), or raises Refused-like errors as CreateRefused(messages)
Creator = Callable[["schools.SchoolFacts", str], str]


class CreateRefused(Exception):
    """The school's repository could not be created from its facts (said in Vietnamese)."""


CONTENT_FOLDERS = ("tin-tuc", "thong-bao", "pages", "cong-khai", "images", "files", "data")


def _move_into(staged: str, content: str) -> None:
    """The import's content folders into a fresh school's content/ (nothing there is ever
    replaced: a file that exists with other bytes stops the move before anything moves)."""
    moves, clash = [], []
    for folder in CONTENT_FOLDERS:
        for base, _, names in os.walk(os.path.join(staged, folder)):
            for name in names:
                source = os.path.join(base, name)
                target = os.path.join(content, os.path.relpath(source, staged))
                if os.path.exists(target):
                    with open(source, "rb") as a, open(target, "rb") as b:
                        if a.read() != b.read():
                            clash.append(target)
                    continue
                moves.append((source, target))
    if clash:
        raise Refused(clash)
    for source, target in moves:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.move(source, target)


def import_platform(source: str, output: str, project_content: str, today: str = "",
                    mapping: str | None = None, check: bool = True,
                    create: Creator | None = None) -> list[schools.SchoolResult]:
    """Every school of the saved copy into output/<trường>/, the summary for the Sở in output/.

    Without *create*: output/<trường>/ is the school's import folder (as `cong-truong import`
    writes it) with its facts in thong-tin-truong.yml. With *create*: output/<trường>/ is a new
    school repository made from the facts; the import goes into its content/ (its reports,
    topics sheet and facts into nhap-khau/)."""
    found, platform_pages = schools.split(source)
    results = []
    for school in found:
        facts = schools.read_facts(school)
        folder = os.path.join(output, schools.school_folder_name(school))
        problems = []
        content, reports = project_content, folder
        if create is not None:
            try:
                content = create(facts, folder)
                reports = os.path.join(folder, "nhap-khau")
            except CreateRefused as refused:
                problems.append(f"chưa tạo được kho của trường: {refused}")
                content, reports = project_content, folder
        staged = reports if content == project_content else tempfile.mkdtemp(prefix="nhap-")
        try:
            totals = import_site(school.source, staged, content, mapping=mapping, today=today,
                                 check=check, school=facts.name.value if facts.name else "")
            if staged != reports:
                _move_into(staged, content)
                for name in os.listdir(staged):
                    if os.path.isfile(os.path.join(staged, name)):
                        data = open(os.path.join(staged, name), "rb").read()
                        _write_new(os.path.join(reports, name), data)
        finally:
            if staged != reports:
                shutil.rmtree(staged, ignore_errors=True)
        _write_new(os.path.join(reports, FACTS_NAME), facts_yaml(facts).encode("utf-8"))
        drafts = collections.Counter()
        for reasons in totals.get("draft_reasons", []):
            for kind in dict.fromkeys(schools.reason_kind(r) for r in reasons):
                drafts[kind] += 1
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
