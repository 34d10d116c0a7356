"""The Sở's dashboard (`cong-truong province`): harvest faults, stale copies, conditional
requests, statuses recomputed at a fixed date, escaping, the province report, scores.

Schools are copies of the demo's open data (the session's demo build), served by one HTTP
server on 127.0.0.1 (bench/province.py ``Portals``), stopped at the end of each test."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "bench"))

import province as bench  # noqa: E402  (bench/province.py)

from cong_truong.province import compute, registry as reg, run  # noqa: E402

TODAY = "2026-11-29"


@pytest.fixture(scope="module")
def demo_files(demo):
    return bench.demo_files(demo.output)


def write(root, key, files, fault=None):
    bench.write_school(os.path.join(root, key), files, fault)


def copy(demo_files, index, name, code, fault=None):
    return bench.school_copy(demo_files, index, name, code, fault)


def registry_file(tmp_path, schools, **harvest):
    data = {"province": "Ninh Bình", "managing_body": "Sở Giáo dục và Đào tạo Ninh Bình",
            "scoring": "ninh-binh-mau",
            "report": {"symbol": "BC-SGDĐT", "signer_title": "Giám đốc",
                       "signer_name": "Nguyễn Văn Mẫu"},
            "harvest": {"concurrency": 4, "timeout": 2, "retries": 1, "backoff": 0.05,
                        "max_bytes": 2_000_000, **harvest},
            "schools": schools}
    path = tmp_path / "registry.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def records(out):
    with open(os.path.join(out, "index.json"), encoding="utf-8") as handle:
        return {s["code"]: s for s in json.load(handle)["schools"]}


def school(code, url, name=None, level="thpt", commune="phường Vạn Xuân"):
    return {"code": code, "name": name or f"Trường THPT {code}", "level": level,
            "commune": commune, "url": url}


# ---------------------------------------------------------------------------- faults

def test_each_fault_is_one_line_and_never_stops_the_dashboard(tmp_path, demo_files, capsys):
    root = str(tmp_path / "www")
    good = copy(demo_files, 0, "Trường THPT Tốt", "A1")
    write(root, "good", good)
    for key in ("slow", "html", "oversize"):
        write(root, key, copy(demo_files, 0, f"Trường {key}", key))
    write(root, "badjson", copy(demo_files, 0, "Trường badjson", "B1"), "badjson")
    write(root, "version", copy(demo_files, 0, "Trường version", "V1", "version"))
    newer = copy(demo_files, 0, "Trường newer", "N1")
    write(root, "newer", newer)  # then one file's schema version unknown to this reader
    manifest = json.load(open(os.path.join(root, "newer", "du-lieu-mo.json"), encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["kind"] == "tuan-thu":
            entry["schema_version"] = 7
    with open(os.path.join(root, "newer", "du-lieu-mo.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False)
    marked = "<script>alert('x')</script><b>Trường</b> «Mẫu»"
    write(root, "markup", copy(demo_files, 0, marked, "M1"))
    behaviour = {"slow": "slow", "html": "html", "oversize": "oversize"}
    with bench.Portals(root, behaviour, slow=2.5) as portals:
        schools = [
            school("A1", portals.url("good")),
            school("U1", f"http://127.0.0.1:{bench.closed_port()}/x/"),
            school("S1", portals.url("slow")),
            school("H1", portals.url("html")),
            school("B1", portals.url("badjson")),
            school("V1", portals.url("version")),
            school("N1", portals.url("newer")),
            school("O1", portals.url("oversize")),
            school("M1", portals.url("markup"), name=marked),
            school("A1", portals.url("good"), name="Trường trùng mã"),
            school("L1", "htp//khong-phai-dia-chi"),
        ]
        path = registry_file(tmp_path, schools, timeout=1, retries=0)
        out = str(tmp_path / "out")
        assert run(path, out, TODAY, cache=str(tmp_path / "cache"), quiet=True) == 0
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    found = records(out)
    assert set(found) == {"A1", "U1", "S1", "H1", "B1", "V1", "N1", "O1", "M1", "L1"}
    expected = {
        "A1": ("ok", None), "U1": ("unreachable", "Không kết nối được"),
        "S1": ("unreachable", "Quá thời gian chờ"), "H1": ("invalid", "trang HTML"),
        "B1": ("invalid", "JSON không hợp lệ"), "V1": ("invalid", "phiên bản 99"),
        "N1": ("invalid", "«tuan-thu» phiên bản 7"), "O1": ("invalid", "Tệp quá lớn"),
        "M1": ("ok", "thẻ HTML hoặc mã script"), "L1": ("unreachable", "không hợp lệ"),
    }
    for code, (status, words) in expected.items():
        assert found[code]["harvest"] == status, (code, found[code])
        if words is None:
            assert found[code]["faults"] == []
        else:
            lines = [line for line in found[code]["faults"] if words in line]
            assert len(lines) >= 1, (code, found[code]["faults"])
            assert all("\n" not in line for line in found[code]["faults"])
    index = json.load(open(os.path.join(out, "index.json"), encoding="utf-8"))
    assert any("bị trùng" in line and "A1" in line for line in index["registry_faults"])
    # every fault is on the harvest page and in the text report, one line each
    harvest_page = BeautifulSoup(open(os.path.join(out, "thu-thap", "index.html"),
                                      encoding="utf-8").read(), "html.parser").get_text(" ")
    text = open(os.path.join(out, "thu-thap", "bao-cao-thu-thap.txt"), encoding="utf-8").read()
    for code, (status, words) in expected.items():
        if words:
            assert words in harvest_page and words in text, code
    assert "bị trùng" in harvest_page


def test_markup_in_a_name_is_text_everywhere(tmp_path, demo_files):
    root = str(tmp_path / "www")
    marked = "<script>alert(1)</script><img src=x onerror=alert(2)> Trường «A&B»"
    data = copy(demo_files, 0, marked, "M1")
    data["cong-khai/index.json"]["facts"]["documents"][0]["title"] = "<b>đậm</b><script>x</script>"
    write(root, "m", data)
    with bench.Portals(root) as portals:
        path = registry_file(tmp_path, [school("M1", portals.url("m"), name=marked,
                                               commune="<i>xã</i> Ý Yên")])
        out = str(tmp_path / "out")
        assert run(path, out, TODAY, cache=str(tmp_path / "cache"), quiet=True) == 0
    for base, _, names in os.walk(out):
        for name in names:
            if name.endswith(".html"):
                soup = BeautifulSoup(open(os.path.join(base, name), encoding="utf-8").read(),
                                     "html.parser")
                assert soup.find_all("script") == [], name
                assert soup.find_all("img") == [], name
                assert not soup.find_all("i"), name
    page = BeautifulSoup(open(os.path.join(out, records(out)["M1"]["page"], "index.html"),
                              encoding="utf-8").read(), "html.parser")
    assert page.h1.get_text() == marked


def test_a_failed_harvest_keeps_the_last_good_copy_marked_stale(tmp_path, demo_files):
    root = str(tmp_path / "www")
    write(root, "s", copy(demo_files, 1, "Trường THPT Một", "S1"))
    cache, out = str(tmp_path / "cache"), str(tmp_path / "out")
    with bench.Portals(root) as portals:
        path = registry_file(tmp_path, [school("S1", portals.url("s"))])
        assert run(path, out, TODAY, cache=cache, quiet=True) == 0
        first = records(out)["S1"]
        assert first["harvest"] == "ok" and first["fetched_at"]
        portals.behaviour["s"] = "html"
        assert run(path, out, TODAY, cache=cache, quiet=True) == 0
    second = records(out)["S1"]
    assert second["harvest"] == "stale"
    assert second["fetched_at"] == first["fetched_at"]
    assert second["overdue_by_school_year"] == first["overdue_by_school_year"] != {}
    assert any("trang HTML" in line for line in second["faults"])
    page = open(os.path.join(out, second["page"], "index.html"), encoding="utf-8").read()
    assert "bản thu thập tốt gần nhất" in page


def test_an_unchanged_school_costs_one_request(tmp_path, demo_files):
    root = str(tmp_path / "www")
    for key in ("a", "b", "c"):
        write(root, key, copy(demo_files, 0, f"Trường {key}", key))
    cache, out = str(tmp_path / "cache"), str(tmp_path / "out")
    with bench.Portals(root) as portals:
        path = registry_file(tmp_path, [school(k, portals.url(k)) for k in ("a", "b", "c")])
        assert run(path, out, TODAY, cache=cache, quiet=True) == 0
        assert portals.requests > 3 * 4  # manifest and its files
        portals.requests = 0
        assert run(path, out, TODAY, cache=cache, quiet=True) == 0
        assert portals.requests == 3  # one conditional request each (304)
        # school b publishes one changed file: its manifest and that file only
        changed = copy(demo_files, 0, "Trường b", "b")
        changed["du-lieu-mo/hoat-dong.json"]["posts"]["by_school_year"]["2026-2027"][
            "tin-tuc"] = 40
        write(root, "b", changed)
        portals.requests = 0
        assert run(path, out, TODAY, cache=cache, quiet=True) == 0
        assert portals.requests == 3 + 1
    assert all(r["harvest"] == "ok" for r in records(out).values())


# ---------------------------------------------------------------------------- recomputation

def test_a_claimed_on_time_without_publication_is_overdue(tmp_path, demo_files):
    root = str(tmp_path / "www")
    write(root, "liar", copy(demo_files, 2, "Trường THPT Khai", "K1", "liar"))
    write(root, "honest", copy(demo_files, 2, "Trường THPT Thật", "T1"))
    with bench.Portals(root) as portals:
        path = registry_file(tmp_path, [school("K1", portals.url("liar")),
                                        school("T1", portals.url("honest"))])
        out = str(tmp_path / "out")
        assert run(path, out, TODAY, cache=str(tmp_path / "cache"), quiet=True) == 0
    found = records(out)
    claimed = json.load(open(os.path.join(root, "liar", "cong-khai", "index.json"),
                             encoding="utf-8"))
    row = next(r for r in claimed["rows"] if r["item"] == "CK-13"
               and r["school_year"] == "2025-2026")
    assert row["status"] == "on_time" and row["published"] is None  # the claim
    liar, honest = found["K1"]["overdue_by_school_year"], found["T1"]["overdue_by_school_year"]
    assert liar["2025-2026"] == honest["2025-2026"] + 1
    page = open(os.path.join(out, found["K1"]["page"], "index.html"), encoding="utf-8").read()
    assert "trường ghi «đã công khai đúng hạn», tính lại là «quá hạn»" in page


def _demo_ck(demo_files):
    return json.loads(json.dumps(demo_files["cong-khai/index.json"]))


def test_statuses_are_recomputed_at_the_dashboards_date(demo_files):
    data = _demo_ck(demo_files)
    data["facts"]["documents"] = [d for d in data["facts"]["documents"]
                                  if not ("CK-13" in d["items"] and d["school_year"] == "2025-2026")]
    for row in data["rows"]:
        row["status"] = "on_time"  # whatever the school claims, it is not read
    key = ("CK-13", "2025-2026", None)

    def status_on(day):
        rows, problems = compute.recompute_disclosure(data, day)
        assert problems == []
        return {(r["item"], r["school_year"], r["period"]): r for r in rows}[key]

    # TT 09/2024 Điều 15: before 30 June of the school year's last year (the 29th is the last day)
    assert status_on(dt.date(2026, 6, 29))["status"] == "pending"
    late = status_on(dt.date(2026, 6, 30))
    assert late["status"] == "overdue" and late["due"] == "2026-06-29"
    # a row judged by the law in force on its reference day: before TT 09/2024, not judged
    rows, _ = compute.recompute_disclosure(data, dt.date(2024, 3, 1))
    old = [r for r in rows if r["school_year"] == "2022-2023" and r["item"] == "CK-13"]
    assert old and old[0]["status"] == "not_judged"


def test_sections_are_recomputed_at_the_dashboards_date(demo_files):
    data = json.loads(json.dumps(demo_files["tuan-thu/index.json"]))
    news = next(i for i in data["items"] if i["id"] == "tin-tuc")
    assert news["update_rule"]["rule"] == "max_age"
    days = news["update_rule"]["days"]
    last = dt.date.fromisoformat(news["last_update"])
    on = {s["id"]: s for s in compute.recompute_sections(data, last + dt.timedelta(days=days))}
    assert on["tin-tuc"]["status"] == "ok"
    later = {s["id"]: s for s in compute.recompute_sections(
        data, last + dt.timedelta(days=days + 1))}
    assert later["tin-tuc"]["status"] == "outdated" and later["tin-tuc"]["claimed"] == "ok"


# ---------------------------------------------------------------------------- the site

@pytest.fixture(scope="module")
def dashboard(tmp_path_factory, demo_files):
    tmp = tmp_path_factory.mktemp("dashboard")
    root = str(tmp / "www")
    communes = ["phường Vạn Xuân", "xã Kim Sơn", "phường Hoa Lư"]
    entries = []
    with bench.Portals(root) as portals:
        for index in range(6):
            key = f"t{index}"
            data = copy(demo_files, index, f"Trường số {index}", key)
            if index == 4:  # no report for the year
                data["du-lieu-mo.json"]["files"] = [
                    e for e in data["du-lieu-mo.json"]["files"]
                    if not (e["kind"] == "bao-cao-truyen-thong" and e.get("year") == 2026)]
            write(root, key, data)
            entries.append(school(key, portals.url(key), name=f"Trường số {index}",
                                  level="thpt" if index % 2 else "thcs",
                                  commune=communes[index % 3]))
        path = registry_file(tmp, entries)
        out = str(tmp / "out")
        assert run(path, out, TODAY, cache=str(tmp / "cache"), quiet=True) == 0
    return out


def test_every_school_has_a_record_a_page_and_a_score_with_evidence(dashboard):
    found = records(dashboard)
    assert len(found) == 6
    for code, record in found.items():
        assert record["harvest"] == "ok" and record["fetched_at"]
        assert set(record["overdue_by_school_year"]) >= {"2025-2026", "2026-2027"}
        score = record["score"]
        assert score and score["of"] > 0 and score["items"]
        for item in score["items"]:
            assert item["evidence"], item
        page = BeautifulSoup(open(os.path.join(dashboard, record["page"], "index.html"),
                                  encoding="utf-8").read(), "html.parser")
        assert page.h1.get_text() == record["name"]
        assert "Điểm theo bộ tiêu chí" in page.get_text()
    # the demo province's sheet is invented and says so
    sheet_page = open(os.path.join(dashboard, "tieu-chi", "index.html"), encoding="utf-8").read()
    assert "tự đặt ra" in sheet_page
    news = next(i for i in found["t1"]["score"]["items"] if i["id"] == "1")
    # copies carry 5 + index % 45 news items this school year (bench.school_copy)
    assert news["missing"] == "6 trên 40 bài tin tức năm học 2026–2027."


def test_filters_without_javascript_and_csv_json_of_every_table(dashboard):
    home = BeautifulSoup(open(os.path.join(dashboard, "index.html"), encoding="utf-8").read(),
                         "html.parser")
    assert home.find_all("script") == []
    links = [a["href"] for a in home.select("nav.province-filters a")]
    assert "cap/thpt/" in links and "cap/thcs/" in links
    assert "xa/xa-kim-son/" in links
    for folder in ("", "cap/thpt/", "xa/xa-kim-son/"):
        page = BeautifulSoup(open(os.path.join(dashboard, folder, "index.html"),
                                  encoding="utf-8").read(), "html.parser")
        tables = page.select("section[aria-labelledby^=bang-]")
        assert len(tables) >= 9
        for section in tables:
            name = section["aria-labelledby"].removeprefix("bang-")
            rows = json.load(open(os.path.join(dashboard, folder, f"{name}.json"),
                                  encoding="utf-8"))["rows"]
            raw = open(os.path.join(dashboard, folder, f"{name}.csv"), "rb").read()
            assert raw.startswith(b"\xef\xbb\xbf")
            assert raw.decode("utf-8-sig").count("\r\n") == len(rows) + 1
    thpt = json.load(open(os.path.join(dashboard, "cap", "thpt", "truong.json"),
                          encoding="utf-8"))["rows"]
    assert {r["code"] for r in thpt} == {"t1", "t3", "t5"}


def test_province_report_docx_has_the_decree_parts(dashboard):
    from docx import Document

    doc = Document(os.path.join(dashboard, "bao-cao", "tong-hop-2026.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    for part in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "SỞ GIÁO DỤC VÀ ĐÀO TẠO NINH BÌNH", "Số:      /BC-SGDĐT",
                 "Ninh Bình, ngày 29 tháng 11 năm 2026", "Nơi nhận:", "GIÁM ĐỐC",
                 "Nguyễn Văn Mẫu"):
        assert part in cells, part
    assert "BÁO CÁO" in text
    assert "Tổng hợp kết quả công tác truyền thông năm 2026 của các trường" in text
    assert "I. TÌNH HÌNH BÁO CÁO CỦA CÁC TRƯỜNG" in text
    assert "Số trường đã có báo cáo: 5/6." in text
    assert "Trường số 4 (t4" in text  # the school that sent no report
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.left_margin.mm)) == (210, 30)
    csv_text = open(os.path.join(dashboard, "bao-cao", "tong-hop-2026.csv"),
                    encoding="utf-8-sig").read()
    assert "chua-bao-cao,t4 Trường số 4" in csv_text


# ---------------------------------------------------------------------------- registry

def test_registry_faults_are_vietnamese_lines():
    registry, errors = reg.parse({"schools": [
        {"code": "1", "name": "A", "level": "THPT", "commune": "xã A", "url": "https://a.edu.vn"},
        {"code": "1", "name": "B", "level": "thpt", "commune": "xã A", "url": "https://b.edu.vn"},
        {"name": "C", "url": "https://c.edu.vn"},
        {"code": "2", "name": "D", "level": "cap 9", "commune": "", "url": "javascript:alert(1)"},
        "không phải một trường",
    ], "harvest": {"concurrency": "nhiều"}})
    assert errors == []
    assert [s.code for s in registry.schools] == ["1", "2"]
    assert registry.schools[0].url == "https://a.edu.vn/" and registry.schools[0].level == "thpt"
    lines = [line for _, line in registry.faults]
    assert any("bị trùng" in line for line in lines)
    assert any("thiếu mã trường" in line for line in lines)
    assert any("không phải một trường" in line for line in lines)
    assert any("harvest.concurrency" in line for line in lines)
    d = registry.schools[1]
    assert d.url == "" and any("Địa chỉ cổng không hợp lệ" in f for f in d.faults)
    assert any("Cấp học không rõ" in f for f in d.faults) and d.level == reg.UNKNOWN_LEVEL
    assert reg.level_id("Trung học phổ thông") == "thpt" and reg.level_id("MẦM NON") == "mam-non"
    assert reg.level_id("tieu hoc") == "tieu-hoc"


def test_an_unreadable_registry_is_one_line_and_exit_1(tmp_path, capsys):
    path = tmp_path / "registry.yml"
    path.write_text("schools: [\n  {code: 1\n", encoding="utf-8")
    assert run(str(path), str(tmp_path / "out"), TODAY, quiet=True) == 1
    err = capsys.readouterr().err
    assert "không phải YAML hợp lệ" in err and "Traceback" not in err


def test_a_folder_that_is_not_a_dashboard_is_never_emptied(tmp_path, capsys):
    path = registry_file(tmp_path, [school("A", "https://a.edu.vn/")])
    out = tmp_path / "tai-lieu"
    out.mkdir()
    (out / "quan-trong.docx").write_bytes(b"x")
    assert run(path, str(out), TODAY, cache=str(tmp_path / "cache"), quiet=True) == 1
    assert (out / "quan-trong.docx").exists()
    assert "không ghi đè" in capsys.readouterr().err
