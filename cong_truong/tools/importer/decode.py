"""Bytes of a saved page → NFC text, with the encoding used and what looks wrong.

The declared charset (BOM, `<meta charset>`, `http-equiv`) wins when the bytes decode with
it; otherwise UTF-8, otherwise charset-normalizer's best guess. windows-1258 stores tone
marks as combining characters: NFC composes them. Pages typed in the legacy 8-bit font
encodings (TCVN3 ".VnTime", VNI "VNI-Times") look like Latin-1 soup once decoded; they are
detected and reported (the page is imported as a draft), not converted: a conversion table
would have to be checked against real documents of each font family, and a wrong table
silently corrupts text, which is worse than a draft the editor retypes or converts with
Unikey's converter.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
ALIASES = {"x-cp1258": "windows-1258", "cp1258": "windows-1258", "utf8": "utf-8"}
LEGACY_FONT = re.compile(r"""(?:face|font-family)\s*[=:]\s*["']?\s*(\.Vn[A-Za-z]+|VNI[- ][A-Za-z]+)""",
                         re.I)
# Characters TCVN3 (ABC) uses for Vietnamese vowels with tone marks: in real Vietnamese text
# (Unicode) they almost never occur, and never in numbers.
TCVN3_MARKS = set("¸µ¶·¹¨»¾¼½Æ©ÇÊÈÉËªÌÐÎÏÑ«ÒÕÓÔÖ×ÝØÜÞ¬ßãáâä®íìîïñøöõôó")
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


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
                warnings.append("Không xác định được bảng mã; ký tự lỗi đã được thay bằng �.")
            else:
                text, encoding = str(best), best.encoding
                warnings.append(f"Trang không khai báo bảng mã; đã đoán là {encoding}.")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        warnings.append("Văn bản ở dạng tổ hợp (NFD hoặc dấu rời); đã chuyển sang dạng dựng sẵn NFC.")
    legacy = legacy_font(nfc)
    if legacy:
        warnings.append(legacy)
    return nfc, encoding, warnings


def legacy_font(text: str) -> str | None:
    """A Vietnamese message when the page looks typed in TCVN3 or VNI fonts, else None."""
    font = LEGACY_FONT.search(text)
    body = re.sub(r"<[^>]*>", " ", text)
    marks = sum(1 for ch in body if ch in TCVN3_MARKS)
    real = len(VIETNAMESE.findall(body))
    if font or (marks >= 5 and marks > real):
        name = font.group(1) if font else "TCVN3/VNI"
        return (f"Trang gõ bằng phông chữ cũ ({name}): chữ sẽ hiển thị sai. Chuyển sang Unicode "
                "(ví dụ công cụ chuyển mã của Unikey) rồi sửa bài nháp.")
    return None
