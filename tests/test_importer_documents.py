"""The importer's reading of documents and disclosures (pure functions): numbers and symbols,
types, dates of issue, issuers and validity in the many ways old portals write them (NFC and
NFD, capitals, no diacritics, «số:» variants, «/QĐ-», «V/v»); catalogue items, school years and
periods of disclosure titles, from the names and old names of the disclosure catalogue."""

from __future__ import annotations

import datetime as dt
import os
import sys
import unicodedata

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from cong_truong.tools.importer import disclosures, documents  # noqa: E402

TODAY = dt.date(2026, 11, 29)
NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


@pytest.mark.parametrize("title, text, number", [
    ("Kế hoạch tổ chức hội khỏe", "TRƯỜNG THPT MẪU\nSố: 123/KH-THPT\nMẫu Sơn, ngày 5 tháng 9 năm 2019",
     "123/KH-THPT"),
    ("Kế hoạch tổ chức hội khỏe", "TRƯỜNG THPT MẪU\nSỐ: 123 / KH – THPT", "123/KH-THPT"),
    ("Kế hoạch", "Số:123/KH-THPT", "123/KH-THPT"),
    ("Kế hoạch", "số 123/KH-THPT", "123/KH-THPT"),
    ("Kế hoạch", "so: 123/kh-thpt", "123/KH-THPT"),  # no diacritics, lower case symbol
    ("Kế hoạch", NFD("Số: 123/KH-THPT"), "123/KH-THPT"),
    ("Công văn 45/SGDĐT-VP V/v tổ chức thi thử", "", "45/SGDĐT-VP"),
    ("CV số 45/SGD&ĐT-VP về việc tổ chức thi thử", "", "45/SGD&ĐT-VP"),
    ("V/v tổ chức thi thử tốt nghiệp", "| Số: 45/SGDĐT-VP | Hà Nam, ngày 12 tháng 10 năm 2021", "45/SGDĐT-VP"),
    ("Quyết định thành lập hội đồng thi", "Số: 12/QĐ-THPTNT", "12/QĐ-THPTNT"),
    ("QUYẾT ĐỊNH SỐ 12/QĐ-UBND NGÀY 03/4/2020", "", "12/QĐ-UBND"),
    ("Thông tư 09/2024/TT-BGDĐT quy định công khai", "", "09/2024/TT-BGDĐT"),
    ("Văn bản mới", "| Số/Ký hiệu | 88/KH-SGDĐT |\n| Ngày ban hành | 15/01/2022 |", "88/KH-SGDĐT"),
    ("Văn bản mới", "Số hiệu văn bản: 7/TB-PGDĐT", "7/TB-PGDĐT"),
])
def test_numbers_in_their_written_forms(title, text, number):
    assert documents.find_number(title, text).value == number


def test_a_cited_number_is_not_the_documents_own():
    text = ("Căn cứ Thông tư số 09/2024/TT-BGDĐT ngày 03 tháng 6 năm 2024 của Bộ GDĐT;\n"
            "Thực hiện Công văn số 1420/SGDĐT-GDTrH của Sở GDĐT Nam Định;\nNhà trường thông báo…")
    assert documents.find_number("Thông báo lịch thi", text).value is None
    own = documents.find_number("Thông báo lịch thi", text + "\nSố: 15/TB-THPT")
    assert own.value == "15/TB-THPT"


def test_fractions_dates_and_vv_are_not_numbers():
    for title in ("V/v tổ chức thi thử", "Lịch ngày 05/09/2019", "1/2 số học sinh lớp 10/A1"):
        assert documents.find_number(title, "").value is None, title


@pytest.mark.parametrize("title, number, kind", [
    ("Kế hoạch tổ chức hội khỏe", "", "Kế hoạch"),
    ("QUYẾT ĐỊNH về việc thành lập", "", "Quyết định"),
    ("quyet dinh thanh lap ban bien tap", "", "Quyết định"),
    ("Về việc tổ chức thi", "45/SGDĐT-VP", "Công văn"),  # a symbol without a type: công văn
    ("Tổ chức thi thử", "123/KH-THPT", "Kế hoạch"),
    ("Tổ chức thi thử", "12/QĐ-UBND", "Quyết định"),
    ("Tổ chức thi thử", "12/QD-UBND", "Quyết định"),  # QĐ without diacritics
    ("Tổ chức thi thử", "09/2024/TT-BGDĐT", "Thông tư"),
    ("V/v tổ chức thi thử", "", "Công văn"),
    ("Giấy mời họp phụ huynh", "", "Giấy mời"),
])
def test_types(title, number, kind):
    assert documents.find_type(title, number).value == kind


@pytest.mark.parametrize("title, text, day", [
    ("Kế hoạch", "Số: 1/KH-THPT\nNam Định, ngày 05 tháng 9 năm 2019", dt.date(2019, 9, 5)),
    ("Kế hoạch", NFD("Số: 1/KH-THPT\nNam Định, ngày 5 tháng 09 năm 2019"), dt.date(2019, 9, 5)),
    ("Kế hoạch", "Nam Dinh, ngay 5 thang 9 nam 2019", dt.date(2019, 9, 5)),
    ("Kế hoạch", "NAM ĐỊNH, NGÀY 5 THÁNG 9 NĂM 2019", dt.date(2019, 9, 5)),
    ("Công văn 45/SGDĐT-VP ngày 12/10/2021 của Sở GDĐT", "", dt.date(2021, 10, 12)),
    ("Văn bản", "| Ngày ban hành | 15/01/2022 |", dt.date(2022, 1, 15)),
])
def test_dates_of_issue(title, text, day):
    number = documents.find_number(title, text).value or ""
    assert documents.find_issued(title, text, number, TODAY).value == day


def test_a_cited_date_is_not_the_date_of_issue():
    text = "Căn cứ Thông tư số 09/2024/TT-BGDĐT ngày 03 tháng 6 năm 2024 của Bộ GDĐT;"
    assert documents.find_issued("Thông báo", text, "", TODAY).value is None


@pytest.mark.parametrize("text, issuer", [
    ("SỞ GD&ĐT NAM ĐỊNH\nTRƯỜNG THPT NGUYỄN TRÃI\nSố: 12/KH-THPTNT", "Trường THPT Nguyễn Trãi"),
    ("UBND TỈNH NAM ĐỊNH\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 45/SGDĐT-VP", "Sở Giáo dục và Đào tạo Nam Định"),
    ("SỞ GD & ĐT NAM ĐỊNH\nSố: 45/SGDĐT-VP", "Sở Giáo dục và Đào tạo Nam Định"),
    ("Sở GDĐT Nam Định\nSố: 45/SGDĐT-VP", "Sở Giáo dục và Đào tạo Nam Định"),
    ("SỞ GIÁO DỤC - ĐÀO TẠO TỈNH NAM ĐỊNH\nSố: 45/SGDĐT-VP", "Sở Giáo dục và Đào tạo Nam Định"),
    (NFD("Sở Giáo dục và Đào tạo Nam Định\nSố: 45/SGDĐT-VP"), "Sở Giáo dục và Đào tạo Nam Định"),
    ("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 09/2024/TT-BGDĐT", "Bộ Giáo dục và Đào tạo"),
    ("UBND HUYỆN Ý YÊN\nPHÒNG GD&ĐT\nSố: 7/PGDĐT-THCS", "Phòng Giáo dục và Đào tạo huyện Ý Yên"),
    ("| Cơ quan ban hành | Sở GD&ĐT Hà Nam |", "Sở Giáo dục và Đào tạo Hà Nam"),
])
def test_issuers_in_their_written_forms(text, issuer):
    number = documents.find_number("Văn bản", text).value or ""
    found, _ = documents.find_issuer("Văn bản", text, number)
    assert found.value == issuer


def test_the_issuer_of_a_title_and_of_a_bare_symbol():
    found, _ = documents.find_issuer("Công văn 45/SGDĐT-VP của Sở GDĐT Nam Định về việc thi thử",
                                     "", "45/SGDĐT-VP")
    assert found.value == "Sở Giáo dục và Đào tạo Nam Định"
    found, notes = documents.find_issuer("Kế hoạch 123/KH-THPT", "", "123/KH-THPT",
                                         school="Trường THPT Mẫu")
    assert found.value == "Trường THPT Mẫu" and notes  # said to be inferred
    found, _ = documents.find_issuer("Thông tư 09/2024/TT-BGDĐT", "", "09/2024/TT-BGDĐT")
    assert found.value == "Bộ Giáo dục và Đào tạo"


def test_a_sở_without_its_province_takes_the_one_that_existed_on_the_day():
    known = ["Sở Giáo dục và Đào tạo Nam Định", "Sở Giáo dục và Đào tạo Ninh Bình"]
    successions = [{"issuer": "Sở Giáo dục và Đào tạo Nam Định",
                    "successor": "Sở Giáo dục và Đào tạo Ninh Bình", "from": dt.date(2025, 7, 1)}]
    before, _ = documents.find_issuer("Công văn 45/SGDĐT-VP", "", "45/SGDĐT-VP", known=known,
                                      issued=dt.date(2021, 10, 12), successions=successions)
    after, _ = documents.find_issuer("Công văn 45/SGDĐT-VP", "", "45/SGDĐT-VP", known=known,
                                     issued=dt.date(2025, 10, 12), successions=successions)
    unknown, _ = documents.find_issuer("Công văn 45/SGDĐT-VP", "", "45/SGDĐT-VP", known=known)
    assert before.value == "Sở Giáo dục và Đào tạo Nam Định"
    assert after.value == "Sở Giáo dục và Đào tạo Ninh Bình"
    assert unknown.value == "Sở Giáo dục và Đào tạo"  # two candidates: a person decides
    facts = documents.read_document("Công văn 45/SGDĐT-VP V/v thi thử", "", TODAY,
                                    known_issuers=known)
    assert any("thiếu địa danh" in reason for reason in facts.decide)


def test_a_page_without_diacritics_gets_its_issuer_back_from_a_known_one():
    text = "So GD&DT Nam Dinh\nTruong THPT Mau\nso: 12/qd-thpt\nNam Dinh, ngay 3 thang 4 nam 2020"
    facts = documents.read_document("Quyet dinh so 12/qd-thpt ve viec thanh lap ban bien tap",
                                    text, TODAY, school="Trường THPT Mẫu",
                                    known_issuers=["Trường THPT Mẫu"])
    assert facts.number.value == "12/QD-THPT" and facts.kind.value == "Quyết định"
    assert facts.issuer.value == "Trường THPT Mẫu"
    assert facts.issued.value == dt.date(2020, 4, 3)
    alone = documents.read_document("Quyet dinh so 12/qd-thpt ve viec thanh lap ban bien tap",
                                    text, TODAY)
    assert any("không dấu" in reason for reason in alone.decide)


@pytest.mark.parametrize("title, kind, issued, validity", [
    ("Kế hoạch năm học 2019-2020", "Kế hoạch", dt.date(2019, 9, 5), "Hết hiệu lực"),
    ("Chiến lược phát triển giai đoạn 2021-2030", "Kế hoạch", dt.date(2021, 3, 1), "Còn hiệu lực"),
    ("Thông báo lịch nghỉ Tết", "Thông báo", dt.date(2020, 1, 10), "Hết hiệu lực"),
    ("Quyết định thành lập Ban Biên tập", "Quyết định", dt.date(2020, 1, 10), None),
    ("Quy chế chi tiêu nội bộ năm 2020", "Quy chế", dt.date(2020, 1, 10), "Hết hiệu lực"),
])
def test_validity(title, kind, issued, validity):
    found, _ = documents.find_validity(title, "", kind, issued, TODAY)
    assert found.value == validity


def test_a_validity_label_wins():
    found, _ = documents.find_validity("Quyết định thành lập", "Tình trạng: Còn hiệu lực",
                                       "Quyết định", dt.date(2020, 1, 1), TODAY)
    assert found.value == "Còn hiệu lực"


def test_what_a_person_must_decide_is_said_and_nothing_else():
    complete = documents.read_document(
        "Kế hoạch tổ chức hội khỏe Phù Đổng năm học 2019-2020",
        "SỞ GD&ĐT NAM ĐỊNH\nTRƯỜNG THPT MẪU\nSố: 123/KH-THPT\nNam Định, ngày 05 tháng 9 năm 2019",
        TODAY)
    assert complete.decide == []
    assert (complete.number.value, complete.kind.value, complete.issued.value,
            complete.issuer.value, complete.validity.value) == (
        "123/KH-THPT", "Kế hoạch", dt.date(2019, 9, 5), "Trường THPT Mẫu", "Hết hiệu lực")
    empty = documents.read_document("Tài liệu tham khảo", "Nội dung không có số hiệu.", TODAY)
    assert len(empty.decide) == 4  # number, date, issuer, validity: each said once
    assert all("«" in reason for reason in empty.decide)  # each names the line to write


CATALOGUE = disclosures.load_catalogue()


@pytest.mark.parametrize("title, items", [
    ("Công khai cơ sở vật chất năm học 2020 - 2021", ["CK-14"]),
    ("BIỂU MẪU 12 - CÔNG KHAI ĐỘI NGŨ NĂM HỌC 2019-2020", ["CK-13"]),
    (NFD("Biểu mẫu 11: công khai thông tin cơ sở vật chất"), ["CK-14"]),
    ("Cong khai hoc phi nam hoc 2021-2022", ["CK-06"]),
    ("Thông báo công khai cam kết chất lượng giáo dục", ["CK-18"]),
    ("Công khai chất lượng giáo dục thực tế năm học 2019-2020", ["CK-21"]),
    ("Công khai dự toán ngân sách năm 2020", ["CK-09"]),
    ("Công khai thực hiện dự toán ngân sách quý III năm 2020", ["CK-10"]),
    ("Công khai thực hiện dự toán ngân sách năm 2020", ["CK-11"]),
    ("Công khai quyết toán ngân sách năm 2019", ["CK-12"]),
    ("Báo cáo thường niên năm 2024", ["CK-04"]),
    ("Quy chế chi tiêu nội bộ năm 2020", ["CK-22"]),
    ("Công khai kế hoạch tuyển sinh lớp 10", ["CK-17"]),
])
def test_catalogue_items_from_names_and_old_names(title, items):
    assert disclosures.suggest_item(title, CATALOGUE).items == items


@pytest.mark.parametrize("title, candidates", [
    ("Công khai tài chính năm 2020", {"CK-05", "CK-09", "CK-12"}),  # an old name of eight items
    ("Biểu mẫu 09", {"CK-17", "CK-18", "CK-19"}),  # TT 36's form 09: three items now
    ("Ba công khai năm học 2018-2019", {"CK-13", "CK-14", "CK-21"}),
])
def test_an_old_name_of_several_items_is_for_a_person(title, candidates):
    found = disclosures.suggest_item(title, CATALOGUE)
    assert not found.item and candidates <= set(found.items), found


def test_an_unknown_disclosure_is_for_a_person():
    facts = disclosures.read_disclosure("Thông tin tuyển dụng giáo viên", dt.date(2021, 3, 2),
                                        CATALOGUE)
    assert not facts.item and facts.decide and "Disclosure" in facts.decide[0]


@pytest.mark.parametrize("title, published, year, period", [
    ("Công khai đội ngũ năm học 2019 – 2020", dt.date(2020, 10, 1), "2019-2020", ""),
    ("Công khai đội ngũ", dt.date(2020, 10, 1), "2020-2021", ""),  # from the date (said so)
    ("Công khai thực hiện dự toán ngân sách quý III năm 2024", dt.date(2024, 10, 11),
     "2024-2025", "2024-Q3"),
    ("Công khai thực hiện dự toán ngân sách quý 2/2025", dt.date(2025, 7, 10), "2024-2025",
     "2025-Q2"),
])
def test_school_year_and_period(title, published, year, period):
    facts = disclosures.read_disclosure(title, published, CATALOGUE)
    assert (facts.school_year, facts.period) == (year, period)


def test_a_periodic_item_without_its_period_is_for_a_person():
    facts = disclosures.read_disclosure("Công khai thực hiện dự toán ngân sách quý",
                                        dt.date(2024, 10, 11), CATALOGUE)
    assert facts.item == "CK-10" and any("Period" in reason for reason in facts.decide)
