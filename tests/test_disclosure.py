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
    # CK-01 … CK-22 for every level, CK-31 the kindergarten's results (levels: mam-non)
    assert ids == [f"CK-{n:02d}" for n in range(1, 23)] + ["CK-31"]
    tags = {level["id"] for level in catalogue["confidence_levels"]}
    assert tags == {"READ", "SECONDARY", "RECALL", "INFER", "UNVERIFIED"}
    for item in catalogue["items"]:
        for version in [item] + list(item.get("versions") or []):
            for basis in version.get("basis") or []:
                assert basis["confidence"].split()[0] in tags


def test_old_labels_are_aliases(catalogue):
    aliases = {item["id"]: item.get("aliases") or [] for item in catalogue["items"]}
    assert "Biểu mẫu 12" in aliases["CK-13"] and "Biểu mẫu 11" in aliases["CK-14"]
    assert "Biểu mẫu 10" in aliases["CK-21"]
    assert all("Biểu mẫu 09" in aliases[i] for i in ("CK-17", "CK-18", "CK-19"))
    assert "Ba công khai" in aliases["CK-05"]


def test_holidays_cover_every_listed_year_with_tet(calendar):
    """Derived from the data: adding 2028 (or dropping 2020) must not break this test."""
    years = sorted(load("holidays.yml")["years"])
    assert years == list(range(years[0], years[-1] + 1))  # no gap
    assert set(years) == set(calendar.years)  # every listed year has its Tết Nguyên đán
    # the years the fixed test date (2026-11-29) shows: school years 2022-2023 … 2026-2027
    assert set(range(2022, 2028)) <= set(years)
    tet = {2020: D(2020, 1, 27), 2021: D(2021, 2, 12), 2022: D(2022, 2, 1), 2023: D(2023, 1, 23),
           2024: D(2024, 2, 12), 2025: D(2025, 1, 29), 2026: D(2026, 2, 17)}
    for day in tet.values():
        assert not calendar.is_working_day(day)
    for year in years[1:]:  # 30/4 and 1/5 are days off (or compensated) every year
        assert not calendar.is_working_day(D(year, 4, 30)) or D(year, 4, 30).weekday() >= 5
    assert calendar.is_working_day(D(2025, 4, 26))  # make-up Saturday for 2 May 2025
    assert not calendar.is_working_day(D(2025, 5, 2))


TET_2028 = {"date": "2028-01-26", "name": "Tết Nguyên đán Mậu Thân", "kind": "holiday"}


@pytest.mark.parametrize("years, covered, field", [
    ({2028: {"days_off": [TET_2028]}}, {2028}, None),
    ({2028: {"days_off": [{"date": "2028-01-01", "name": "Tết Dương lịch"}]}}, set(),
     "years.2028.days_off"),  # a year without Tết is not a calendar
    ({2028: None}, set(), "years.2028.days_off"),
    ({"2028a": {"days_off": [TET_2028]}}, set(), "years.2028a"),
    ({2028: {"days_off": [TET_2028, "2028-05-01"]}}, {2028}, "years.2028.days_off[1]"),
])
def test_calendar_years_need_tet(years, covered, field):
    calendar, errors = dl.parse_calendar({"years": years})
    assert set(calendar.years) == covered
    assert [f for f, _, _ in errors] == ([field] if field else [])


def test_missing_years():
    calendar, _ = dl.parse_calendar(load("holidays.yml"))
    assert dl.missing_years(calendar, [2026, 2027]) == []
    assert dl.missing_years(calendar, [2017, 2027, 2029, 2029]) == [2017, 2029]
    assert dl.missing_years(dl.Calendar(), [2026]) == [2026]  # no data: nothing is covered


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
    due, _ = dl.item_due(item, 2024, {}, dl.Calendar())  # no enrolment date: before 30/6/2024
    assert due == D(2024, 6, 29)


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


# ---------------------------------------------------------------------------- rollover

@pytest.fixture(scope="module")
def rollover(catalogue):
    policy, errors = dl.parse_rollover(catalogue["deadline_rollover"])
    assert errors == []
    return policy


def test_rollover_rule_and_basis_are_data(catalogue, rollover):
    assert rollover["fixed"]["to"] == rollover["after_event"]["to"] == "next_working_day"
    assert rollover["after_period"]["to"] == "next_working_day"
    assert rollover["weekly"]["to"] == "previous_working_day"
    assert "before_event" not in rollover  # "before enrolment" must stay before it
    assert "Điều 148 khoản 5" in rollover["fixed"]["basis"]
    for entry in catalogue["deadline_rollover"]:
        assert entry["basis"]["confidence"].split()[0] in {"READ", "SECONDARY", "RECALL", "INFER"}


FIXED_30_6 = {"rule": "fixed", "day": 30, "month": 6, "year": "end"}


@pytest.mark.parametrize("rule, start, events, period, due, nominal", [
    # 30/6/2024 is a Sunday: the period ends with the next working day (BLDS Đ148 k5)
    (FIXED_30_6, 2023, {}, None, D(2024, 7, 1), D(2024, 6, 30)),
    (FIXED_30_6, 2028, {}, None, D(2029, 7, 2), D(2029, 6, 30)),  # Saturday → Monday
    (FIXED_30_6, 2025, {}, None, D(2026, 6, 30), None),  # Tuesday: unchanged
    # budget assigned 9/1/2026 + 15 days = Saturday 24/1 → Monday 26/1
    ({"rule": "after_event", "event": "budget_assigned", "days": 15}, 2025,
     {"budget_assigned": D(2026, 1, 9)}, None, D(2026, 1, 26), D(2026, 1, 24)),
    # 1/2/2026 + 15 days = Monday 16/2, Tết Bính Ngọ (16–20/2) → Monday 23/2
    ({"rule": "after_event", "event": "x", "days": 15}, 2025, {"x": D(2026, 2, 1)}, None,
     D(2026, 2, 23), D(2026, 2, 16)),
    # 17/4/2025 + 15 days = Friday 2/5/2025, a swapped day off → Monday 5/5
    ({"rule": "after_event", "event": "x", "days": 15}, 2024, {"x": D(2025, 4, 17)}, None,
     D(2025, 5, 5), D(2025, 5, 2)),
    # 11/4/2025 + 15 days = Saturday 26/4/2025, a make-up working day: unchanged
    ({"rule": "after_event", "event": "x", "days": 15}, 2024, {"x": D(2025, 4, 11)}, None,
     D(2025, 4, 26), None),
    # quarter IV/2027 + 15 days = Saturday 15/1/2028 → Monday 17/1/2028
    ({"rule": "after_period", "days": 15}, 2027, {}, "2027-Q4", D(2028, 1, 17), D(2028, 1, 15)),
    # working days never end on a day off: not moved
    ({"rule": "after_event", "event": "x", "working_days": 5}, 2025, {"x": D(2026, 2, 11)},
     None, D(2026, 2, 25), None),
    # before the enrolment (Monday 22/4/2024): Sunday 21/4 stays, it must be before the event
    ({"rule": "before_event", "event": "enrolment_start"}, 2024,
     {"enrolment_start": D(2024, 4, 22)}, None, D(2024, 4, 21), None),
    # weekly menu for the week of Monday 4/1/2027: before Saturday 2/1 is Friday 1/1, Tết
    # Dương lịch → Thursday 31/12/2026 (moving it later would pass the Saturday)
    ({"rule": "weekly", "before_weekday": 5}, 2026, {}, "2027-W01", D(2026, 12, 31),
     D(2027, 1, 1)),
    ({"rule": "weekly", "before_weekday": 5}, 2025, {}, "2025-W42", D(2025, 10, 10), None),
])
def test_deadline_on_a_day_off_rolls_over(calendar, rollover, rule, start, events, period, due,
                                          nominal):
    period = dl.parse_period(period) if period else None
    deadline = dl.rule_deadline(rule, start, events, calendar, period, rollover)
    assert (deadline.due, deadline.nominal) == (due, nominal)
    assert deadline.rolled == (nominal is not None)
    # without a rollover rule in the data, every rule keeps its own day
    assert dl.rule_due(rule, start, events, calendar, period) == (nominal or due)


def test_rollover_note_names_the_day_off_and_the_basis(calendar, rollover):
    deadline = dl.rule_deadline(FIXED_30_6, 2023, {}, calendar, None, rollover)
    note = dl.rollover_note(deadline, calendar)
    assert "30/06/2024 (Chủ nhật)" in note and "tiếp theo" in note
    assert "Điều 148 khoản 5" in note
    week = dl.parse_period("2027-W01")
    deadline = dl.rule_deadline({"rule": "weekly"}, 2026, {}, calendar, week, rollover)
    assert "01/01/2027 (Tết Dương lịch)" in dl.rollover_note(deadline, calendar)
    assert "liền trước" in dl.rollover_note(deadline, calendar)
    assert dl.rollover_note(dl.Deadline(D(2026, 6, 30)), calendar) == ""


def test_fallback_is_estimated_and_rolled(catalogue, calendar, rollover):
    item = cat.items_by_id(catalogue)["CK-09"]  # fallback 31/1: Sunday in 2027
    deadline = dl.item_deadline(item, 2026, {}, calendar, None, rollover)
    assert (deadline.due, deadline.estimated, deadline.nominal) == (
        D(2027, 2, 1), True, D(2027, 1, 31))


@pytest.mark.parametrize("data, field", [
    ([{"rules": ["fixed"], "to": "sau", "basis": {"text": "x", "confidence": "INFER"}}],
     "deadline_rollover[0].to"),
    ([{"rules": ["fixed"], "to": "next_working_day"}], "deadline_rollover[0].basis"),
    ([{"rules": ["fixed"], "to": "next_working_day", "basis": {"text": "x"}}],
     "deadline_rollover[0].basis"),
    ([{"rules": ["hằng tháng"], "to": "next_working_day",
       "basis": {"text": "x", "confidence": "INFER"}}], "deadline_rollover[0].rules"),
    ([{"rules": ["fixed"], "to": "next_working_day", "basis": {"text": "x", "confidence": "I"}},
      {"rules": ["fixed"], "to": "previous_working_day",
       "basis": {"text": "x", "confidence": "I"}}], "deadline_rollover[1].rules"),
    ({"fixed": "next_working_day"}, "deadline_rollover"),
])
def test_bad_rollover_data_is_a_catalogue_problem(catalogue, data, field):
    problems = cat.validate_catalogue({**catalogue, "deadline_rollover": data}, "catalogue.yml")
    assert [p.field for p in problems] == [field]


def test_event_rule_without_event_name_is_a_catalogue_problem(catalogue):
    items = [dict(i) for i in catalogue["items"]]
    items[8] = {**items[8], "deadline": [{"rule": "after_event", "days": 15}]}
    problems = cat.validate_catalogue({**catalogue, "items": items}, "catalogue.yml")
    assert [p.field for p in problems] == ["items[8].deadline"]


def test_unknown_event_name_is_a_problem(catalogue):
    known = cat.event_names(catalogue)
    assert known == {"enrolment_start", "budget_assigned", "budget_report_submitted",
                     "final_accounts_approved"}
    data = {"school_years": {"2025-2026": {"budget_asigned": "2026-01-09",
                                           "enrolment_start": "2025-04-21"}}}
    events, problems = cat.load_events(data, "content/data/disclosure.yml", known)
    assert events == {2025: {"enrolment_start": D(2025, 4, 21)}}
    assert [(p.field, p.value) for p in problems] == [
        ("school_years.2025-2026.budget_asigned", "budget_asigned")]
    assert "budget_assigned" in problems[0].hint


@pytest.mark.parametrize("period, label", [
    ("2025-Q3", "Quý III/2025"), ("2026-H1", "6 tháng đầu năm 2026"),
    ("2026-H2", "6 tháng cuối năm 2026"), ("2026", "Năm 2026"),
    ("2025-W37", "Tuần 37/2025 (08/09–14/09)"),
])
def test_period_labels(period, label):
    assert dl.period_label(period) == label


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


def html_rows(built, rel="cong-khai/index.html", changes=False):
    """Rows by (item, school year, period); *changes*: the update rows (a dated change of a
    school fact) by (item, school year, change date) instead."""
    soup = built.soup(rel)
    return {(tr["data-item"], tr["data-year"], tr.get("data-change") if changes
             else tr["data-period"]): tr
            for tr in soup.select("tr[data-item]") if bool(tr.get("data-change")) == changes}


def json_rows(built, changes=False):
    data = json.loads(built.read("cong-khai/index.json"))
    return {(r["item"], r["school_year"], (r["change_date"] if changes else r["period"]) or ""): r
            for r in data["rows"] if bool(r["change_date"]) == changes}


def csv_rows(built, changes=False):
    with open(built.path("cong-khai/index.csv"), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet programs
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    return {(r["item"], r["school_year"], r["change_date"] if changes else r["period"]): r
            for r in reader if bool(r["change_date"]) == changes}


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
    assert data[("CK-14", "2026-2027", "")]["due"] == "2027-06-29"  # «trước ngày 30/6»
    assert data[("CK-13", "2025-2026", "")]["published"] == "2026-06-15"
    assert data[("CK-15", "2025-2026", "")]["published"] is None
    assert table[("CK-15", "2025-2026", "")]["published"] == ""
    quarters = [k for k in data if k[0] == "CK-10" and k[1] == "2025-2026"]
    # quarters under TT 61/2017 until 24/3/2026, then 3 and 6 months under TT 26/2026
    assert sorted(k[2] for k in quarters) == ["2025-Q3", "2025-Q4", "2026-M3", "2026-M6"]


def test_moving_the_date_past_the_deadline_makes_it_late(site):
    built = site(base_files(**{"cong-khai/2025-2026/co-so-vat-chat.md":
                               doc("CK-14", date="2026-07-08")}))
    assert built.ok, built.messages()
    row = json_rows(built)[("CK-14", "2025-2026", "")]
    assert (row["status"], row["published"], row["due"]) == ("late", "2026-07-08", "2026-06-29")
    tr = html_rows(built)[("CK-14", "2025-2026", "")]
    assert "Công khai muộn" in tr.get_text() and "9 ngày sau hạn" in tr.get_text()


def test_removing_a_document_makes_it_overdue_or_pending(site):
    built = site(base_files(**{"cong-khai/2025-2026/co-so-vat-chat.md": None,
                               "cong-khai/2026-2027/doi-ngu.md": None}))
    assert built.ok, built.messages()
    rows = json_rows(built)
    assert rows[("CK-14", "2025-2026", "")]["status"] == "overdue"
    assert rows[("CK-13", "2026-2027", "")]["status"] == "pending"
    assert rows[("CK-14", "2025-2026", "")]["url"] is None


def test_five_years_shown_and_archive(site):
    built = site(base_files(**{"cong-khai/2020-2021/doi-ngu.md":
                               doc("CK-13", year="2020-2021", date="2021-06-10")}))
    assert built.ok, built.messages()
    years = {k[1] for k in json_rows(built)}
    assert {"2022-2023", "2023-2024", "2024-2025", "2025-2026", "2026-2027"} <= years
    assert "2020-2021" in years and "2021-2022" not in years
    soup = built.soup("cong-khai/index.html")
    archive = soup.find(id="luu-tru").find_next("ul")
    assert "Năm học 2020–2021" in archive.get_text()
    assert built.exists("cong-khai/2020-2021/index.html")
    # a year without documents still lists its items, each judged by the law of its time:
    # TT 36/2017 for what it asked (staff: by the start-of-year update), not judged for what
    # only TT 09/2024 asks (textbooks), budget items by TT 61/2017
    rows = json_rows(built)
    assert (rows[("CK-13", "2023-2024", "")]["status"],
            rows[("CK-13", "2023-2024", "")]["basis_law"]) == ("overdue", "Thông tư 36/2017/TT-BGDĐT")
    assert rows[("CK-15", "2023-2024", "")]["status"] == "not_judged"
    assert rows[("CK-09", "2023-2024", "")]["status"] == "overdue"


@pytest.mark.parametrize("files, today, year, school_year", [
    # an archived school year whose first calendar year holidays.yml does not list
    ({"cong-khai/2017-2018/doi-ngu.md": doc("CK-13", year="2017-2018", date="2018-06-10")},
     "2026-11-29", 2017, "2017-2018"),
    # the school year 2028-2029 opens on 1 January 2028: its deadlines need the days off of 2029
    ({}, "2028-01-02", 2029, "2028-2029"),
])
def test_a_year_missing_from_the_holidays_is_a_problem(site, files, today, year, school_year):
    built = site(base_files(**files), PORTAL_TODAY=today)
    assert not built.ok
    found = [p for p in built.problems if p.field == f"years.{year}"]
    assert len(found) == 1, built.messages()
    assert found[0].file == "portal_disclosure/holidays.yml"  # the package's data
    assert school_year in found[0].message and "Tết Nguyên đán" in found[0].hint
    assert not built.exists("cong-khai/index.html")


def test_unknown_event_name_in_the_school_data_stops_the_build(site):
    data = ("school_years:\n  \"2025-2026\":\n    enrolment_start: 2025-04-21\n"
            "    ngay_giao_du_toan: 2026-01-09\n")
    built = site(base_files(**{"data/disclosure.yml": data}))
    assert not built.ok
    found = [p for p in built.problems if p.file == "content/data/disclosure.yml"]
    assert [p.value for p in found] == ["ngay_giao_du_toan"], built.messages()
    assert "budget_assigned" in found[0].hint


def test_rollover_estimated_flag_and_period_labels_in_html_and_json(site):
    built = site(base_files())
    assert built.ok, built.messages()
    data, table = json_rows(built), csv_rows(built)
    # «trước ngày 30/6/2025»: Sunday 29/6/2025, not moved (later would not be "before")
    row = data[("CK-13", "2024-2025", "")]
    assert (row["due"], row["due_rule_date"], row["due_estimated"]) == (
        "2025-06-29", None, False)
    tr = html_rows(built, "cong-khai/2024-2025/index.html")[("CK-13", "2024-2025", "")]
    assert tr.find("time")["datetime"] == "2025-06-29"
    assert tr.select_one(".due-note") is None and "(ước tính)" not in tr.get_text()
    # a quarter ending on a Sunday: 15/10/2023 → Monday 16/10/2023 (BLDS Điều 148 khoản 5)
    tr = html_rows(built, "cong-khai/2023-2024/index.html")[("CK-10", "2023-2024", "2023-Q3")]
    assert tr.find("time")["datetime"] == "2023-10-16"
    note = tr.select_one(".due-note").get_text()
    assert "15/10/2023 (Chủ nhật)" in note and "Điều 148 khoản 5" in note
    # no budget date for 2026-2027: TT 26/2026's fallback 28/2/2027 (a Sunday) → 1/3/2027,
    # estimated
    row = data[("CK-09", "2026-2027", "")]
    assert (row["due"], row["due_rule_date"], row["due_estimated"]) == (
        "2027-03-01", "2027-02-28", True)
    assert table[("CK-09", "2026-2027", "")]["due_estimated"] == "true"
    assert table[("CK-13", "2025-2026", "")]["due_estimated"] == "false"
    tr = html_rows(built)[("CK-09", "2026-2027", "")]
    assert "(ước tính)" in tr.get_text() and tr.select_one(".due-note") is not None
    tr = html_rows(built)[("CK-13", "2026-2027", "")]  # Tuesday 29/6/2027: as is
    assert "(ước tính)" not in tr.get_text() and tr.select_one(".due-note") is None
    assert data[("CK-13", "2026-2027", "")]["due_rule_date"] is None
    # periods: the id and the label, in the page and in the open data
    row = data[("CK-10", "2025-2026", "2025-Q3")]
    assert row["period_label"] == "Quý III/2025"
    assert table[("CK-10", "2025-2026", "2025-Q3")]["period_label"] == "Quý III/2025"
    assert data[("CK-13", "2025-2026", "")]["period_label"] is None
    tr = html_rows(built, "cong-khai/2025-2026/index.html")[("CK-10", "2025-2026", "2026-M6")]
    assert "6 tháng đầu năm 2026" in tr.get_text(" ")
    assert tr.find("time")["datetime"] == data[("CK-10", "2025-2026", "2026-M6")]["due"]


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
    changes = json_rows(demo, changes=True)  # the update rows, in the pages too
    assert set(changes) == set(csv_rows(demo, changes=True))
    pages = {}
    for year in {key[1] for key in changes}:
        pages.update(html_rows(demo, f"cong-khai/{year}/index.html", changes=True))
    assert {k: tr["data-status"] for k, tr in pages.items()} == {
        k: r["status"] for k, r in changes.items()}
    assert {"2025-2026", "2026-2027"} == {key[1] for key in landing}
    assert data[("CK-14", "2025-2026", "")]["status"] == "late"
    assert data[("CK-16", "2025-2026", "")]["status"] == "overdue"
    # the summary on /cong-khai/ counts each year as the open data does (2024-2025 included)
    summary = demo.soup("cong-khai/index.html").select_one("table.disclosure-summary")
    everything = json.loads(demo.read("cong-khai/index.json"))["rows"]
    for tr in summary.select("tbody tr"):
        year = tr.th.a["href"].rstrip("/").split("/")[-1]
        counts = [int(td.text) for td in tr.find_all("td")]
        expected = [sum(1 for r in everything if r["school_year"] == year and r["status"] == code)
                    for code in ("on_time", "late", "published", "pending", "overdue",
                                 "not_judged", "not_applicable")]
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
