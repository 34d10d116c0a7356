"""Law over time: versioned disclosure items, the version that judges a row, overlaps and gaps,
"trước ngày 30/6", the 2026 holiday swap and the bases shown with each row (issue 15)."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
import yaml

from conftest import ROOT
from portal_disclosure import catalogue as cat
from portal_disclosure import deadlines as dl
from portal_disclosure import versions as ver
from portal_disclosure.documents import Document
from portal_disclosure.index import build_index

D = dt.date
PLUGIN_DIR = os.path.join(ROOT, "plugins", "portal_disclosure")
TODAY = D(2026, 11, 29)
SCHOOL = {"name": "Trường THPT Thử", "type": "Công lập", "serves_meals": False}


def load(name):
    with open(os.path.join(PLUGIN_DIR, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def catalogue():
    return load("catalogue.yml")


@pytest.fixture(scope="module")
def calendar():
    calendar, errors = dl.parse_calendar(load("holidays.yml"))
    assert errors == []
    return calendar


def quarterly(first_days, second_days, **second):
    """A one-item catalogue: quarterly reports due N days after the quarter, two versions."""
    return {
        "categories": [{"id": "ns", "name": "Ngân sách"}],
        "law": "Luật mặc định",
        "items": [{
            "id": "CK-10", "name": "Thực hiện dự toán quý", "category": "ns", "periods": "quarter",
            "basis": [{"text": "Thông tư cũ Điều 6", "confidence": "SECONDARY"}],
            "deadline": [{"rule": "after_period", "days": first_days}],
            "versions": [
                {"valid_to": D(2025, 12, 31), "law": "Thông tư cũ"},
                {"valid_from": D(2026, 1, 1), "law": "Thông tư mới",
                 "basis": [{"text": "Thông tư mới Điều 9", "confidence": "UNVERIFIED"}],
                 "deadline": [{"rule": "after_period", "days": second_days}], **second},
            ],
        }],
    }


def document(item, start_year, period, published):
    return Document(source=f"{item}-{period}.md", title=f"Báo cáo {period}",
                    url=f"cong-khai/{start_year}-{start_year + 1}/{period}/", items=[item],
                    start_year=start_year, period=period, published=published)


def rows_of(index):
    return {(r["item"], r["school_year"], r["period"]): r
            for year in index["years"] for r in year["rows"]}


# ---------------------------------------------------------------------------- pure logic

def test_same_publication_delay_is_on_time_under_one_version_and_late_under_another():
    # each report published 20 days after its quarter: 30 days allowed before 2026, 10 after
    docs = [document("CK-10", 2025, "2025-Q4", D(2026, 1, 20)),
            document("CK-10", 2025, "2026-Q1", D(2026, 4, 20))]
    rows = rows_of(build_index(quarterly(30, 10), SCHOOL, {}, dl.Calendar(), docs, TODAY))
    old, new = rows[("CK-10", "2025-2026", "2025-Q4")], rows[("CK-10", "2025-2026", "2026-Q1")]
    assert (old["status"], old["due"], old["basis_law"]) == ("on_time", "2026-01-30", "Thông tư cũ")
    assert (new["status"], new["due"], new["basis_law"]) == ("late", "2026-04-10", "Thông tư mới")
    # the basis in plain words with its dates; the confidence tag stays in the data
    assert new["legal_basis"] == "Thông tư mới Điều 9" and "basis_confidence" not in new
    assert new["basis_label"] == "Thông tư mới (áp dụng từ 01/01/2026)"
    assert old["basis_label"] == "Thông tư cũ (áp dụng đến hết 31/12/2025)"
    assert (new["basis_valid_from"], new["basis_valid_to"]) == ("2026-01-01", None)


def test_a_school_year_spanning_a_change_uses_each_version_for_its_own_periods():
    index = build_index(quarterly(15, 15), SCHOOL, {}, dl.Calendar(), [], TODAY)
    laws = {r["period"]: r["basis_law"] for r in rows_of(index).values()
            if r["school_year"] == "2025-2026"}
    assert laws == {"2025-Q3": "Thông tư cũ", "2025-Q4": "Thông tư cũ",
                    "2026-Q1": "Thông tư mới", "2026-Q2": "Thông tư mới"}
    # the year's budget group names both laws, numbered, and marks the rows
    year = next(y for y in index["years"] if y["id"] == "2025-2026")
    group = year["categories"][0]
    assert [(b["n"], b["label"]) for b in group["bases"]] == [
        (1, "Thông tư cũ (áp dụng đến hết 31/12/2025)"), (2, "Thông tư mới (áp dụng từ 01/01/2026)")]
    assert [r["basis_mark"] for r in group["rows"]] == [1, 1, 2, 2]


def test_a_period_no_version_covers_is_not_judged_with_the_reason():
    data = quarterly(15, 15)
    data["items"][0]["versions"][0]["valid_from"] = D(2024, 1, 1)
    rows = rows_of(build_index(data, SCHOOL, {}, dl.Calendar(), [], TODAY))
    row = rows[("CK-10", "2022-2023", "2023-Q1")]
    assert (row["status"], row["due"]) == ("not_judged", None)
    assert "01/01/2023" in row["note"]
    assert rows[("CK-10", "2023-2024", "2024-Q1")]["status"] == "overdue"


TT36_COVERED = {5: "start", 6: "start", 7: "start", 13: "start", 14: "start", 16: "start",
                18: "start", 19: "start", 21: "end"}  # TT 36/2017 «ba công khai», Biểu mẫu 09–12
TT36_NOT_COVERED = (1, 2, 3, 4, 8, 15, 17)  # set by TT 09/2024 only


def real_index(catalogue, calendar, events=None):
    """The real catalogue's index, with its rule for deadlines on a day off."""
    rollover, errors = dl.parse_rollover(catalogue.get("deadline_rollover"))
    assert errors == []
    return build_index(catalogue, SCHOOL, events or {}, calendar, [], TODAY, rollover=rollover)


def test_tt36_years_are_judged_by_tt36_own_timing(catalogue, calendar):
    rows = rows_of(real_index(catalogue, calendar))
    # the start-of-year update (by 30 September) and the results in June, as data; 30/9/2023
    # is a Saturday, 30/6/2024 a Sunday: the next working day (BLDS rule in the catalogue)
    due = {("start", "2022-2023"): "2022-09-30", ("end", "2022-2023"): "2023-06-30",
           ("start", "2023-2024"): "2023-10-02", ("end", "2023-2024"): "2024-07-01"}
    for year in ("2022-2023", "2023-2024"):
        for number, when in TT36_COVERED.items():
            row = rows[(f"CK-{number:02d}", year, None)]
            assert row["basis_law"] == "Thông tư 36/2017/TT-BGDĐT", (number, year)
            assert (row["status"], row["due"]) == ("overdue", due[(when, year)]), (number, year)
        for number in TT36_NOT_COVERED:
            row = rows[(f"CK-{number:02d}", year, None)]
            assert row["status"] == "not_judged", (number, year)
            assert "Thông tư 36/2017" in row["note"] and "Thông tư 09/2024" in row["note"]
    # a plan for 2024-2025 was due before 30/6/2024: TT 36 then (its own September date)
    row = rows[("CK-18", "2024-2025", None)]
    assert (row["basis_law"], row["due"]) == ("Thông tư 36/2017/TT-BGDĐT", "2024-09-30")
    assert rows[("CK-17", "2024-2025", None)]["status"] == "not_judged"
    assert rows[("CK-13", "2024-2025", None)]["basis_law"] == "Thông tư 09/2024/TT-BGDĐT"
    # budget items: TT 61/2017 was in force then, and judges them
    assert rows[("CK-09", "2023-2024", None)]["basis_law"] == "Thông tư 61/2017/TT-BTC"
    assert rows[("CK-09", "2023-2024", None)]["status"] == "overdue"


def test_tt36_ends_the_day_before_tt09_starts():
    item = next(i for i in load("catalogue.yml")["items"] if i["id"] == "CK-13")
    assert ver.version_for(item, D(2024, 7, 18)).item["law"] == "Thông tư 36/2017/TT-BGDĐT"
    assert ver.version_for(item, D(2024, 7, 19)).item.get("law") is None  # the catalogue's: TT 09


TT61, TT26 = "Thông tư 61/2017/TT-BTC", "Thông tư 26/2026/TT-BTC và Nghị định 73/2026/NĐ-CP"


def budget_row(catalogue, calendar, item, year, events, period=None):
    return rows_of(real_index(catalogue, calendar, {int(year[:4]): events}))[(item, year, period)]


def test_execution_periods_follow_the_law_in_force_at_the_end_of_each_period(catalogue, calendar):
    rows = rows_of(real_index(catalogue, calendar))
    laws = {k[2]: (r["basis_law"], r["due"]) for k, r in rows.items()
            if k[0] == "CK-10" and k[1] == "2025-2026"}
    # quarters until TT 61/2017 ends (24/3/2026), then 3, 6, 9 months from 1 January, 10 days
    # after the period (TT 26/2026 Điều 27, NĐ 73/2026 Điều 37 khoản 3)
    assert laws == {"2025-Q3": (TT61, "2025-10-15"), "2025-Q4": (TT61, "2026-01-15"),
                    "2026-M3": (TT26, "2026-04-10"), "2026-M6": (TT26, "2026-07-10")}
    nine = rows[("CK-10", "2026-2027", "2026-M9")]  # 10/10/2026 is a Saturday
    assert (nine["basis_law"], nine["due"], nine["period_label"]) == (
        TT26, "2026-10-12", "9 tháng đầu năm 2026")
    assert not any(k[0] == "CK-10" and k[2] == "2026-Q4" for k in rows)  # the year replaces it
    assert "mẫu biểu số 75" in rows[("CK-10", "2025-2026", "2026-M3")]["legal_basis"]


@pytest.mark.parametrize("assigned, law, due", [
    (D(2026, 3, 24), TT61, "2026-04-08"),  # the last day of TT 61: 15 days
    (D(2026, 3, 25), TT26, "2026-04-24"),  # TT 26 in force: 30 days (NĐ 73 Điều 37 khoản 2)
])
def test_the_estimate_is_judged_by_the_law_of_the_day_it_was_assigned(
        catalogue, calendar, assigned, law, due):
    row = budget_row(catalogue, calendar, "CK-09", "2025-2026", {"budget_assigned": assigned})
    assert (row["basis_law"], row["due"]) == (law, due)


@pytest.mark.parametrize("submitted, law, due", [
    (D(2026, 2, 11), TT61, "2026-02-25"),  # 5 working days (Tết Bính Ngọ off)
    (D(2026, 3, 25), TT26, "2026-04-06"),  # 10 days: Saturday 4/4 → Monday 6/4
])
def test_the_yearly_report_is_judged_by_the_law_of_the_day_it_was_submitted(
        catalogue, calendar, submitted, law, due):
    row = budget_row(catalogue, calendar, "CK-11", "2025-2026",
                     {"budget_report_submitted": submitted})
    assert (row["basis_law"], row["due"]) == (law, due)


def test_final_accounts_of_2025_follow_the_new_law_even_if_approved_before_it(catalogue, calendar):
    # TT 26/2026 Điều 37 khoản 3: the 2025 accounts follow NĐ 73/2026 and TT 26/2026
    row = budget_row(catalogue, calendar, "CK-12", "2025-2026",
                     {"final_accounts_approved": D(2026, 3, 10)})
    assert (row["basis_law"], row["due"]) == (TT26, "2026-04-09")
    # the 2024 accounts stay with TT 61/2017, 15 days
    row = budget_row(catalogue, calendar, "CK-12", "2024-2025",
                     {"final_accounts_approved": D(2025, 6, 10)})
    assert (row["basis_law"], row["due"]) == (TT61, "2025-06-25")


def test_no_row_is_judged_by_a_version_not_in_force_on_its_reference_day(catalogue, calendar):
    rows = rows_of(build_index(catalogue, SCHOOL, {}, calendar, [], TODAY)).values()
    judged = [r for r in rows if r["status"] not in ("not_judged", "not_applicable")]
    assert judged
    for row in judged:
        day = row["basis_reference_day"]
        assert (row["basis_valid_from"] or "0000") <= day <= (row["basis_valid_to"] or "9999"), row
        if row["basis_law"].startswith("Thông tư 09/2024"):
            assert day >= "2024-07-19", row


@pytest.mark.parametrize("second, field, words", [
    ({"valid_from": D(2025, 12, 1)}, "items[0] (CK-10).versions[1].valid_from", "chồng lên nhau"),
    ({"valid_from": D(2026, 2, 1)}, "items[0] (CK-10).versions[1].valid_from", "Khoảng trống"),
])
def test_overlap_or_gap_between_versions_is_a_problem_naming_file_and_entry(second, field,
                                                                           words):
    problems = cat.validate_catalogue(quarterly(15, 15, **second), "catalogue.yml")
    assert [(p.file, p.field) for p in problems] == [("catalogue.yml", field)]
    assert words in problems[0].message and "CK-10" in problems[0].message


def test_open_ended_version_followed_by_another_overlaps():
    data = quarterly(15, 15)
    del data["items"][0]["versions"][0]["valid_to"]
    problems = cat.validate_catalogue(data, "catalogue.yml")
    assert len(problems) == 1 and "chồng lên nhau" in problems[0].message


def test_unknown_confidence_tag_and_missing_reason_are_problems():
    data = quarterly(15, 15)
    data["items"][0]["versions"][1]["basis"] = [{"text": "TT mới", "confidence": "READ-3rd"}]
    data["items"][0]["versions"][0].update(judged=False)
    fields = [p.field for p in cat.validate_catalogue(data, "catalogue.yml")]
    assert fields == ["items[0].versions[0].reason", "items[0].versions[1].basis"]


def test_a_version_past_its_end_without_successor_is_a_warning():
    data = quarterly(15, 15)
    data["items"][0]["versions"][1]["valid_to"] = D(2026, 6, 30)
    assert cat.expired_versions(data, D(2026, 6, 30), "catalogue.yml") == []
    problems = cat.expired_versions(data, D(2026, 7, 1), "catalogue.yml")
    assert len(problems) == 1 and problems[0].severity == "warning"
    assert problems[0].field == "items[0] (CK-10).versions[1].valid_to"
    assert "30/06/2026" in problems[0].message and "docs/legal.md" in problems[0].hint


def test_the_real_catalogue_is_valid_and_has_no_expired_version(catalogue):
    assert cat.validate_catalogue(catalogue, "catalogue.yml") == []
    assert cat.expired_versions(catalogue, TODAY, "catalogue.yml") == []


# ---------------------------------------------------------------------------- catalogue points

def test_before_30_june_excludes_the_day_and_is_stated_in_the_data(catalogue):
    before = {"rule": "before_date", "day": 30, "month": 6, "year": "end"}
    assert dl.rule_due(before, 2025, {}, dl.Calendar()) == D(2026, 6, 29)
    assert dl.rule_due({**before, "rule": "fixed"}, 2025, {}, dl.Calendar()) == D(2026, 6, 30)
    # every "by 30 June" rule in the catalogue is the exclusive "trước ngày 30/6"
    for item in catalogue["items"]:
        for rule in item.get("deadline") or []:
            if rule.get("month") == 6 and rule.get("day") == 30:
                assert rule["rule"] == "before_date", item["id"]


def test_plan_items_of_the_same_clause_share_the_school_year_anchor(catalogue):
    items = cat.items_by_id(catalogue)
    for item_id in ("CK-17", "CK-18", "CK-19"):
        item = items[item_id]
        assert "Điều 9 khoản 1" in item["basis"][0]["text"]
        assert dl.item_due(item, 2026, {}, dl.Calendar())[0] == D(2026, 6, 29), item_id
        assert ver.reference_day(item, 2026) == D(2026, 6, 30)


def test_ck03_names_the_school_board_and_unit_decisions(catalogue):
    text = cat.items_by_id(catalogue)["CK-03"]["description"].lower()
    assert "chủ tịch và các thành viên hội đồng trường" in text
    assert "thành lập, sáp nhập, giải thể các đơn vị" in text


# ---------------------------------------------------------------------------- holidays 2026

def test_holiday_swap_2026_counts_saturday_22_august_and_skips_monday_31(calendar):
    assert calendar.is_working_day(D(2026, 8, 22)) and not calendar.is_working_day(D(2026, 8, 31))
    # 3 working days after Friday 21/8: Saturday 22 (worked back), Monday 24, Tuesday 25
    assert calendar.add_working_days(D(2026, 8, 21), 3) == D(2026, 8, 25)
    # 1 working day after Friday 28/8: 31/8 (swap), 1/9 and 2/9 (Quốc khánh) → Thursday 3/9
    assert calendar.add_working_days(D(2026, 8, 28), 1) == D(2026, 9, 3)
    # an update after a change on 28/8 (10 working days) and a 15-day deadline on 31/8
    item = {"deadline": [{"rule": "after_event", "event": "x", "working_days": 10}]}
    assert dl.item_due(item, 2026, {"x": D(2026, 8, 28)}, calendar) == (D(2026, 9, 16), False)
    policy, _ = dl.parse_rollover(load("catalogue.yml")["deadline_rollover"])
    deadline = dl.rule_deadline({"rule": "after_event", "event": "x", "days": 15}, 2025,
                                {"x": D(2026, 8, 16)}, calendar, None, policy)
    assert (deadline.nominal, deadline.due) == (D(2026, 8, 31), D(2026, 9, 3))
    assert "31/08/2026 (Nghỉ hoán đổi" in dl.rollover_note(deadline, calendar)


# ---------------------------------------------------------------------------- the built demo

def test_demo_pages_and_open_data_state_the_basis_in_plain_words_with_dates(demo):
    data = json.loads(demo.read("cong-khai/index.json"))
    assert {"basis_law", "basis_valid_from", "basis_valid_to", "basis_reference_day",
            "legal_basis"} <= set(data["fields"])
    assert not {"basis_confidence", "basis_unverified"} & set(data["fields"])
    assert "confidence_levels" not in data
    assert {"law": TT26, "valid_from": "2026-03-25", "valid_to": None} in data["bases"]
    assert {"law": TT61, "valid_from": "2017-08-01", "valid_to": "2026-03-24"} in data["bases"]
    rows = {(r["item"], r["school_year"], r["period"]): r for r in data["rows"]
            if not r["change_date"]}
    three = rows[("CK-10", "2025-2026", "2026-M3")]
    assert (three["basis_law"], three["basis_valid_from"]) == (TT26, "2026-03-25")
    assert "Thông tư 26/2026/TT-BTC, Điều 27 khoản 2 (mẫu biểu số 75)" in three["legal_basis"]
    assert rows[("CK-10", "2025-2026", "2025-Q4")]["basis_law"] == TT61
    for row in rows.values():
        if row["status"] not in ("not_judged", "not_applicable"):
            assert (row["basis_valid_from"] or "0000") <= row["basis_reference_day"]
            assert row["basis_reference_day"] <= (row["basis_valid_to"] or "9999")
    csv_text = demo.read("cong-khai/index.csv")
    assert "basis_valid_from" in csv_text.splitlines()[0] and "Thông tư 26/2026/TT-BTC" in csv_text
    # the landing page: the basis once per group with its dates, numbered rows
    soup = demo.soup("cong-khai/index.html")
    tr = soup.select_one('tr[data-item="CK-10"][data-period="2026-M3"]')
    mark = tr.th.sup.get_text()
    note = tr.find_parent("div").find_next_sibling("p").get_text(" ", strip=True)
    assert f"({mark}) {TT26} (áp dụng từ 25/03/2026)" in note
    assert f"{TT61} (áp dụng từ 01/08/2017 đến hết 24/03/2026)" in note
    # the year pages give each row's full basis, in words
    page = demo.soup("cong-khai/2025-2026/index.html")
    tr = page.select_one('tr[data-item="CK-10"][data-period="2026-M3"]')
    refs = tr.select_one(".basis-refs").get_text(" ", strip=True)
    assert "mẫu biểu số 75" in refs and "Nghị định 73/2026/NĐ-CP, Điều 37 khoản 3" in refs
    # the years before TT 09/2024: judged by TT 36/2017 where it asked; the rest not judged,
    # with the reason once per year
    year = demo.soup("cong-khai/2023-2024/index.html")
    tr = year.select_one('tr[data-item="CK-13"]')
    assert tr["data-status"] == "on_time"
    assert "Thông tư 36/2017/TT-BGDĐT (áp dụng từ 13/02/2018 đến hết 18/07/2024)" in (
        tr.find_parent("div").find_next_sibling("p").get_text(" ", strip=True))
    tr = year.select_one('tr[data-item="CK-15"]')
    assert tr["data-status"] == "not_judged" and "Không đánh giá" in tr.get_text()
    reasons = [p.get_text(" ", strip=True) for p in year.select("p.not-judged")]
    assert len(reasons) == 1 and "Thông tư 36/2017" in reasons[0]  # once, not on every row


# ---------------------------------------------------------------------------- /tuan-thu/

from portal_sections import catalogue as sections_cat  # noqa: E402
from portal_sections import law as sections_law  # noqa: E402

TAGS = ("[READ", "READ-2nd", "SECONDARY", "RECALL", "INFER", "UNVERIFIED", "READ]")


def test_public_compliance_page_has_no_tag_working_note_or_file_path(demo):
    main = demo.soup("tuan-thu/index.html").find("main")
    text = main.get_text(" ", strip=True)
    for word in TAGS + ("chưa đọc", "chưa kiểm chứng", "content/", ".yml", "plugins/", "<code"):
        assert word not in text and word not in str(main), word
    for a in main.select("table.compliance a"):  # links read as titles, not slugs
        assert not a.get_text().startswith("/"), a
    row = main.find("tr", id="muc-chinh-sach-du-lieu")
    # the law in force on the demo's date, with its date; the repealed decree is gone
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, Điều 9, Điều 16, Điều 24 (áp dụng từ " \
           "01/01/2026)" in row.get_text()
    assert "Nghị định 356/2025/NĐ-CP" in row.get_text() and "13/2023" not in row.get_text()
    assert row.find("time") is not None  # last update
    finance = main.find("tr", id="muc-cong-khai-tai-chinh").get_text(" ", strip=True)
    assert "Thông tư 26/2026/TT-BTC" in finance and "61/2017" not in finance
    # the open data: the same plain words, every line with its dates; no tag, no note
    data = json.loads(demo.read("tuan-thu/index.json"))
    items = {item["id"]: item for item in data["items"]}
    assert items["thoi-khoa-bieu"]["basis_detail"] == [
        {"text": "Thông tư 37/2020/TT-BGDĐT, Điều 9", "valid_from": None, "valid_to": None}]
    privacy = {d["text"][:20]: d for d in items["chinh-sach-du-lieu"]["basis_detail"]}
    assert privacy["Nghị định 13/2023/NĐ"]["valid_to"] == "2025-12-31"
    assert "basis_unverified" not in items["thoi-khoa-bieu"]
    assert items["lien-he"]["links"][0]["title"] == "Liên hệ"


def test_the_personal_data_law_changes_on_1_january_2026(demo):
    from portal_sections import catalogue as cat
    sections, _ = cat.load_catalogue()
    policy = next(s for s in sections if s.id == "chinh-sach-du-lieu")
    before, after = policy.plain_basis(D(2025, 12, 31)), policy.plain_basis(D(2026, 1, 1))
    assert "Nghị định 13/2023/NĐ-CP" in before and "91/2025" not in before
    assert "Nghị định 13/2023" not in after
    assert "91/2025/QH15" in after and "Nghị định 356/2025/NĐ-CP" in after
    from portal_safety import personal
    assert personal.law_on(D(2025, 12, 31)) == "Nghị định 13/2023/NĐ-CP"
    assert "Nghị định 356/2025/NĐ-CP" in personal.law_on(D(2026, 1, 1))


def section_with(basis, **extra):
    data = {"sections": [{"id": "chinh-sach", "title": "Chính sách dữ liệu", "requirement":
                          "mandatory", "basis": basis, **extra}]}
    return sections_cat.validate_catalogue(data, "catalogue.yml")


def test_section_basis_in_force_on_the_build_date_and_legacy_tag():
    sections, problems = section_with([
        {"ref": "Nghị định cũ", "confidence": "READ-2nd", "valid_to": "2025-12-31"},
        {"ref": "Luật mới", "confidence": "UNVERIFIED", "valid_from": "2026-01-01"}])
    assert problems == []
    section = sections[0]
    assert section.basis[0]["confidence"] == "SECONDARY"  # the former name is still read
    assert section.plain_basis(D(2025, 6, 1)) == "Nghị định cũ (áp dụng đến hết 31/12/2025)"
    assert section.plain_basis(D(2026, 6, 1)) == "Luật mới (áp dụng từ 01/01/2026)"
    assert sections_law.unverified(sections_law.basis_now(section.basis, D(2026, 6, 1)))
    assert sections_law.expired(sections, D(2026, 6, 1), "catalogue.yml") == []


def test_section_whose_every_basis_ended_is_a_warning_and_bad_dates_are_errors():
    sections, _ = section_with([{"ref": "Thông tư cũ", "confidence": "READ",
                                 "valid_to": "2026-06-30"}])
    problems = sections_law.expired(sections, D(2026, 7, 1), "catalogue.yml")
    assert [(p.field, p.severity) for p in problems] == [("chinh-sach.basis", "warning")]
    assert "30/06/2026" in problems[0].message
    _, problems = section_with([{"ref": "X", "confidence": "READ", "valid_from": "01/07/2025"}])
    assert [p.field for p in problems] == ["sections[0] (chinh-sach).basis[0].valid_from"]


def test_news_section_is_judged_against_its_last_post(site):
    from conftest import post
    old = {"tin-tuc/cu.md": post("Tin cũ", "2026-09-01 07:30", Plan="2023")}
    built = site(old)
    data = {i["id"]: i for i in json.loads(built.read("tuan-thu/index.json"))["items"]}
    assert (data["tin-tuc"]["status"], data["tin-tuc"]["last_update"]) == (
        "outdated", "2026-09-01")
    row = built.soup("tuan-thu/index.html").find("tr", id="muc-tin-tuc")
    assert "Quá hạn cập nhật" in row.get_text() and row.find("time")["datetime"] == "2026-09-01"
    built = site({**old, "tin-tuc/moi.md": post("Tin mới", "2026-11-02 07:30", Plan="2023")})
    data = {i["id"]: i for i in json.loads(built.read("tuan-thu/index.json"))["items"]}
    assert (data["tin-tuc"]["status"], data["tin-tuc"]["last_update"]) == ("ok", "2026-11-02")


# ---------------------------------------------------------------------------- issuers

from portal_sections import issuers as iss  # noqa: E402

NAM_DINH, NINH_BINH = "Sở Giáo dục và Đào tạo Nam Định", "Sở Giáo dục và Đào tạo Ninh Bình"
SUCCESSION = ("successions:\n  - {issuer: " + NAM_DINH + ", successor: " + NINH_BINH
              + ", from: 2025-07-01, basis: Nghị quyết 202/2025/QH15}\n")


def registry_doc(title, slug, issued, issuer):
    from conftest import page
    return page(title, slug, "Nội dung chính của văn bản.", Number="1/SGDĐT", Issued=issued,
                Issuer=issuer, Validity="Còn hiệu lực")


def test_issuer_pages_link_to_successor_and_predecessor(site):
    built = site({
        "data/issuers.yml": SUCCESSION,
        "pages/van-ban/a.md": registry_doc("Hướng dẫn nhiệm vụ 2024", "hd-2024",
                                           "2024-08-20", "sở giáo dục và đào tạo nam định"),
        "pages/van-ban/b.md": registry_doc("Hướng dẫn nhiệm vụ 2026", "hd-2026",
                                           "2026-08-28", NINH_BINH),
    })
    assert built.ok, built.messages()
    assert not [p for p in built.problems if p.field == "Issuer"]
    old = built.soup("van-ban/co-quan/so-giao-duc-va-dao-tao-nam-dinh/index.html")
    new = built.soup("van-ban/co-quan/so-giao-duc-va-dao-tao-ninh-binh/index.html")
    forward = old.select_one("p.issuer-succession a")
    back = new.select_one("p.issuer-succession a")
    assert forward["href"].endswith("/van-ban/co-quan/so-giao-duc-va-dao-tao-ninh-binh/")
    assert back["href"].endswith("/van-ban/co-quan/so-giao-duc-va-dao-tao-nam-dinh/")
    assert forward.get_text() == NINH_BINH and back.get_text() == NAM_DINH
    assert "01/07/2025" in old.select_one("p.issuer-succession").get_text()
    text = old.get_text().replace("\xa0", " ")  # typography: no break before a number
    assert "Hướng dẫn nhiệm vụ 2024" in text and "Hướng dẫn nhiệm vụ 2026" not in text


def test_successor_without_documents_still_has_its_page(site):
    built = site({"data/issuers.yml": SUCCESSION,
                  "pages/van-ban/a.md": registry_doc("Hướng dẫn 2024", "hd-2024", "2024-08-20",
                                                     NAM_DINH)})
    assert built.ok, built.messages()
    new = built.soup("van-ban/co-quan/so-giao-duc-va-dao-tao-ninh-binh/index.html")
    assert new.select_one("p.issuer-succession a").get_text() == NAM_DINH


def test_document_after_the_change_under_the_old_name_is_a_warning(site):
    built = site({"data/issuers.yml": SUCCESSION,
                  "pages/van-ban/b.md": registry_doc("Hướng dẫn 2026", "hd-2026", "2026-08-28",
                                                     NAM_DINH)})
    warned = [p for p in built.problems if p.field == "Issuer"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert warned[0].file.endswith("pages/van-ban/b.md") and NINH_BINH in warned[0].hint


@pytest.mark.parametrize("data, field", [
    ({"successions": [{"issuer": NAM_DINH, "successor": NINH_BINH, "from": "01/07/2025"}]},
     "successions[0].from"),
    ({"successions": [{"issuer": NAM_DINH, "successor": "sở giáo dục và đào tạo NAM ĐỊNH",
                       "from": "2025-07-01"}]}, "successions[0].successor"),
    ({"successions": [{"issuer": NAM_DINH, "from": "2025-07-01"}]}, "successions[0]"),
    ({"successors": []}, "successions"),
])
def test_bad_succession_data_is_a_problem(data, field):
    found, problems = iss.parse_successions(data, "content/data/issuers.yml")
    assert found == [] and [p.field for p in problems] == [field]
    assert problems[0].file == "content/data/issuers.yml" and problems[0].message


def test_a_holiday_year_may_carry_its_own_basis_with_a_known_tag():
    data = load("holidays.yml")
    assert data["years"][2026]["basis"]["confidence"] == "SECONDARY"
    bad = {"years": {2026: {**data["years"][2026], "basis": {"text": "x", "confidence": "SURE"}}}}
    _, errors = dl.parse_calendar(bad)
    assert [field for field, _, _ in errors] == ["years.2026.basis"]


def test_rollover_note_on_the_public_page_names_the_basis_without_its_tag(calendar):
    policy, _ = dl.parse_rollover(load("catalogue.yml")["deadline_rollover"])
    deadline = dl.rule_deadline({"rule": "after_period", "days": 15}, 2023, {}, calendar,
                                dl.parse_period("2023-Q3"), policy)
    note = dl.rollover_note(deadline, calendar)
    assert "Điều 148 khoản 5" in note and "[" not in note


def test_compliance_page_explains_each_named_law_once_in_plain_words(demo):
    main = demo.soup("tuan-thu/index.html").find("main")
    glossary = [li.get_text(" ", strip=True) for li in main.select("ul.law-glossary li")]
    names = [li.strong.get_text(strip=True) for li in main.select("ul.law-glossary li")]
    assert "Thông tư 37/2020/TT-BGDĐT" in names and "Thông tư 09/2024/TT-BGDĐT" in names
    assert len(names) == len(set(names))
    assert any("cổng thông tin điện tử" in g for g in glossary)


def test_bad_law_glossary_entry_is_a_problem():
    laws, problems = sections_law.parse_laws({"laws": [{"name": "Thông tư 1/2030"}]}, "c.yml")
    assert laws == [] and [p.field for p in problems] == ["laws[0]"]


def test_a_section_outside_its_dates_does_not_apply():
    sections, problems = section_with([{"ref": "Thông tư mới", "confidence": "READ"}],
                                      valid_from="2027-01-01")
    assert problems == []
    assert not sections_law.in_force(sections[0], D(2026, 11, 29))
    assert sections_law.in_force(sections[0], D(2027, 1, 1))
    _, problems = section_with([{"ref": "X", "confidence": "READ"}], valid_from="2027-01-01",
                               valid_to="2026-01-01")
    assert [p.field for p in problems] == ["sections[0] (chinh-sach).valid_to"]
