"""portal_office: units, the incident and feedback registers, press, the complete report."""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import unicodedata

import pytest

from conftest import ROOT, post

from portal_office.units import Unit, hint_for, resolve_unit

UNITS = {
    "cong-doan": Unit("cong-doan", "Công đoàn", "doan-the"),
    "doan-thanh-nien": Unit("doan-thanh-nien", "Đoàn Thanh niên", "doan-the"),
    "to-khtn": Unit("to-khtn", "Tổ Khoa học tự nhiên", "to-chuyen-mon",
                    former_names=(("Tổ Vật lý - Hóa học - Sinh học", None,
                                   dt.date(2024, 8, 31)),)),
}


# --- units: pure -----------------------------------------------------------------------
@pytest.mark.parametrize("value", [
    "Đoàn Thanh niên", "ĐOÀN THANH NIÊN", "doan thanh nien", "doan-thanh-nien",
    unicodedata.normalize("NFD", "Đoàn Thanh niên"), "  Đoàn   Thanh niên ",
])
def test_unit_is_found_by_id_or_name_in_any_case_and_form(value):
    assert resolve_unit(value, UNITS).id == "doan-thanh-nien"


def test_unit_with_wrong_marks_is_refused_with_did_you_mean():
    assert resolve_unit("Đoàn Thanh niền", UNITS) is None
    assert "Có phải ý bạn là: Đoàn Thanh niên" in hint_for("Đoàn Thanh niền", UNITS)


def test_renamed_unit_is_found_by_its_former_name_and_named_by_date():
    unit = resolve_unit("To Vat ly - Hoa hoc - Sinh hoc", UNITS)
    assert unit.id == "to-khtn"
    assert unit.name_on(dt.date(2023, 5, 1)) == "Tổ Vật lý - Hóa học - Sinh học"
    assert unit.name_on(dt.date(2025, 5, 1)) == "Tổ Khoa học tự nhiên"


def titles(soup) -> list[str]:
    return [a.get_text().replace("\xa0", " ") for a in soup.select(".post-list h2 a")]


# --- units: site -----------------------------------------------------------------------
def test_posts_get_their_unit_or_the_default_and_unit_pages_list_them(site):
    built = site({
        "tin-tuc/a.md": post("Công đoàn thăm hỏi", Unit="cong doan"),
        "tin-tuc/b.md": post("Tin của Ban", date="2022-09-06 07:30"),
    })
    assert built.ok, built.messages()
    union = built.soup("don-vi/cong-doan/index.html")
    assert titles(union) == ["Công đoàn thăm hỏi"]
    board = built.soup("don-vi/ban-truyen-thong/index.html")
    assert titles(board) == ["Tin của Ban"]
    index = built.soup("don-vi/index.html").get_text(" ", strip=True)
    assert "Công đoàn" in index and "Tổ Văn phòng" in index


def test_unknown_unit_is_an_error_with_did_you_mean(site):
    built = site({"tin-tuc/a.md": post(Unit="Doan thanh nien x")})
    assert not built.ok
    found = [p for p in built.problems if p.field == "Unit"]
    assert found and found[0].value == "Doan thanh nien x"
    assert "Đoàn Thanh niên" in found[0].hint and found[0].file.endswith("tin-tuc/a.md")
    assert found[0].line == 4  # Title, Date, Category, Unit


def test_sent_to_so_in_the_wrong_form_is_an_error(site):
    built = site({"tin-tuc/a.md": post(Sent_to_So="15/03/2022")})
    assert not built.ok
    assert any(p.field == "Sent-to-So" and p.value == "15/03/2022" for p in built.problems)


# --- registers -------------------------------------------------------------------------
def register(**fields) -> str:
    body = fields.pop("body", "Ghi chú nội bộ.")
    lines = [f"{k.replace('_', '-')}: {v}" for k, v in fields.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


INCIDENT = dict(Title="Tin đồn về khoản thu", Detected="2022-09-08 09:00", Channel="bao-chi",
                Topics="co-so-vat-chat-tai-chinh", Summary="Tóm tắt công khai.",
                First_info="2022-09-08 20:00", First_info_post="/tin-tuc/thong-tin-chinh-thuc/",
                Result="Đã rà soát.", Result_date="2022-09-20", Closed="2022-09-20",
                Severity="cao", Steps="Bước xử lý bí mật XYZSTEP.")
OFFICIAL_POST = post("Thông tin chính thức", date="2022-09-08 20:00")


def fields_of(problems, file_part):
    return {(p.field, p.severity) for p in problems if file_part in p.file}


@pytest.mark.parametrize("change, field", [
    ({"Detected": "08/09/2022 09:00"}, "Detected"),
    ({"First_info": "2022-09-08 08:00"}, "First-info"),  # before detection
    ({"Result_date": "2022-09-01"}, "Result-date"),  # before detection
    ({"Channel": "bao chi giay"}, "Channel"),
    ({"First_info_post": "/tin-tuc/khong-co-bai-nay/"}, "First-info-post"),
    ({"Topics": "chuyen doi sô"}, "Topics"),
])
def test_bad_incident_fields_are_errors_naming_file_field_and_value(site, change, field):
    fields = {**INCIDENT, **change}
    built = site({"tin-tuc/t.md": OFFICIAL_POST, "su-co/a.md": register(**fields)})
    assert not built.ok
    found = [p for p in built.problems if p.file.endswith("su-co/a.md") and p.field == field]
    assert found, built.messages()
    assert found[0].hint and found[0].severity == "error"


def test_date_in_day_first_form_gets_the_iso_suggestion(site):
    built = site({"tin-tuc/t.md": OFFICIAL_POST,
                  "su-co/a.md": register(**{**INCIDENT, "Detected": "08/09/2022 09:00"})})
    found = [p for p in built.problems if p.field == "Detected"]
    assert "2022-09-08 09:00" in found[0].hint and found[0].line == 2


def test_valid_register_builds_and_its_folders_are_not_reported_as_dropped(site):
    built = site({"tin-tuc/t.md": OFFICIAL_POST, "su-co/a.md": register(**INCIDENT),
                  "phan-anh/b.md": register(Title="Hỏi về lịch học", Received="2022-09-01",
                                            Channel="phu-huynh", Topics="chuyen-doi-so",
                                            Answered="2022-09-03", body="Xem thông báo.")})
    assert built.ok, built.messages()
    assert not [p for p in built.problems if "su-co" in p.file or "phan-anh" in p.file]
    page = built.soup("thong-tin-chinh-thuc/index.html")
    link = page.select_one("article li a")
    assert link.get_text().replace("\xa0", " ") == "Thông tin chính thức"
    assert link["href"] == "/tin-tuc/thong-tin-chinh-thuc/"
    assert "XYZSTEP" not in built.read("thong-tin-chinh-thuc/index.html")


def test_open_incident_past_24_hours_without_official_information_is_a_warning(site):
    fields = {k: v for k, v in INCIDENT.items()
              if k in ("Title", "Detected", "Channel", "Topics", "Summary")}
    fields["Detected"] = "2026-11-27 08:00"  # today is 2026-11-29
    built = site({"su-co/a.md": register(**fields)})
    assert built.ok, built.messages()
    warnings = [p for p in built.problems if p.file.endswith("su-co/a.md")]
    assert [(p.field, p.severity) for p in warnings] == [("First-info", "warning")]
    assert "63 giờ" in warnings[0].message and "24 giờ" in warnings[0].message


def test_open_incident_within_its_deadline_is_no_warning(site):
    fields = {k: v for k, v in INCIDENT.items()
              if k in ("Title", "Channel", "Topics", "Summary")}
    built = site({"su-co/a.md": register(Detected="2026-11-29 07:30", **fields)})
    assert built.ok and not [p for p in built.problems if "su-co" in p.file]


def test_feedback_open_past_its_deadline_is_a_warning_with_days(site):
    built = site({"phan-anh/b.md": register(Title="Hỏi", Received="2026-11-01",
                                            Channel="phu-huynh", body="")})
    found = [p for p in built.problems if p.file.endswith("phan-anh/b.md")]
    assert [(p.field, p.severity) for p in found] == [("Answered", "warning")]
    assert "18 ngày" in found[0].message  # 28 days since receipt, 10 allowed


def test_feedback_answered_before_received_is_an_error(site):
    built = site({"phan-anh/b.md": register(Title="Hỏi", Received="2026-11-10",
                                            Answered="2026-11-01", Channel="phu-huynh",
                                            body="Trả lời.")})
    assert not built.ok
    assert ("Answered", "error") in fields_of(built.problems, "phan-anh/b.md")


@pytest.mark.parametrize("secret", ["0912 345 678", "CCCD 036201001234"])
def test_personal_data_in_a_register_field_fails_the_build(site, secret):
    for folder, fields in (("su-co", {**INCIDENT, "Steps": f"Gọi phụ huynh {secret}."}),
                           ("phan-anh", dict(Title="Hỏi", Received="2022-09-01",
                                             Channel="phu-huynh",
                                             Note=f"Người hỏi: {secret}"))):
        built = site({"tin-tuc/t.md": OFFICIAL_POST, f"{folder}/a.md": register(**fields)})
        assert not built.ok, folder
        assert any(p.file.endswith(f"{folder}/a.md") and p.plugin == "portal_safety"
                   and p.severity == "error" for p in built.problems), built.messages()


# --- the demo: public fields only, figures from the files, the Word report ------------
def front_matter(path: str) -> tuple[dict, str]:
    with open(path, encoding="utf-8") as handle:
        head, _, body = handle.read().partition("\n\n")
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = value.strip()
    return fields, body.strip()


INCIDENT_FILES = sorted(glob.glob(os.path.join(ROOT, "content", "su-co", "*.md")))
FEEDBACK_FILES = sorted(glob.glob(os.path.join(ROOT, "content", "phan-anh", "*.md")))


def output_texts(output: str):
    for base, _, files in os.walk(output):
        for name in files:
            path = os.path.join(base, name)
            if name.endswith(".docx"):
                import docx

                document = docx.Document(path)
                text = "\n".join(p.text for p in document.paragraphs)
                text += "\n".join(c.text for t in document.tables for r in t.rows
                                  for c in r.cells)
                yield path, text
                continue
            with open(path, "rb") as handle:
                raw = handle.read()
            try:
                yield path, unicodedata.normalize("NFC", raw.decode("utf-8"))
            except UnicodeDecodeError:
                continue


def test_no_non_public_register_field_reaches_output(demo):
    secrets = []
    for path in INCIDENT_FILES + FEEDBACK_FILES:
        fields, body = front_matter(path)
        secrets += [fields[k] for k in ("steps", "note") if fields.get(k)]
        if "su-co" in path:
            secrets.append(body)  # an incident's text is internal notes
        if fields.get("public", "").lower() == "không":
            secrets.append(fields["title"])
    assert len(secrets) >= 9
    leaks = [(os.path.relpath(path, demo.output), secret[:40])
             for path, text in output_texts(demo.output) for secret in secrets
             if secret in text]
    assert leaks == []


def test_report_response_times_equal_a_recount_from_the_register_files(demo):
    by_year: dict[int, list] = {}
    for path in INCIDENT_FILES:
        fields, _ = front_matter(path)
        detected = dt.datetime.strptime(fields["detected"], "%Y-%m-%d %H:%M")
        first = fields.get("first-info")
        hours = None if not first else round(
            (dt.datetime.strptime(first, "%Y-%m-%d %H:%M") - detected).total_seconds() / 3600, 1)
        by_year.setdefault(detected.year, []).append((fields["title"], hours))
    checked = 0
    for year, expected in by_year.items():
        path = demo.path(f"bao-cao/truyen-thong/{year}/ban-truyen-thong.json")
        if not os.path.exists(path):
            continue  # no plan (and so no report) for that year in this demo
        with open(path, encoding="utf-8") as handle:
            rows = json.load(handle)["incidents"]["rows"]
        assert sorted((r["title"], r["response_hours"]) for r in rows) == sorted(expected)
        summary = json.load(open(path, encoding="utf-8"))["incidents"]["summary"]
        assert summary["late"] == sum(1 for _, h in expected if h is not None and h > 24)
        checked += len(expected)
    assert checked >= 3


def test_feedback_figures_equal_a_recount(demo):
    received = [front_matter(p)[0] for p in FEEDBACK_FILES]
    mine = [f for f in received if f["received"].startswith("2022")]
    with open(demo.path("bao-cao/truyen-thong/2022/ban-truyen-thong.json"),
              encoding="utf-8") as handle:
        figures = json.load(handle)["feedback"]
    assert figures["received"] == len(mine)
    assert figures["answered"] == sum(1 for f in mine if f.get("answered"))


def test_docx_has_every_part_of_the_administrative_layout(demo):
    import docx

    document = docx.Document(demo.path("bao-cao/truyen-thong/2022/bao-cao.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    paragraphs = [p.text for p in document.paragraphs]
    header, national, recipients, signer = cells
    # signed on the demo's date (2026-11-29): the facts in force then (Ninh Bình since 1/7/2025)
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO NINH BÌNH" in header
    assert "TRƯỜNG THPT NGUYỄN TRÃI" in header
    assert re.search(r"Số:\s+/BC-THPTNT", header)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in national
    assert "Độc lập - Tự do - Hạnh phúc" in national
    assert "Ninh Bình, ngày 29 tháng 11 năm 2026" in national
    assert paragraphs[0:2] == ["BÁO CÁO", "Kết quả công tác truyền thông năm 2022"]
    assert any("I. BÀI VIẾT" in p for p in paragraphs)
    assert paragraphs[2].startswith("Căn cứ Kế hoạch số 68/KH-BGDĐT")  # the plan's bases
    assert any(p.startswith("Thực hiện Kế hoạch truyền thông về Giáo dục và Đào tạo năm 2022 "
                            "(số KH-THPTNT/2022)") for p in paragraphs)
    assert any("Tin đồn học sinh lớp 10" in p for p in paragraphs)
    assert recipients.startswith("Nơi nhận:") and "Lưu: VT, BTT" in recipients
    assert "HIỆU TRƯỞNG" in signer and "Trần Minh Khoa" in signer
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_report_page_shows_units_incidents_and_downloads(demo):
    page = demo.soup("bao-cao/truyen-thong/2022/index.html")
    text = page.get_text(" ", strip=True)
    assert "Công đoàn" in text and "95 giờ (chậm)" in text and "20,5 giờ" in text
    links = {a["href"] for a in page.select(".report-downloads a")}
    assert "/bao-cao/truyen-thong/2022/bao-cao.docx" in links
    assert os.path.getsize(demo.path("bao-cao/truyen-thong/2022/index.html")) < 50_000


def test_qa_page_lists_answered_public_feedback_only(demo):
    page = demo.soup("hoi-dap/index.html")
    questions = [s.get_text(strip=True).replace("\xa0", " ")
                 for s in page.select("#hoi-dap-so ~ details summary")]
    titles = {front_matter(p)[0]["title"]: front_matter(p)[0] for p in FEEDBACK_FILES}
    expected = sorted(t for t, f in titles.items()
                      if f.get("answered") and f.get("public", "") != "không")
    assert sorted(questions) == expected


def test_press_page_shows_spokesperson_and_coverage(demo):
    text = demo.soup("bao-chi/index.html").get_text(" ", strip=True)
    assert "Trần Minh Khoa" in text and "0228 3 840 123" in text
    assert "Báo Nam Định (giả định)" in text
    rules = demo.soup("bao-chi/index.html").find("a", string=re.compile("Quy chế phát ngôn"))
    assert rules["href"] == "/van-ban/quy-che-phat-ngon/"


def test_a_register_cannot_declare_consent_to_personal_data(site):
    fields = {**INCIDENT, "Personal_data": "consented", "Consent_by": "Phụ huynh"}
    built = site({"tin-tuc/t.md": OFFICIAL_POST, "su-co/a.md": register(**fields)})
    assert not built.ok
    assert {"Personal-data", "Consent-by"} <= {p.field for p in built.problems
                                               if p.plugin == "portal_office"}


def test_press_releases_have_their_category_feed_and_are_on_the_press_page(demo):
    feed = demo.read("feeds/thong-cao-bao-chi.atom.xml")
    assert "Thông cáo báo chí về tổ chức Kỳ thi tốt nghiệp THPT năm 2022" in feed
    assert "Lễ khai giảng" not in feed  # news posts stay in their own feed
    page = demo.soup("bao-chi/index.html")
    section = page.find(id="thong-cao").parent
    assert section.select("h3 a")[0]["href"].startswith("/thong-cao-bao-chi/")
    with open(demo.path("bao-cao/truyen-thong/2022/ban-truyen-thong.json"),
              encoding="utf-8") as handle:
        assert len(json.load(handle)["press_releases"]) == 1


def test_half_year_report_counts_only_its_months(demo):
    import docx

    with open(demo.path("bao-cao/truyen-thong/2022/ban-truyen-thong-6-thang.json"),
              encoding="utf-8") as handle:
        half = json.load(handle)
    with open(demo.path("bao-cao/truyen-thong/2022/index.json"), encoding="utf-8") as handle:
        topics = json.load(handle)
    first_half = [m for m in topics["months"] if "2022-01" <= m <= "2022-06"]
    assert half["posts"]["total"] == sum(topics["totals"]["posts_by_month"][m]
                                         for m in first_half)
    detected = [front_matter(p)[0]["detected"] for p in INCIDENT_FILES]
    assert half["incidents"]["summary"]["total"] == sum(
        1 for d in detected if "2022-01-01" <= d[:10] <= "2022-06-30")
    document = docx.Document(demo.path("bao-cao/truyen-thong/2022/bao-cao-6-thang.docx"))
    assert "Kết quả công tác truyền thông 6 tháng đầu năm 2022" in [
        p.text for p in document.paragraphs]


def test_year_report_topic_counts_equal_the_coverage_report(demo):
    with open(demo.path("bao-cao/truyen-thong/2022/index.json"), encoding="utf-8") as handle:
        topics = {t["code"]: t["total"] for t in json.load(handle)["topics"]}
    with open(demo.path("bao-cao/truyen-thong/2022/ban-truyen-thong.json"),
              encoding="utf-8") as handle:
        office = json.load(handle)["posts"]
    assert {t["code"]: t["posts"] for t in office["by_topic"]} == topics
    assert sum(u["posts"] for u in office["by_unit"]) == office["total"]


def test_answered_questions_are_in_the_search_index_with_the_qa_page(demo):
    from conftest import index_records

    record = next(r for r in index_records(demo.output) if r["url"] == "/hoi-dap/")
    # the index holds syllable tokens (portal_search); the page's own text is its "text" meta
    text = unicodedata.normalize("NFC", record["meta"]["text"]).replace("\xa0", " ")
    assert "Quên mật khẩu sổ liên lạc điện tử thì làm thế nào?" in text
    assert "Góp ý về cách nhận xét của một giáo viên" not in text  # Public: không


def test_post_outside_its_units_dates_is_an_error_and_renamed_unit_is_named_by_date(site):
    units = ("default: ban-truyen-thong\nunits:\n"
             "  - {id: ban-truyen-thong, name: Ban Truyền thông, kind: ban}\n"
             "  - id: to-khtn\n    name: Tổ Khoa học tự nhiên\n    kind: to-chuyen-mon\n"
             "    former_names: [{name: Tổ Lý - Hóa - Sinh, valid_to: 2022-08-31}]\n"
             "  - {id: clb-bao-chi, name: Câu lạc bộ Báo chí, kind: khac, "
             "valid_from: 2023-09-01}\n")
    built = site({"data/units.yml": units,
                  "tin-tuc/a.md": post("Thí nghiệm", date="2022-03-01", Unit="to-khtn"),
                  "tin-tuc/b.md": post("Báo tường", date="2022-03-02",
                                       Unit="Câu lạc bộ Báo chí")})
    assert not built.ok
    found = [p for p in built.problems if p.field == "Unit"]
    assert [p.file.rsplit("/", 1)[1] for p in found] == ["b.md"]
    assert "2023-09-01" in found[0].hint
    built = site({"data/units.yml": units, "tin-tuc/b.md": None,  # (None: file removed)
                  "tin-tuc/a.md": post("Thí nghiệm", date="2022-03-01", Unit="to-khtn")})
    assert built.ok, built.messages()
    data = json.loads(built.read("bao-cao/truyen-thong/2022/ban-truyen-thong-6-thang.json"))
    assert [u["name"] for u in data["posts"]["by_unit"]] == ["Tổ Lý - Hóa - Sinh"]
    data = json.loads(built.read("bao-cao/truyen-thong/2022/ban-truyen-thong.json"))
    assert [u["name"] for u in data["posts"]["by_unit"]] == ["Tổ Khoa học tự nhiên"]


def test_register_text_is_escaped_on_the_pages(site):
    fields = {**INCIDENT, "Title": "Tin đồn <script>alert(1)</script>",
              "Result": "Đã <img src=x onerror=alert(1)> xử lý"}
    built = site({"tin-tuc/t.md": OFFICIAL_POST, "su-co/a.md": register(**fields)})
    assert built.ok, built.messages()
    html = built.read("thong-tin-chinh-thuc/index.html") + built.read(
        "bao-cao/truyen-thong/2022/index.html")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_a_page_cannot_take_an_address_of_the_office(site):
    from conftest import page

    built = site({"pages/bao-chi.md": page("Báo chí", slug="bao-chi")})
    assert not built.ok
    assert any("portal_office" in p.message + p.hint and "bao-chi" in p.value
               for p in built.problems), built.messages()


def test_report_of_a_year_without_posts_has_no_empty_table(site):
    built = site({"tin-tuc/a.md": post(date="2022-03-01")})
    assert built.ok, built.messages()
    page = built.soup("bao-cao/truyen-thong/2023/index.html")
    office = page.find(id="bao-cao-day-du").parent
    assert not [t for t in office.find_all("table") if not t.select("tbody tr")]
    assert "Chưa có bài viết nào." in office.get_text()


# --- registers: pure ---------------------------------------------------------------------
def rules():
    from portal_office.registers import load_rules

    data = {"channels": [{"id": "mang-xa-hoi", "name": "Mạng xã hội"}],
            "rules": {k: {"value": v, "basis": "Quy định nội bộ", "confidence": "thấp"}
                      for k, v in (("first_info_hours", 24), ("result_days", 30),
                                   ("feedback_days", 10))}}
    found, problems = load_rules(data, "truyen-thong.yml")
    assert problems == []
    return found


@pytest.mark.parametrize("channel", ["Mạng xã hội", "MẠNG XÃ HỘI", "mang xa hoi",
                                     unicodedata.normalize("NFD", "Mạng xã hội"), "mang-xa-hoi"])
def test_channel_by_id_or_name_in_any_form(channel):
    from portal_office.registers import parse_incident

    meta = {"title": "Sự cố", "detected": "2022-04-07 20:30", "channel": channel,
            "first-info": "2022-04-08 17:00", "first-info-post": "https://truong.edu.vn/tin-tuc/a"}
    item, problems = parse_incident(meta, "su-co/a.md", "a", {}, rules(), lambda v: (v, ""))
    assert problems == [] and item.channel == "mang-xa-hoi"
    assert item.response_hours == 20.5 and item.first_info_post == "tin-tuc/a/"


def test_channel_with_wrong_marks_is_refused():
    from portal_office.registers import parse_incident

    meta = {"title": "Sự cố", "detected": "2022-04-07 20:30", "channel": "Mạng xả hội"}
    _, problems = parse_incident(meta, "su-co/a.md", "a", {"channel": 3}, rules(),
                                 lambda v: (v, ""))
    assert [(p.field, p.line) for p in problems] == [("Channel", 3)]
    assert "Mạng xã hội" in problems[0].hint


def test_rule_without_basis_or_confidence_is_refused():
    from portal_office.registers import load_rules

    data = {"channels": [{"id": "bao-chi", "name": "Báo chí"}],
            "rules": {"first_info_hours": {"value": 24},
                      "result_days": {"value": 30, "basis": "b", "confidence": "c"},
                      "feedback_days": {"value": "mười", "basis": "b", "confidence": "c"}}}
    _, problems = load_rules(data, "truyen-thong.yml")
    assert sorted(p.field for p in problems) == ["rules.feedback_days", "rules.first_info_hours"]


def test_docx_is_the_same_file_for_the_same_figures(demo):
    from portal_office.docx_report import render

    with open(demo.path("bao-cao/truyen-thong/2022/ban-truyen-thong.json"),
              encoding="utf-8") as handle:
        data = json.load(handle)
    assert render(data) == render(data)
    with open(demo.path("bao-cao/truyen-thong/2022/bao-cao.docx"), "rb") as handle:
        assert handle.read() == render(data)


def test_csv_has_its_documented_columns_and_parts(demo):
    import csv as csv_module

    with open(demo.path("bao-cao/truyen-thong/2022/ban-truyen-thong.csv"), "rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    rows = list(csv_module.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["Phần", "Mục", "Giá trị"]
    parts = {row[0] for row in rows[1:]}
    assert parts == {"bai-viet", "don-vi", "chu-de-don-vi", "gui-so", "thong-cao", "bao-chi",
                     "su-co", "phan-anh", "tap-huan"}
    hours = sorted(row[2] for row in rows if row[0] == "su-co")
    assert hours == ["20.5", "95.0"]
