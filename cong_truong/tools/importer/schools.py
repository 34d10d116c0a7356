"""Many schools from one saved platform: the saved copy split per school, each school's facts
read from its own pages, and one summary for the Sở.

A Sở's platform keeps its schools either on subdomains (the saved copy holds one folder per
host: `thpt-a.sogd.example/`, `thcs-b.sogd.example/`) or under path prefixes of one host
(`sogd.example/thpt-a/…`, `sogd.example/thcs-b/…`). A prefix is a school when its pages name
a site of their own (og:site_name or the end of <title>) that differs from its neighbours':
the sections of one school's site (`/tin-tuc/`, `/van-ban/`) all carry the same name, so a
single school is never cut in pieces. Files the platform keeps outside the prefixes
(`/Upload/<trường>/…`) stay reachable from every school's pages.

Facts (name, address, phone, e-mail, leaders) come from the school's contact and introduction
pages and from the footer its pages share; each says where it was read and is marked for
confirmation (`confirmed: false`): nothing found on an old site is published as checked.
"""

from __future__ import annotations

import collections
import csv
import dataclasses
import html as html_lib
import io
import os
import re

from lxml import html as lxml_html

from portal_core.text import fold, slugify

from . import decode, discover, documents, legacy_fonts

TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
SITE_NAME = re.compile(rb"""<meta[^>]+property=["']og:site_name["'][^>]+content=["']([^"']+)""", re.I)
SEPARATOR = re.compile(r"\s+[-|–—:»]\s+")
LEVELS = (("mam-non", r"\b(mam non|mau giao|nha tre)\b"), ("lien-cap", r"\b(lien cap|th\s*&\s*thcs|"
          r"thcs\s*&\s*thpt|tieu hoc va trung hoc co so|th va thcs|thcs va thpt|ptdtbt|ptdtnt)\b"),
          ("gdtx", r"\b(gdtx|giao duc thuong xuyen|gdnn)\b"),
          ("thpt", r"\b(thpt|trung hoc pho thong|ptth)\b"),
          ("thcs", r"\b(thcs|trung hoc co so)\b"), ("tieu-hoc", r"\b(tieu hoc|th)\b"))
ROLES = ("Phó Hiệu trưởng", "Hiệu trưởng", "Phó Giám đốc", "Giám đốc")
SCHOOL_NAME = re.compile(r"(truong|nha tre|nhom tre|trung tam|mam non|mau giao|tieu hoc|thcs|thpt|"
                         r"pho thong)\b")
PHONE = re.compile(r"(?<![\d+])((?:\+84|0)[\d .()-]{8,16}\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME_WORD = r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]+"
PERSON = re.compile(rf"^\s*(?:(?:thầy|cô|ông|bà|đồng chí|đ/c)\s+)?({NAME_WORD}(?:\s+{NAME_WORD}){{1,4}})\b")


@dataclasses.dataclass
class School:
    key: str  # a folder name: the prefix or the host ("thpt-song-hong")
    source: discover.Source
    name: str = ""  # as its pages name the site

    @property
    def old_address(self) -> str:
        return f"{self.source.host}{self.source.prefix}/"


def _site_name(path: str) -> str:
    with open(path, "rb") as handle:
        head = handle.read(6000)
    match = SITE_NAME.search(head)
    if match:
        return html_lib.unescape(match.group(1).decode("utf-8", "replace")).strip()
    match = TITLE.search(head)
    if not match:
        return ""
    title = html_lib.unescape(re.sub(r"\s+", " ", match.group(1).decode("utf-8", "replace")))
    parts = SEPARATOR.split(title.strip())
    return parts[-1].strip() if len(parts) > 1 else ""


def _common_name(files: list[str]) -> str:
    names = collections.Counter(n for n in (_site_name(f) for f in files[:40]) if n)
    if not names:
        return ""
    name, count = names.most_common(1)[0]
    return name if count * 2 >= sum(names.values()) else ""


def _pages_under(folder: str) -> list[str]:
    found = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = os.path.join(base, name)
            if not name.startswith(".") and discover._is_page(path):
                found.append(path)
    return found


def split(source: str) -> tuple[list[School], list[str]]:
    """(the schools of a saved copy, pages of the platform itself that belong to none). One
    school when the copy is a single school's site."""
    source = os.path.abspath(source)
    folder = os.path.dirname(source) if os.path.isfile(source) else source
    hosts = [n for n in sorted(os.listdir(folder)) if discover.HOST.match(n)
             and os.path.isdir(os.path.join(folder, n)) and _pages_under(os.path.join(folder, n))]
    if len(hosts) > 1:  # one host per school
        schools = []
        for host in hosts:
            src = discover.discover(os.path.join(folder, host))
            files = [p.file for p in src.pages]
            schools.append(School(host, src, _common_name(files)))
        return schools, []
    root = os.path.join(folder, hosts[0]) if hosts else folder
    children = {}
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if os.path.isdir(path) and not name.startswith("."):
            pages = _pages_under(path)
            if len(pages) >= 3:  # a school's site: a home page and some posts at least
                children[name] = (_common_name(pages), pages)
    named = {k: v for k, v in children.items() if v[0] and SCHOOL_NAME.match(fold(v[0]))}
    distinct = {fold(v[0]) for v in named.values()}
    if len(named) >= 2 and len(distinct) == len(named):
        schools = [School(key, discover.discover(source, f"/{key}"), name)
                   for key, (name, _) in named.items()]
        inside = {os.path.abspath(p) for key in named for p in children[key][1]}
        platform = [os.path.relpath(p, root).replace(os.sep, "/") for p in _pages_under(root)
                    if os.path.abspath(p) not in inside]
        return schools, platform
    src = discover.discover(source)
    return [School(src.host or os.path.basename(root), src,
                   _common_name([p.file for p in src.pages]))], []


# --- facts -------------------------------------------------------------------------------

@dataclasses.dataclass
class Fact:
    value: str
    source: str  # where it was read, e.g. "trang Liên hệ (/lien-he)"
    confirmed: bool = False


@dataclasses.dataclass
class SchoolFacts:
    key: str
    old_address: str
    name: Fact | None = None
    level: Fact | None = None
    address: Fact | None = None
    phone: Fact | None = None
    email: Fact | None = None
    province: Fact | None = None  # as the address names it (it may be a name before 1/7/2025)
    leaders: list = dataclasses.field(default_factory=list)  # [{role, name, source}]

    def as_data(self) -> dict:
        data: dict = {"old_address": self.old_address}
        for field in ("name", "level", "address", "phone", "email", "province"):
            fact = getattr(self, field)
            if fact is not None:
                data[field] = dataclasses.asdict(fact)
        data["leaders"] = [dict(item, confirmed=False) for item in self.leaders]
        return data


def _page_text(path: str) -> tuple[str, str]:
    """(title, text of the body, one line per block) of a saved page, in Unicode."""
    with open(path, "rb") as handle:
        text, _, _ = decode.decode(handle.read())
    converted = legacy_fonts.convert_html(text)
    if converted.changed:
        text = converted.html
    try:
        doc = lxml_html.document_fromstring(text)
    except (ValueError, lxml_html.etree.ParserError):
        return "", ""
    for el in list(doc.iter("script", "style", "noscript", "template")):
        el.drop_tree()
    title = re.sub(r"\s+", " ", (doc.findtext(".//title") or "")).strip()
    body = doc.find("body")
    return title, documents.block_text(body if body is not None else doc)


def _kind_of_page(url: str, title: str) -> str:
    words = f"{fold(url)} {fold(title)}"
    if re.search(r"lien[ -]?he|contact", words):
        return "contact"
    if re.search(r"gioi[ -]?thieu|about|lich su", words):
        return "intro"
    return ""


def _label_value(text: str, labels: str) -> str:
    match = re.search(rf"(?:^|\n|\|)\s*(?:{labels})\s*[:：]\s*([^\n|]+)", text, re.I)
    return match.group(1).strip() if match else ""


def _clean_address(value: str) -> str:
    value = re.split(r"\s*(?:[-–|]\s*)?(?:điện thoại|đt|tel|email|e-mail|fax|hotline)\b", value,
                     flags=re.I)[0]
    return value.strip(" .;,-–")


def _phone(value: str) -> str:
    match = PHONE.search(value)
    if not match:
        return ""
    digits = re.sub(r"[^\d+]", "", match.group(1))
    return match.group(1).strip() if 10 <= len(digits.lstrip("+")) <= 12 else ""


def _leaders(text: str) -> list[tuple[str, str]]:
    """(role, name) from «Hiệu trưởng: Nguyễn Văn An» or a row «| Hiệu trưởng | Nguyễn Văn An»."""
    found = []
    for line in text.split("\n"):
        cells = [c.strip() for c in re.split(r"\s*\|\s*|\s*[:：]\s*", line) if c.strip()]
        for i, cell in enumerate(cells[:-1]):
            role = next((r for r in ROLES if fold(cell) == fold(r)), None)
            if role:
                match = PERSON.match(cells[i + 1])
                if match:
                    found.append((role, match.group(1)))
    return list(dict.fromkeys(found))


def read_facts(school: School) -> SchoolFacts:
    """Facts of one school from its pages: contact page first, then introduction, then the
    footer its pages share; each with where it was read."""
    facts = SchoolFacts(school.key, school.old_address)
    if school.name:
        name = documents.title_case(school.name) if school.name.isupper() else school.name
        facts.name = Fact(name, "tên cổng cũ (thẻ og:site_name hoặc tiêu đề trang)")
    ordered: list[tuple[str, str, str]] = []  # (where, url, text)
    footers = collections.Counter()
    for saved in school.source.pages:
        url = saved.urls[0]
        kind = _kind_of_page(url, "")
        if kind or len(ordered) < 3:
            title, text = _page_text(saved.file)
            kind = kind or _kind_of_page(url, title)
            if kind:
                where = "trang Liên hệ" if kind == "contact" else "trang Giới thiệu"
                ordered.append((f"{where} ({url})", url, text))
            lines = text.split("\n")
            footers.update(lines[-6:])
    shared = [line for line, count in footers.items() if count >= 2]
    if shared:
        ordered.append(("chân trang của cổng cũ", "", "\n".join(shared)))
    ordered.sort(key=lambda item: 0 if item[0].startswith("trang Liên hệ") else
                 1 if item[0].startswith("trang Giới thiệu") else 2)
    for where, _, text in ordered:
        if facts.address is None:
            value = _clean_address(_label_value(text, r"địa chỉ|đ/c|trụ sở"))
            if len(value) >= 8:
                facts.address = Fact(value, where)
        if facts.phone is None:
            value = _phone(_label_value(text, r"điện thoại|số điện thoại|đt|tel|hotline")
                           or "")
            if not value:
                for line in text.split("\n"):
                    if re.search(r"(?i)điện thoại|\bđt\b|\btel\b", line) and not re.search(
                            r"(?i)fax", line):
                        value = _phone(re.split(r"(?i)điện thoại|\bđt\b|\btel\b", line, 1)[1])
                        if value:
                            break
            if value:
                facts.phone = Fact(value, where)
        if facts.email is None:
            match = EMAIL.search(text)
            if match:
                facts.email = Fact(match.group(0).rstrip("."), where)
        if not facts.leaders:
            facts.leaders = [{"role": role, "name": name, "source": where}
                             for role, name in _leaders(text)]
    if facts.name is None:
        for _, _, text in ordered:
            match = re.search(r"(?im)^\s*(TRƯỜNG\s+[^\n|]{3,60}|Trường\s+[^\n|]{3,60})$", text)
            if match:
                facts.name = Fact(documents.title_case(match.group(1).strip()), "chân trang")
                break
    if facts.address is not None:
        place = province_in(facts.address.value)
        if place:
            facts.province = Fact(place, f"địa chỉ ({facts.address.source})")
    if facts.name is not None:
        folded = fold(facts.name.value)
        for level, pattern in LEVELS:
            if re.search(pattern, folded):
                facts.level = Fact(level, f"tên trường «{facts.name.value}»")
                break
    return facts


def province_in(address: str) -> str:
    """The province or city an address ends with («…, tỉnh Nam Định» → «Nam Định», «…, TP. Hồ
    Chí Minh» → «Hồ Chí Minh»); "" when it names none."""
    match = re.search(r"(?:tỉnh|thành phố|tp\.?)\s+([^,;()]+?)\s*\.?\s*$", address.strip(), re.I)
    return match.group(1).strip() if match else ""


# --- the summary for the Sở --------------------------------------------------------------

REASON_KINDS = (("chủ đề", "chờ xác nhận chủ đề"), ("phông chữ cũ", "chữ phông cũ chưa chắc"),
                ("Kiểm tra:", "kiểm tra của cổng (dữ liệu cá nhân, ảnh thiếu mô tả…)"),
                ("mục công khai", "công khai: chưa rõ mục"),
                ("kỳ công khai", "công khai: chưa rõ kỳ"),
                ("số hiệu", "văn bản: thiếu số hiệu"), ("ngày ban hành", "văn bản: thiếu ngày"),
                ("cơ quan ban hành", "văn bản: thiếu cơ quan"),
                ("Cơ quan ban hành", "văn bản: thiếu cơ quan"),
                ("hiệu lực", "văn bản: chưa rõ hiệu lực"), ("không dấu", "viết không dấu"))


def reason_kind(reason: str) -> str:
    for needle, label in REASON_KINDS:
        if needle in reason:
            return label
    return "khác"


@dataclasses.dataclass
class SchoolResult:
    school: School
    facts: SchoolFacts
    folder: str  # where its import (or repository) is
    totals: dict
    drafts: dict  # reason kind → posts
    problems: list  # what the Sở should know, in Vietnamese


SUMMARY_COLUMNS = ["Trường", "Địa chỉ cũ", "Thư mục", "Bài", "Đăng ngay", "Bản nháp",
                   "Bản nháp theo lý do", "Văn bản", "Công khai", "Tệp", "Chuyển hướng",
                   "Vấn đề"]


def summary_rows(results: list[SchoolResult]) -> list[list[str]]:
    found = []
    for r in results:
        t = r.totals
        found.append([
            r.facts.name.value if r.facts.name else r.school.key, r.school.old_address, r.folder,
            str(t.get("posts", 0)), str(t.get("published", 0)), str(t.get("drafts", 0)),
            "; ".join(f"{kind}: {count}" for kind, count in sorted(r.drafts.items())),
            str(t.get("documents", 0)), str(t.get("disclosures", 0)), str(t.get("files", 0)),
            f"{t.get('redirects', 0)} (đang chạy: {t.get('redirects_live', 0)})",
            " | ".join(r.problems)])
    return found


def summary_csv(results: list[SchoolResult]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows(summary_rows(results))
    return buffer.getvalue().encode("utf-8-sig")


def summary_html(results: list[SchoolResult], platform_pages: list[str], source: str) -> str:
    esc = html_lib.escape
    total = collections.Counter()
    for r in results:
        total.update({k: v for k, v in r.totals.items() if isinstance(v, int)})
    lines = ["<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Báo cáo chuyển các trường từ nền tảng cũ</title>",
             "<style>body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;"
             "max-width:75rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.5rem}"
             "table{border-collapse:collapse;width:100%;font-size:.95rem}"
             "th,td{border:1px solid #999;padding:.4rem;vertical-align:top;text-align:left}"
             "th{background:#eef2f7}dl{margin:0}dt{font-weight:600}dd{margin:0 0 .3rem}"
             "@media (max-width:700px){table,thead,tbody,tr,th,td{display:block}"
             "thead{position:absolute;left:-9999px}tr{border:1px solid #999;margin:0 0 1rem}"
             "td{border:0;border-top:1px solid #ddd}"
             "td::before{content:attr(data-cot);display:block;font-weight:600}}</style>",
             "</head>", "<body>", "<main>", "<h1>Báo cáo chuyển các trường từ nền tảng cũ</h1>",
             f"<p>Bản lưu: <code>{esc(source)}</code>. {len(results)} trường; "
             f"{total['posts']} bài ({total['published']} đăng ngay, {total['drafts']} bản nháp "
             f"cần người quyết định), {total['files']} tệp, {total['redirects']} địa chỉ cũ được "
             "giữ bằng trang chuyển hướng.</p>",
             "<p>Thông tin của từng trường (tên, địa chỉ, điện thoại, thư điện tử, lãnh đạo) lấy "
             "từ trang Liên hệ, Giới thiệu và chân trang của cổng cũ, <strong>cần nhà trường "
             "xác nhận</strong> trước khi xuất bản.</p>", "<table>", "<thead><tr>"
             + "".join(f'<th scope="col">{esc(c)}</th>' for c in SUMMARY_COLUMNS) + "</tr></thead>",
             "<tbody>"]
    for row in summary_rows(results):
        lines.append("<tr>" + "".join(f'<td data-cot="{esc(c)}">{esc(v)}</td>'
                                      for c, v in zip(SUMMARY_COLUMNS, row)) + "</tr>")
    lines += ["</tbody>", "</table>", "<h2>Thông tin tìm thấy của từng trường (cần xác nhận)</h2>"]
    for r in results:
        f = r.facts
        lines.append(f"<h3>{esc(f.name.value if f.name else r.school.key)}</h3><dl>")
        for label, fact in (("Địa chỉ", f.address), ("Điện thoại", f.phone),
                            ("Thư điện tử", f.email), ("Cấp học", f.level)):
            shown = f"{esc(fact.value)} <small>({esc(fact.source)})</small>" if fact else \
                "chưa tìm thấy: nhà trường điền"
            lines.append(f"<dt>{label}</dt><dd>{shown}</dd>")
        leaders = "; ".join(f"{esc(x['role'])}: {esc(x['name'])}" for x in f.leaders) or \
            "chưa tìm thấy: nhà trường điền"
        lines.append(f"<dt>Lãnh đạo</dt><dd>{leaders}</dd></dl>")
    if platform_pages:
        lines += ["<h2>Trang của nền tảng (không thuộc trường nào, không nhập)</h2>", "<ul>"]
        lines += [f"<li><code>{esc(p)}</code></li>" for p in platform_pages[:50]]
        lines.append("</ul>")
    lines += ["</main>", "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def school_folder_name(school: School) -> str:
    return slugify(school.key.split(":")[0]) or "truong"

