"""Attachments (issue 12, item 4): allowed types as data, content against extension, macros,
size limits. Unit tables over portal_safety.files, then builds of a tiny site."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from conftest import post

from portal_core.problems import ERROR, WARNING
from portal_safety import files

TYPES = files.load_types()
LIMITS = files.Limits()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole_bytes(entries) -> bytes:
    """A minimal OLE2 compound file (Office 97-2003 container) whose root holds *entries*
    [(name, "storage" | "stream")], all empty: enough for the listing the check reads."""
    header = bytearray(512)
    header[0:8] = files.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, END, 0, END, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, FREE)
    fat = struct.pack("<II", FATSECT, END) + struct.pack("<I", FREE) * 126

    def entry(name, kind, right=NOSTREAM, child=NOSTREAM):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        data = bytearray(128)
        data[0:len(raw)] = raw
        struct.pack_into("<HBB", data, 64, len(raw), kind, 1)
        struct.pack_into("<III", data, 68, NOSTREAM, right, child)
        struct.pack_into("<II", data, 116, END, 0)
        return bytes(data)

    kinds = {"storage": 1, "stream": 2}
    items = [entry("Root Entry", 5, child=1 if entries else NOSTREAM)]
    for index, (name, kind) in enumerate(entries, start=1):
        items.append(entry(name, kinds[kind],
                           right=index + 1 if index < len(entries) else NOSTREAM))
    directory = b"".join(items)
    directory += b"\x00" * (-len(directory) % 512)
    return bytes(header) + fat + directory


def zip_bytes(parts: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def content_types(*overrides: str) -> str:
    items = "".join(f'<Override PartName="/p{i}" ContentType="{c}"/>'
                    for i, c in enumerate(overrides))
    return ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types">{items}</Types>')


DOCX = zip_bytes({"[Content_Types].xml": content_types(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "word/document.xml": "<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": content_types(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "xl/workbook.xml": "<workbook/>"})
DOCX_VBA = zip_bytes({"[Content_Types].xml": content_types(), "word/document.xml": "<x/>",
                      "word/vbaProject.bin": b"\x00" * 10})
DOCX_MACRO_TYPE = zip_bytes({"[Content_Types].xml": content_types(
    "application/vnd.ms-word.document.macroEnabled.main+xml"), "word/document.xml": "<x/>"})
ODT = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text",
                 "content.xml": "<office:document-content/>"})
ODT_BASIC = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text",
                       "content.xml": "<x/>", "Basic/Standard/Module1.xml": "<x/>"})
DOC = ole_bytes([("WordDocument", "stream"), ("1Table", "stream")])
DOC_MACROS = ole_bytes([("WordDocument", "stream"), ("Macros", "storage")])
XLS_VBA = ole_bytes([("Workbook", "stream"), ("_VBA_PROJECT_CUR", "storage")])
HTML = b"<!DOCTYPE html><html><script>fetch('/')</script></html>"


def check(tmp_path, name, data, limits=LIMITS):
    path = tmp_path / name
    path.write_bytes(data)
    return files.check_file(str(path), TYPES, limits)


@pytest.mark.parametrize("name, data", [
    ("a.pdf", PDF), ("a.docx", DOCX), ("a.xlsx", XLSX), ("a.odt", ODT), ("a.doc", DOC),
    ("a.xls", ole_bytes([("Workbook", "stream")])), ("a.zip", zip_bytes({"a.txt": "x"})),
    ("a.csv", "Lớp;Sĩ số\n10A1;45\n".encode()), ("a.csv", "Đoàn;Ná\n".encode("cp1258")),
    ("a.csv", "Lớp;Sĩ số\n".encode("utf-16")), ("A.PDF", PDF),
    ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
])
def test_good_attachments_pass(tmp_path, name, data):
    assert check(tmp_path, name, data) == []


@pytest.mark.parametrize("name, data, expected", [
    ("bao-cao.pdf", HTML, "trang HTML"),
    ("bao-cao.pdf", b"\xef\xbb\xbf  \n<html><body>x</body></html>", "trang HTML"),
    ("bao-cao.pdf", "<!doctype html>".encode("utf-16"), "trang HTML"),
    ("bao-cao.pdf", b"<html>" + PDF, "trang HTML"),
    ("bao-cao.pdf", DOCX, "tệp nén ZIP"),
    ("bao-cao.docx", PDF, "tệp PDF"),
    ("bao-cao.docx", XLSX, "tệp .xlsx"),
    ("bao-cao.xlsx", zip_bytes({"a.txt": "x"}), "tệp nén ZIP"),
    ("bao-cao.doc", b"MZ\x90\x00" + b"\x00" * 60, "chương trình chạy được"),
    ("bao-cao.xls", DOC, "tệp .doc"),
    ("bao-cao.odt", zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
     "spreadsheet"),
    ("so-lieu.csv", HTML, "trang HTML"),
    ("so-lieu.csv", b"Lop;Si so\n10A1;45\n<SCRIPT>alert(1)</SCRIPT>\n", "trang HTML"),
    ("so-lieu.csv", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "XML"),
    ("anh.jpg", HTML, "trang HTML"),
    ("nen.zip", PDF, "tệp PDF"),
    ("rong.pdf", b"", "tệp rỗng"),
])
def test_content_must_match_the_extension(tmp_path, name, data, expected):
    found = check(tmp_path, name, data)
    assert [f.severity for f in found] == [ERROR], found
    assert expected in found[0].message and "nhưng nội dung là" in found[0].message
    assert found[0].hint


@pytest.mark.parametrize("name, data", [
    ("ke-hoach.docm", DOCX), ("du-toan.xlsm", XLSX), ("trinh-chieu.pptm", b"PK\x03\x04"),
    ("ke-hoach.docx", DOCX_VBA), ("ke-hoach.docx", DOCX_MACRO_TYPE), ("ke-hoach.odt", ODT_BASIC),
    ("ke-hoach.doc", DOC_MACROS), ("du-toan.xls", XLS_VBA),
])
def test_office_files_with_macros_are_refused(tmp_path, name, data):
    found = check(tmp_path, name, data)
    assert [f.severity for f in found] == [ERROR]
    assert "macro" in found[0].message


@pytest.mark.parametrize("name", ["trang.html", "trang.htm", "a.exe", "a.js", "a.xhtml", "a",
                                  ".env", "a.php", "a.bat"])
def test_types_not_in_the_list_are_refused(tmp_path, name):
    found = check(tmp_path, name, b"x")
    assert [f.severity for f in found] == [ERROR] and "không được phép" in found[0].message
    assert "pdf" in found[0].hint


def test_size_limits(tmp_path):
    limits = files.Limits(warn_bytes=1000, max_bytes=5000)
    assert check(tmp_path, "a.pdf", PDF + b"0" * 500, limits) == []
    warned = check(tmp_path, "a.pdf", PDF + b"0" * 2000, limits)
    assert [f.severity for f in warned] == [WARNING]
    refused = check(tmp_path, "a.pdf", PDF + b"0" * 6000, limits)
    assert [f.severity for f in refused] == [ERROR] and "GitHub Pages" in refused[0].message


def test_office_container_with_too_many_parts_is_refused_without_listing_them(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_ENTRIES", 3)
    many = zip_bytes({"[Content_Types].xml": content_types(), "word/a.xml": "<x/>",
                      "word/b.xml": "<x/>", "word/c.xml": "<x/>"})
    assert files.zip_entry_count(_write(tmp_path, many)) == 4
    found = check(tmp_path, "a.docx", many)
    assert [f.severity for f in found] == [ERROR] and "bất thường" in found[0].message


def _write(tmp_path, data):
    path = tmp_path / "z.zip"
    path.write_bytes(data)
    return str(path)


def test_default_limits_are_20_and_95_mb():
    assert files.Limits().warn_bytes == 20 * 1024 * 1024
    assert files.Limits().max_bytes == 95 * 1024 * 1024
    assert files.human_size(120 * 1024 * 1024) == "120 MB"


# --- builds --------------------------------------------------------------------------------

def safety(built, severity=None):
    return [p for p in built.problems if p.plugin == "portal_safety"
            and (severity is None or p.severity == severity)]


@pytest.mark.parametrize("rel, data, expected", [
    ("cong-khai/2025-2026/bao-cao.pdf", HTML, "trang HTML"),
    ("files/ke-hoach.docm", DOCX, "macro"),
    ("files/du-toan.xlsx", zip_bytes({"[Content_Types].xml": content_types(),
                                      "xl/workbook.xml": "<x/>", "xl/vbaProject.bin": b"0"}),
     "macro"),
    ("files/don.doc", DOC_MACROS, "macro"),
    ("files/trang.html", HTML, "không được phép"),
    ("images/logo.gif", HTML, "trang HTML"),
])
def test_build_refuses_the_file_and_does_not_publish_it(site, rel, data, expected):
    built = site({rel: data, "files/ok.pdf": PDF, "tin-tuc/a.md": post()})
    assert not built.ok
    errors = [p for p in safety(built, ERROR) if p.file == f"content/{rel}"]
    assert len(errors) == 1 and expected in errors[0].message, built.messages()
    assert not built.exists(rel)


def test_build_warns_over_the_warning_size_and_refuses_over_the_maximum(site):
    built = site({"files/lon.pdf": PDF + b"0" * 3000, "files/ok.pdf": PDF,
                  "tin-tuc/a.md": post()},
                 PORTAL_ATTACHMENT_WARN_BYTES=1000, PORTAL_ATTACHMENT_MAX_BYTES=100_000)
    assert built.ok, built.messages()
    warned = safety(built, WARNING)
    assert [p.file for p in warned] == ["content/files/lon.pdf"]
    assert built.exists("files/lon.pdf") and built.exists("files/ok.pdf")
    built = site({"files/lon.pdf": PDF + b"0" * 3000, "tin-tuc/a.md": post()},
                 PORTAL_ATTACHMENT_WARN_BYTES=1000, PORTAL_ATTACHMENT_MAX_BYTES=2000)
    assert not built.ok
    assert [p.file for p in safety(built, ERROR)] == ["content/files/lon.pdf"]


def test_hidden_and_system_files_are_not_published(site):
    built = site({"files/.env": "TOKEN=SECRET-46", "files/.git/config": "[core]",
                  "images/Thumbs.db": b"\xd0\xcf\x11\xe0", "images/.anh.jpg": b"\xff\xd8\xff",
                  "files/ok.pdf": PDF, "tin-tuc/a.md": post()})
    assert built.ok, built.messages()
    warned = {p.file for p in safety(built, WARNING) if "Tệp ẩn" in p.message}
    assert warned == {"content/files/.env", "content/files/.git/config",
                      "content/images/Thumbs.db", "content/images/.anh.jpg"}
    for rel in ("files/.env", "files/.git/config", "images/Thumbs.db", "images/.anh.jpg"):
        assert not built.exists(rel)
    assert built.exists("files/ok.pdf")
