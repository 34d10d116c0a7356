"""`invoke import` on the fixtures (tests/fixtures/import/: a Sở-level platform, NukeViet, a
blog, pages typed in legacy fonts; invented schools): the imported content builds with the demo's data and plans in the
strict publishing build, every old address redirects, nothing points at the old hosts, the
report lists every page, and a second run changes nothing."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import sys

import pytest

from conftest import FIXED_TODAY, ROOT, build

sys.path.insert(0, ROOT)

from cong_truong.tools.importer.write import Refused, import_site  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "import")
OLD_HOSTS = ("thpt-mau.example", "thcs-mau.example", "truongmau.example", "thpt-cu.example")
SOURCES = ("so", "nukeviet", "blog", "phong-cu")


def snapshot(folder: str) -> dict[str, str]:
    found = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("nhap"))
    content = os.path.join(root, "content")
    shutil.copytree(os.path.join(ROOT, "content"), content)
    totals = {}
    for name in SOURCES:
        out = os.path.join(root, "nhap-khau", name)
        totals[name] = import_site(os.path.join(FIXTURES, name), out, project_content=content,
                                   today=FIXED_TODAY)
        for sub in sorted(os.listdir(out)):
            if os.path.isdir(os.path.join(out, sub)):
                for base, _, names in os.walk(os.path.join(out, sub)):
                    for file in names:  # copied as an editor would: nothing overwritten
                        source = os.path.join(base, file)
                        target = os.path.join(content, os.path.relpath(source, out))
                        assert not os.path.exists(target), target
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        shutil.copyfile(source, target)
    built = build(root, content=content, conf="publishconf.py")
    return {"root": root, "content": content, "built": built, "totals": totals}


def post_file(imported, folder: str, words: str) -> str:
    base = os.path.join(imported["root"], "nhap-khau", folder)
    for top, _, names in os.walk(base):
        for name in names:
            if name.endswith(".md") and words in name:
                return os.path.join(top, name)
    raise AssertionError(f"no imported post with {words!r} in {folder}")


def test_strict_build_passes_with_the_demo(imported):
    built = imported["built"]
    assert built.ok, built.messages()
    assert not [p for p in built.problems if "nhap" in p.file or "2019" in p.file
                or "2020" in p.file], built.messages()


def test_one_post_for_three_addresses_and_a_redirect_for_each(imported):
    built = imported["built"]
    found = [n for n in os.listdir(os.path.join(imported["root"], "nhap-khau", "so", "tin-tuc",
                                                "2019"))]
    assert len(found) == 1
    target = None
    for old in ("ct/12/101", "ctmb/12/101", "ctfull/12/101"):
        soup = built.soup(f"{old}/index.html")
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        canonical = soup.find("link", rel="canonical")["href"]
        assert target in (None, canonical)
        target = canonical
    path = target.split("://", 1)[1].split("/", 1)[1]
    page = built.soup(path + "index.html")
    assert page.find("h1").get_text(strip=True).startswith("Lễ khai giảng năm học 2019–2020")
    # every old address of every imported post has its page
    for name in ("ct/12/103/index.html", "ct/15/102/index.html",
                 "news/tin-tuc/hoi-thao-chuyen-doi-so-trong-day-hoc-45.html",
                 "news/thong-bao/lich-hop-phu-huynh-hoc-ky-i-46.html",
                 "2020/06/le-tong-ket-nam-hoc/index.html"):
        assert built.exists(name), name


def test_no_reference_to_the_old_hosts(imported):
    for folder in (imported["built"].output, imported["content"]):
        for base, _, names in os.walk(folder):
            for name in names:
                if name.endswith((".html", ".md", ".yml", ".xml", ".json", ".csv")):
                    text = read(os.path.join(base, name))
                    assert not any(h in text for h in OLD_HOSTS), os.path.join(base, name)


def test_body_is_clean_markdown(imported):
    text = read(post_file(imported, "so", "le-khai-giang"))
    head, body = text.split("\n\n", 1)
    assert "Title: Lễ khai giảng năm học 2019–2020: thầy và trò Trường THPT Mẫu hân hoan chào đón năm học mới" in head
    assert "Date: 2019-09-05 07:30" in head
    assert "Author: Trần Thị Mai Anh" in head
    for junk in ("Lượt xem", "Tin mới", "Thống kê", "Chia sẻ", "Các tin khác", "Người viết",
                 "Đang truy cập", "blank.gif"):
        assert junk not in text, junk
    assert "| 10 | 9 | 360 |" in body  # the table, as a Markdown table
    assert "![Học sinh khối 10 dự lễ khai giảng](/images/2019/khai-giang-1.jpg)" in body
    assert "(/images/2019/san-truong-1200.jpg)" in body  # srcset's largest, not src's thumb
    assert "[Kế hoạch năm học 2019–2020](/files/2019/ke-hoach-nam-hoc-2019-2020-ban-cuoi.pdf)" in body


def test_day_le_12_and_windows_1258_and_nfd(imported):
    notice = read(post_file(imported, "so", "lich-kiem-tra"))
    assert "Date: 2020-04-03 14:00" in notice  # 03/04/2020 is 3 April
    assert "Category: Thông báo" in notice
    assert "Lịch kiểm tra học kỳ II năm học 2019–2020" in notice
    nfd = read(post_file(imported, "so", "hoi-thi"))
    import unicodedata

    assert unicodedata.is_normalized("NFC", nfd)
    assert "Title: Hội thi giáo viên dạy giỏi cấp trường năm 2020" in nfd
    assert "## Kết quả hội thi" in nfd


def test_internal_links_and_files(imported):
    built = imported["built"]
    notice = read(post_file(imported, "so", "lich-kiem-tra"))
    assert notice.count("{filename}/tin-tuc/2019/le-khai-giang") == 2  # /ct/… and /ctmb/…
    nv = read(post_file(imported, "nukeviet", "hoi-thao"))
    assert "{filename}/thong-bao/2020/thong-bao-lich-hop" in nv
    assert "(/files/2020/tai-lieu-hoi-thao-chuyen-doi-so.docx)" in nv
    assert "Author: Phạm Thu Hà" in nv and "Date: 2020-10-07 08:15" in nv
    assert built.exists("files/2020/tai-lieu-hoi-thao-chuyen-doi-so.docx")
    assert built.exists("files/2019/ke-hoach-nam-hoc-2019-2020-ban-cuoi.pdf")
    soup = built.soup("thong-bao/lich-kiem-tra-hoc-ky-ii-nam-hoc-2019-2020/index.html")
    hrefs = [a["href"] for a in soup.select("main a[href]")]
    new = built.soup("ct/12/101/index.html").find("link", rel="canonical")["href"]
    assert "/tin-tuc/le-khai-giang-nam-hoc-2019-2020" in new
    assert hrefs.count(new) == 2, hrefs  # both old links lead to the imported post


def test_same_file_imported_once(imported):
    images = os.listdir(os.path.join(imported["root"], "nhap-khau", "so", "images", "2019"))
    assert sorted(images) == ["khai-giang-1.jpg", "san-truong-1200.jpg"]
    assert not os.path.exists(os.path.join(imported["root"], "nhap-khau", "so", "images", "2020"))
    later = read(post_file(imported, "so", "hoi-thi"))
    assert "(/images/2019/khai-giang-1.jpg)" in later  # same bytes as the 2019 photo


def test_generic_blog_page(imported):
    text = read(post_file(imported, "blog", "le-tong-ket"))
    assert "Title: Lễ tổng kết năm học 2019–2020 và trao thưởng học sinh giỏi" in text
    assert "Date: 2020-06-02 09:00" in text
    assert "(/images/2020/tong-ket.jpg)" in text
    for junk in ("lượt xem", "Bài viết liên quan", "bình luận", "Twitter", "Bài mới"):
        assert junk not in text, junk


def test_legacy_font_pages_are_published_in_unicode(imported):
    built = imported["built"]
    for old, title in (("ct/15/301", "Thông báo về việc nghỉ Tết Nguyên đán Bính Thân 2016"),
                       ("ct/12/302", "Kế hoạch tuyển sinh lớp 10 năm học 2016–2017")):
        new = built.soup(f"{old}/index.html").find("link", rel="canonical")["href"]
        page = built.soup(new.split("://", 1)[1].split("/", 1)[1] + "index.html")
        assert page.find("h1").get_text(strip=True).replace("\xa0", " ") == title  # no widow
    notice = read(post_file(imported, "phong-cu", "nghi-tet"))
    assert "{filename}/tin-tuc/2016/ke-hoach-tuyen-sinh" not in notice  # related list: dropped
    assert "Trường Trung học phổ thông Nguyễn Trãi" in notice


def test_report_lists_every_page(imported):
    for name in SOURCES:
        out = os.path.join(imported["root"], "nhap-khau", name)
        with open(os.path.join(out, "bao-cao-nhap.csv"), encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        saved = []
        site = os.path.join(FIXTURES, name)
        host = os.listdir(site)[0]
        for base, _, names in os.walk(os.path.join(site, host)):
            saved += [os.path.relpath(os.path.join(base, n), os.path.join(site, host))
                      for n in names if n.endswith(".html")]
        assert sorted(r["Tệp đã lưu"] for r in rows if r["Tệp đã lưu"]) == sorted(saved)
        missing = [r["Địa chỉ cũ"] for r in rows if not r["Tệp đã lưu"]]
        assert missing == (["/ct/12/104"] if name == "so" else [])  # in sitemap.xml, not saved
        assert all(r["Kết quả"] for r in rows)
        assert "<table>" in read(os.path.join(out, "bao-cao-nhap.html"))
    rows = list(csv.DictReader(open(os.path.join(imported["root"], "nhap-khau", "so",
                                                 "bao-cao-nhap.csv"), encoding="utf-8-sig")))
    outcomes = sorted(r["Kết quả"] for r in rows)
    assert outcomes.count("đã nhập") == 3 and sum(o.startswith("trùng") for o in outcomes) == 2


def test_rerun_changes_nothing_and_never_overwrites(imported, tmp_path):
    out = os.path.join(imported["root"], "nhap-khau", "so")
    before = snapshot(out)
    totals = import_site(os.path.join(FIXTURES, "so"), out, project_content=os.path.join(
        ROOT, "content"), today=FIXED_TODAY)
    assert totals["written"] == 0
    assert snapshot(out) == before
    # after the editor copied the import into content/, the same run still changes nothing
    again = import_site(os.path.join(FIXTURES, "so"), out, project_content=imported["content"],
                        today=FIXED_TODAY)
    assert again["written"] == 0
    assert snapshot(out) == before
    victim = post_file(imported, "so", "hoi-thi")
    with open(victim, "a", encoding="utf-8") as handle:
        handle.write("\nBiên tập viên đã sửa.\n")
    edited = snapshot(out)
    with pytest.raises(Refused) as refused:
        import_site(os.path.join(FIXTURES, "so"), out, project_content=os.path.join(
            ROOT, "content"), today=FIXED_TODAY)
    assert refused.value.paths == [victim]
    assert snapshot(out) == edited


def test_problem_pages_become_drafts_with_reasons(tmp_path):
    out = str(tmp_path / "van-de")
    import_site(os.path.join(FIXTURES, "van-de"), out, today=FIXED_TODAY)
    with open(os.path.join(out, "bao-cao-nhap.csv"), encoding="utf-8-sig") as handle:
        rows = {r["Tệp đã lưu"]: r for r in csv.DictReader(handle)}
    personal, legacy = rows["ct/12/201.html"], rows["ct/12/202.html"]
    assert personal["Kết quả"] == "bản nháp" and "Kiểm tra:" in personal["Cần sửa (bản nháp)"]
    assert legacy["Kết quả"] == "bản nháp" and "phông chữ cũ" in legacy["Cần sửa (bản nháp)"]
    for row in (personal, legacy):
        assert "Status: draft" in read(os.path.join(out, row["Bài mới (tệp)"]))
    import yaml

    with open(os.path.join(out, "data", "chuyen-huong", "van-de.yml"), encoding="utf-8") as f:
        entries = yaml.safe_load(f)  # drafts keep their old addresses too (live once published)
    assert {(e["from"], e["to"]) for e in entries} >= {
        ("/ct/12/201", personal["Bài mới (tệp)"]), ("/ct/12/202", legacy["Bài mới (tệp)"])}


def test_posts_in_a_plan_year_get_suggested_topics_as_a_comment(tmp_path):
    site = tmp_path / "cu" / "truongmau.example"
    shutil.copytree(os.path.join(FIXTURES, "blog", "truongmau.example"), site)
    page = site / "2020" / "06" / "le-tong-ket-nam-hoc" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("2020-06-02", "2022-06-02").replace(
        "dạy học trực tuyến", "chuyển đổi số, dạy học trực tuyến"), encoding="utf-8")
    out = str(tmp_path / "ra")
    import_site(str(tmp_path / "cu"), out, today=FIXED_TODAY)
    found = [os.path.join(b, n) for b, _, names in os.walk(out) for n in names
             if n.endswith(".md")]
    assert len(found) == 1
    text = read(found[0])
    head = text.split("\n\n", 1)[0]
    assert "Topics:" not in head  # never a silent assignment
    assert "Status: draft" in head
    comment = re.search(r"<!-- Gợi ý chủ đề[^>]*: ([a-z, -]+)\. Biên tập viên", text)
    assert comment and "chuyen-doi-so" in comment.group(1).split(", ")
    # a draft waiting for its topics is a warning, not an error: `invoke check` passes
    built = build(tmp_path / "site", {os.path.relpath(os.path.join(base, n), out): read(
        os.path.join(base, n)) for base, _, names in os.walk(os.path.join(out, "tin-tuc"))
        for n in names})
    assert built.ok, built.messages()
    assert any(p.field == "Topics" and p.severity == "warning" for p in built.problems)


def test_a_sitemap_as_source_gives_the_same_import(tmp_path):
    found = []
    for name, source in (("thu-muc", os.path.join(FIXTURES, "so")),
                         ("sitemap", os.path.join(FIXTURES, "so", "thpt-mau.example",
                                                  "sitemap.xml"))):
        out = str(tmp_path / name)
        import_site(source, out, today=FIXED_TODAY, check=False)
        found.append({k: v for k, v in snapshot(out).items() if k.endswith(".md")})
    assert len(found[0]) == 3 and found[0] == found[1]


def test_merged_cells_stay_an_html_table_and_headings_shift():
    from lxml import html

    from cong_truong.tools.importer.convert import to_markdown

    node = html.fromstring('<div><h1>Phần một</h1><h3>Chi tiết</h3><table><tr>'
                           '<th colspan="2">Khối 10</th></tr><tr><td>Lớp</td><td>Sĩ số</td>'
                           '</tr></table></div>')
    text = to_markdown(node, lambda url, what: (url, ""), [])
    assert "## Phần một" in text and "#### Chi tiết" in text
    assert '<th colspan="2">Khối 10</th>' in text and "<td>Sĩ số</td>" in text


def test_invoke_import_task(tmp_path):
    import subprocess

    invoke = [sys.executable, "-m", "invoke", "-r", ROOT, "import"]
    out = str(tmp_path / "ra ngoai")
    first = subprocess.run(invoke + [os.path.join(FIXTURES, "nukeviet"), "--ra", out,
                                     "--khong-kiem-tra"], capture_output=True, text=True,
                           cwd=str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "2 bài" in first.stdout and os.path.isfile(os.path.join(out, "bao-cao-nhap.html"))
    again = subprocess.run(invoke + [os.path.join(FIXTURES, "nukeviet"), "--ra", out,
                                     "--khong-kiem-tra"], capture_output=True, text=True,
                           cwd=str(tmp_path))
    assert again.returncode == 0 and "0 tệp mới ghi" in again.stdout
    missing = subprocess.run(invoke + ["khong-co-thu-muc-nay"], capture_output=True, text=True,
                             cwd=str(tmp_path))
    assert missing.returncode == 1
    assert "Không thấy nguồn" in missing.stderr and "Traceback" not in missing.stderr


def test_imported_photos_go_through_the_image_pipeline(imported):
    soup = imported["built"].soup(
        "thong-bao/lich-kiem-tra-hoc-ky-ii-nam-hoc-2019-2020/index.html")  # no photo here
    assert soup.find("picture") is None
    new = imported["built"].soup("ct/12/101/index.html").find("link", rel="canonical")["href"]
    page = imported["built"].soup(new.split("://", 1)[1].split("/", 1)[1] + "index.html")
    pictures = page.select("main picture img")
    assert [img["alt"] for img in pictures] == ["Học sinh khối 10 dự lễ khai giảng",
                                                "Sân trường trong buổi lễ"]


def test_gps_of_an_imported_photo_is_not_published(tmp_path):
    import io

    from PIL import Image

    site = tmp_path / "cu" / "thpt-mau.example"
    shutil.copytree(os.path.join(FIXTURES, "so", "thpt-mau.example"), site)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (20.0, 25.0, 0.0), 3: "E", 4: (106.0, 10.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(buffer, "JPEG", exif=exif)
    (site / "uploads" / "2020" / "11" / "hoi-thi.jpg").write_bytes(buffer.getvalue())
    assert Image.open(site / "uploads" / "2020" / "11" / "hoi-thi.jpg").getexif().get_ifd(0x8825)
    out = str(tmp_path / "ra")
    import_site(str(tmp_path / "cu"), out, today=FIXED_TODAY, check=False)
    files = {os.path.relpath(os.path.join(b, n), out): open(os.path.join(b, n), "rb").read()
             for b, _, names in os.walk(out) for n in names
             if n.endswith((".md", ".jpg", ".pdf", ".yml"))}
    built = build(tmp_path / "site", files)
    assert built.ok, built.messages()
    published = built.path("images/2020/hoi-thi.jpg")
    assert os.path.exists(published)
    assert not Image.open(published).getexif().get_ifd(0x8825)
