"""portal_safety: sanitized markup, the personal-data guard, accessible content checks."""

from __future__ import annotations

import os
import unicodedata

import pytest
from conftest import post

from portal_safety import a11y, personal, sanitize

EMBEDS = [sanitize.Embed("www.youtube-nocookie.com", "/embed/"),
          sanitize.Embed("www.google.com", "/maps/embed")]


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def line_of(source: str, needle: str) -> int:
    """1-based line of the first line of *source* containing *needle* (test helper)."""
    return next(i for i, line in enumerate(source.splitlines(), start=1) if needle in line)


def safety(built, severity=None):
    return [p for p in built.problems if p.plugin == "portal_safety"
            and (severity is None or p.severity == severity)]


# --- personal data: pure functions ---------------------------------------------------------

@pytest.mark.parametrize("text, kind, masked", [
    ("Liên hệ cô Lan chủ nhiệm: 0912 345 678.", "phone", "0912 *** 678"),
    ("Gọi 0912.345.678 sau 17 giờ", "phone", "0912 *** 678"),
    ("Số điện thoại phụ huynh 0389-123-456", "phone", "0389 *** 456"),
    ("SĐT: +84 912 345 678", "phone", "0912 *** 678"),
    ("Zalo (+84)987654321", "phone", "0987 *** 321"),
    ("liên hệ 0708123456 (em Minh)", "phone", "0708 *** 456"),
    ("Số CCCD của em là 001208012345.", "cccd", "001 ****** 345"),
    ("ảnh chụp căn cước 079203012345", "cccd", "079 ****** 345"),
    ("CMND số: 123 456 789", "cmnd", "123 *** 789"),
    ("Số chứng minh nhân dân 162345678 cấp tại Nam Định", "cmnd", "162 *** 678"),
    ("Em Nguyễn Văn An, sinh ngày 12/03/2008, lớp 10A1", "birth", "sinh ngày **/**/2008"),
    ("Ngày sinh: 5 tháng 3 năm 2008", "birth", "Ngày sinh: ** tháng ** năm 2008"),
    (nfd("NGÀY SINH: 12-03-2008"), "birth", "NGÀY SINH: **-**-2008"),
    ("Nguyen Van An, sinh ngay 12/3/2008", "birth", "sinh ngay **/**/2008"),
    ("Trần Thị Bình (SN 2008) đạt giải Nhất", "birth", "SN 2008"),
    ("| Năm sinh | 2008 |", "birth", "Năm sinh | 2008"),
])
def test_personal_data_is_found_and_masked(text, kind, masked):
    found = personal.find_in_line(text, 7)
    assert [(f.kind, f.masked, f.line) for f in found] == [(kind, masked, 7)]
    digits = "".join(ch for ch in text if ch.isdigit())
    if kind in ("phone", "cccd", "cmnd"):
        assert digits[-9:] not in found[0].masked.replace(" ", "")  # never the whole number


@pytest.mark.parametrize("text", [
    "Điện thoại Văn phòng: 0228 3 840 123",  # landline
    "Kỳ thi tuyển sinh ngày 05/06/2023 và kế hoạch tuyển sinh năm 2023",
    "Học sinh năm 2023 tham gia; thí sinh ngày 12/6 có mặt lúc 7 giờ",
    "Chủ tịch Hồ Chí Minh sinh ngày 19/5/1890 tại Nam Đàn",
    "Mức thu 3.500.000 đồng; ngày 05.09.2022; Quyết định số 1234/QĐ-SGDĐT",
    "Thí sinh kiểm tra kỹ họ tên, ngày sinh, bài thi đăng ký",
    "Ngày sinh hoạt dưới cờ 20/11/2023",
    "Số tài khoản 1234567890123 tại Vietcombank",
    "Kỷ niệm ngày sinh Chủ tịch Hồ Chí Minh (19/5)",
    "Tổng đài 1900 1234 và đường dây nóng 111",
])
def test_no_false_alarm(text):
    assert personal.find_in_line(text, 1) == []


def test_official_phones_are_allowed():
    school = {"phone": "0228 3 840 123",
              "leaders": [{"name": "Lê Thu Hà", "phone": "0912.345.678"}],
              "spokesperson": {"phone": "+84 987 654 321"}}
    allowed = personal.official_phones(school)
    assert {"02283840123", "0912345678", "0987654321"} <= allowed
    text = "Hỏi cô Hà: 0912 345 678 hoặc người phát ngôn 0987654321; riêng: 0901 234 567"
    found = personal.find_in_line(text, 1, allowed)
    assert [f.masked for f in found] == ["0901 *** 567"]


def test_find_personal_data_counts_lines_from_the_top_of_the_file():
    text = "Title: Tin\nDate: 2023-09-05\n\nĐoạn một.\n\nLiên hệ 0912345678.\n"
    assert [(f.line, f.kind) for f in personal.find_personal_data(text)] == [(6, "phone")]


@pytest.mark.parametrize("personal_data, consent_by, ok, fields", [
    ("consented", "Hiệu trưởng, biên bản số 12/BB-THPTNT", True, []),
    ("CONSENTED", "Hiệu trưởng", True, []),
    ("Đã đồng ý", "Hiệu trưởng", True, []),
    ("consented", None, False, ["Consent-by"]),
    ("consented", "  ", False, ["Consent-by"]),
    ("yes", "Hiệu trưởng", False, ["Personal-data"]),
    (None, "Hiệu trưởng", False, []),
    (None, None, False, []),
])
def test_consent_state(personal_data, consent_by, ok, fields):
    consented, problems = personal.consent_state(personal_data, consent_by)
    assert consented is ok
    assert [p[0] for p in problems] == fields


# --- sanitizer: pure functions -------------------------------------------------------------

XSS = ('<p>Tin <b>vui</b></p><script>alert(1)</script><p><img src=x onerror=alert(1)>'
       '<a href="javascript:alert(1)">x</a><a href="java\tscript:alert(2)">y</a>'
       '<a href="data:text/html,zz">z</a></p>')


def test_sanitize_removes_script_events_and_bad_urls():
    clean = sanitize.sanitize(XSS, EMBEDS)
    lowered = clean.lower()
    for bad in ("<script", "alert(", "onerror", "javascript", "data:"):
        assert bad not in lowered
    assert "<p>Tin <b>vui</b></p>" in clean


def test_removed_items_name_what_was_removed():
    details = [(r.kind, r.detail) for r in sanitize.removed_items(XSS, EMBEDS)]
    assert ("tag", "<script>") in details
    assert ("attribute", "onerror (trên <img>)") in details
    assert ("url", "javascript:alert(1)") in details
    assert ("url", "data:text/html,zz") in details
    assert sanitize.removed_items("<p>Sạch <a href='/tin-tuc/'>tin</a></p>", EMBEDS) == []


MARKDOWN_OUTPUT = (
    '<h2 id="dieu-kien">Điều kiện</h2>\n'
    '<p>Chú thích<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup> '
    '<abbr title="Trung học phổ thông">THPT</abbr></p>\n'
    '<table>\n<thead>\n<tr>\n<th>Lớp</th>\n<th style="text-align: right;">Sĩ số</th>\n</tr>\n'
    '</thead>\n<tbody>\n<tr>\n<td>10A1</td>\n<td style="text-align: right;">42</td>\n</tr>\n'
    '</tbody>\n</table>\n'
    '<pre><code class="language-python">print(&quot;&lt;b&gt;&quot;)\n</code></pre>\n'
    '<p><img alt="Lễ chào cờ" src="{static}/images/chao-co.jpg" width="960" height="640" '
    'srcset="/images/a-480.jpg 480w" sizes="100vw" loading="lazy"></p>\n'
    '<dl>\n<dt>GDPT</dt>\n<dd>Giáo dục phổ thông</dd>\n</dl>\n'
    '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:1">\n<p>Nguồn.&#160;'
    '<a class="footnote-backref" href="#fnref:1" title="Về chỗ cũ">&#8617;</a></p>\n</li>\n'
    '</ol>\n</div>')


def test_sanitize_keeps_what_markdown_produces():
    clean = sanitize.sanitize(MARKDOWN_OUTPUT, EMBEDS)
    assert sanitize.removed_items(MARKDOWN_OUTPUT, EMBEDS) == []
    for kept in ('<h2 id="dieu-kien">', '<sup id="fnref:1">', 'href="#fn:1"',
                 '<abbr title="Trung học phổ thông">', '<th>Lớp</th>',
                 '<code class="language-python">', 'src="{static}/images/chao-co.jpg"',
                 'alt="Lễ chào cờ"', 'width="960"', 'height="640"', 'srcset="/images/a-480.jpg 480w"',
                 'sizes="100vw"', 'loading="lazy"', "<dt>GDPT</dt>", '<li id="fn:1">',
                 'class="footnote-backref"'):
        assert kept in clean, kept
    # Markdown's inline alignment (forbidden by the CSP) becomes a class.
    assert '<th class="align-right">Sĩ số</th>' in clean
    assert "style=" not in clean


def test_iframes_only_from_the_allow_list():
    html = ('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Lễ khai giảng">'
            '</iframe><iframe src="https://www.youtube.com/embed/abc"></iframe>'
            '<iframe src="https://www.google.com/maps/embed?pb=1" title="Bản đồ"></iframe>'
            '<iframe src="https://www.google.com/search?q=x"></iframe>')
    clean = sanitize.sanitize(html, EMBEDS)
    assert clean.count("<iframe") == 2
    assert "youtube-nocookie.com/embed/abc" in clean and "maps/embed" in clean
    removed = [r.detail for r in sanitize.removed_items(html, EMBEDS)]
    assert removed == ["https://www.youtube.com/embed/abc", "https://www.google.com/search?q=x"]
    assert "<iframe" not in sanitize.sanitize(html, [])


def test_embeds_yaml_and_csp():
    embeds, errors = sanitize.parse_embeds({"hosts": [
        {"host": "www.youtube-nocookie.com", "path": "/embed/"},
        {"host": "không phải tên miền"}]})
    assert [e.host for e in embeds] == ["www.youtube-nocookie.com"] and len(errors) == 1
    policy = sanitize.csp_policy(EMBEDS)
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-src"].split() == ["https://www.youtube-nocookie.com/embed/",
                                               "https://www.google.com/maps/"]
    assert "unsafe-inline" not in policy
    assert "frame-src 'none'" in sanitize.csp_policy([])


# --- accessible content: pure functions ----------------------------------------------------

def rules(html):
    return [(f.rule, f.value) for f in a11y.check_html(html)]


def test_images_need_alt_text():
    assert rules('<p><img src="a.jpg" alt=""><img src="b.jpg"><img src="c.jpg" alt="IMG_0012.JPG">'
                 '<img src="d.jpg" alt="Ảnh"><img src="e.jpg" alt="Học sinh trồng cây"></p>') == [
        ("image-alt", "a.jpg"), ("image-alt", "b.jpg"), ("image-alt-poor", "IMG_0012.JPG"),
        ("image-alt-poor", "Ảnh")]


def test_headings_follow_the_page_title():
    assert rules("<h2>Một</h2><h3>Hai</h3><h2>Ba</h2><h3>Bốn</h3>") == []
    assert rules("<h3>Mở đầu</h3>") == [("heading-skip", "h1 → h3: Mở đầu")]
    assert rules("<h1>Tiêu đề thứ hai</h1><h2>Mục</h2>") == [("heading-h1", "Tiêu đề thứ hai")]
    assert rules("<h2>A</h2><h4>B</h4>") == [("heading-skip", "h2 → h4: B")]


@pytest.mark.parametrize("text", ["tại đây", "TẠI ĐÂY", "tai day", nfd("Xem thêm"), "Xem thêm…",
                                  "click here", "Link", "(bấm vào đây)"])
def test_vague_link_texts(text):
    assert rules(f'<p><a href="/x/">{text}</a></p>') == [("link-text", text)]


def test_meaningful_links_pass():
    assert rules('<p><a href="/k.pdf">Tải kế hoạch tuyển sinh lớp 10 (PDF)</a>'
                 '<a href="#fn:1">1</a><a href="/a/"><img src="a.jpg" alt="Sơ đồ trường"></a></p>') \
        == []
    assert rules('<p><a href="/a/"></a></p>') == [("link-empty", "/a/")]


def test_tables_need_header_cells():
    assert rules("<table><tr><td>Lớp</td><td>Sĩ số</td></tr></table>") == [
        ("table-header", "bảng thứ 1")]
    assert rules('<table><tr><th scope="col">Lớp</th></tr><tr><td>10A1</td></tr></table>') == []


def test_locate_finds_source_lines():
    lines = ["Title: Kế hoạch năm học", "", "Mục tiêu của năm học là nâng cao chất lượng.", "",
             "## Mục tiêu", "", "Điều kiện “dự tuyển”", "-------------", "![](images/a.jpg)",
             "<h3>Lịch</h3>"]
    assert a11y.locate(lines, "images/a.jpg") == 9
    assert a11y.locate(lines, "Mục tiêu", heading=True) == 5  # not the sentence on line 3
    assert a11y.locate(lines, "Mục tiêu") == 3
    assert a11y.locate(lines, 'Điều kiện "dự tuyển"', heading=True) == 7  # setext, typography
    assert a11y.locate(lines, "LỊCH", heading=True) == 10
    assert a11y.locate(lines, "không có") is None


# --- whole site ----------------------------------------------------------------------------

XSS_BODY = """
Nhà trường thông báo lịch họp phụ huynh.

<script>alert(1)</script>

<img src=x onerror=alert(1) alt="Sơ đồ phòng họp">

Xem [lịch họp](javascript:alert(1)) của các lớp.
"""


def test_xss_post_builds_clean_with_a_warning(site):
    source = post(title="Lịch họp phụ huynh", body=XSS_BODY)
    built = site({"tin-tuc/lich-hop.md": source})
    assert built.ok, built.messages()
    html = built.read("tin-tuc/lich-hop-phu-huynh/index.html")
    prose = str(built.soup("tin-tuc/lich-hop-phu-huynh/index.html").select_one(".prose"))
    assert "alert(" not in html and "onerror" not in html and "javascript:" not in html
    assert "<script" not in prose
    assert "Sơ đồ phòng họp" in prose and "lịch họp" in prose
    warnings = safety(built, "warning")
    assert {p.file for p in warnings} == {"content/tin-tuc/lich-hop.md"}
    by_value = {p.value: p for p in warnings}
    assert by_value["<script>"].line == line_of(source, "<script>")
    assert by_value["onerror (trên <img>)"].line == line_of(source, "onerror")
    assert by_value["javascript:alert(1)"].line == line_of(source, "javascript:")


def test_cached_content_is_still_sanitized_and_reported(site):
    """The reader's output is cached; sanitizing and problems must not be skipped on reuse."""
    files = {"tin-tuc/lich-hop.md": post(title="Lịch họp phụ huynh", body=XSS_BODY)}
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CHECK_MODIFIED_METHOD": "md5"}
    first = site(files, **cache)
    second = site(files, **cache)
    cached = [f for _, _, names in os.walk(os.path.join(first.root, "cache")) for f in names]
    assert cached  # the second build had the reader's output to reuse
    for built in (first, second):
        assert built.ok, built.messages()
        assert "alert(" not in built.read("tin-tuc/lich-hop-phu-huynh/index.html")
        assert {p.value for p in safety(built)} >= {"<script>", "javascript:alert(1)"}


def test_pages_carry_the_content_security_policy(site):
    built = site({"tin-tuc/a.md": post()})
    assert built.ok, built.messages()
    soup = built.soup("index.html")
    meta = soup.head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    policy = meta["content"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "https://www.youtube-nocookie.com/embed/" in policy
    # Before any stylesheet or script, so it governs them all.
    head = list(soup.head.find_all(True))
    first_resource = next(i for i, t in enumerate(head) if t.name in ("link", "script"))
    assert head.index(meta) < first_resource


def test_table_alignment_survives_as_a_class(site):
    body = "| Lớp | Sĩ số |\n|-----|------:|\n| 10A1 | 42 |"
    built = site({"tin-tuc/a.md": post(title="Sĩ số", body=body)})
    assert built.ok, built.messages()
    cell = built.soup("tin-tuc/si-so/index.html").select_one(".prose td.align-right")
    assert cell is not None and cell.get_text() == "42" and not cell.get("style")
    # Wide tables scroll inside a keyboard-focusable region instead of widening the page.
    region = cell.find_parent("div", class_="table-scroll")
    assert region["tabindex"] == "0" and region["role"] == "region" and region["aria-label"]
    assert safety(built) == []


def test_embed_from_an_unknown_host_is_removed(site):
    body = ('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Lễ khai giảng">'
            '</iframe>\n\n<iframe src="https://evil.example/x" title="x"></iframe>')
    source = post(title="Video", body=body)
    built = site({"tin-tuc/v.md": source})
    assert built.ok, built.messages()
    frames = built.soup("tin-tuc/video/index.html").select(".prose iframe")
    assert [f["src"] for f in frames] == ["https://www.youtube-nocookie.com/embed/abc"]
    [warning] = safety(built)
    assert warning.value == "https://evil.example/x"
    assert warning.line == line_of(source, "evil.example")


@pytest.mark.parametrize("sentence, secret, masked", [
    ("Phụ huynh em An gửi CCCD 001208012345 để xác nhận.", "001208012345", "001 ****** 345"),
    ("Mọi thắc mắc liên hệ cô Lan: 0912 345 678.", "0912 345 678", "0912 *** 678"),
    ("Em Nguyễn Văn An (lớp 10A1) sinh ngày 12/03/2009 đạt giải Nhất.", "12/03/2009",
     "sinh ngày **/**/2009"),
])
def test_personal_data_fails_the_build_until_consent_is_declared(site, sentence, secret, masked):
    body = f"Nhà trường thông báo kết quả.\n\n{sentence}\n\nTrân trọng."
    source = post(title="Thông báo", body=body)
    built = site({"tin-tuc/tb.md": source})
    assert not built.ok
    [error] = safety(built, "error")
    assert error.file == "content/tin-tuc/tb.md"
    assert error.line == line_of(source, secret)
    assert error.value == masked
    assert masked in error.format()
    assert secret not in error.format()

    consented = post(title="Thông báo", body=body, Personal_data="consented",
                     Consent_by="Hiệu trưởng, biên bản số 12/BB-THPTNT ngày 05/09/2023")
    built = site({"tin-tuc/tb.md": consented})
    assert built.ok, built.messages()
    assert safety(built) == []


def test_consent_without_approver_is_an_error(site):
    source = post(title="Khen thưởng", body="Liên hệ 0912345678.", Personal_data="consented")
    built = site({"tin-tuc/k.md": source})
    assert not built.ok
    errors = {p.field: p for p in safety(built, "error")}
    assert set(errors) == {"Consent-by", ""}  # and the phone number still counts
    assert errors["Consent-by"].line == line_of(source, "Personal-data:")
    assert errors[""].line == line_of(source, "0912345678")


def test_official_school_phone_is_allowed(site):
    built = site({"tin-tuc/a.md": post(body="Gọi Văn phòng: 0228 3 840 123.")})
    assert built.ok, built.messages()
    assert safety(built) == []


def test_draft_with_personal_data_only_warns(site):
    built = site({"tin-tuc/a.md": post(body="Liên hệ 0912345678.", Status="draft")})
    assert built.ok, built.messages()
    [warning] = safety(built)
    assert warning.severity == "warning" and "bản nháp" in warning.message


def test_attachment_file_name_with_an_id_number(site):
    built = site({"tin-tuc/a.md": post(body="Hồ sơ [tải về]({static}/files/ho-so.pdf)."),
                  "files/cccd-001208012345.pdf": b"%PDF-1.4\n",
                  "files/ho-so.pdf": b"%PDF-1.4\n"})
    assert not built.ok
    [error] = safety(built, "error")
    assert error.file == "content/files/cccd-001208012345.pdf"
    assert "001208012345" not in error.format()


def test_accessibility_warnings_name_file_and_line(site):
    source = post(title="Hoạt động ngoại khóa", body="""
        ### Mở đầu

        Buổi ngoại khóa diễn ra sôi nổi.

        ![](images/ngoai-khoa.jpg)

        <img src="/images/toan-canh.jpg">

        Xem chi tiết [tại đây](/thong-bao/).

        # Phần hai

        <table><tr><td>Lớp</td><td>Số học sinh</td></tr></table>
        """)
    built = site({"tin-tuc/nk.md": source})
    assert built.ok, built.messages()  # warnings do not stop a dev build
    found = {(p.message, p.line) for p in safety(built, "warning")}
    expected = {
        (a11y.MESSAGES["heading-skip"][0], line_of(source, "### Mở đầu")),
        (a11y.MESSAGES["image-alt"][0], line_of(source, "ngoai-khoa.jpg")),
        (a11y.MESSAGES["image-alt"][0], line_of(source, "toan-canh.jpg")),
        (a11y.MESSAGES["link-text"][0], line_of(source, "tại đây")),
        (a11y.MESSAGES["heading-h1"][0], line_of(source, "# Phần hai")),
        (a11y.MESSAGES["table-header"][0], line_of(source, "<table>")),
    }
    assert found == expected
    assert all(p.file == "content/tin-tuc/nk.md" for p in safety(built))


def test_demo_content_has_no_personal_data(demo):
    assert [p.format() for p in demo.problems
            if p.plugin == "portal_safety" and p.severity == "error"] == []
