"""Uploaded files: which may be published, and is their content what their name says.

Pure functions over paths and bytes; no Pelican (the build glue is uploads.py). Used for every
static file Pelican would copy from content/ (attachments, images outside the photo pipeline,
drawings):

- `symlinks(root)`: every symbolic link under a folder (never followed);
- `check_file(path, types, limits)`: the type must be allowed (attachments.yml), the content
  must match the extension (magic bytes; Office and OpenDocument containers opened and their
  parts listed), Office files must carry no macros, the size must be within limits.

Each finding is a `Finding(severity, message, hint, value)` in Vietnamese, for the editor.
"""

from __future__ import annotations

import dataclasses
import os
import zipfile

import yaml

from portal_core.problems import ERROR, WARNING

TYPES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "attachments.yml")
MIB = 1024 * 1024
HEAD_BYTES = 64 * 1024  # what is read to recognise a file
MAX_PART_BYTES = 2 * MIB  # largest [Content_Types].xml / mimetype read from a container
MAX_ZIP_ENTRIES = 20_000  # parts of an Office/OpenDocument file listed, at most (memory)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_STORAGES = {"_vba_project_cur", "vba", "macros", "_vba_project", "projectwm"}
KIND_LABELS = {
    "pdf": "tệp PDF", "ole": "tệp Office cũ (DOC/XLS/PPT)", "zip": "tệp nén ZIP",
    "jpeg": "ảnh JPEG", "png": "ảnh PNG", "gif": "ảnh GIF", "webp": "ảnh WebP",
    "html": "trang HTML (có thể chứa mã chạy trên trình duyệt)", "xml": "tệp XML/SVG",
    "text": "văn bản thuần", "empty": "tệp rỗng", "unknown": "dữ liệu không rõ loại",
    "exe": "chương trình chạy được (EXE)", "elf": "chương trình chạy được (ELF)",
    "rtf": "tệp RTF", "gzip": "tệp nén GZIP", "rar": "tệp nén RAR", "7z": "tệp nén 7z",
    "bmp": "ảnh BMP", "tiff": "ảnh TIFF", "heic": "ảnh HEIC",
}


@dataclasses.dataclass(frozen=True)
class Finding:
    severity: str
    message: str
    hint: str
    value: str = ""


@dataclasses.dataclass(frozen=True)
class Limits:
    warn_bytes: int = 20 * MIB
    max_bytes: int = 95 * MIB


@dataclasses.dataclass(frozen=True)
class Types:
    types: dict  # extension → {"label", "kind", …}
    macro_extensions: frozenset
    macro_instead: dict
    system_files: frozenset = frozenset()
    folder_keepers: frozenset = frozenset()  # .gitkeep: keeps an empty folder in git, unpublished

    def allowed(self) -> str:
        return ", ".join(sorted(self.types))


def load_types(path: str = TYPES_FILE) -> Types:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Types({str(k).lower(): v for k, v in data["types"].items()},
                 frozenset(str(e).lower() for e in data.get("macro_extensions") or ()),
                 {str(k).lower(): str(v) for k, v in (data.get("macro_instead") or {}).items()},
                 frozenset(str(n).lower() for n in data.get("system_files") or ()),
                 frozenset(str(n).lower() for n in data.get("folder_keepers") or ()))


def is_hidden_or_system(rel: str, types: Types) -> bool:
    """A dot file, a file in a dot folder, or an operating system's leftover (Thumbs.db)."""
    parts = rel.replace("\\", "/").split("/")
    return any(p.startswith(".") for p in parts) or parts[-1].lower() in types.system_files


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def human_size(size: int) -> str:
    """"48 KB", "1,2 MB", "120 MB" (Vietnamese decimal comma)."""
    if size < MIB:
        return f"{max(1, round(size / 1024))} KB"
    value = size / MIB
    return (f"{value:.1f}".replace(".", ",") if value < 10 else f"{value:.0f}") + " MB"


def symlinks(root: str) -> list[tuple[str, str, bool]]:
    """(path, target, target inside *root*) for every symbolic link under *root*, files and
    folders alike; links are never followed, so a link to "/" or to a parent costs nothing."""
    found = []
    if not os.path.isdir(root):
        return found
    real_root = os.path.realpath(root)
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                target = os.readlink(path)
                real = os.path.realpath(path)
                inside = os.path.commonpath([real_root, real]) == real_root
                found.append((path, target, inside))
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(folder, d)))
    return found


def sniff(head: bytes) -> str:
    """What the first bytes of a file are (a KIND_LABELS key)."""
    if not head:
        return "empty"
    signatures = (
        (b"%PDF-", "pdf"), (OLE_MAGIC, "ole"), (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"),
        (b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"),
        (b"GIF89a", "gif"), (b"MZ", "exe"), (b"\x7fELF", "elf"), (b"{\\rtf", "rtf"),
        (b"\x1f\x8b", "gzip"), (b"Rar!", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"BM", "bmp"),
        (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
    )
    for magic, kind in signatures:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return "heic"
    text = _decode(head)
    if text is None:
        return "unknown"
    start = text.lstrip("\ufeff \t\r\n\f").lower()
    if start.startswith("<"):
        markup = ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<meta",
                  "<a ", "<img", "<div", "<p>", "<form", "<object", "<embed", "<style", "<!--")
        return "html" if start.startswith(markup) or "<script" in start or "<html" in start \
            else "xml"
    if any(tag in start for tag in ("<script", "<html", "<iframe", "<svg", "<body")):
        return "html"  # a text file that is a page further down: never served as text
    return "text"


def _decode(head: bytes) -> str | None:
    """The text of a file's first bytes (UTF-8, UTF-16 with BOM, Windows-1258), or None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head[:len(head) // 2 * 2].decode("utf-16", errors="strict")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) >= HEAD_BYTES and exc.start >= len(head) - 3:  # a character cut short
            return head[:exc.start].decode("utf-8", errors="replace")
    try:
        return head.decode("cp1258")
    except UnicodeDecodeError:
        return None


def _mismatch(ext: str, label: str, found: str) -> Finding:
    return Finding(ERROR, f"Tệp có đuôi .{ext} ({label}) nhưng nội dung là "
                   f"{KIND_LABELS.get(found, found)}: không được đăng.",
                   f"Mở tệp bằng chương trình gốc, lưu lại đúng dạng .{ext} (hoặc xuất PDF) "
                   "rồi tải lên lại; đừng chỉ đổi đuôi tệp.", found)


def _macro(ext: str, types: Types, where: str) -> Finding:
    instead = types.macro_instead.get(ext) or {"doc": "docx", "xls": "xlsx",
                                               "ppt": "pptx"}.get(ext, ext)
    return Finding(ERROR, f"Tệp Office có macro ({where}): macro có thể chạy mã trên máy người "
                   "tải về, không được đăng.",
                   f"Mở tệp, lưu lại dạng .{instead} (không macro) hoặc xuất PDF rồi tải lên lại.",
                   where)


def check_file(path: str, types: Types, limits: Limits) -> list[Finding]:
    """Every finding for one file to be published (empty: fine)."""
    ext = extension(path)
    if ext in types.macro_extensions:
        return [_macro(ext, types, f"đuôi .{ext}")]
    spec = types.types.get(ext)
    if spec is None:
        return [Finding(ERROR, f"Loại tệp «.{ext or '(không có đuôi)'}» không được phép xuất "
                        "bản.", "Dùng một trong các loại: " + types.allowed() + ".",
                        os.path.basename(path))]
    findings = []
    size = os.path.getsize(path)
    if size > limits.max_bytes:
        return [Finding(ERROR, f"Tệp {human_size(size)}, giới hạn {human_size(limits.max_bytes)}"
                        " (GitHub Pages không nhận tệp trên 100 MB).",
                        "Nén hoặc chia nhỏ tệp (ví dụ xuất PDF chất lượng thấp hơn, tách "
                        "thành nhiều tệp).", human_size(size))]
    if size > limits.warn_bytes:
        findings.append(Finding(WARNING, f"Tệp {human_size(size)}, lớn hơn "
                                f"{human_size(limits.warn_bytes)}: phụ huynh dùng điện thoại "
                                "khó tải về.", "Nén tệp hoặc xuất PDF nhỏ hơn nếu có thể.",
                                human_size(size)))
    kind = spec.get("kind", "")
    if kind == "svg":  # checked and rebuilt by svg.py
        return findings
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    found = sniff(head)
    label = spec.get("label", ext.upper())
    if kind == "text":
        if found != "text":
            findings.append(_mismatch(ext, label, found))
        return findings
    if found != kind and not (kind in ("ooxml", "odf") and found == "zip"):
        findings.append(_mismatch(ext, label, found))
        return findings
    if kind == "ole":
        findings += _check_ole(path, ext, spec, types, label)
    elif kind in ("ooxml", "odf", "zip"):
        findings += _check_zip(path, ext, kind, spec, types, label)
    return findings


def _check_ole(path, ext, spec, types, label) -> list[Finding]:
    import olefile

    try:
        with olefile.OleFileIO(path) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except Exception as exc:  # olefile raises many kinds on a damaged file
        return [Finding(ERROR, f"Tệp .{ext} bị hỏng, không mở được ({type(exc).__name__}).",
                        "Mở tệp trên máy, lưu lại rồi tải lên lại.", "")]
    names = {part.lower() for entry in entries for part in entry}
    if names & MACRO_STORAGES:
        return [_macro(ext, types, "có phần VBA trong tệp")]
    wanted = str(spec.get("stream") or "").lower()
    if wanted and wanted not in {entry[0].lower() for entry in entries} | \
            ({"book"} if wanted == "workbook" else set()):
        other = next((e for e, s in (("doc", "worddocument"), ("xls", "workbook"),
                                     ("xls", "book"), ("ppt", "powerpoint document"))
                      if s in names), "")
        return [_mismatch(ext, label, f"tệp .{other}" if other else "ole")]
    return []


def zip_entry_count(path: str) -> int | None:
    """Entries declared by a ZIP file's end record (read from its tail, nothing listed), or
    None when there is no plain end record (ZIP64 or not a ZIP)."""
    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 22 - 65535))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    count = int.from_bytes(tail[at + 10:at + 12], "little")
    return None if count == 0xFFFF else count


def _check_zip(path, ext, kind, spec, types, label) -> list[Finding]:
    if kind == "zip":  # an archive is downloaded, never opened by the browser: the magic is enough
        return []
    count = zip_entry_count(path)
    if count is None or count > MAX_ZIP_ENTRIES:
        return [Finding(ERROR, f"Tệp .{ext} có cấu trúc bất thường (quá nhiều phần hoặc không "
                        "đọc được mục lục ZIP).", "Mở tệp bằng chương trình gốc, lưu lại rồi "
                        "tải lên lại.", "" if count is None else str(count))]
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = [i.filename for i in infos]
            lower = [n.lower() for n in names]
            if kind == "ooxml":
                return _check_ooxml(archive, ext, spec, types, label, names, lower)
            if kind == "odf":
                return _check_odf(archive, ext, spec, types, label, lower)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, NotImplementedError) \
            as exc:
        return [Finding(ERROR, f"Tệp .{ext} bị hỏng, không mở được ({type(exc).__name__}).",
                        "Mở tệp trên máy, lưu lại rồi tải lên lại.", "")]
    return []


def _read_part(archive, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise ValueError(f"{name} quá lớn")
    with archive.open(info) as handle:
        return handle.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]


def _check_ooxml(archive, ext, spec, types, label, names, lower) -> list[Finding]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if any(n.endswith("vbaproject.bin") or n.endswith("vbadata.xml") for n in lower):
        return [_macro(ext, types, "có phần vbaProject.bin")]
    if "[content_types].xml" not in lower:
        return [_mismatch(ext, label, "zip")]
    raw = _read_part(archive, names[lower.index("[content_types].xml")])
    try:
        root = fromstring(raw)
    except (DefusedXmlException, SyntaxError, ValueError):
        return [Finding(ERROR, f"Tệp .{ext} bị hỏng ([Content_Types].xml không đọc được).",
                        "Mở tệp trên máy, lưu lại rồi tải lên lại.", "")]
    content_types = [str(e.get("ContentType") or "").lower() for e in root.iter()]
    if any("macroenabled" in c or "vbaproject" in c for c in content_types):
        return [_macro(ext, types, "kiểu nội dung có macro")]
    part = str(spec.get("part") or "").lower()
    if part and not any(n.startswith(part) for n in lower):
        other = next((e for e, p in (("docx", "word/"), ("xlsx", "xl/"), ("pptx", "ppt/"))
                      if any(n.startswith(p) for n in lower)), "")
        return [_mismatch(ext, label, f"tệp .{other}" if other else "zip")]
    return []


def _check_odf(archive, ext, spec, types, label, lower) -> list[Finding]:
    if any(n.startswith(("basic/", "scripts/")) for n in lower):
        return [_macro(ext, types, "có thư mục Basic/Scripts")]
    if "mimetype" not in lower:
        return [_mismatch(ext, label, "zip")]
    mimetype = _read_part(archive, archive.namelist()[lower.index("mimetype")])
    wanted = str(spec.get("mimetype") or "")
    if wanted and mimetype.decode("ascii", "replace").strip() != wanted:
        return [_mismatch(ext, label, mimetype.decode("ascii", "replace").strip()[:60])]
    return []
