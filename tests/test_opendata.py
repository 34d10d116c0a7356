"""portal_opendata: the manifest /du-lieu-mo.json, the schemas, validation in the school's
build, and the province scoring sheets (the school's own score in `cong-truong check`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

from portal_opendata import contract, scoring


def test_the_demo_publishes_a_valid_manifest_of_its_open_data(demo):
    manifest = json.loads(demo.read("du-lieu-mo.json"))
    assert contract.validate("du-lieu-mo", manifest["version"], manifest) == []
    assert manifest["school"]["name"] == "Trường THPT Nguyễn Trãi"
    assert manifest["school"]["province"] == "Ninh Bình"
    kinds = [entry["kind"] for entry in manifest["files"]]
    assert {"cong-khai", "tuan-thu", "hoat-dong", "bao-cao-truyen-thong"} <= set(kinds)
    for entry in manifest["files"]:
        raw = open(demo.path(entry["url"]), "rb").read()
        assert hashlib.sha256(raw).hexdigest() == entry["sha256"] and len(raw) == entry["bytes"]
        assert contract.validate(entry["kind"], entry["schema_version"], json.loads(raw)) == []
    reports = [e for e in manifest["files"] if e["kind"] == "bao-cao-truyen-thong"]
    assert {(e["year"], e["period"]) for e in reports} >= {(2026, ""), (2026, "6-thang")}


def test_disclosure_open_data_carries_the_raw_facts(demo):
    data = json.loads(demo.read("cong-khai/index.json"))
    facts = data["facts"]
    assert facts["school"]["serves_meals"] is False and facts["school"]["type"] == "Công lập"
    assert set(facts["school"]) >= {"level", "covers"}  # what the items' levels are read from
    assert facts["events"]["2024-2025"]["enrolment_start"] == "2024-04-22"
    published = {(r["item"], r["school_year"], r["period"]): r["published"] for r in data["rows"]
                 if r["published"]}
    firsts = {}
    for doc in facts["documents"]:
        for item in doc["items"]:  # a document counts for its year, and for its period
            for key in ((item, doc["school_year"], None), (item, doc["school_year"],
                                                           doc["period"])):
                firsts[key] = min(firsts.get(key, doc["published"]), doc["published"])
    assert published and all(firsts.get(key) == day for key, day in published.items())


def test_activity_file_has_no_internal_or_personal_field(demo):
    data = json.loads(demo.read("du-lieu-mo/hoat-dong.json"))
    assert data["posts"]["by_school_year"]["2025-2026"]["tin-tuc"] > 0
    for incident in data["incidents"]:
        assert set(incident) == {"title", "detected", "first_info", "result_date", "closed",
                                 "url"}
    for item in data["feedback"]:
        assert set(item) == {"received", "answered"}


def test_vietnamese_messages_name_field_and_value():
    data = {"school": "A", "date": "29/11/2026", "items": [
        {"id": "x", "title": "X", "mandatory": "có", "status": "bogus", "sources": [],
         "last_update": None, "update_rule": {"rule": "none"}}]}
    found = {field: (value, message) for field, value, message in
             contract.validate("tuan-thu", 1, data)}
    assert found["date"] == ("29/11/2026", "Không đúng dạng: cần ngày dạng YYYY-MM-DD.")
    assert found["items[0].mandatory"][1] == "Sai kiểu: cần true/false."
    assert found["items[0].status"][0] == "bogus"
    assert "một trong" in found["items[0].status"][1]
    missing = contract.validate("hoat-dong", 1, {"school": "A", "today": "2026-11-29",
                                                 "posts": {"by_school_year": {}, "last": {}},
                                                 "incidents": []})
    assert missing == [("feedback", "", "Thiếu trường bắt buộc «feedback».")]
    unknown = contract.validate("cong-khai", 9, {})
    assert "không được hỗ trợ" in unknown[0][2]
    assert contract.accepts("cong-khai", 1) and not contract.accepts("cong-khai", True)


def test_a_file_that_breaks_the_contract_stops_the_school_build(site, monkeypatch):
    import portal_sections
    import portal_sections.writing as writing

    original = writing.compliance_json

    def broken(rows, today, school):
        data = original(rows, today, school)
        data["items"][0]["status"] = "gần đủ"
        return data

    monkeypatch.setattr(writing, "compliance_json", broken)  # a producer's bug: what it
    monkeypatch.setattr(portal_sections, "compliance_json", broken)  # declares and writes
    built = site({})
    assert built.error is not None
    problems = [p for p in built.problems if p.plugin == "portal_opendata"]
    assert problems, built.messages()
    first = problems[0]
    assert first.file.startswith("tuan-thu/index.json")
    assert first.field == "items[0].status" and first.value == "gần đủ"
    assert "lược đồ «tuan-thu»" in first.message
    assert not os.path.exists(os.path.join(built.output, "du-lieu-mo.json"))


# ---------------------------------------------------------------------------- scoring

def test_shipped_sheets_are_valid_and_the_invented_one_says_so():
    shipped = scoring.sheets()
    assert {"ho-chi-minh", "ninh-binh-mau"} <= set(shipped)
    for path in shipped.values():
        sheet, problems = scoring.load_sheet(path)
        assert problems == [] and sheet is not None
    demo, _ = scoring.load_sheet(shipped["ninh-binh-mau"])
    assert demo["invented"] is True and "tự đặt ra" in demo["note"]
    hcm, _ = scoring.load_sheet(shipped["ho-chi-minh"])
    assert hcm["invented"] is False and sum(c["points"] for c in hcm["criteria"]) == 30
    assert scoring.sheet_for("ninh binh") == shipped["ninh-binh-mau"]  # no diacritics
    assert scoring.sheet_for("HỒ CHÍ MINH") == shipped["ho-chi-minh"]
    assert scoring.sheet_for("Hà Nội") is None


def test_sheet_mistakes_are_named():
    problems = scoring.validate_sheet({"id": "x", "title": "T", "criteria": [
        {"id": "1", "text": "a", "points": 0, "measure": "section"},
        {"id": "1", "text": "", "points": 5, "measure": "đoán"}],
        "thresholds": [{"label": "Tốt"}]}, "x.yml")
    fields = {p[0] for p in problems}
    assert {"criteria[0].points", "criteria[1].id", "criteria[1].text", "criteria[1].measure",
            "thresholds[0]"} <= fields


def _facts(today, news=32, last_news="2026-11-20"):
    return scoring.Facts(
        today=today, url="https://thpt-a.hcm.edu.vn/",
        disclosure_rows=[{"item": "CK-05", "school_year": "2025-2026", "period": None,
                          "status": "overdue"},
                         {"item": "CK-13", "school_year": "2025-2026", "period": None,
                          "status": "on_time"}],
        disclosure_documents=[{"school_year": "2025-2026"}, {"school_year": "2026-2027"}],
        sections=[{"id": "thu-tuc-hanh-chinh", "title": "Thủ tục – Biểu mẫu", "mandatory": False,
                   "status": "missing", "status_label": "Thiếu"},
                  {"id": "lien-he", "title": "Liên hệ", "mandatory": True, "status": "ok"}],
        activity={"posts": {"by_school_year": {"2026-2027": {"tin-tuc": news}},
                            "last": {"tin-tuc": last_news}},
                  "rules": {"first_info_hours": 24, "feedback_days": 10},
                  "incidents": [{"title": "Tin đồn", "detected": "2026-11-01T20:00",
                                 "first_info": "2026-11-03T08:00", "closed": "2026-11-05"}],
                  "feedback": [{"received": "2026-11-01", "answered": None}]},
        reports={2025: "https://thpt-a.hcm.edu.vn/bao-cao/truyen-thong/2025/"})


def test_hcmc_sheet_scores_with_evidence_and_says_what_is_missing():
    sheet, _ = scoring.load_sheet(scoring.sheets()["ho-chi-minh"])
    result = scoring.score(sheet, _facts(dt.date(2026, 11, 29)))
    items = {i["id"]: i for i in result["items"]}
    assert items["3.3"]["got"] == 0 and items["3.3"]["missing"] == \
        "32 trên 40 bài tin tức năm học 2026–2027."
    assert items["3.2"]["got"] == 5  # thpt-a.hcm.edu.vn is in the Sở's system
    assert items["3.4"]["got"] == 5 and "2 văn bản" not in items["3.4"]["evidence"]
    assert items["3.5"]["got"] == 0 and "Thủ tục – Biểu mẫu" in items["3.5"]["missing"]
    assert items["3.6"]["got"] is None  # scored by the Sở by hand
    assert (result["got"], result["auto_max"], result["manual_max"]) == (15, 25, 5)
    assert result["rank"] is None  # the sheet has no thresholds
    with_40 = scoring.score(sheet, _facts(dt.date(2026, 11, 29), news=40))
    assert next(i for i in with_40["items"] if i["id"] == "3.3")["got"] == 5
    lines = scoring.summary_lines(result)
    assert lines[0].startswith("Điểm theo «Tiêu chuẩn đánh giá thi đua nhiệm vụ CNTT")
    assert "15/25 điểm chấm được từ dữ liệu mở (và 5 điểm Sở chấm trực tiếp)" in lines[0]
    assert "  - 3.3. 32 trên 40 bài tin tức năm học 2026–2027. (0/5 điểm)" in lines


def test_invented_sheet_counts_late_answers_and_incidents():
    sheet, _ = scoring.load_sheet(scoring.sheets()["ninh-binh-mau"])
    result = scoring.score(sheet, _facts(dt.date(2026, 11, 29), last_news="2026-09-01"))
    items = {i["id"]: i for i in result["items"]}
    assert items["2"]["got"] == 0 and "89 ngày" in items["2"]["missing"]
    assert items["3"]["got"] == 10  # one of two due items overdue, proportional
    assert "CK-05 (2025–2026)" in items["3"]["missing"]
    assert items["7"]["got"] == 0 and "Tin đồn" in items["7"]["missing"]  # 36 hours > 24
    assert items["8"]["got"] == 0  # received 28 days ago, not answered, rule 10 days
    assert result["rank"] in {"Tốt", "Khá", "Đạt", "Chưa đạt"}
    lines = scoring.summary_lines(result)
    assert "(bộ tiêu chí mẫu, tự đặt ra, không phải văn bản của Sở)" in lines[0]


@pytest.mark.skipif(not os.path.exists(os.path.join(ROOT, "publishconf.py")), reason="demo")
def test_check_prints_the_schools_score(tmp_path):
    done = subprocess.run([sys.executable, "-m", "portal_core.check", "--today", "2026-11-29"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    text = done.stdout + done.stderr
    assert ("Điểm theo «Bộ tiêu chí đánh giá cổng thông tin điện tử trường học» (bộ tiêu chí "
            "mẫu, tự đặt ra, không phải văn bản của Sở)") in text
    assert "trên 40 bài tin tức năm học 2026–2027." in text
    assert "Traceback" not in text
