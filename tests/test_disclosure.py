"""portal_disclosure: deadlines (pure), statuses, the index pages, open data and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import unicodedata

import pytest
import yaml

from conftest import ROOT
from portal_disclosure import catalogue as cat
from portal_disclosure import deadlines as dl
from portal_disclosure.documents import human_size

D = dt.date
PLUGIN_DIR = os.path.join(ROOT, "plugins", "portal_disclosure")


def load(name):
    with open(os.path.join(PLUGIN_DIR, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def calendar():
    calendar, errors = dl.parse_calendar(load("holidays.yml"))
    assert errors == []
    return calendar


@pytest.fixture(scope="module")
def catalogue():
    return load("catalogue.yml")


# ---------------------------------------------------------------------------- data files

def test_catalogue_is_valid_and_complete(catalogue):
    assert cat.validate_catalogue(catalogue, "catalogue.yml") == []
    ids = [item["id"] for item in catalogue["items"]]
    assert ids == [f"CK-{n:02d}" for n in range(1, 23)]
    for item in catalogue["items"]:
        for basis in item["basis"]:
            assert basis["confidence"].split()[0] in {"READ", "READ-2nd", "RECALL", "INFER"}


def test_old_labels_are_aliases(catalogue):
    aliases = {item["id"]: item.get("aliases") or [] for item in catalogue["items"]}
    assert "Biểu mẫu 12" in aliases["CK-13"] and "Biểu mẫu 11" in aliases["CK-14"]
    assert "Biểu mẫu 10" in aliases["CK-21"]
    assert all("Biểu mẫu 09" in aliases[i] for i in ("CK-17", "CK-18", "CK-19"))
    assert "Ba công khai" in aliases["CK-05"]


def test_holidays_cover_2020_to_2027_with_tet(calendar):
    data = load("holidays.yml")
    assert sorted(data["years"]) == list(range(2020, 2028))
    tet = {2020: D(2020, 1, 27), 2021: D(2021, 2, 12), 2022: D(2022, 2, 1), 2023: D(2023, 1, 23),
           2024: D(2024, 2, 12), 2025: D(2025, 1, 29), 2026: D(2026, 2, 17)}
    for day in tet.values():
        assert not calendar.is_working_day(day)
    for year in range(2021, 2028):  # 30/4 and 1/5 are days off (or compensated) every year
        assert not calendar.is_working_day(D(year, 4, 30)) or D(year, 4, 30).weekday() >= 5
    assert calendar.is_working_day(D(2025, 4, 26))  # make-up Saturday for 2 May 2025
    assert not calendar.is_working_day(D(2025, 5, 2))


# ---------------------------------------------------------------------------- working days

def test_ten_working_days_across_weekend_and_holiday():
    calendar = dl.Calendar(days_off=frozenset({D(2024, 9, 2), D(2024, 9, 3)}))
    # Fri 30/8 → Mon 2/9 and Tue 3/9 are Quốc khánh: Wed 4/9 is day 1 … Tue 17/9 is day 10
    assert calendar.add_working_days(D(2024, 8, 30), 10) == D(2024, 9, 17)
    assert dl.Calendar().add_working_days(D(2024, 8, 30), 10) == D(2024, 9, 13)


def test_working_days_from_real_calendar(calendar):
    assert calendar.add_working_days(D(2024, 8, 30), 10) == D(2024, 9, 17)
    # 25/4/2025: Sat 26/4 is a make-up working day; 30/4, 1/5, 2/5 are off
    assert calendar.add_working_days(D(2025, 4, 25), 10) == D(2025, 5, 13)


def test_working_days_across_tet(calendar):
    # Tết Ất Tỵ: 27–31/01/2025 off. Tue 21/01 + 10 working days
    assert calendar.add_working_days(D(2025, 1, 21), 10) == D(2025, 2, 11)
    # Tết Bính Ngọ: 16–20/02/2026 off. Wed 11/02 + 5 working days (TT 61 annual execution)
    assert calendar.add_working_days(D(2026, 2, 11), 5) == D(2026, 2, 25)


# ---------------------------------------------------------------------------- rules

@pytest.mark.parametrize("period, due", [
    ("2024-Q2", D(2024, 7, 15)), ("2024-Q4", D(2025, 1, 15)), ("2025-Q1", D(2025, 4, 15)),
    ("2024-H1", D(2024, 7, 15)), ("2024-q3", D(2024, 10, 15)),
])
def test_fifteen_days_after_period_end(period, due):
    rule = {"rule": "after_period", "days": 15}
    assert dl.rule_due(rule, 2024, {}, dl.Calendar(), dl.parse_period(period)) == due


def test_weekly_menu_is_due_before_saturday_of_previous_week():
    rule = {"rule": "weekly", "before_weekday": 5}
    week = dl.parse_period("2025-W42")  # Monday 13/10/2025
    assert week.start == D(2025, 10, 13)
    assert dl.rule_due(rule, 2025, {}, dl.Calendar(), week) == D(2025, 10, 10)  # Friday


def test_fixed_day_30_june():
    rule = {"rule": "fixed", "day": 30, "month": 6, "year": "end"}
    assert dl.rule_due(rule, 2024, {}, dl.Calendar()) == D(2025, 6, 30)
    assert dl.rule_due({**rule, "year": "start"}, 2024, {}, dl.Calendar()) == D(2024, 6, 30)


def test_before_enrolment_takes_the_earliest_rule(catalogue):
    item = cat.items_by_id(catalogue)["CK-06"]
    due, estimated = dl.item_due(item, 2024, {"enrolment_start": D(2024, 4, 22)}, dl.Calendar())
    assert (due, estimated) == (D(2024, 4, 21), False)
    due, _ = dl.item_due(item, 2024, {}, dl.Calendar())  # no enrolment date: 30/6 of 2024
    assert due == D(2024, 6, 30)


def test_event_rules_and_fallback(catalogue, calendar):
    items = cat.items_by_id(catalogue)
    assert dl.item_due(items["CK-09"], 2025, {"budget_assigned": D(2026, 1, 9)}, calendar) == (
        D(2026, 1, 24), False)
    assert dl.item_due(items["CK-11"], 2025, {"budget_report_submitted": D(2026, 2, 11)},
                       calendar) == (D(2026, 2, 25), False)
    due, estimated = dl.item_due(items["CK-09"], 2025, {}, calendar)
    assert estimated and due == D(2026, 1, 31)


def test_quarters_of_a_school_year():
    ids = [p.id for p in dl.periods_of_school_year("quarter", 2024)]
    assert ids == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    weeks = dl.periods_of_school_year("week", 2025)
    assert weeks[0].start == D(2025, 9, 8) and weeks[-1].start <= D(2026, 5, 31)


@pytest.mark.parametrize("due, published, today, expected", [
    (D(2026, 6, 30), D(2026, 6, 30), D(2026, 11, 29), "on_time"),
    (D(2026, 6, 30), D(2026, 7, 1), D(2026, 11, 29), "late"),
    (D(2026, 6, 30), None, D(2026, 11, 29), "overdue"),
    (D(2026, 6, 30), None, D(2026, 6, 30), "pending"),
    (D(2027, 6, 30), None, D(2026, 11, 29), "pending"),
    (None, None, D(2026, 11, 29), "pending"),
])
def test_status(due, published, today, expected):
    assert dl.status(due, published, today) == expected
    assert dl.status(due, published, today, applicable=False) == "not_applicable"


# ---------------------------------------------------------------------------- ids and labels

@pytest.mark.parametrize("value, expected", [
    ("CK-13", "CK-13"), ("ck-13", "CK-13"), ("CK 5", "CK-05"), ("ck05", "CK-05"),
])
def test_normalize_item_id(value, expected):
    assert cat.normalize_item_id(value) == expected


@pytest.mark.parametrize("value", [
    "Biểu mẫu 12", "BIỂU MẪU 12", "bieu mau 12", unicodedata.normalize("NFD", "Biểu mẫu 12"),
])
def test_old_label_points_to_new_item(catalogue, value):
    assert "CK-13" in cat.suggest_item(value, catalogue)


def test_unknown_id_suggests_closest(catalogue):
    assert "CK-13" in cat.suggest_item("CK-133", catalogue)


def test_applicability(catalogue):
    items = cat.items_by_id(catalogue)
    school = {"type": "Công lập", "serves_meals": False}
    assert cat.applicable(items["CK-09"], school)
    assert cat.applicable(items["CK-09"], {"type": unicodedata.normalize("NFD", "CÔNG LẬP")})
    assert not cat.applicable(items["CK-09"], {"type": "Tư thục"})
    assert not cat.applicable(items["CK-20"], school)
    assert cat.applicable(items["CK-20"], {**school, "serves_meals": True})


def test_human_size():
    assert human_size(48 * 1024) == "48 KB"
    assert human_size(300) == "1 KB"
    assert human_size(int(1.2 * 1024 * 1024)) == "1,2 MB"


# ---------------------------------------------------------------------------- whole sites

def doc(item="CK-13", year="2025-2026", date="2026-06-15", title=None, body=None, **meta):
    lines = [f"Title: {title or 'Công khai ' + item + ' năm học ' + year}"]
    if item is not None:
        lines.append(f"Disclosure: {item}")
    if year is not None:
        lines.append(f"School-year: {year}")
    if date is not None:
        lines.append(f"Date: {date}")
    lines += [f"{k.replace('_', '-')}: {v}" for k, v in meta.items()]
    table = "| Nội dung | Số liệu |\n|---|---|\n| Giáo viên | 75 |"
    return "\n".join(lines) + "\n\n" + (body or table) + "\n"


def base_files(**overrides):
    files = {
        "cong-khai/2025-2026/doi-ngu.md": doc("CK-13", date="2026-06-15",
                                              Attachments="doi-ngu.pdf"),
        "cong-khai/2025-2026/doi-ngu.pdf": b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n",
        "cong-khai/2025-2026/co-so-vat-chat.md": doc("CK-14", date="2026-06-20"),
        "cong-khai/2025-2026/kiem-dinh.md": doc("CK-16", date="2026-06-25"),
        "cong-khai/2026-2027/doi-ngu.md": doc("CK-13", year="2026-2027", date="2026-10-01"),
    }
    files.update(overrides)
    return files


def html_rows(built, rel="cong-khai/index.html"):
    soup = built.soup(rel)
    return {(tr["data-item"], tr["data-year"], tr["data-period"]): tr
            for tr in soup.select("tr[data-item]")}


def json_rows(built):
    data = json.loads(built.read("cong-khai/index.json"))
    return {(r["item"], r["school_year"], r["period"] or ""): r for r in data["rows"]}


def csv_rows(built):
    with open(built.path("cong-khai/index.csv"), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet programs
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    return {(r["item"], r["school_year"], r["period"]): r for r in reader}


def test_statuses_in_html_json_and_csv(site):
    built = site(base_files())
    assert built.ok, built.messages()
    html, data, table = html_rows(built), json_rows(built), csv_rows(built)
    expected = {
        ("CK-13", "2025-2026", ""): ("on_time", "Đã công khai đúng hạn"),
        ("CK-14", "2025-2026", ""): ("on_time", "Đã công khai đúng hạn"),
        ("CK-15", "2025-2026", ""): ("overdue", "Quá hạn, chưa công khai"),
        ("CK-13", "2026-2027", ""): ("on_time", "Đã công khai đúng hạn"),
        ("CK-14", "2026-2027", ""): ("pending", "Chưa đến hạn"),
        ("CK-20", "2026-2027", ""): ("not_applicable", "Không áp dụng"),
    }
    for key, (code, label) in expected.items():
        assert html[key]["data-status"] == code, key
        assert label in html[key].get_text(" ", strip=True), key  # status as text
        assert data[key]["status"] == code and table[key]["status"] == code, key
    assert data[("CK-14", "2026-2027", "")]["due"] == "2027-06-30"
    assert data[("CK-13", "2025-2026", "")]["published"] == "2026-06-15"
    assert data[("CK-15", "2025-2026", "")]["published"] is None
    assert table[("CK-15", "2025-2026", "")]["published"] == ""
    quarters = [k for k in data if k[0] == "CK-10" and k[1] == "2025-2026"]
    assert sorted(k[2] for k in quarters) == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]


def test_moving_the_date_past_the_deadline_makes_it_late(site):
    built = site(base_files(**{"cong-khai/2025-2026/co-so-vat-chat.md":
                               doc("CK-14", date="2026-07-08")}))
    assert built.ok, built.messages()
    row = json_rows(built)[("CK-14", "2025-2026", "")]
    assert (row["status"], row["published"], row["due"]) == ("late", "2026-07-08", "2026-06-30")
    tr = html_rows(built)[("CK-14", "2025-2026", "")]
    assert "Công khai muộn" in tr.get_text() and "8 ngày sau hạn" in tr.get_text()


def test_removing_a_document_makes_it_overdue_or_pending(site):
    built = site(base_files(**{"cong-khai/2025-2026/co-so-vat-chat.md": None,
                               "cong-khai/2026-2027/doi-ngu.md": None}))
    assert built.ok, built.messages()
    rows = json_rows(built)
    assert rows[("CK-14", "2025-2026", "")]["status"] == "overdue"
    assert rows[("CK-13", "2026-2027", "")]["status"] == "pending"
    assert rows[("CK-14", "2025-2026", "")]["url"] is None


def test_five_years_shown_and_archive(site):
    built = site(base_files(**{"cong-khai/2019-2020/doi-ngu.md":
                               doc("CK-13", year="2019-2020", date="2020-06-10")}))
    assert built.ok, built.messages()
    years = {k[1] for k in json_rows(built)}
    assert {"2022-2023", "2023-2024", "2024-2025", "2025-2026", "2026-2027"} <= years
    assert "2019-2020" in years and "2020-2021" not in years
    soup = built.soup("cong-khai/index.html")
    archive = soup.find(id="luu-tru").find_next("ul")
    assert "Năm học 2019–2020" in archive.get_text()
    assert built.exists("cong-khai/2019-2020/index.html")
    # a year without documents still lists its items
    assert json_rows(built)[("CK-13", "2023-2024", "")]["status"] == "overdue"


def test_document_page_url_attachments_and_accessibility(site):
    built = site(base_files())
    assert built.ok, built.messages()
    rel = "cong-khai/2025-2026/cong-khai-ck-13-nam-hoc-2025-2026/index.html"
    assert built.exists(rel)
    soup = built.soup(rel)
    assert len(soup.find_all("h1")) == 1
    link = soup.select_one(".attachment-list a")
    assert link["href"] == "/cong-khai/2025-2026/doi-ngu.pdf"
    assert "PDF, 2 KB" in link.parent.get_text()
    assert built.exists("cong-khai/2025-2026/doi-ngu.pdf")
    assert all(th.get("scope") == "col" for th in soup.select(".prose th"))
    index = built.soup("cong-khai/index.html")
    assert len(index.find_all("h1")) == 1
    for table in index.select("table"):
        assert table.find("caption") is not None
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    assert "Biểu mẫu 12" in index.get_text()


def test_multi_item_document_and_change_date(site):
    built = site(base_files(**{
        "cong-khai/2025-2026/thong-tin-chung.md": doc("CK-01, ck-2, CK-03", date="2026-06-10"),
        "cong-khai/2025-2026/cap-nhat.md": doc("CK-13", date="2026-07-20",
                                               title="Cập nhật đội ngũ",
                                               Change_date="2026-07-01"),
    }))
    assert built.ok, built.messages()
    rows = json_rows(built)
    for item in ("CK-01", "CK-02", "CK-03"):
        assert rows[(item, "2025-2026", "")]["status"] == "on_time"
    assert rows[("CK-13", "2025-2026", "")]["published"] == "2026-06-15"  # first document
    page = built.soup("cong-khai/2025-2026/cap-nhat-doi-ngu/index.html").get_text(" ")
    # 1/7/2026 (Wed) + 10 working days = 15/7/2026; published 20/7 → late update
    assert "15/07/2026" in page and "Cập nhật muộn" in page


@pytest.mark.parametrize("files, field, value, words", [
    ({"cong-khai/2025-2026/x.md": doc("CK-31")}, "Disclosure", "CK-31",
     ["không có trong danh mục", "CK-"]),
    ({"cong-khai/2025-2026/x.md": doc("Biểu mẫu 12")}, "Disclosure", "Biểu mẫu 12",
     ["CK-13"]),
    ({"cong-khai/2025-2026/x.md": doc(year="2024-2026")}, "School-year", "2024-2026",
     ["Năm học không hợp lệ"]),
    ({"cong-khai/2025-2026/x.md": doc(date="2019-05-01")}, "Date", "2019-05-01",
     ["ngoài khoảng hợp lý", "2025-2026"]),
    ({"cong-khai/2025-2026/x.md": doc(Attachments="khong-co.pdf")}, "Attachments",
     "khong-co.pdf", ["Không tìm thấy"]),
    ({"cong-khai/2025-2026/x.md": doc(Attachments="../../../etc/passwd")}, "Attachments",
     "../../../etc/passwd", ["ngoài thư mục content/"]),
    ({"cong-khai/2025-2026/x.md": doc(Attachments="../../etc/passwd")}, "Attachments",
     "../../etc/passwd", ["ra khỏi thư mục của bài"]),
    ({"cong-khai/2025-2026/x.md": doc(Attachments="/etc/passwd")}, "Attachments",
     "/etc/passwd", ["đường dẫn tuyệt đối"]),
    ({"cong-khai/2025-2026/x.md": doc("CK-10")}, "Period", "", ["thiếu kỳ"]),
    ({"cong-khai/2025-2026/x.md": doc("CK-10", Period="2025-Q2")}, "Period", "2025-Q2",
     ["năm học 2024-2025"]),
])
def test_bad_input_fails_with_a_clear_problem(site, files, field, value, words):
    built = site(files)
    assert not built.ok
    found = [p for p in built.problems if p.file == "content/cong-khai/2025-2026/x.md"
             and p.field == field and p.value == value]
    assert found, built.messages()
    text = found[0].message + " " + found[0].hint
    for word in words:
        assert word in text, text
    assert not built.exists("cong-khai/index.html")


def test_no_disclosure_file_is_dropped(site):
    built = site(base_files())
    assert not [p for p in built.problems if "Pelican đã bỏ qua" in p.message]


# ---------------------------------------------------------------------------- demo

def test_demo_index_shows_every_status_and_agrees_with_open_data(demo):
    data, table = json_rows(demo), csv_rows(demo)
    assert set(data) == set(table)
    year_pages = {}
    for year in {key[1] for key in data}:
        year_pages.update(html_rows(demo, f"cong-khai/{year}/index.html"))
    assert set(year_pages) == set(data)  # row for row, every year page against the open data
    landing = html_rows(demo)
    assert set(landing) <= set(data)
    for key, tr in list(year_pages.items()) + list(landing.items()):
        assert tr["data-status"] == data[key]["status"] == table[key]["status"], key
        assert (data[key]["due"] or "") == table[key]["due"]
        assert (data[key]["published"] or "") == table[key]["published"]
        assert data[key]["status_label"] in tr.get_text(" ", strip=True)
        due = tr.find("time")
        if data[key]["due"]:
            assert due["datetime"] == data[key]["due"], key
    statuses = {tr["data-status"] for tr in landing.values()}
    assert statuses == {"on_time", "late", "pending", "overdue", "not_applicable"}
    assert {"2025-2026", "2026-2027"} == {key[1] for key in landing}
    assert data[("CK-14", "2025-2026", "")]["status"] == "late"
    assert data[("CK-16", "2025-2026", "")]["status"] == "overdue"
    # the summary on /cong-khai/ counts each year as the open data does (2024-2025 included)
    summary = demo.soup("cong-khai/index.html").select_one("table.disclosure-summary")
    for tr in summary.select("tbody tr"):
        year = tr.th.a["href"].rstrip("/").split("/")[-1]
        counts = [int(td.text) for td in tr.find_all("td")]
        expected = [sum(1 for k, r in data.items() if k[1] == year and r["status"] == code)
                    for code in ("on_time", "late", "pending", "overdue", "not_applicable")]
        assert counts == expected, year
    assert "2024-2025" in summary.get_text() or "2024–2025" in summary.get_text()


def test_demo_attachments_are_published_with_type_and_size(demo):
    soup = demo.soup("cong-khai/2024-2025/bao-cao-thuong-nien-2024/index.html")
    item = soup.select_one(".attachment-list li")
    assert "PDF, 1 KB" in item.get_text()
    assert demo.exists("cong-khai/2024-2025/bao-cao-thuong-nien-2024.pdf")
    with open(demo.path("cong-khai/2024-2025/bao-cao-thuong-nien-2024.pdf"), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    import zipfile
    with zipfile.ZipFile(demo.path("cong-khai/2024-2025/du-toan-2025.xlsx")) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()


def test_demo_context_exposes_the_index(demo):
    assert demo.exists("cong-khai/2025-2026/index.html")
    assert "Công khai năm học 2025–2026" in demo.soup("cong-khai/2025-2026/index.html").h1.text
