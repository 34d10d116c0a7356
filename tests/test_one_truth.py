"""One truth on every page and in every file (issue 24): the disclosure statuses are computed
once and read alike by /cong-khai/, its year pages, the home page, /tuan-thu/ and the open
data, on any date; a notice or news post can be a disclosure; the law in force on each date
(the next school year from 1 January, dated changes of school facts, items without a
deadline, repealed forms).

Expected dates are worked out here by hand from the rules (TT 09/2024 Điều 15: 10 working
days; the 2025–2026 calendar), not taken from the code.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os

import pytest
import yaml

from conftest import ROOT, post
from test_disclosure import base_files, csv_rows, doc, html_rows, json_rows

from portal_disclosure import deadlines as dl
from portal_disclosure.documents import Document, repealed_citations
from portal_disclosure.index import build_index

D = dt.date
PLUGIN_DIR = os.path.join(ROOT, "plugins", "portal_disclosure")
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


def rows_of(index, changes=False):
    return {(r["item"], r["school_year"], r["change_date"] if changes else r["period"]): r
            for year in index["years"] for r in year["rows"] if bool(r["change_date"]) == changes}


# ---------------------------------------------------------------------------- the same counts

def page_counts(built) -> dict:
    """Overdue and pending as each place shows them, for one built site."""
    data = json.loads(built.read("cong-khai/index.json"))
    summary = built.soup("cong-khai/index.html").select_one("table.disclosure-summary")
    heads = [th.get_text(strip=True) for th in summary.select("thead th")][1:]
    table = {label: 0 for label in heads}
    for tr in summary.select("tbody tr"):
        for label, td in zip(heads, tr.find_all("td")):
            table[label] += int(td.get_text(strip=True))
    compliance = built.soup("tuan-thu/index.html").find("tr", id="muc-cong-khai")
    listed = compliance.select("ul.overdue-list li")
    count_text = compliance.select_one(".overdue-count")
    tuan_thu = json.loads(built.read("tuan-thu/index.json"))
    item = next(i for i in tuan_thu["items"] if i["id"] == "cong-khai")
    finance = next(i for i in tuan_thu["items"] if i["id"] == "cong-khai/tai-chinh")
    rows = data["rows"]
    shown = {a["href"].rstrip("/").split("/")[-1] for a in summary.select("tbody th a")}
    home = built.soup("index.html").find("h3", string="Sắp đến hạn công khai")
    return {
        "json_counts": data["counts"],
        "json_rows_overdue": sum(1 for r in rows if r["status"] == "overdue"
                                 and r["school_year"] in shown),
        "csv_overdue": sum(1 for r in csv_rows(built).values() if r["status"] == "overdue"
                           and r["school_year"] in shown)
        + sum(1 for r in csv_rows(built, changes=True).values() if r["status"] == "overdue"
              and r["school_year"] in shown),
        "summary_overdue": table["Quá hạn, chưa công khai"],
        "summary_pending": table["Chưa đến hạn"],
        "tuan_thu_html": len(listed),
        "tuan_thu_text": int(count_text.get_text().split()[0]) if count_text else 0,
        "tuan_thu_json": len(item["overdue"]),
        "tuan_thu_status": item["status"],
        "finance_json": sorted((o["item"], o["school_year"], o["period"] or "")
                               for o in finance["overdue"]),
        "finance_rows": sorted((r["item"], r["school_year"], r["period"] or "")
                               for r in rows if r["status"] == "overdue" and r["school_year"]
                               in shown and r["category"] in ("Thu, chi tài chính",
                                                             "Ngân sách")),
        "tuan_thu_summary_outdated": tuan_thu["summary"]["outdated"],
        "pending_rows": sorted((r["due"], r["item"], r["period"] or "") for r in rows
                               if r["status"] == "pending" and r["school_year"] in shown),
        "home": [li.get_text(" ", strip=True) for li in home.find_next_sibling("ul")
                 .select("li")] if home else [],
    }


def files_on(today: str) -> dict:
    """The small site's documents published by *today* (a later date would be refused)."""
    return base_files(**({"cong-khai/2026-2027/doi-ngu.md": None} if today < "2026-10-01"
                         else {}))


@pytest.mark.parametrize("today", ["2026-06-29", "2026-06-30", "2026-11-29", "2027-07-15"])
def test_every_page_and_file_counts_the_same_overdue_items(site, today):
    built = site(files_on(today), PORTAL_TODAY=today)
    assert built.ok, built.messages()
    got = page_counts(built)
    overdue = got["json_counts"]["overdue"]
    assert overdue == got["json_rows_overdue"] == got["csv_overdue"] == got["summary_overdue"]
    assert overdue == got["tuan_thu_html"] == got["tuan_thu_text"] == got["tuan_thu_json"]
    assert got["tuan_thu_status"] == ("outdated" if overdue else "ok")
    assert got["finance_json"] == got["finance_rows"]
    assert got["json_counts"]["pending"] == got["summary_pending"] == len(got["pending_rows"])
    # the home page's "Sắp đến hạn": the soonest pending rows of the same index, in order
    soonest = got["pending_rows"][:3]
    assert len(got["home"]) == len(soonest)
    for text, (due, _, _) in zip(got["home"], soonest):
        assert dt.date.fromisoformat(due).strftime("%d/%m/%Y") in text


def test_the_day_a_deadline_passes_an_item_turns_overdue_everywhere(site):
    # CK-15 of 2025–2026 is due "before 30/6/2026": 29/6 is still in time, 30/6 is overdue
    before = page_counts(site(files_on("2026-06-29"), PORTAL_TODAY="2026-06-29"))
    after = page_counts(site(files_on("2026-06-30"), PORTAL_TODAY="2026-06-30"))
    assert after["json_counts"]["overdue"] > before["json_counts"]["overdue"]
    assert after["tuan_thu_json"] - before["tuan_thu_json"] == (
        after["json_counts"]["overdue"] - before["json_counts"]["overdue"])


def test_demo_pages_agree_on_overdue_items(demo):
    got = page_counts(demo)
    overdue = got["json_counts"]["overdue"]
    assert overdue == got["summary_overdue"] == got["tuan_thu_json"] == got["tuan_thu_html"]
    assert overdue == got["json_rows_overdue"] == got["csv_overdue"]
    assert got["tuan_thu_status"] == "outdated" and got["tuan_thu_summary_outdated"] >= 1
    # the two lapses the issue names are on both pages
    compliance = json.loads(demo.read("tuan-thu/index.json"))["items"]
    items = {o["item"] + " " + o["school_year"]
             for o in next(i for i in compliance if i["id"] == "cong-khai")["overdue"]}
    assert {"CK-19 2026-2027", "CK-16 2025-2026"} <= items


# ---------------------------------------------------------------------------- posts as disclosures

def fee_notice(date, **meta):
    return post("Thông báo mức thu học phí", date, "Thông báo", Disclosure="CK-06",
                body="| Khoản thu | Mức thu |\n|---|---|\n| Học phí | 120.000 đồng/tháng |",
                **meta)


def test_a_notice_with_disclosure_credits_its_item(site):
    built = site(base_files(**{
        "thong-bao/hoc-phi.md": fee_notice("2025-04-10 08:00", School_year="2025-2026")}))
    assert built.ok, built.messages()
    row = json_rows(built)[("CK-06", "2025-2026", "")]
    # before enrolment opened (21/4/2025, content/data/disclosure.yml) and before 30/6/2025
    assert (row["status"], row["published"]) == ("on_time", "2025-04-10")
    assert row["url"].endswith("/thong-bao/thong-bao-muc-thu-hoc-phi/")
    tr = html_rows(built, "cong-khai/2025-2026/index.html")[("CK-06", "2025-2026", "")]
    assert tr.select_one("td.docs a")["href"] == "/thong-bao/thong-bao-muc-thu-hoc-phi/"


def test_a_plan_notice_without_school_year_in_spring_is_a_warning(site):
    built = site(base_files(**{"thong-bao/hoc-phi.md": fee_notice("2025-04-10 08:00")}))
    assert built.ok
    found = [p for p in built.problems if p.file == "content/thong-bao/hoc-phi.md"]
    assert [(p.field, p.severity) for p in found] == [("School-year", "warning")]
    assert "2024-2025" in found[0].message and "2025-2026" in found[0].message
    assert json_rows(built)[("CK-06", "2024-2025", "")]["published"] == "2025-04-10"


def test_a_notice_with_an_unknown_item_is_an_error(site):
    built = site(base_files(**{
        "thong-bao/hoc-phi.md": fee_notice("2025-09-10 08:00").replace("CK-06", "CK-66")}))
    assert not built.ok
    found = [p for p in built.problems if p.file == "content/thong-bao/hoc-phi.md"]
    assert [(p.field, p.value) for p in found] == [("Disclosure", "CK-66")]


def test_demo_fee_notice_of_2022_credits_the_fee_item_of_2022_2023(demo):
    row = json_rows(demo)[("CK-06", "2022-2023", "")]
    assert (row["status"], row["published"]) == ("on_time", "2022-09-12")
    assert "/thong-bao/thong-bao-cong-khai-muc-thu-hoc-phi" in row["url"]
    tr = html_rows(demo, "cong-khai/2022-2023/index.html")[("CK-06", "2022-2023", "")]
    assert "Chưa có văn bản" not in tr.get_text()


# ---------------------------------------------------------------------------- school facts change

def dated_school(change: str) -> dict:
    return {"name": "Trường THPT Thử", "type": "Công lập",
            "managing_body": [{"value": "Sở GDĐT B", "from": change},
                              {"value": "Sở GDĐT A", "to": (D.fromisoformat(change)
                                                           - dt.timedelta(days=1)).isoformat()}]}


def info_doc(published: D) -> Document:
    start = dl.school_year_of(published)
    return Document("a.md", "Thông tin chung", f"cong-khai/{start}/a/", ["CK-01", "CK-02", "CK-03"],
                    start, None, published)


@pytest.mark.parametrize("published, status", [
    (D(2025, 7, 15), "on_time"),  # 1/7/2025 (Tuesday) + 10 working days = Tuesday 15/7/2025
    (D(2025, 7, 16), "late"),
    (None, "overdue"),
])
def test_a_dated_change_of_a_school_fact_must_be_published_within_10_working_days(
        catalogue, calendar, published, status):
    docs = [info_doc(published)] if published else []
    index = build_index(catalogue, SCHOOL, {}, calendar, docs, D(2026, 11, 29),
                        school_dated=dated_school("2025-07-01"))
    changes = rows_of(index, changes=True)
    assert set(changes) == {("CK-01", "2024-2025", "2025-07-01"),
                            ("CK-03", "2024-2025", "2025-07-01")}  # managing body: CK-01, CK-03
    row = changes[("CK-01", "2024-2025", "2025-07-01")]
    assert (row["due"], row["status"]) == ("2025-07-15", status)
    assert "cơ quan quản lý trực tiếp" in row["period_label"]
    assert index["counts"]["overdue"] == sum(
        1 for y in index["years"] for r in y["rows"] if r["status"] == "overdue")


def test_a_change_before_tt09_creates_no_update_duty(catalogue, calendar):
    # TT 36/2017 (until 18/7/2024) set no working-day rule: no update row; TT 09/2024 does
    for change, expected in (("2024-07-18", set()), ("2024-07-19", {"CK-01", "CK-03"})):
        index = build_index(catalogue, SCHOOL, {}, calendar, [], D(2026, 11, 29),
                            school_dated=dated_school(change))
        assert {k[0] for k in rows_of(index, changes=True)} == expected, change


def test_demo_update_rows_for_the_change_of_1_july_2025(demo):
    changes = json_rows(demo, changes=True)
    for item in ("CK-01", "CK-02", "CK-03"):
        row = changes[(item, "2024-2025", "2025-07-01")]
        # republished only on 15/6/2026: late, not "đúng hạn"
        assert (row["due"], row["published"], row["status"]) == (
            "2025-07-15", "2026-06-15", "late")
    tr = html_rows(demo, "cong-khai/2024-2025/index.html", changes=True)[
        ("CK-01", "2024-2025", "2025-07-01")]
    assert "Cập nhật do thay đổi ngày 01/07/2025" in tr.get_text(" ")
    assert "Công khai muộn" in tr.get_text(" ")


# ---------------------------------------------------------------------------- next school year

@pytest.mark.parametrize("today, shown", [(D(2026, 12, 31), False), (D(2027, 1, 1), True)])
def test_next_school_year_appears_on_1_january(catalogue, calendar, today, shown):
    index = build_index(catalogue, SCHOOL, {}, calendar, [], today)
    assert ("2027-2028" in index["window"]) is shown


def test_next_years_plans_due_before_30_june_are_overdue_in_july(catalogue, calendar):
    index = build_index(catalogue, SCHOOL, {}, calendar, [], D(2027, 7, 15))
    rows = rows_of(index)
    for item in ("CK-06", "CK-17", "CK-18", "CK-19"):  # «trước 30/6» of the year it starts
        assert (rows[(item, "2027-2028", None)]["due"],
                rows[(item, "2027-2028", None)]["status"]) == ("2027-06-29", "overdue"), item
    assert rows[("CK-13", "2027-2028", None)]["status"] == "pending"
    year = next(y for y in index["years"] if y["id"] == "2027-2028")
    assert year["future"] and year["detailed"] and not year["current"]
    overdue = {(o["item"], o["school_year"]) for o in index["overdue"]}
    assert {("CK-06", "2027-2028"), ("CK-18", "2027-2028")} <= overdue


def test_demo_built_on_15_july_2027_shows_next_years_overdue_rows(tmp_path):
    from conftest import build

    built = build(tmp_path, content=os.path.join(ROOT, "content"), PORTAL_TODAY="2027-07-15")
    assert built.ok, built.messages()
    rows = json_rows(built)
    assert rows[("CK-18", "2027-2028", "")]["status"] == "overdue"
    tr = html_rows(built)[("CK-18", "2027-2028", "")]  # on /cong-khai/ itself, in red
    assert tr["data-status"] == "overdue"
    assert page_counts(built)["tuan_thu_json"] == rows_of_counts(built)


def rows_of_counts(built) -> int:
    return json.loads(built.read("cong-khai/index.json"))["counts"]["overdue"]


# ---------------------------------------------------------------------------- no deadline

def test_an_item_without_deadline_is_published_not_on_time(catalogue, calendar):
    docs = [Document("q.md", "Quy chế chi tiêu nội bộ", "cong-khai/2025-2026/q/", ["CK-22"], 2025,
                     None, D(2026, 1, 15))]
    rows = rows_of(build_index(catalogue, SCHOOL, {}, calendar, docs, D(2026, 11, 29)))
    row = rows[("CK-22", "2025-2026", None)]
    assert (row["status"], row["status_label"], row["due"]) == ("published", "Đã công khai", None)
    assert rows[("CK-22", "2026-2027", None)]["status"] == "not_applicable"  # optional, none yet
    assert dl.status(None, D(2026, 1, 15), D(2026, 11, 29)) == dl.PUBLISHED
    assert dl.status(D(2026, 1, 15), D(2026, 1, 15), D(2026, 11, 29)) == dl.ON_TIME


# ---------------------------------------------------------------------------- repealed forms

@pytest.mark.parametrize("published, warned", [(D(2026, 3, 24), False), (D(2026, 3, 25), True)])
def test_citing_a_repealed_form_is_a_warning_from_the_day_it_ends(catalogue, published, warned):
    text = "<p>Mẫu biểu số 03, Thông tư 61/2017/TT-BTC</p>"
    found = repealed_citations(text, published, catalogue)
    assert bool(found) is warned
    assert repealed_citations("<p>mẫu biểu số 75, Thông tư 26/2026/TT-BTC</p>", published,
                              catalogue) == []


def test_a_2026_report_on_an_old_form_warns_the_editor(site):
    built = site(base_files(**{"cong-khai/2025-2026/quy-1.md": doc(
        "CK-10", date="2026-04-08", Period="2026-M3",
        body="Tình hình thực hiện dự toán (Mẫu biểu số 03, Thông tư 61/2017/TT-BTC).")}))
    assert built.ok  # a warning: the development build goes on, the strict one stops
    found = [p for p in built.problems if p.file == "content/cong-khai/2025-2026/quy-1.md"]
    assert [p.severity for p in found] == ["warning"]
    assert "25/03/2026" in found[0].message and "Thông tư 26/2026/TT-BTC" in found[0].hint


@pytest.mark.parametrize("period, ok, stored", [
    ("2025-Q4", True, "2025-Q4"),  # TT 61/2017: quarters
    ("2026-Q1", True, "2026-M3"),  # the same span as 3 months: the same report
    ("2026-M3", True, "2026-M3"),
    ("2026-Q2", False, None),  # April–June is no period of TT 26/2026
])
def test_a_periods_form_follows_the_law_of_its_end(site, period, ok, stored):
    built = site(base_files(**{"cong-khai/2025-2026/ky.md": doc(
        "CK-10", date="2026-07-05", Period=period)}))
    found = [p for p in built.problems if p.file == "content/cong-khai/2025-2026/ky.md"
             and p.field == "Period"]
    assert (found == []) is ok, built.messages()
    if ok:
        assert json_rows(built)[("CK-10", "2025-2026", stored)]["published"] == "2026-07-05"
    else:
        assert "Thông tư 26/2026/TT-BTC" in found[0].message and "2026-M9" in found[0].hint


def test_catalogue_copy_is_not_modified(catalogue):
    # build_index reads the catalogue only (the module fixture is shared by every test here)
    before = copy.deepcopy(catalogue)
    build_index(catalogue, SCHOOL, {}, dl.Calendar(), [], D(2026, 11, 29))
    assert catalogue == before
