"""A whole Sở platform moves in (issue 28), measured on a saved platform none of the other
fixtures come from (tests/fixtures/import/nen-tang/: three invented schools under path prefixes,
another URL scheme, breadcrumb and date format, documents, disclosures, files kept by the
platform outside the schools' prefixes, links between posts, a notice typed in TCVN3):

- ≥ 90 % of the old article addresses have a redirect entry (all those a static host can serve);
- no link between imported posts is dropped;
- documents arrive as document pages, disclosures as disclosure documents;
- every draft left has a reason a person must decide;
- the topics are confirmed in bulk from the review sheet, and the posts go live with their old
  addresses;
- the copy is split per school with each school's own name and facts, and a summary for the Sở.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import FIXED_TODAY, ROOT, build

sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures", "import"))

from cong_truong.tools.importer import many, review, schools  # noqa: E402
from make_nen_tang import SCHOOLS  # noqa: E402  (the fixture's invented facts)

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "import", "nen-tang")
HOST_DIR = os.path.join(FIXTURE, "sogd-mau.example")
ARTICLE = re.compile(r"^/[^/]+/(?:m/)?(bai-viet|van-ban|cong-khai)/")
COMMAND = os.path.join(os.path.dirname(sys.executable), "cong-truong")


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("nen-tang"))
    results = many.import_platform(FIXTURE, out, os.path.join(ROOT, "content"), FIXED_TODAY)
    return {"out": out, "results": {r.school.key: r for r in results}}


def redirects(platform, key: str) -> dict[str, str]:
    folder = os.path.join(platform["out"], key, "data", "chuyen-huong")
    entries = yaml.safe_load(read(os.path.join(folder, os.listdir(folder)[0])))
    return {e["from"]: e["to"] for e in entries}


def old_article_addresses(key: str) -> set[str]:
    """Every address under which the platform served an article of *key*, read from the saved
    copy itself: the sitemap's entries that were saved, the mobile copies (saved with wget's
    «.html» added) and HTTrack's print copies (their address in its comment)."""
    sitemap = read(os.path.join(HOST_DIR, "sitemap.xml"))
    found = set()
    for loc in re.findall(r"<loc>https?://[^/]+(/[^<]+)</loc>", sitemap):
        saved = os.path.join(HOST_DIR, *loc.strip("/").split("/"))
        if loc.startswith(f"/{key}/") and ARTICLE.match(loc) and (
                os.path.isfile(saved) or os.path.isfile(saved + ".html")):
            found.add(loc)
    for base, _, names in os.walk(os.path.join(HOST_DIR, key)):
        for name in names:
            path = os.path.join(base, name)
            rel = "/" + os.path.relpath(path, HOST_DIR).replace(os.sep, "/")
            mirrored = re.search(r"Mirrored from [^/]+(/\S+) by HTTrack", read(path)[:300])
            if mirrored:
                found.add(mirrored.group(1))
            elif "/m/" in rel:
                found.add(rel[: -len(".html")])
    return found


def test_the_copy_is_split_into_its_three_schools(platform):
    found, platform_pages = schools.split(FIXTURE)
    assert {s.key: s.name for s in found} == {s["key"]: s["name"] for s in SCHOOLS}
    assert {s.source.prefix for s in found} == {f"/{s['key']}" for s in SCHOOLS}
    assert platform_pages == ["index.html"]  # the platform's own home page: no school's
    for school in found:  # each school's pages only
        assert all(p.rel.startswith(school.key + "/") for p in school.source.pages)


def test_each_school_has_its_own_facts_marked_for_confirmation(platform):
    for expected in SCHOOLS:
        result = platform["results"][expected["key"]]
        facts = yaml.safe_load(read(os.path.join(platform["out"], result.folder,
                                                 many.FACTS_NAME)))
        assert facts["name"]["value"] == expected["name"]
        assert facts["address"]["value"] == expected["address"]
        assert facts["phone"]["value"] == expected["phone"]
        assert facts["email"]["value"] == expected["email"]
        assert [(x["role"], x["name"]) for x in facts["leaders"]] == expected["leaders"]
        assert facts["level"]["value"] == {"THPT": "thpt", "THCS": "thcs", "THBM": "tieu-hoc"}[
            expected["code"][:4] if expected["code"].startswith("THBM") else expected["code"][:4]]
        for field in ("name", "address", "phone", "email", "level"):
            assert facts[field]["confirmed"] is False and facts[field]["source"]
        assert all(x["confirmed"] is False for x in facts["leaders"])


def test_at_least_90_percent_of_old_article_addresses_are_kept(platform):
    total = kept = 0
    for school in SCHOOLS:
        key = school["key"]
        addresses = old_article_addresses(key)
        entries = redirects(platform, key)
        for address in addresses:
            local = address[len(key) + 1:]
            total += 1
            if local in entries:
                kept += 1
            else:
                assert "?" in address, address  # only what a static host cannot serve
    assert total >= 30 and kept / total >= 0.9, (kept, total)


def test_no_link_between_imported_posts_is_dropped(platform):
    for school in SCHOOLS:
        key = school["key"]
        entries = redirects(platform, key)
        folder = os.path.join(platform["out"], key)
        for base, _, names in os.walk(os.path.join(HOST_DIR, key, "bai-viet")):
            for name in names:
                page = os.path.join(base, name)
                soup = BeautifulSoup(read(page), "html.parser")
                own = "/" + os.path.relpath(page, HOST_DIR).replace(os.sep, "/")[: -len(".html")]
                if own[len(key) + 1:] not in entries:
                    continue  # a print copy: the same post
                text = read(os.path.join(folder, entries[own[len(key) + 1:]]))
                for link in soup.select("div.noi-dung-bai a[href]"):
                    href = link["href"]
                    path = re.sub(r"^https?://[^/]+", "", href)
                    if path.startswith("../"):
                        path = os.path.normpath(os.path.join(os.path.dirname(own), path))
                    local = path[len(key) + 1:]
                    if local in entries:  # a link to another imported post
                        assert "{filename}/" + entries[local] in text, (page, href)


def test_documents_and_disclosures_arrive_as_such(platform):
    for school in SCHOOLS:
        entries = redirects(platform, school["key"])
        folder = os.path.join(platform["out"], school["key"])
        documents = {old: to for old, to in entries.items() if old.startswith("/van-ban/")}
        disclosures = {old: to for old, to in entries.items() if old.startswith("/cong-khai/")}
        assert documents and disclosures
        for target in documents.values():
            assert target.startswith("pages/van-ban/")
            head = read(os.path.join(folder, target)).split("\n\n", 1)[0]
            for key in ("Number:", "Issued:", "Issuer:"):
                assert key in head, (target, head)
        for target in disclosures.values():
            assert re.match(r"cong-khai/\d{4}-\d{4}/", target)
            head = read(os.path.join(folder, target)).split("\n\n", 1)[0]
            assert "School-year:" in head and ("Disclosure:" in head or "Status: draft" in head)
    head = read(os.path.join(platform["out"], "thpt-song-hong", redirects(
        platform, "thpt-song-hong")["/van-ban/111"])).split("\n\n", 1)[0]
    assert "Number: 45/SGDĐT-GDTrH" in head and "Issued: 2021-08-20" in head
    assert "Issuer: Sở Giáo dục và Đào tạo Mẫu Sơn" in head
    assert "Attachment: files/2021/cv45-sgddt-gdtrh.pdf" in head
    plan = read(os.path.join(platform["out"], "thpt-song-hong", redirects(
        platform, "thpt-song-hong")["/van-ban/112"]))
    assert "Number: 113/KH-THPTSH" in plan and "Issuer: Trường THPT Sông Hồng" in plan
    assert "CỘNG HÒA XÃ HỘI" not in plan  # the letterhead: shown by the page as facts
    figures = read(os.path.join(platform["out"], "thpt-song-hong", redirects(
        platform, "thpt-song-hong")["/cong-khai/121-cong-khai-co-so-vat-chat.html"]))
    assert "Disclosure: CK-14" in figures and "School-year: 2021-2022" in figures
    assert "Attachments: co-so-vat-chat-2021-2022.xlsx" in figures
    assert os.path.isfile(os.path.join(platform["out"], "thpt-song-hong", "cong-khai",
                                       "2021-2022", "co-so-vat-chat-2021-2022.xlsx"))


def test_every_draft_left_has_a_reason_a_person_must_decide(platform):
    for school in SCHOOLS:
        key = school["key"]
        rows = list(csv.DictReader(open(os.path.join(platform["out"], key, "bao-cao-nhap.csv"),
                                        encoding="utf-8-sig")))
        drafts = [r for r in rows if r["Kết quả"] == "bản nháp"]
        assert drafts
        for row in drafts:
            reasons = row["Cần sửa (bản nháp)"].split(" | ")
            assert all(schools.reason_kind(r) != "khác" for r in reasons), row
        assert not any(r["Kết quả"] == "đã nhập" and "Status: draft" in read(
            os.path.join(platform["out"], key, r["Bài mới (tệp)"])) for r in rows)
        lists = {r["Tệp đã lưu"]: r["Kết quả"] for r in rows
                 if r["Tệp đã lưu"].endswith(("chuyen-muc/tin-tuc.html", "/index.html"))}
        assert lists and all(v.startswith("bỏ qua") for v in lists.values()), lists
        assert lists[f"{key}/chuyen-muc/tin-tuc.html"].startswith("bỏ qua: trang danh sách")


def test_the_summary_for_the_so_has_a_row_per_school(platform):
    with open(os.path.join(platform["out"], many.SUMMARY_CSV), encoding="utf-8-sig") as handle:
        rows = {r["Trường"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {s["name"] for s in SCHOOLS}
    song_hong = rows["Trường THPT Sông Hồng"]
    assert song_hong["Bài"] == "11" and song_hong["Văn bản"] == "2" and song_hong["Công khai"] == "3"
    assert "chờ xác nhận chủ đề" in song_hong["Bản nháp theo lý do"]
    assert "kiểm tra của cổng" in song_hong["Bản nháp theo lý do"]  # the list with birth dates
    assert "không chuyển hướng được" in song_hong["Vấn đề"]  # the print copy (?in=1)
    page = read(os.path.join(platform["out"], many.SUMMARY_HTML))
    assert "<table>" in page and "cần nhà trường" in page and "<script" not in page


def windows_1258(text: str) -> bytes:
    """Text as Windows saves it in windows-1258: letters it lacks (ệ, ố …) as a base letter
    it has (ê, ô …) followed by the tone mark's own code."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def _site_files(folder: str) -> dict[str, bytes]:
    files = {}
    for base, _, names in os.walk(folder):
        for name in names:
            rel = os.path.relpath(os.path.join(base, name), folder).replace(os.sep, "/")
            if "/" in rel:  # content folders, not the reports and sheets
                with open(os.path.join(base, name), "rb") as handle:
                    files[rel] = handle.read()
    return files


def test_topics_confirmed_in_bulk_then_the_posts_and_their_old_addresses_go_live(
        platform, tmp_path):
    folder = str(tmp_path / "thcs-hoa-sen")
    shutil.copytree(os.path.join(platform["out"], "thcs-hoa-sen"), folder)
    sheet = os.path.join(folder, review.CSV_NAME)
    rows = list(csv.DictReader(open(sheet, encoding="utf-8-sig")))
    assert len(rows) == 4 and all(r["Chủ đề xác nhận"] for r in rows)  # filled in: one action
    assert all(r["Gợi ý chủ đề"] and "×" in r["Lý do gợi ý"] for r in rows)
    html = read(os.path.join(folder, review.HTML_NAME))
    assert "--apply" in html and all(r["Tiêu đề"] in html for r in rows)
    before = build(tmp_path / "truoc", _site_files(folder))
    assert before.ok, before.messages()
    assert not before.exists("bai-viet/201/le-khai-giang-nam-hoc-2021-2022/index.html")
    done = review.apply(sheet, os.path.join(ROOT, "content"), FIXED_TODAY)
    assert not done.problems and len(done.published) == 4
    for row in rows:
        head = read(os.path.join(folder, row["Tệp"])).split("\n\n", 1)[0]
        assert f"Topics: {row['Chủ đề xác nhận']}" in head and "Status: draft" not in head
        assert "Gợi ý chủ đề" not in read(os.path.join(folder, row["Tệp"]))
    after = build(tmp_path / "sau", _site_files(folder))
    assert after.ok, after.messages()
    soup = after.soup("bai-viet/201/le-khai-giang-nam-hoc-2021-2022/index.html")
    target = soup.find("link", rel="canonical")["href"]
    assert after.exists(target.strip("/") + "/index.html")  # the old address is live
    again = review.apply(sheet, os.path.join(ROOT, "content"), FIXED_TODAY)
    assert again.written == []  # nothing changes the second time


def test_a_sheet_saved_by_a_spreadsheet_with_edits_and_a_wrong_topic(platform, tmp_path):
    folder = str(tmp_path / "th-binh-minh")
    shutil.copytree(os.path.join(platform["out"], "th-binh-minh"), folder)
    sheet = os.path.join(folder, review.CSV_NAME)
    rows = list(csv.DictReader(open(sheet, encoding="utf-8-sig")))
    rows[0]["Chủ đề xác nhận"] = "Chuyen doi so"  # a title typed without diacritics
    rows[1]["Chủ đề xác nhận"] = ""  # later
    rows[2]["Đăng"] = "không"  # topics only
    saved = os.path.join(folder, "sua.csv")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, review.COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    with open(saved, "wb") as handle:  # Excel in a Vietnamese locale: «;» and windows-1258
        handle.write(windows_1258(buffer.getvalue()))
    done = review.apply(saved, os.path.join(ROOT, "content"), FIXED_TODAY)
    assert not done.problems
    assert (rows[0]["Tệp"], ["chuyen-doi-so"]) in done.confirmed
    assert rows[0]["Tệp"] in done.published and rows[2]["Tệp"] not in done.published
    assert [t for t, _ in done.skipped] == [rows[1]["Tệp"]]
    assert "Status: draft" in read(os.path.join(folder, rows[1]["Tệp"]))
    rows[3]["Chủ đề xác nhận"] = "khong-co-chu-de-nay"
    wrong = os.path.join(folder, "sai.csv")
    with open(wrong, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, review.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    before = read(os.path.join(folder, rows[3]["Tệp"]))
    refused = review.apply(wrong, os.path.join(ROOT, "content"), FIXED_TODAY)
    assert refused.problems and refused.problems[0][0] == 5  # line 5 of the sheet
    assert "khong-co-chu-de-nay" in refused.problems[0][2]
    assert read(os.path.join(folder, rows[3]["Tệp"])) == before  # nothing written
    accepted = review.apply(wrong, os.path.join(ROOT, "content"), FIXED_TODAY, accept_all=True)
    assert not accepted.problems and rows[3]["Tệp"] in accepted.published  # the suggestion


def test_each_school_builds_with_its_documents_and_disclosures(platform, tmp_path):
    for school in SCHOOLS:
        folder = os.path.join(platform["out"], school["key"])
        built = build(tmp_path / school["key"], _site_files(folder))
        assert built.ok, built.messages()
        entries = redirects(platform, school["key"])
        document = built.soup(built.soup("van-ban/" + str(school["id"] + 11) + "/index.html")
                              .find("link", rel="canonical")["href"].strip("/") + "/index.html")
        facts = document.find("dl", class_="facts").get_text(" ", strip=True)
        assert "45/SGDĐT-GDTrH" in facts and "Sở Giáo dục và Đào tạo Mẫu Sơn" in facts
        assert document.find("a", download=True)["href"].endswith("cv45-sgddt-gdtrh.pdf")
        old = f"/cong-khai/{school['id'] + 21}-cong-khai-co-so-vat-chat.html"
        assert entries[old].startswith("cong-khai/2021-2022/")
        disclosure = built.soup(old.strip("/"))
        assert "/cong-khai/2021-2022/" in disclosure.find("link", rel="canonical")["href"]


def test_subdomains_are_schools_too(tmp_path):
    copy = tmp_path / "ban-luu"
    for name in ("so", "nukeviet", "blog"):
        source = os.path.join(ROOT, "tests", "fixtures", "import", name)
        host = os.listdir(source)[0]
        shutil.copytree(os.path.join(source, host), copy / host)
    found, _ = schools.split(str(copy))
    assert sorted(s.key for s in found) == ["thcs-mau.example", "thpt-mau.example",
                                            "truongmau.example"]
    assert all(s.source.host == s.key and s.source.pages for s in found)


def test_the_command_refuses_a_copy_of_many_schools_without_the_flag(tmp_path):
    env = {**os.environ, "PORTAL_TODAY": FIXED_TODAY}
    single = subprocess.run([COMMAND, "-C", ROOT, "import", FIXTURE, "--ra", str(tmp_path / "a")],
                            capture_output=True, text=True, env=env, timeout=600)
    assert single.returncode == 1 and "--nhieu-truong" in single.stderr
    assert "Trường THPT Sông Hồng" in single.stderr and not (tmp_path / "a").exists()
    result = subprocess.run([COMMAND, "-C", ROOT, "import", FIXTURE, "--nhieu-truong", "--ra",
                             str(tmp_path / "b"), "--khong-kiem-tra"],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "b")) == ["bao-cao-so.csv", "bao-cao-so.html",
                                                  "th-binh-minh", "thcs-hoa-sen",
                                                  "thpt-song-hong"]
    sheet = tmp_path / "b" / "thcs-hoa-sen" / review.CSV_NAME
    applied = subprocess.run([COMMAND, "-C", ROOT, "import", "--apply", str(sheet)],
                             capture_output=True, text=True, env=env, timeout=600)
    assert applied.returncode == 0, applied.stderr
    assert "đăng 4 bài" in applied.stdout and "Traceback" not in applied.stderr


def test_with_a_creator_each_school_is_a_repository_with_its_import(tmp_path):
    """The interface `cong-truong new` plugs into: create(facts, folder) makes the school's
    repository and returns its content/; the import goes into it, the reports into nhap-khau/.
    (Here a stand-in creator: a copy of the demo's settings and data, renamed.)"""
    from conftest import copy_project

    made = []

    def create(facts, folder):
        root = copy_project(folder)
        path = root / "content" / "data" / "school.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^name: .*$", f"name: {facts.name.value}", text, count=1),
                        encoding="utf-8")
        made.append(facts.name.value)
        return str(root / "content")

    out = tmp_path / "so"
    results = many.import_platform(FIXTURE, str(out), os.path.join(ROOT, "content"), FIXED_TODAY,
                                   create=create)
    assert sorted(made) == sorted(s["name"] for s in SCHOOLS)
    for result in results:
        root = out / result.folder
        assert (root / "nhap-khau" / "bao-cao-nhap.html").is_file()
        assert (root / "nhap-khau" / many.FACTS_NAME).is_file()
        assert list((root / "content" / "pages" / "van-ban").glob("*.md"))
        assert list((root / "content" / "data" / "chuyen-huong").glob("*.yml"))
    song_hong = next(r for r in results if r.school.key == "thpt-song-hong")
    built = build(tmp_path / "dung", content=str(out / song_hong.folder / "content"))
    assert built.ok, built.messages()
    assert "Trường THPT Sông Hồng" in built.soup("index.html").find("header").get_text()
