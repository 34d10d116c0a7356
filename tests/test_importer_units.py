"""Pure parts of the importer (tools/importer): dates, encodings, names, topics, categories,
and the redirect entries of portal_redirects."""

from __future__ import annotations

import datetime as dt
import os
import sys
import unicodedata

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from cong_truong.tools.importer import dates, decode, extract, files, legacy_fonts, run, topics  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("Ngày đăng: 05/09/2023 07:30 | Lượt xem: 2.345", dt.datetime(2023, 9, 5, 7, 30)),
    ("03/04/2020", dt.datetime(2020, 4, 3)),  # 3 April, never 4 March
    ("Cập nhật lúc 14h05 ngày 11/12/2021", dt.datetime(2021, 12, 11, 14, 5)),
    ("Thứ hai - 07.10.2019 08:15", dt.datetime(2019, 10, 7, 8, 15)),
    ("Nam Định, ngày 5 tháng 9 năm 2023", dt.datetime(2023, 9, 5)),
])
def test_day_first_dates(text, expected):
    assert dates.parse_visible(text) == expected


def test_impossible_day_first_date_is_not_swapped():
    assert dates.parse_visible("Ngày 31/13/2020") is None


def test_iso_dates_become_vietnam_time():
    assert dates.parse_iso("2020-10-07T01:15:00Z") == dt.datetime(2020, 10, 7, 8, 15)
    assert dates.parse_iso("2020-10-07T08:15:00+07:00") == dt.datetime(2020, 10, 7, 8, 15)
    assert dates.parse_iso("không có ngày") is None


def test_windows_1258_is_decoded_to_nfc():
    # windows-1258 keeps tone marks apart: dot below is 0xF2, grave 0xCC
    raw = b'<meta charset="windows-1258"><p>Li\xf2ch thi ho\xf2c ky\xcc</p>'
    text, encoding, warnings = decode.decode(raw)
    assert encoding == "windows-1258"
    assert "Lịch thi học kỳ" in text  # ỳ: y + grave
    assert unicodedata.is_normalized("NFC", text)
    assert warnings  # the decomposed text is reported as converted


def test_nfd_page_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "<p>Hội thi giáo viên dạy giỏi</p>").encode("utf-8")
    text, _, _ = decode.decode(nfd)
    assert text == "<p>Hội thi giáo viên dạy giỏi</p>"


def test_tcvn3_page_reaches_the_converter_byte_for_byte():
    raw = "<p><font face='.VnTime'>Nh\u00b5 tr\u00adêng th\u00abng b\u00b8o</font></p>"
    raw = raw.encode("utf-8")
    text, encoding, _ = decode.decode(raw)
    assert encoding == "utf-8" and "Nhµ tr\u00adêng th«ng b¸o" in text  # converted later
    assert "Nhà trường thông báo" in legacy_fonts.convert_html(text).html
    clean = "<p>Nhà trường thông báo lịch học</p>"
    assert legacy_fonts.convert_html(decode.decode(clean.encode("utf-8"))[0]).encoding is None


@pytest.mark.parametrize("name, expected", [
    ("Kế hoạch năm học 2019-2020 (bản cuối).pdf", "ke-hoach-nam-hoc-2019-2020-ban-cuoi.pdf"),
    ("Khai%20giang%20(1).JPG", "khai-giang-1.jpg"),
    (unicodedata.normalize("NFD", "ĐỀ THI HỌC KỲ I.docx"), "de-thi-hoc-ky-i.docx"),
    ("anh.JPEG", "anh.jpg"),
])
def test_safe_names(name, expected):
    assert files.safe_name(name) == expected


def test_placeholders_are_not_pictures():
    assert files.is_placeholder("/images/blank.gif")
    assert files.is_placeholder("/themes/default/images/loading.gif")
    assert files.is_placeholder("data:image/gif;base64,R0lGOD")
    assert not files.is_placeholder("/uploads/2019/09/khai-giang.jpg")


def test_lazy_image_and_largest_srcset_win():
    from lxml import html

    doc = html.fromstring('<div><img src="/blank.gif" data-src="/a.jpg" alt="a">'
                          '<img src="/t.jpg" srcset="/big.jpg 1200w, /mid.jpg 600w" alt="b"></div>')
    warnings = []
    extract.normalize_images(doc, warnings)
    assert [img.get("src") for img in doc.iter("img")] == ["/a.jpg", "/big.jpg"]
    assert warnings and "srcset" in warnings[0]


def test_topic_suggestions_from_keywords(tmp_path):
    content = os.path.join(ROOT, "content")
    plans, rules = topics.load(content)
    text = unicodedata.normalize("NFD", "HỘI THẢO CHUYỂN ĐỔI SỐ: dạy học trực tuyến")
    assert "chuyen-doi-so" in topics.suggest(2022, text, plans, rules)
    assert "chuyen-doi-so" in topics.suggest(2022, "hoi thao chuyen doi so", plans, rules)
    assert topics.suggest(min(plans) - 1, text, plans, rules) is None  # before the first plan
    assert topics.suggest(2022, "Một bài không có từ khóa nào", plans, rules) == []


@pytest.mark.parametrize("url, crumb, kind", [
    ("/news/thong-bao/lich-thi-46.html", "", "thong-bao"),
    ("/ct/15/102", "Trang chủ › Thông báo", "thong-bao"),
    ("/ct/12/101", "Trang chủ › Tin tức", "tin-tuc"),
    ("/ct/20/300", "Trang chủ › CÔNG KHAI", "cong-khai"),
    ("/van-ban/quyet-dinh-12.html", "", "van-ban"),
])
def test_category_mapping(url, crumb, kind):
    assert run.kind_of_page(url, crumb, run.load_mapping(None)) == kind


def test_category_mapping_by_old_category_id():
    mapping = run.load_mapping(None)
    mapping["urls"] = {"/ct/15/": "thong-bao"}
    assert run.kind_of_page("/ct/15/102", "", mapping) == "thong-bao"


def test_redirect_entries_and_paths():
    sys.path.insert(0, os.path.join(ROOT, "plugins"))
    from portal_redirects.redirects import entries, output_path

    assert output_path("/ct/12/101") == "ct/12/101/index.html"
    assert output_path("/news/tin-tuc/bai-45.html") == "news/tin-tuc/bai-45.html"
    assert output_path("/2020/06/bai/") == "2020/06/bai/index.html"
    found, problems = entries([
        {"from": "/ct/12/101", "to": "tin-tuc/2019/a.md"},
        {"from": "/index.php?nv=news&op=1", "to": "tin-tuc/2019/a.md"},
        {"from": "/../etc", "to": "tin-tuc/2019/a.md"},
        {"from": "/ct/12/102"},
    ], "content/data/chuyen-huong/x.yml")
    assert [e.old for e in found] == ["/ct/12/101"]
    assert [p.field for p in problems] == ["mục 2: from", "mục 3: from", "mục 4"]


def test_httrack_comment_gives_the_old_address(tmp_path):
    from cong_truong.tools.importer import discover

    site = tmp_path / "ban-luu"
    site.mkdir()
    (site / "index4f2a.html").write_text(
        "<!DOCTYPE html><html><!-- Mirrored from thcs-mau.example/index.php?nv=news&op=45 by "
        "HTTrack Website Copier/3.x --><body><h1>Bài</h1></body></html>", encoding="utf-8")
    found = discover.discover(str(site))
    assert found.host == "thcs-mau.example"
    assert found.pages[0].urls[0] == "/index.php?nv=news&op=45"
