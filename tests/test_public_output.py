"""Working notes stay in the repository (issue 24): confidence tags and "not verified" notes live
in the data, docs/legal.md and the maintainers' report (`cong-truong check --phap-ly`); no page,
feed, search record, JSON, CSV or DOCX of the built demo carries one."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import unicodedata
import zipfile

import pytest
import yaml

from conftest import ROOT
from portal_core.public import (LegalNote, basis_phrase, format_review, public_basis,
                                public_record, working_notes)

# The words of the issue, written here by hand (not imported from the code under test).
NOTES = ("RECALL", "READ-2nd", "SECONDARY", "INFER", "UNVERIFIED", "chưa kiểm chứng",
         "chưa đối chiếu", "theo trí nhớ", "Mức tin cậy", "Kiểm tra lại")
TAG_WORD = re.compile(r"(?<![A-Za-z])(RECALL|READ-2nd|SECONDARY|INFER|UNVERIFIED)(?![A-Za-z])")
# a maintainer's doubt in any case; the labels a note begins with as written (a news post asking
# teachers to "kiểm tra lại" their work is prose)
PHRASE = re.compile("|".join(re.escape(n) for n in NOTES[5:8]), re.IGNORECASE)
LABEL = re.compile("|".join(re.escape(n) for n in NOTES[8:]))
TEXT_TYPES = (".html", ".xml", ".json", ".csv", ".txt", ".yml", ".atom", ".rss")
VENDOR = ("admin/", "pagefind/pagefind")  # third-party code copied as is (Decap CMS, Pagefind)


def found_notes(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text)
    return ([m.group(0) for m in TAG_WORD.finditer(text)]
            + [m.group(0) for m in PHRASE.finditer(text)]
            + [m.group(0) for m in LABEL.finditer(text)])


def output_texts(output: str):
    """(relative path, kind, text) of every file a reader, a feed reader, a search or a
    spreadsheet reads: text files, the DOCX reports' text, the search index's records."""
    for base, _, names in os.walk(output):
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, output).replace(os.sep, "/")
            if rel.startswith(VENDOR) and not rel.endswith(".yml"):
                continue
            if name.endswith(TEXT_TYPES):
                with open(path, encoding="utf-8-sig") as handle:
                    yield rel, os.path.splitext(name)[1], handle.read()
            elif name.endswith(".docx"):
                with zipfile.ZipFile(path) as archive:
                    xml = archive.read("word/document.xml").decode("utf-8")
                yield rel, ".docx", re.sub(r"<[^>]+>", " ", xml)
            elif name.endswith(".pf_fragment"):
                with open(path, "rb") as handle:
                    raw = gzip.decompress(handle.read())
                yield rel, ".pf_fragment", raw[raw.index(b"{"):].decode("utf-8")


def test_no_output_file_of_the_demo_carries_a_working_note(demo):
    kinds, bad = {}, []
    for rel, kind, text in output_texts(demo.output):
        kinds[kind] = kinds.get(kind, 0) + 1
        bad += [(rel, note) for note in found_notes(text)]
    assert bad == []
    # the scan saw every kind of published file (not an empty walk)
    for kind in (".html", ".xml", ".json", ".csv", ".docx", ".pf_fragment", ".yml"):
        assert kinds.get(kind, 0) > 0, kind


def test_the_scan_finds_a_note_where_there_is_one(tmp_path):
    """The scan above can fail: a page, an XLSX-free CSV, a DOCX and a search record each
    holding a working note are all found."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>căn cứ chưa kiểm chứng</p>", "utf-8")
    (tmp_path / "b.csv").write_text("legal_basis\nTT 09/2024 [SECONDARY]\n", "utf-8-sig")
    with zipfile.ZipFile(tmp_path / "c.docx", "w") as archive:
        archive.writestr("word/document.xml", "<w:t>Mức tin cậy: thấp</w:t>")
    fragment = tmp_path / "pagefind" / "fragment"
    fragment.mkdir(parents=True)
    (fragment / "x.pf_fragment").write_bytes(gzip.compress(
        b"pagefind_dcd" + json.dumps({"meta": {"text": "theo trí nhớ"}}, ensure_ascii=False).encode()))
    found = {rel: found_notes(text) for rel, _, text in output_texts(str(tmp_path))}
    assert found == {"a/index.html": ["chưa kiểm chứng"], "b.csv": ["SECONDARY"],
                     "c.docx": ["Mức tin cậy"], "pagefind/fragment/x.pf_fragment": [
                         "theo trí nhớ"]}


# ---------------------------------------------------------------------------- the helper

@pytest.mark.parametrize("text, found", [
    ("TT 09/2024 Điều 8 [SECONDARY]", ["SECONDARY"]),
    ("theo trí nhớ (RECALL), chưa kiểm chứng", ["RECALL", "theo trí nhớ", "chưa kiểm chứng"]),
    (unicodedata.normalize("NFD", "Căn cứ CHƯA KIỂM CHỨNG"), ["CHƯA KIỂM CHỨNG"]),
    ("READ-2nd", ["READ-2nd"]),
    ("INFERENCE, RECALLED, Secondary school", []),  # other words, not the tags
    ("Mức tin cậy: thấp. Kiểm tra lại quy chế", ["Mức tin cậy", "Kiểm tra lại"]),
    ("giáo viên phải kiểm tra lại bài; mức tin cậy của câu trả lời", []),  # prose
    ("Thông tư 26/2026/TT-BTC (áp dụng từ 25/03/2026)", []),
])
def test_working_notes_are_found_in_any_spelling(text, found):
    assert working_notes(text) == found


def test_public_basis_and_record_drop_the_maintainers_fields():
    line = {"ref": "Nghị định 13/2023/NĐ-CP", "confidence": "SECONDARY",
            "note": "hết hiệu lực", "valid_to": __import__("datetime").date(2025, 12, 31)}
    assert public_basis(line, "ref") == {"text": "Nghị định 13/2023/NĐ-CP", "valid_from": None,
                                         "valid_to": "2025-12-31"}
    nested = {"rule": {"value": 24, "basis": "Kế hoạch", "confidence": "thấp"},
              "rows": [{"basis_confidence": "RECALL", "basis_law": "TT"}]}
    assert public_record(nested) == {"rule": {"value": 24, "basis": "Kế hoạch"},
                                     "rows": [{"basis_law": "TT"}]}
    assert basis_phrase("Thông tư 36/2017/TT-BGDĐT", "2018-02-13", "2024-07-18") == (
        "Thông tư 36/2017/TT-BGDĐT (áp dụng từ 13/02/2018 đến hết 18/07/2024)")
    assert basis_phrase("Thông tư 37/2020/TT-BGDĐT") == "Thông tư 37/2020/TT-BGDĐT"


def test_a_working_note_in_a_public_field_of_a_catalogue_is_refused():
    from portal_disclosure import catalogue as dcat
    from portal_sections import catalogue as scat

    with open(os.path.join(ROOT, "plugins", "portal_disclosure", "catalogue.yml"),
              encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data["items"][12]["description"] += " (theo trí nhớ, RECALL)"
    problems = dcat.validate_catalogue(data, "catalogue.yml")
    assert [(p.field, p.severity) for p in problems] == [("items[12].description", "error")]
    assert "theo trí nhớ" in problems[0].message and "note" in problems[0].hint
    _, problems = scat.validate_catalogue({"sections": [{
        "id": "a", "title": "A", "requirement": "mandatory",
        "basis": [{"ref": "Thông tư X (chưa kiểm chứng)", "confidence": "RECALL"}]}]}, "c.yml")
    assert [p.field for p in problems] == ["sections[0] (a).basis[0].ref"]


def test_office_report_publishes_the_basis_without_its_confidence(demo):
    for year in ("2024", "2025"):
        data = json.loads(demo.read(f"bao-cao/truyen-thong/{year}/ban-truyen-thong.json"))
        text = json.dumps(data, ensure_ascii=False)
        assert '"confidence"' not in text and "Kế hoạch truyền thông" in text


# ---------------------------------------------------------------------------- maintainers

def test_maintainers_report_lists_every_unverified_basis():
    result = subprocess.run([sys.executable, "-m", "cong_truong", "-C", ROOT, "check",
                             "--phap-ly"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    unverified = out.split("Chưa kiểm chứng:")[1].split("Đọc qua nguồn thứ cấp")[0]
    # every RECALL / UNVERIFIED line of both catalogues, read here from the YAML
    expected = set()
    for name, key in (("portal_disclosure", "text"), ("portal_sections", "ref")):
        with open(os.path.join(ROOT, "plugins", name, "catalogue.yml"), encoding="utf-8") as h:
            data = yaml.safe_load(h)
        entries = data.get("items") or data.get("sections")
        for entry in entries:
            for version in [entry] + list(entry.get("versions") or []):
                for basis in version.get("basis") or []:
                    if str(basis.get("confidence", "")).split()[0] in ("RECALL", "UNVERIFIED"):
                        expected.add(basis[key])
    assert expected and all(text in unverified for text in expected), expected
    assert "plugins/portal_disclosure/catalogue.yml" in out  # where to correct it
    assert "Chưa đọc được nguyên văn TT 36/2017" in unverified  # the working note itself
    assert int(re.search(r"Chưa kiểm chứng: (\d+)", out).group(1)) == unverified.count("  [")


def test_format_review_puts_unverified_first():
    notes = [LegalNote("a.yml", "x", "Thông tư A", "SECONDARY"),
             LegalNote("a.yml", "y", "Thông tư B", "RECALL", "đọc lại", False, "2024-07-19")]
    text = format_review(notes)
    assert text.index("Thông tư B (áp dụng từ 19/07/2024)") < text.index("Thông tư A")
    assert "đọc lại" in text and "Chưa kiểm chứng: 1" in text
