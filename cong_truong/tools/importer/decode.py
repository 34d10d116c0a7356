"""Bytes of a saved page → NFC text, with the encoding used and what looks wrong.

The declared charset (BOM, `<meta charset>`, `http-equiv`) wins when the bytes decode with
it; otherwise UTF-8, otherwise charset-normalizer's best guess. windows-1258 stores tone
marks as combining characters: NFC composes them. Pages typed in the legacy 8-bit font
encodings (TCVN3 ".VnTime", VNI "VNI-Times") that are not UTF-8 are read byte for byte
(Windows-1252), whatever they declare or charset-normalizer guesses, so that
`legacy_fonts.convert_html` (run after this step) sees every legacy byte as it was.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from . import legacy_fonts

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
ALIASES = {"x-cp1258": "windows-1258", "cp1258": "windows-1258", "utf8": "utf-8"}


def declared_charset(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    match = META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    return ALIASES.get(name, name)


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """(NFC text, encoding, warnings in Vietnamese)."""
    warnings: list[str] = []
    guessed = ""
    declared = declared_charset(data)
    text = encoding = None
    if declared:
        try:
            text, encoding = data.decode(declared).lstrip("\ufeff"), declared
        except (LookupError, UnicodeDecodeError):
            warnings.append(f"Bảng mã khai báo «{declared}» không khớp nội dung; đã đoán bảng mã.")
    if text is None:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            from charset_normalizer import from_bytes

            best = from_bytes(data).best()
            if best is None:
                text, encoding = data.decode("utf-8", "replace"), "utf-8 (lỗi)"
                guessed = "Không xác định được bảng mã; ký tự lỗi đã được thay bằng �."
            else:
                text, encoding = str(best), best.encoding
                guessed = f"Trang không khai báo bảng mã; đã đoán là {encoding}."
    if _codec(encoding) not in BYTEWISE:
        raw = legacy_fonts.as_text(data)
        if legacy_fonts.detect(raw):
            text, guessed = raw, (f"Trang gõ bằng phông chữ cũ: đọc từng byte theo windows-1252 "
                                  f"(thay cho {encoding}) để chuyển mã.")
            encoding = "windows-1252"
    if guessed:
        warnings.append(guessed)
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        warnings.append("Văn bản ở dạng tổ hợp (NFD hoặc dấu rời); đã chuyển sang dạng dựng sẵn NFC.")
    return nfc, encoding, warnings


# Encodings that already give every legacy byte as one character (Latin-1 values, or the
# Windows-1252 symbols for 0x80–0x9F), and UTF-8 (legacy text re-encoded by the old CMS).
BYTEWISE = {"utf-8", "cp1252", "latin-1", "iso8859-1"}


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name
