"""Personal data in a post's Markdown source: ID numbers, private mobile numbers, birth dates.

NĐ 13/2023 Điều 2 lists name, date of birth, phone and ID numbers as personal data; for a
child (under 16, Luật Trẻ em 2016) NĐ 56/2017 Điều 33 and 36 add school, class and results,
and publishing them needs the consent of the parent and of the child aged 7 or more
(NĐ 56/2017 Điều 36 k1; NĐ 13/2023 Điều 20). The portal therefore refuses them unless the post declares consent.
Pure functions: they take text and return findings; the plugin turns them into problems.
"""

from __future__ import annotations

import dataclasses
import re

from portal_core.text import fold, nfc

# A mobile number: 0 or +84/0084/(+84) then 3, 5, 7, 8 or 9 and eight more digits, with at
# most one space, dot or hyphen between digits ("0912 345 678", "+84 912.345.678").
SEP = r"[ .\-\u00a0]?"
MOBILE = re.compile(
    r"(?<![\d+])(?:(?:\(\+84\)|\+84|0084)" + SEP + r"|0)([35789](?:" + SEP + r"\d){8})(?!\d)")
# A CCCD (citizen ID, 12 digits): the first three are the province code, 001 to 096.
CCCD = re.compile(r"(?<!\d)(0(?:0[1-9]|[1-8]\d|9[0-6])\d{9})(?!\d)")
# Any ID-like number (9 digits, old CMND, or 12), possibly grouped, after an ID keyword.
ID_NEAR_KEYWORD = re.compile(r"(?<!\d)(\d{3}(?:[ .]?\d{3}){2}(?:[ .]?\d{3})?)(?!\d)")
ID_KEYWORDS = ("cmnd", "cccd", "can cuoc", "chung minh nhan dan", "chung minh thu",
               "so dinh danh", "ma dinh danh")
KEYWORD_WINDOW = 40  # characters before the number where the keyword is looked for

# Birth dates, matched on folded text (lower case, no diacritics, đ → d).
DATE = (r"(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*(?P<y1>\d{4}|\d{2}))?"
        r"|\d{1,2}\s+thang\s+\d{1,2}(?:\s*(?:,\s*)?nam\s+(?P<y2>\d{4}))?"
        r"|(?P<y3>(?:19|20)\d{2}))(?!\d)")
BIRTH_PATTERNS = (
    # "ngày sinh: 12/03/2008", "năm sinh 2008", "ngày tháng năm sinh: …"
    re.compile(r"\b(?:ngay|nam)\s+sinh\s*[:|\-]?\s*(?:la\s+|ngay\s+)?" + DATE),
    # "Nguyễn Văn A, sinh ngày 12/03/2008", "sinh năm 2008" (the word before is checked)
    re.compile(r"\bsinh\s*(?:ngay|nam)?\s*[:|\-]?\s*" + DATE),
    # "SN 2008", "SN: 12/3/2008" (folding makes "sn" from "SN")
    re.compile(r"\bsn\s*[:|\-.]?\s*" + DATE),
)
PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
_ANY_DIGIT = re.compile(r"\d")
# "sinh" ending another word: tuyển sinh, học sinh, thí sinh, vệ sinh, Giáng sinh …
NOT_BIRTH_BEFORE = frozenset({
    "hoc", "tuyen", "thi", "ve", "phat", "giang", "hy", "nu", "nam", "luu", "cuu", "tan",
    "tai", "tro", "sinh", "khai", "chieu", "ban", "danh", "ky",
})
EARLIEST_BIRTH_YEAR = 1930  # older years are history ("Bác Hồ sinh ngày 19/5/1890"), not people


@dataclasses.dataclass(frozen=True)
class Finding:
    line: int  # 1-based line in the source
    kind: str  # "cccd", "cmnd", "phone", "birth"
    masked: str  # the value found, partly masked for the report


def digits(value: str) -> str:
    return re.sub(r"\D", "", str(value))


def national_mobile(value: str) -> str:
    """"+84 912.345.678" → "0912345678" (other numbers: their digits)."""
    number = digits(value)
    if number.startswith("0084"):
        number = "0" + number[4:]
    elif number.startswith("84") and len(number) == 11:
        number = "0" + number[2:]
    return number


def mask_phone(number: str) -> str:
    """"0912345678" → "0912 *** 678"."""
    return f"{number[:4]} *** {number[-3:]}"


def mask_id(number: str) -> str:
    """"001203004567" → "001 ****** 567"; "123456789" → "123 *** 789"."""
    return f"{number[:3]} {'*' * (len(number) - 6)} {number[-3:]}"


def mask_birth(text: str) -> str:
    """Keep the year only: "sinh ngày 12/03/2008" → "sinh ngày **/**/2008"."""
    return re.sub(r"(?<!\d)\d{1,2}(?!\d)", "**", text)


PHONE_KEYS = frozenset({"phone", "phones", "hotline", "mobile"})


def official_phones(data) -> set[str]:
    """Every `phone` value anywhere in school.yml, as national digits."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if str(key).lower() in PHONE_KEYS and isinstance(value, (str, int)):
                    found.add(national_mobile(str(value)))
                elif str(key).lower() in PHONE_KEYS and isinstance(value, list):
                    found.update(national_mobile(str(v)) for v in value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


class _FoldTable(dict):
    """str.translate table: each character folded on its own (one character in, one out).

    Filled on first sight of a character, so a build folds each distinct character once
    instead of calling fold() for every character of every line.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = " " if ch.isspace() else fold(ch)
        value = folded if len(folded) == 1 else (ch.lower() if len(ch.lower()) == 1 else "?")
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def _folded_same_length(line: str) -> str:
    """fold() char by char, so positions in the result are positions in *line*."""
    return line.translate(_FOLD_TABLE)


def find_in_line(line: str, number: int, allowed_phones: set[str] = frozenset()) -> list[Finding]:
    """Personal data in one line of text."""
    line = nfc(line)
    folded = _folded_same_length(line)
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def free(start, end):
        return all(end <= s or start >= e for s, e in taken)

    for match in CCCD.finditer(line):
        findings.append(Finding(number, "cccd", mask_id(match.group(1))))
        taken.append(match.span())
    for match in ID_NEAR_KEYWORD.finditer(line):
        value = digits(match.group(1))
        before = folded[max(0, match.start() - KEYWORD_WINDOW):match.start()]
        if len(value) in (9, 12) and free(*match.span()) and any(k in before for k in ID_KEYWORDS):
            findings.append(Finding(number, "cccd" if len(value) == 12 else "cmnd",
                                    mask_id(value)))
            taken.append(match.span())
    for match in MOBILE.finditer(line):
        value = "0" + digits(match.group(1))
        if value in allowed_phones or not free(*match.span()):
            continue
        findings.append(Finding(number, "phone", mask_phone(value)))
        taken.append(match.span())
    for pattern in BIRTH_PATTERNS:
        for match in pattern.finditer(folded):
            previous = PREVIOUS_WORD.search(folded[:match.start()])
            if previous and previous.group(1) in NOT_BIRTH_BEFORE and \
                    not folded[match.start():].startswith(("ngay sinh", "nam sinh")):
                continue
            year = next((match.group(g) for g in ("y1", "y2", "y3") if match.group(g)), None)
            if year and len(year) == 4 and int(year) < EARLIEST_BIRTH_YEAR:
                continue
            if not free(*match.span()):
                continue
            findings.append(Finding(number, "birth", mask_birth(line[match.start():match.end()])))
            taken.append(match.span())
    return findings


def find_personal_data(text: str, allowed_phones: set[str] = frozenset()) -> list[Finding]:
    """Personal data in a whole Markdown source (front matter included), by line."""
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _ANY_DIGIT.search(line):  # every pattern above needs a digit: skip the other lines
            findings += find_in_line(line, number, allowed_phones)
    return findings


LABELS = {
    "cccd": "số căn cước công dân (CCCD)",
    "cmnd": "số chứng minh nhân dân (CMND)",
    "phone": "số điện thoại di động cá nhân",
    "birth": "ngày sinh",
}

CONSENT_VALUES = frozenset({"consented", "da dong y"})


def consent_state(personal: str | None, consent_by: str | None) -> tuple[bool, list[tuple[str, str, str, str]]]:
    """Whether the post declares valid consent; and problems (field, value, message, hint).

    Consent needs both `Personal-data: consented` and `Consent-by: <who approved>`.
    """
    problems = []
    personal = nfc(str(personal)).strip() if personal is not None else ""
    consent_by = nfc(str(consent_by)).strip() if consent_by is not None else ""
    declared = fold(personal) in CONSENT_VALUES
    if personal and not declared:
        problems.append(("Personal-data", personal, "Giá trị không hợp lệ.",
                         "Chỉ dùng «Personal-data: consented» khi đã có sự đồng ý bằng văn bản "
                         "của cha mẹ (và của học sinh từ 7 tuổi)."))
    if declared and not consent_by:
        problems.append(("Consent-by", "", "Khai báo đã có sự đồng ý nhưng thiếu người phê duyệt.",
                         "Thêm «Consent-by: Hiệu trưởng, biên bản số …/BB-… ngày …»."))
    return declared and bool(consent_by), problems


def message(finding: Finding) -> str:
    return (f"Bài có {LABELS[finding.kind]}. Đây là dữ liệu cá nhân (NĐ 13/2023; "
            "với học sinh dưới 16 tuổi: Luật Trẻ em 2016, NĐ 56/2017), không được đăng khi chưa "
            "có sự đồng ý.")


HINT = ("Xóa thông tin này (số điện thoại liên hệ: dùng số của trường trong content/data/school.yml); "
        "nếu đã có văn bản đồng ý của cha mẹ và học sinh, khai báo «Personal-data: consented» và "
        "«Consent-by: …» ở đầu bài.")
