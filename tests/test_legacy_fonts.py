"""Legacy Vietnamese fonts (cong_truong/tools/importer/legacy_fonts.py): the TCVN3 and VNI tables checked
cell by cell against Unicode (character names, and glibc's iconv where it has TCVN5712-1),
every letter round-tripped, sentences against byte strings written by hand from the tables,
ambiguity reported, a mixed page converted element by element, and the importer turning a
TCVN3 page and a VNI page into published posts."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import unicodedata

import pytest
import yaml

from conftest import FIXED_TODAY, ROOT

from cong_truong.tools.importer import decode, legacy_fonts as lf  # noqa: E402
from cong_truong.tools.importer.write import import_site  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "fixtures", "import")
with open(os.path.join(ROOT, "cong_truong", "tools", "importer", "legacy_fonts.yml"), encoding="utf-8") as _f:
    DATA = yaml.safe_load(_f)
TONE_NAMES = {"grave": "GRAVE", "hook": "HOOK ABOVE", "tilde": "TILDE", "acute": "ACUTE",
              "dot": "DOT BELOW"}
VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]


def named(base: str, tone: str) -> str:
    """The letter with that tone, found by its Unicode name (not by composing marks)."""
    if tone == "none":
        return base
    name = unicodedata.name(base)
    return unicodedata.lookup(name + (" AND " if " WITH " in name else " WITH ") + TONE_NAMES[tone])


LOWER = [named(v, t) for v in VOWELS for t in DATA["tones"]] + ["đ"]
UPPER = [c.upper() for c in LOWER]
assert len(set(LOWER)) == 73 and len([c for c in LOWER + UPPER if not c.isascii()]) == 134


def code(value) -> bytes:
    return bytes(int(p, 16) for p in str(value).split())


def cells(encoding: str, case: str):
    for base, row in DATA[encoding][case].items():
        for tone, value in zip(DATA["tones"], row):
            yield base, tone, code(value)


# --- the tables, cell by cell -----------------------------------------------------------

@pytest.mark.parametrize("encoding, case", [("tcvn3", "lower"), ("vni", "lower"), ("vni", "upper")])
def test_every_cell_is_the_unicode_letter_of_its_row_and_column(encoding, case):
    seen = []
    for base, tone, codes in cells(encoding, case):
        letter = named(base, tone)
        seen.append(letter)
        assert lf.to_unicode(lf.as_text(codes), encoding) == (letter, []), (base, tone, codes)
        assert lf.from_unicode(letter, encoding) == codes
    assert sorted(seen) == sorted(LOWER if case == "lower" else UPPER)


def test_tcvn3_regular_capitals_and_the_capital_fonts():
    regular = {letter: code(row[0]) for letter, row in DATA["tcvn3"]["upper"].items()}
    assert sorted(regular) == sorted("ĂÂÊÔƠƯĐ")
    for letter, codes in regular.items():
        assert lf.to_unicode(lf.as_text(codes), "tcvn3") == (letter, [])
    for letter in UPPER:  # a capital font draws the lower-case codes as capitals
        codes = lf.from_unicode(letter, "tcvn3", capitals=True)
        lower = letter.encode() if letter.isascii() else lf.from_unicode(letter.lower(), "tcvn3")
        assert codes == lower
        assert lf.to_unicode(lf.as_text(codes), "tcvn3", capitals=True) == (letter, [])


@pytest.mark.skipif(not shutil.which("iconv") or subprocess.run(
    ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"a", capture_output=True).returncode,
    reason="iconv without TCVN5712-1")
def test_tcvn3_agrees_with_glibc_iconv():
    """glibc's TCVN5712-1 is the full VN1 level; VN3 shares its codes for these letters."""
    def iconv(data: bytes) -> str:
        return subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data,
                              capture_output=True, check=True).stdout.decode("utf-8")

    letters = [(letter, lf.from_unicode(letter, "tcvn3")) for letter in LOWER + list("ĂÂÊÔƠƯĐ")]
    joined = b"|".join(codes for _, codes in letters)
    assert iconv(joined).split("|") == [letter for letter, _ in letters]
    for byte, hint in DATA["tcvn3"]["unassigned"].items():  # the hints are VN1's reading
        assert iconv(code(byte)) == hint


def test_vni_capitals_use_the_capital_form_of_each_mark():
    lower = {named(base, tone): codes for base, tone, codes in cells("vni", "lower")}
    for base, tone, codes in cells("vni", "upper"):
        small = lower[named(base, tone).lower()]
        assert lf.as_text(codes) == lf.as_text(small).upper()
        if len(codes) == 2:  # base letter, then a mark byte
            assert lf.as_text(codes[:1]) in "AEOUYÔÖ"


def test_every_byte_has_a_defined_outcome():
    reported = {}
    for encoding in ("tcvn3", "vni"):
        for byte in range(256):
            for text in (lf.as_text(bytes([byte])), chr(byte)):  # Windows-1252 and Latin-1
                out, found = lf.to_unicode(text, encoding)
                if found:
                    reported.setdefault(encoding, set()).add(byte)
                else:
                    assert out and (out == lf.as_text(bytes([byte])) or unicodedata.name(out[0]))
    holes = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
    assert reported["tcvn3"] == holes | {0xAF, *range(0xB0, 0xB5), 0xBA, *range(0xBF, 0xC6), 0xCD,
                                         0xD9, 0xDA, 0xDB, 0xE0, 0xF0, 0xFF}
    marks = {0xF8, 0xFB, 0xF5, 0xF9, 0xEF, 0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4, 0xEA, 0xE8, 0xFA,
             0xFC, 0xE9, 0xEB}
    marks |= {b - 0x20 for b in marks}
    assert reported["vni"] == holes | marks | {0xC7, 0xD0, 0xDD, 0xDE, 0xDF, 0xE7, 0xF0, 0xFD,
                                               0xFE, 0xFF}


# --- round trip --------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, capitals, letters", [
    ("tcvn3", False, LOWER + list("ĂÂÊÔƠƯĐ")), ("tcvn3", True, UPPER),
    ("vni", False, LOWER + UPPER)])
def test_every_letter_round_trips(encoding, capitals, letters):
    for letter in letters:
        data = lf.from_unicode(letter, encoding, capitals)
        for text in (lf.as_text(data), data.decode("latin-1"),
                     data.decode("latin-1").encode("utf-8").decode("utf-8")):
            back, found = lf.to_unicode(text, encoding, capitals)
            assert back == letter and not found and unicodedata.is_normalized("NFC", back)


def test_capitals_with_marks_are_not_in_the_regular_tcvn3_fonts():
    for letter in [c for c in UPPER if c not in "ĂÂÊÔƠƯĐ" and not c.isascii()]:
        with pytest.raises(ValueError, match="VnTimeH"):
            lf.from_unicode(letter, "tcvn3")
    with pytest.raises(ValueError):
        lf.from_unicode("trường", "tcvn3", capitals=True)


# --- sentences, bytes written by hand from the tables ---------------------------------------

SENTENCES = [
    ("Trường Trung học phổ thông Nguyễn Trãi", "tcvn3",
     b"Tr\xad\xeang Trung h\xe4c ph\xe6 th\xabng Nguy\xd4n Tr\xb7i"),
    ("Trường Trung học phổ thông Nguyễn Trãi", "vni",
     b"Tr\xf6\xf4\xf8ng Trung ho\xefc pho\xe5 tho\xe2ng Nguye\xe3n Tra\xf5i"),
    ("Kế hoạch tuyển sinh lớp 10 năm học 2016–2017", "tcvn3",
     b"K\xd5 ho\xb9ch tuy\xd3n sinh l\xedp 10 n\xa8m h\xe4c 2016\x962017"),
    ("Kế hoạch tuyển sinh lớp 10 năm học 2016–2017", "vni",
     b"Ke\xe1 hoa\xefch tuye\xe5n sinh l\xf4\xf9p 10 na\xeam ho\xefc 2016\x962017"),
    ("Thông báo về việc nghỉ Tết Nguyên đán", "tcvn3",
     b"Th\xabng b\xb8o v\xd2 vi\xd6c ngh\xd8 T\xd5t Nguy\xaan \xae\xb8n"),
    ("Thông báo về việc nghỉ Tết Nguyên đán", "vni",
     b"Tho\xe2ng ba\xf9o ve\xe0 vie\xe4c ngh\xe6 Te\xe1t Nguye\xe2n \xf1a\xf9n"),
    ("ĐỀ THI HỌC KỲ II", "vni", b"\xd1E\xc0 THI HO\xcfC KY\xd8 II"),
    ("Đoàn Thanh niên", "tcvn3", b"\xa7o\xb5n Thanh ni\xaan"),
]


@pytest.mark.parametrize("sentence, encoding, data", SENTENCES)
def test_sentences_against_hand_written_bytes(sentence, encoding, data):
    assert lf.from_unicode(sentence, encoding) == data
    for text in (data.decode("cp1252"), data.decode("latin-1")):
        assert lf.to_unicode(text, encoding) == (sentence, [])
        converted, findings = lf.convert_words(text, encoding)
        assert (converted, findings) == (sentence, [])


def test_a_heading_in_a_tcvn3_capital_font():
    data = b"TR\xad\xeaNG THPT NGUY\xd4N TR\xb7I"  # .VnTimeH: capitals from lower-case codes
    assert lf.from_unicode("TRƯỜNG THPT NGUYỄN TRÃI", "tcvn3", capitals=True) == data
    assert lf.to_unicode(data.decode("cp1252"), "tcvn3", capitals=True) == (
        "TRƯỜNG THPT NGUYỄN TRÃI", [])
    # the same bytes in a regular font are what the page showed: lower-case marked letters
    assert lf.to_unicode(data.decode("cp1252"), "tcvn3")[0] == "TRườNG THPT NGUYễN TRãI"


# --- ambiguity is reported, not guessed -------------------------------------------------------

def test_unassigned_tcvn3_bytes_and_cp1252_holes_are_reported():
    out, found = lf.to_unicode("c\xc0 b\xb8o\x81", "tcvn3")
    assert out == "c\xc0 báo\x81"  # left as found
    assert [(a.position, a.code, a.kind) for a in found] == [(1, 0xC0, "unassigned"),
                                                            (6, 0x81, "undefined")]
    assert found[0].hint == "Ắ" and "0xC0" in found[0].message("tcvn3")
    assert "TCVN 5712 VN1 là «Ắ»" in found[0].message("tcvn3")


def test_stray_vni_marks_and_unused_letters_are_reported():
    out, found = lf.to_unicode("bù ñaùn Çaø", "vni")
    assert out == "bù đán Çà"
    assert [(a.position, a.text, a.kind) for a in found] == [(1, "ù", "mark"),
                                                            (8, "Ç", "unassigned")]
    assert "dấu rời" in found[0].message("vni")
    assert lf.to_unicode("iù", "vni")[1][0].kind == "mark"  # í is a single byte in VNI


def test_lower_case_ascii_in_a_capital_font_is_reported():
    out, found = lf.to_unicode("Th\xabng b\xb8o", "tcvn3", capitals=True)
    assert out == "THÔNG BÁO"
    assert [a.text for a in found] == list("hngbo") and {a.kind for a in found} == {"case"}


def test_vni_mark_of_the_other_case_still_belongs_to_its_letter():
    assert lf.to_unicode("Aù baØi", "vni") == ("Á bài", [])  # Word's Title Case on VNI text


# --- which reading is Vietnamese ----------------------------------------------------------------

@pytest.mark.parametrize("word, ok", [
    ("học", True), ("nghiêng", True), ("khuya", True), ("quốc", True), ("xoong", True),
    ("trường", True), ("ĐHSP", True), ("häc", False), ("cỏc", False), ("bỏo", False),
    ("hoïc", False), ("ăn", True), ("ă", False), ("bát", True), ("bàt", False),
])
def test_syllables(word, ok):
    assert lf.is_syllable(word.lower() if not word.isupper() else word) is ok


@pytest.mark.parametrize("token, encoding, verdict", [
    ("b\xb8o", "tcvn3", lf.LEGACY), ("báo", "tcvn3", lf.UNICODE), ("Trường", "tcvn3", lf.UNICODE),
    ("baùo", "vni", lf.LEGACY), ("báo", "vni", lf.UNICODE), ("THPT", "vni", lf.NEUTRAL),
    ("c\xe3", "tcvn3", lf.TIE),  # có in TCVN3, cã as Unicode: both are syllables
    ("Müller", "tcvn3", lf.BAD),
])
def test_words_are_judged(token, encoding, verdict):
    assert lf.judge(token, encoding)[0] == verdict


def test_detect_from_font_names_and_from_words():
    assert lf.detect('<p><font face=".VnTime">x</font></p>') == "tcvn3"
    assert lf.detect('<p style="font-family: &quot;VNI-Times&quot;">x</p>') == "vni"
    assert lf.detect("<style>p{font-family:Arial,.VnTime}</style><p>Thông báo</p>") is None
    assert lf.detect("<p>Nhµ tr\xadêng th«ng b¸o kÕ ho¹ch tuyÓn sinh</p>") == "tcvn3"
    assert lf.detect("<p>Nhaø tröôøng thoâng baùo keá hoaïch tuyeån sinh</p>") == "vni"
    for folder in ("so", "nukeviet", "blog"):
        for base, _, names in os.walk(os.path.join(FIXTURES, folder)):
            for name in names:
                if name.endswith(".html"):
                    with open(os.path.join(base, name), "rb") as handle:
                        text, _, _ = decode.decode(handle.read())
                    assert lf.detect(text) is None, name


# --- pages --------------------------------------------------------------------------------------

MIXED = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Th\xabng b\xb8o tuy\xd3n sinh - Trường THPT Mẫu</title>
<style>.abc { font-family: ".VnTime" } .hoa { font-family: .VnTimeH }</style></head><body>
<p id="u">Thông báo các lớp học bù, xem ở bảng tin.</p>
<p id="t"><span style="font-family:'.VnTime'">Nh\xb5 tr\xadêng th\xabng b\xb8o k\xd5 ho\xb9ch</span>
 — Thông báo</p>
<p id="v"><font face="VNI-Times">Tröôøng THPT <b>Nguyeãn Traõi</b></font></p>
<p id="r" class="abc">Nhà trường đã gõ lại đoạn này bằng Unicode.</p>
<p id="a" class="abc">Nh\xb5 tr\xadêng <font face="Arial">Thông báo</font> k\xd5 ho\xb9ch</p>
<div id="h" class="hoa">TR\xa6\xeaNG THPT</div>
</body></html>"""


def test_a_mixed_page_converts_only_the_legacy_font_text():
    from lxml import html as lxml_html

    result = lf.convert_html(MIXED)
    assert result.encoding == "tcvn3" and result.used == ["tcvn3", "vni"] and not result.findings
    doc = lxml_html.document_fromstring(result.html)
    text = {el.get("id"): el.text_content() for el in doc.iter() if el.get("id")}
    assert text["u"] == "Thông báo các lớp học bù, xem ở bảng tin."  # Unicode, untouched
    assert text["t"] == "Nhà trường thông báo kế hoạch\n — Thông báo"
    assert text["v"] == "Trường THPT Nguyễn Trãi"
    assert text["r"] == "Nhà trường đã gõ lại đoạn này bằng Unicode."  # retyped in Unicode
    assert text["a"] == "Nhà trường Thông báo kế hoạch"  # Arial inside .VnTime: as it was
    assert text["h"] == "TRƯỜNG THPT"
    assert doc.findtext(".//title") == "Thông báo tuyển sinh - Trường THPT Mẫu"
    assert not re.search(r"\.VnTime|VNI-Times", result.html)  # no legacy font left behind
    assert lf.convert_html(result.html).encoding is None  # a second pass has nothing to do


def test_uncertain_words_become_findings():
    page = ('<html><body><p><font face=".VnTime">c\xe3</font></p>'
            '<p><font face=".VnTime">Nh\xb5 tr\xadêng h\xb8t M\xfcller 30\xb0C</font></p>'
            '<p><font face=".VnTimeH">L\xadu \xfd</font></p></body></html>')
    result = lf.convert_html(page)
    found = {f.found: f for f in result.findings}
    assert found["c\xe3"].written == "có" and "cả hai cách" in found["c\xe3"].reason
    assert found["M\xfcller"].written == "Mỹller" and "không thành chữ" in found["M\xfcller"].reason
    assert "0xB0" in found["30\xb0C"].reason
    assert found["L\xadu"].written == "LƯU" and "phông chữ hoa" in found["L\xadu"].reason
    message = lf.describe(result.findings)
    assert message.startswith("Chữ gõ bằng phông chữ cũ TCVN3: 4 chỗ") and "«L[0xAD]u»" in message


def test_a_page_that_names_no_font_follows_the_text_around_each_word():
    """Fonts set in an external stylesheet are not in the saved page: the page is found by
    its words, and a word that reads both ways follows the nearest text that decides."""
    page = ('<html><head><title>Th\xabng b\xb8o l\xdech h\xe4c</title>'
            '<link rel="stylesheet" href="/css/abc.css"></head><body>'
            '<ul id="menu"><li>Trang chủ</li><li>Thông báo</li><li>Thông</li></ul>'
            '<div id="bai"><p>Nh\xb5 tr\xadêng th\xabng b\xb8o l\xdech h\xe4c</p>'
            '<table><tr><td>c\xe3</td></tr></table></div></body></html>')
    result = lf.convert_html(page)
    assert result.encoding == "tcvn3" and not result.findings
    assert "<title>Thông báo lịch học</title>" in result.html
    assert "<li>Thông báo</li><li>Thông</li>" in result.html  # the Unicode menu, as it was
    assert "<p>Nhà trường thông báo lịch học</p>" in result.html and "<td>có</td>" in result.html


def test_symbols_in_unicode_text_do_not_make_a_legacy_page():
    text = "<p>Ảnh 4000×3000 điểm ảnh, nén × 4, sai số ±0.5 °C; «trích dẫn» © 2020 § 3 ¶ ·</p>" * 5
    assert lf.detect(text) is None


# --- decoding and the importer -------------------------------------------------------------

def test_legacy_bytes_declared_windows_1258_are_read_byte_for_byte():
    raw = (b'<meta charset="windows-1258"><style>p{font-family:.VnTime}</style>'
           b"<p>Nh\xb5 tr\xad\xeang th\xabng b\xb8o l\xedch h\xe4c</p>")
    text, encoding, warnings = decode.decode(raw)
    assert encoding == "windows-1252" and "Nhµ tr\xadêng th«ng b¸o" in text
    assert any("phông chữ cũ" in w for w in warnings)


def _rows(out: str) -> dict:
    with open(os.path.join(out, "bao-cao-nhap.csv"), encoding="utf-8-sig") as handle:
        return {row["Tệp đã lưu"]: row for row in csv.DictReader(handle)}


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_tcvn3_and_vni_pages_are_imported_as_published_posts(tmp_path):
    out = str(tmp_path / "phong-cu")
    totals = import_site(os.path.join(FIXTURES, "phong-cu"), out, today=FIXED_TODAY)
    assert (totals["posts"], totals["published"], totals["drafts"]) == (2, 2, 0)
    rows = _rows(out)
    tcvn3, vni = rows["ct/15/301.html"], rows["ct/12/302.html"]
    for row, label in ((tcvn3, "TCVN3"), (vni, "VNI")):
        assert row["Kết quả"] == "đã nhập" and not row["Cần sửa (bản nháp)"]
        assert row["Bảng mã"].endswith(f"; {label} → Unicode")
        assert "đã chuyển sang Unicode" in row["Cảnh báo"]
    notice = _read(os.path.join(out, tcvn3["Bài mới (tệp)"]))
    head, body = notice.split("\n\n", 1)
    assert "Title: Thông báo về việc nghỉ Tết Nguyên đán Bính Thân 2016\n" in head
    assert "Category: Thông báo" in head and "Date: 2016-01-20 08:00" in head
    assert "Summary: Lịch nghỉ Tết của học sinh và cán bộ, giáo viên, nhân viên." in head
    assert "Status: draft" not in head
    assert ("Căn cứ kế hoạch năm học 2015-2016 của Sở Giáo dục và Đào tạo, Trường Trung học phổ "
            "thông Nguyễn Trãi thông báo lịch nghỉ Tết Nguyên đán Bính Thân như sau:") in body
    assert "| Cán bộ, giáo viên, nhân viên | từ ngày 06/02/2016 đến hết ngày 13/02/2016 |" in body
    assert ("Học sinh đi học lại vào thứ hai, ngày 15/02/2016. Đề nghị các lớp thực hiện "
            "nghiêm túc.") in body
    news = _read(os.path.join(out, vni["Bài mới (tệp)"]))
    head, body = news.split("\n\n", 1)
    assert "Title: Kế hoạch tuyển sinh lớp 10 năm học 2016–2017\n" in head
    assert ("Summary: Trường Trung học phổ thông Nguyễn Trãi thông báo kế hoạch tuyển sinh lớp 10."
            in head)
    assert "Hồ sơ gồm: đơn xin dự tuyển, bản sao giấy khai sinh và học bạ THCS." in body
    assert ("Thời gian nhận hồ sơ: từ ngày 01/06/2016 đến ngày 15/06/2016 tại văn phòng nhà "
            "trường.") in body
    assert "Mọi thắc mắc xin liên hệ văn phòng nhà trường." in body  # the Unicode part, unchanged
    for text in (notice, news):
        assert unicodedata.is_normalized("NFC", text)
        assert not re.search("[\xa1-\xbf\xad]", text), "legacy codes left in the post"
    assert os.path.exists(os.path.join(out, "data", "chuyen-huong", "phong-cu.yml"))
    again = import_site(os.path.join(FIXTURES, "phong-cu"), out, today=FIXED_TODAY)
    assert again["written"] == 0  # a re-run changes nothing


def test_uncertain_legacy_text_keeps_the_post_a_draft(tmp_path):
    out = str(tmp_path / "van-de")
    import_site(os.path.join(FIXTURES, "van-de"), out, today=FIXED_TODAY)
    row = _rows(out)["ct/12/202.html"]
    assert row["Kết quả"] == "bản nháp"
    assert "phông chữ cũ TCVN3: 1 chỗ chưa chuyển chắc chắn" in row["Cần sửa (bản nháp)"]
    assert "«L[0xAD]u» → «LƯU»" in row["Cần sửa (bản nháp)"]
    post = _read(os.path.join(out, row["Bài mới (tệp)"]))
    assert "Title: Thông báo tuyển sinh lớp 10" in post and "Status: draft" in post
    assert "Nhà trường thông báo kế hoạch tuyển sinh lớp 10 năm học 2018–2019." in post
