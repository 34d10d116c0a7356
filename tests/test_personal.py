"""portal_safety's personal-data guard (issue 19): what is personal data, what is not.

Both sides for each class (identity numbers, mobile numbers, birth dates), with real-looking
sentences from school posts, in NFC, NFD, upper case and without diacritics; the data file;
the `Not-personal:` exemption; whole builds (dev, `invoke check`, strict publishing build).
"""

from __future__ import annotations

import os
import shutil
import unicodedata

import pytest
import yaml
from conftest import DEMO_CONTENT, build, post

from portal_core import CheckComplete
from portal_safety import personal

YEAR = 2026  # conftest.FIXED_TODAY's year


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def no_marks(value: str) -> str:
    """Vietnamese typed without diacritics (đ → d), case kept."""
    decomposed = nfd(value.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def variants(text: str) -> list[str]:
    """The same sentence as editors' tools produce it."""
    return [text, nfd(text), text.upper(), no_marks(text)]


def scan(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.severity) for f in personal.find_in_line(text, 1, year_now=YEAR)]


def line_of(source: str, needle: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), start=1) if needle in line)


def safety(built, severity=None):
    return [p for p in built.problems if p.plugin == "portal_safety"
            and (severity is None or p.severity == severity)]


# --- must flag: errors -------------------------------------------------------------------

MUST_FLAG = [
    # identity numbers, said to be one
    ("CCCD 036209001234", "cccd"),
    ("Số định danh cá nhân 036209001234 của em", "cccd"),
    ("Phụ huynh gửi bản chụp căn cước công dân số 001 208 012 345 trước ngày 15/8", "cccd"),
    ("Số CMND: 162345678, cấp tại Nam Định", "cmnd"),
    ("Số giấy tờ tùy thân: 079203012345", "cccd"),
    # identity number without a label but shaped like one, next to a name
    ("Danh sách: Nguyễn Thị Lan – 036309001234 – lớp 10A1", "cccd"),
    # private mobiles
    ("SĐT phụ huynh: 0987 654 321", "phone"),
    ("Liên hệ cô Lan chủ nhiệm: 0912.345.678", "phone"),
    ("Zalo của lớp trưởng (+84) 389 123 456", "phone"),
    ("Điện thoại: +84 (0) 912 345 678", "phone"),
    ("Gọi em Minh 0708-123-456 để nhận lại đồ", "phone"),
    ("Mẹ em Hoa là chị Hương, điện thoại 0559 123 456", "phone"),
    ("Điện thoại của bố: 0912345678/0228.3840.123", "phone"),
    # birth dates of a named person (a child or an adult: NĐ 13/2023 makes no exception)
    ("Em Nguyễn Thị Lan, lớp 10A1, sinh ngày 12/03/2009", "birth"),
    ("Học sinh Lê Thị Hoa sinh ngày 02.09.2010 đạt giải Nhì", "birth"),
    ("Trần Thị Bình (SN 2008) đạt giải Nhất cấp tỉnh", "birth"),
    ("Thầy giáo Nguyễn Văn Nam (sinh năm 1980) được tặng Bằng khen", "birth"),
    ("Cô Lan, sinh năm 1985, dạy môn Ngữ văn", "birth"),
    ("Sinh năm 2009, em Phạm Minh Đức đã hai lần đoạt giải", "birth"),
    ("Ông Trần Văn Bình, sinh ngày 3/2/1962, nguyên Hiệu trưởng", "birth"),
    ("Họ tên: Nguyễn Văn An; năm sinh: 2009; lớp 10A1", "birth"),
    ("Thông tin: em Lan - sinh tháng 3/2009 - con bác Hùng", "birth"),
    # a complete birth date is one person's even without a name
    ("Ngày sinh: 12/03/2009", "birth"),
    ("Ngày tháng năm sinh: 5 tháng 3 năm 2008", "birth"),
]


@pytest.mark.parametrize("text, kind", MUST_FLAG)
def test_personal_data_is_an_error(text, kind):
    for variant in variants(text):
        assert scan(variant) == [(kind, "error")], variant


MUST_PASS = [
    # the three posts of issue 19
    "Mã hồ sơ 012024000157 (tra cứu kết quả tuyển sinh)",
    "Nhà cung cấp suất ăn: Công ty TNHH Hoa Sen, mã số thuế 0312345678",
    "Đối tượng tuyển sinh: học sinh lớp 9 sinh năm 2011 trên địa bàn tỉnh",
    # codes of documents and organisations
    "Mã số thuế: 0600123456-001",
    "MST 0961234567 (Công ty CP Thực phẩm An Bình)",
    "Số tài khoản 1234567890123 tại Vietcombank của trường",
    "Số tài khoản: 0912345678, Ngân hàng TMCP Quân đội, chủ tài khoản Trường THPT Nguyễn Trãi",
    "ISBN 978-604-0-12345-6",
    "Số báo danh 250123, phòng thi 12",
    "Số báo danh: 036209001234",
    "Công văn số 1234/SGDĐT-VP ngày 05/9/2025",
    "Quyết định số 0912345678/QĐ-UBND",
    "Mã hồ sơ: 001308012345",
    # twelve digits without a label and without a CCCD's structure, even next to a name
    "Đơn hàng 123456789012 của Nguyễn Văn An đã được giao",
    "Phiếu 012024000157",  # born 1924 by its digits: older than any holder
    "Em Lan nhận mã 097209001234 để đăng nhập",  # 097 is no province code
    # landlines and service numbers
    "Hotline tuyển sinh 0228 3 840 123",
    "Điện thoại: (024) 3825 1234; 0243.825.1234",
    "Tổng đài 1900 1234 và đường dây nóng 111",
    "Liên hệ 0312345678",  # 031 is not a mobile prefix (old Hải Phòng landline code)
    # groups and ranges of birth dates, history
    "trẻ sinh năm 2020 vào lớp 1",
    "Tuyển học sinh sinh từ ngày 01/01/2011 đến ngày 31/12/2011",
    "Học sinh sinh ngày 01/01/2011 đến ngày 31/12/2011 được dự tuyển",
    "thí sinh sinh năm 2008 trở về trước được dự thi",
    "Các em học sinh sinh năm 2009 tham gia hội thao",
    "Độ tuổi: sinh năm 2011",
    "Điều kiện dự tuyển: năm sinh 2011 (trường hợp đặc biệt theo quy định)",
    "Thí sinh có năm sinh 2011 nộp bản sao giấy khai sinh",
    "Giáng sinh 25/12/2025; vệ sinh lớp học ngày 12/3/2026; sinh hoạt lớp 20/11/2025",
    "Nhà thơ Tố Hữu sinh ngày 4/10/1920 tại Thừa Thiên Huế",
    "Fax: 0228 3840 124; hộp thư thoại 1080",
    "Tài khoản số 0912345678 tại Ngân hàng Vietinbank chi nhánh Nam Định",
    "Học sinh Trường THPT Nguyễn Trãi sinh năm 2010 – 2011 tham gia giải chạy",
    "Cô Lan thông báo: học sinh lớp 9 sinh năm 2011 nộp hồ sơ trước ngày 20/5",
    "Bác Hồ sinh ngày 19/5/1890",
    "Chủ tịch Hồ Chí Minh sinh ngày 19/5/1890 tại Nam Đàn",
    "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh (19/5)",
    "Kỳ thi tuyển sinh ngày 05/06/2023 và kế hoạch tuyển sinh năm 2023",
    "Ngày sinh hoạt dưới cờ 20/11/2023",
    "Mức thu 3.500.000 đồng; ngày 05.09.2022; Quyết định số 1234/QĐ-SGDĐT",
]


@pytest.mark.parametrize("text", MUST_PASS)
def test_not_personal_data(text):
    for variant in variants(text):
        assert scan(variant) == [], variant


UNSURE = [
    ("036209001234", "cccd"),  # a CCCD's shape, no label, no name
    ("Mã học sinh 036209001234", "cccd"),
    ("Hotline tuyển sinh 0912 345 678", "phone"),  # an organisation's line? add it to school.yml
    ("Đường dây nóng: 0987.654.321", "phone"),
    ("| Năm sinh | 2008 |", "birth"),  # a bare year, no name
    ("ngày sinh 12/3", "birth"),
]


@pytest.mark.parametrize("text, kind", UNSURE)
def test_unsure_findings_only_warn(text, kind):
    assert scan(text) == [(kind, "warning")]
    assert "Not-personal" in personal.hint(personal.find_in_line(text, 1, year_now=YEAR)[0])


# --- the parts ---------------------------------------------------------------------------

def test_mobile_prefixes_are_data_with_their_date():
    with open(personal.DATA_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    block = data["mobile_prefixes"]
    assert block["as_of"] and block["source"] and block["confidence"]
    prefixes = {str(p) for p in block["prefixes"]}
    assert {"032", "039", "070", "079", "081", "086", "088", "089", "090", "091", "092", "096",
            "099", "056", "058", "059", "087", "055"} <= prefixes
    assert not any(p.startswith(("01", "02", "031")) for p in prefixes)
    for prefix in sorted(prefixes):
        assert scan(f"Liên hệ {prefix}1234567") == [("phone", "error")], prefix
    for prefix in ("031", "020", "024", "028", "040", "060", "010", "095"):
        assert scan(f"Liên hệ {prefix}1234567") == [], prefix
    assert data["id_numbers"]["as_of"] and data["id_numbers"]["confidence"]


@pytest.mark.parametrize("value, shaped", [
    ("036209001234", True),  # Nam Định, male born 2009
    ("001308012345", True),  # Hà Nội, female born 2008
    ("079185012345", True),  # TP HCM, female born 1985
    ("012024000157", False),  # born 1924: older than any holder (max_age)
    ("003209001234", False),  # 003 is not a province code
    ("097209001234", False),  # nor is 097 (codes end at 096)
    ("036409001234", False),  # 4: born 2100-2199
    ("036230001234", False),  # born 2030: in the future
    ("1234567890", False),
])
def test_cccd_structure(value, shaped):
    assert personal.cccd_structure(value, personal.default_rules(), YEAR) is shaped


def names_in(text):
    text = unicodedata.normalize("NFC", text)
    return [text[s:e] for s, e in personal.person_names(
        text, personal._folded_same_length(text), personal.default_rules())]


@pytest.mark.parametrize("text, names", [
    ("Em Nguyễn Thị Lan, lớp 10A1", ["Nguyễn Thị Lan"]),
    ("NGUYEN VAN AN", ["NGUYEN VAN AN"]),
    ("cô Hà dạy Toán, thầy Bình dạy Lý", ["Hà", "Bình"]),
    ("co Lan chu nhiem", ["Lan"]),
    ("Thầy giáo Trương Văn Tâm", ["Trương Văn Tâm"]),
    ("Trường THPT Nguyễn Trãi, đường Lê Lợi, Hà Nội", []),
    ("Học sinh Trường THPT Nguyễn Trãi", []),
    ("Chủ tịch Hồ Chí Minh, Bác Hồ", []),
    ("Chi đoàn 10A1, ảnh Lễ khai giảng", []),
    ("Văn phòng Sở", []),
])
def test_person_names(text, names):
    assert names_in(text) == names
    assert names_in(nfd(text)) == names


def test_birth_dates_in_a_table_column():
    text = ("| TT | Họ và tên | Ngày sinh | Lớp |\n|---|---|---|---|\n"
            "| 1 | Nguyễn Văn An | 12/03/2009 | 10A1 |\n"
            "| 2 | Trần Thị Bình | 2009 | 10A2 |\n\n"
            "| Năm học | Số học sinh |\n|---|---|\n| 2024 | 1200 |\n")
    found = [(f.line, f.kind, f.severity, f.masked)
             for f in personal.find_personal_data(text, year_now=YEAR)]
    assert found == [(3, "birth", "error", "**/**/2009"), (4, "birth", "error", "2009")]
    cohort = "| Khối | Năm sinh |\n|---|---|\n| Lớp 10 | 2010 |\n"
    assert [(f.line, f.severity) for f in personal.find_personal_data(cohort, year_now=YEAR)] \
        == [(3, "warning")]


def test_the_nearest_label_decides():
    assert scan("CCCD của mẹ đã nộp; mã hồ sơ 012024000157") == []
    assert scan("Mã hồ sơ của em, CCCD 036209001234") == [("cccd", "error")]
    assert scan("Theo công văn của Sở, liên hệ 0912345678") == [("phone", "error")]


def test_lines_are_counted_from_the_top_of_the_file():
    text = ("Title: Tin\nDate: 2023-09-05\n\nĐoạn một.\n\nLiên hệ 0912345678.\n\n"
            "Mã số thuế 0312345678.\n\nEm Lan sinh ngày 1/2/2010.\n")
    assert [(f.line, f.kind) for f in personal.find_personal_data(text, year_now=YEAR)] == \
        [(6, "phone"), (10, "birth")]


# --- Not-personal ------------------------------------------------------------------------

@pytest.mark.parametrize("raw, values, invalid", [
    ("012024000157, 0312345678", ["012024000157", "0312345678"], []),
    ("036 209 001 234; 12/03/2009", ["036 209 001 234", "12/03/2009"], []),
    ("tất cả", [], ["tất cả"]),
    ("all, 0987654321", ["0987654321"], ["all"]),
    ("12", [], ["12"]),  # too short to name one value
    (None, [], []),
])
def test_parse_not_personal(raw, values, invalid):
    assert personal.parse_not_personal(raw) == (values, invalid)


def test_exemptions_match_one_value_after_normalising():
    text = ("Mã học sinh 036 209 001 234\nHotline 0912.345.678\nHotline 0987 654 321\n"
            "| Năm sinh | 2008 |\n")
    findings = personal.find_personal_data(text, year_now=YEAR)
    assert [f.kind for f in findings] == ["cccd", "phone", "phone", "birth"]
    kept, exempted, unused = personal.apply_exemptions(
        findings, ["036209001234", "+84 912 345 678", "2008", "0900000000"])
    assert [f.line for f in exempted] == [1, 2, 4]
    assert [f.line for f in kept] == [3]  # only the values listed, never the whole post
    assert unused == ["0900000000"]
    assert personal.exemption_keys("12-3-2009") >= {"12/3/2009"}
    birth = personal.find_personal_data("Ngày sinh: 12/03/2009", year_now=YEAR)
    assert personal.apply_exemptions(birth, ["12-3-2009"])[0] == []


# --- whole builds ------------------------------------------------------------------------

ISSUE_POSTS = {
    "tin-tuc/tra-cuu-ho-so.md": post(
        title="Tra cứu kết quả xét tuyển lớp 10", category="Thông báo", body="""
        Phụ huynh tra cứu kết quả bằng mã hồ sơ ghi trên phiếu đăng ký.

        Ví dụ: mã hồ sơ 012024000157 (12 chữ số, không có dấu cách).
        """),
    "tin-tuc/nha-cung-cap.md": post(
        title="Công khai nhà cung cấp suất ăn bán trú", category="Thông báo", body="""
        | Nhà cung cấp | Mã số thuế | Mặt hàng |
        |---|---|---|
        | Công ty TNHH Thực phẩm Hoa Sen | 0312345678 | Suất ăn bán trú |
        | HTX Nông nghiệp Nam Trực | 0600123456-001 | Rau, củ |

        Nhà cung cấp: Công ty TNHH Thực phẩm Hoa Sen, mã số thuế 0312345678.
        """),
    "tin-tuc/tuyen-sinh-10.md": post(
        title="Thông báo tuyển sinh lớp 10 năm học 2026–2027", category="Thông báo", body="""
        Đối tượng: học sinh lớp 9 sinh năm 2011 (học sinh sinh từ ngày 01/01/2011 đến ngày
        31/12/2011), học sinh sinh năm 2010 trở về trước nếu học muộn.

        Hotline tuyển sinh 0228 3 840 123; Số tài khoản 1234567890123 tại Vietcombank của
        trường; Công văn số 1234/SGDĐT-VP.
        """),
}


def test_issue_posts_pass_invoke_check(site):
    built = site(ISSUE_POSTS, PORTAL_CHECK_ONLY=True)
    assert isinstance(built.error, CheckComplete) and built.error.errors == 0, built.messages()
    assert safety(built) == []


PERSONAL_POST = post(title="Khen thưởng học sinh", body="""
    Em Nguyễn Thị Lan, lớp 10A1, sinh ngày 12/03/2009, đạt giải Nhất.

    Phụ huynh em Lan nộp CCCD 036209001234 tại văn phòng.

    SĐT phụ huynh: 0987 654 321.
    """)


def test_personal_data_next_to_a_name_still_fails_the_check(site):
    built = site({**ISSUE_POSTS, "tin-tuc/khen-thuong.md": PERSONAL_POST},
                 PORTAL_CHECK_ONLY=True)
    assert isinstance(built.error, CheckComplete) and built.error.errors == 3
    errors = sorted((p.line, p.value) for p in safety(built, "error"))
    assert errors == [(line_of(PERSONAL_POST, "12/03/2009"), "sinh ngày **/**/2009"),
                      (line_of(PERSONAL_POST, "CCCD"), "036 ****** 234"),
                      (line_of(PERSONAL_POST, "0987"), "0987 *** 321")]
    assert {p.file for p in safety(built)} == {"content/tin-tuc/khen-thuong.md"}
    assert "036209001234" not in built.messages() and "0987 654 321" not in built.messages()


EXEMPT_BODY = """
    Tra cứu bằng mã học sinh 036209001234 trên cổng tuyển sinh của Sở.

    Hotline tuyển sinh 0912 345 678.
    """


def demo_with(tmp_path, files):
    """The demo content plus *files*: a site that passes the strict publishing build."""
    content = tmp_path / "content"
    shutil.copytree(DEMO_CONTENT, content)
    for rel, text in files.items():
        path = content / rel
        os.makedirs(path.parent, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return build(tmp_path, content=str(content), conf="publishconf.py")


def test_not_personal_exemption_passes_the_strict_build_and_is_listed(tmp_path, capfd):
    source = post(title="Tra cứu tuyển sinh", body=EXEMPT_BODY,
                  Not_personal="036209001234, 0912.345.678")
    built = demo_with(tmp_path, {"tin-tuc/tra-cuu.md": source})
    assert built.ok, built.messages()
    assert safety(built) == []
    review = built.log + capfd.readouterr().err
    for value, line in (("036209001234", line_of(source, "mã học sinh")),
                        ("0912.345.678", line_of(source, "Hotline"))):
        assert f"content/tin-tuc/tra-cuu.md dòng {line}: «{value}»" in review


def test_unsure_findings_warn_and_stale_or_blanket_exemptions_are_reported(site):
    unsure = post(title="Tra cứu tuyển sinh", body=EXEMPT_BODY)
    built = site({"tin-tuc/a.md": unsure})
    assert built.ok, built.messages()  # warnings: the dev build goes on
    assert sorted((p.line, p.value) for p in safety(built, "warning")) == [
        (line_of(unsure, "036209001234"), "036 ****** 234"),
        (line_of(unsure, "0912 345 678"), "0912 *** 678")]
    assert all("Not-personal" in p.hint for p in safety(built))

    stale = post(title="Tra cứu", body=EXEMPT_BODY,
                 Not_personal="036209001234, 0912345678, 0900000000, tất cả")
    built = site({"tin-tuc/a.md": stale})
    assert not built.ok
    found = sorted((p.severity, p.field, p.value, p.line) for p in safety(built))
    line = line_of(stale, "Not-personal:")
    assert found == [("error", "Not-personal", "tất cả", line),
                     ("warning", "Not-personal", "0900000000", line)]
