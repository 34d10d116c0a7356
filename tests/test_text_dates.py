"""Pure helpers of portal_core with Vietnamese inputs (NFC, NFD, upper case, no diacritics)."""

import datetime as dt
import unicodedata

import pytest

from portal_core import dates, text

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize("title, slug", [
    ("Lễ khai giảng năm học 2022–2023", "le-khai-giang-nam-hoc-2022-2023"),
    ("Đoàn TNCS Hồ Chí Minh", "doan-tncs-ho-chi-minh"),
    ("Kỷ niệm ngày 26/3", "ky-niem-ngay-26-3"),
    ("ĐẠI HỘI ĐOÀN TRƯỜNG", "dai-hoi-doan-truong"),
    ("Thi tốt nghiệp — những điều cần biết", "thi-tot-nghiep-nhung-dieu-can-biet"),
    ("Học phí: 300.000 đồng/tháng?", "hoc-phi-300000-dong-thang"),
])
def test_slugify_vietnamese(title, slug):
    assert text.slugify(title) == slug
    assert text.slugify(NFD(title)) == slug  # decomposed input gives the same URL


def test_slugify_tone_marks_collide():
    # The reason portal_core checks collisions: these six titles share one slug.
    assert len({text.slugify(t) for t in ["Ma", "Má", "Mà", "Mả", "Mã", "Mạ"]}) == 1


def test_toc_anchor_keeps_d():
    assert text.toc_slugify("Điều kiện đảm bảo", "-") == "dieu-kien-dam-bao"
    assert text.toc_slugify("Điều kiện đảm bảo", "_") == "dieu_kien_dam_bao"


@pytest.mark.parametrize("a, b", [
    ("Chuyển đổi số", "chuyen doi so"),
    ("CHUYỂN ĐỔI SỐ", "chuyển đổi số"),
    (NFD("Chuyển đổi số"), "Chuyển đổi số"),
    ("Đào tạo", "dao  tao"),
])
def test_fold_matches_variants(a, b):
    assert text.fold(a) == text.fold(b)


def test_fold_keeps_different_words_apart():
    assert text.fold("Tuyển sinh") != text.fold("Tuyên sinh lớp") 


def test_nfc_composes():
    composed = text.nfc(NFD("Nguyễn Trãi"))
    assert composed == "Nguyễn Trãi" and len(composed) == len("Nguyễn Trãi")


def test_closest_suggests_despite_missing_marks():
    candidates = {text.fold(t): t for t in ["Chuyển đổi số", "Đội ngũ giáo viên", "Cải cách hành chính"]}
    assert text.closest("chuyen doi sô", candidates) == ["Chuyển đổi số"]
    assert text.closest("hoàn toàn khác", candidates) == []


def test_split_list():
    assert text.split_list(" a, b ,,c ") == ["a", "b", "c"]
    assert text.split_list(["x, y", "z"]) == ["x", "y", "z"]
    assert text.split_list(None) == []


@pytest.mark.parametrize("value, expected", [
    ("2022-09-05", dt.datetime(2022, 9, 5)),
    ("2022-09-05 07:30", dt.datetime(2022, 9, 5, 7, 30)),
    ("2022-09-05T07:30:15", dt.datetime(2022, 9, 5, 7, 30, 15)),
])
def test_parse_iso_accepts(value, expected):
    assert dates.parse_iso(value) == expected


@pytest.mark.parametrize("value", ["05/09/2022", "5-9-2022", "2022-02-30", "2022/09/05", "hôm qua", ""])
def test_parse_iso_rejects(value):
    with pytest.raises(ValueError):
        dates.parse_iso(value)


def test_suggest_iso_reads_day_first():
    assert dates.suggest_iso("05/09/2022") == "2022-09-05"  # 5 September, not 9 May
    assert dates.suggest_iso("5-9-2022 7:30") == "2022-09-05 07:30"
    assert dates.suggest_iso("31/02/2022") is None


@pytest.mark.parametrize("day, label", [
    (dt.date(2022, 9, 5), "Thứ Hai, 05/09/2022"),
    (dt.date(2022, 9, 4), "Chủ Nhật, 04/09/2022"),
    (dt.datetime(2023, 11, 18, 8, 0), "Thứ Bảy, 18/11/2023"),
])
def test_vn_date(day, label):
    assert dates.vn_date(day) == label


def test_vn_date_long_and_short():
    assert dates.vn_date(dt.date(2022, 3, 26), weekday=False) == "26/03/2022"
    assert dates.vn_date_long(dt.date(2022, 3, 26)) == "ngày 26 tháng 3 năm 2022"


@pytest.mark.parametrize("day, year_id", [
    (dt.date(2022, 8, 31), "2021-2022"),
    (dt.date(2022, 9, 1), "2022-2023"),
    (dt.date(2023, 1, 15), "2022-2023"),
])
def test_school_year(day, year_id):
    assert dates.school_year_id(day) == year_id


def test_school_year_label():
    assert dates.school_year_label(dt.date(2022, 9, 5)) == "Năm học 2022–2023"
    assert dates.school_year_label("2024-2025") == "Năm học 2024–2025"
    assert dates.school_year_label("2024–2025") == "Năm học 2024–2025"


@pytest.mark.parametrize("value", ["2024-2026", "2024", "24-25", "2025-2024"])
def test_parse_school_year_rejects(value):
    with pytest.raises(ValueError):
        dates.parse_school_year(value)


def test_today_from_setting_and_environment(monkeypatch):
    assert dates.today("2026-11-29") == dt.date(2026, 11, 29)
    monkeypatch.setenv("PORTAL_TODAY", "2023-01-02")
    assert dates.today() == dt.date(2023, 1, 2)
    monkeypatch.delenv("PORTAL_TODAY")
    now_vn = dt.datetime.now(dates.TIMEZONE).date()
    assert dates.today() == now_vn
