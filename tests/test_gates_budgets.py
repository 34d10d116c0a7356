"""Page budgets: a tiny hand-made output folder where each page breaks one budget."""

from __future__ import annotations

import os

import pytest
from PIL import Image

from cong_truong.gates import budgets

SITE = "https://thptnguyentrai.edu.vn"


def page(body="", head="") -> str:
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trang</title>'
            f'<link rel="canonical" href="{SITE}/">'
            f'<link rel="stylesheet" href="/theme/css/portal.css">'
            f'<link rel="alternate" type="application/atom+xml" href="{SITE}/feeds/tat-ca.atom.xml">'
            f'{head}</head><body><main><h1>Trang thử</h1>{body}'
            f'<p><a href="https://moet.gov.vn/">Bộ Giáo dục và Đào tạo</a></p></main></body></html>')


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
        f.write(data)


def jpeg(root, rel, width, height=None, noise=False):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    size = (width, height or width * 3 // 4)
    image = Image.effect_noise(size, 120).convert("RGB") if noise else Image.new("RGB", size, (30, 120, 60))
    image.save(path, "JPEG", quality=95)


@pytest.fixture
def clean_output(tmp_path):
    """A tiny site that meets every budget."""
    root = str(tmp_path / "output")
    write(root, "index.html", page('<picture><source type="image/webp" '
                                   'srcset="/images/a-480.jpg 480w, /images/a.jpg 960w">'
                                   '<img src="/images/a-480.jpg" srcset="/images/a-480.jpg 480w, '
                                   '/images/a.jpg 960w" width="960" height="720" alt="Sân trường">'
                                   '</picture><img src="/theme/logo.svg" alt="Logo">'))
    write(root, "tim-kiem/index.html", page(head='<script src="/pagefind/pagefind-ui.js"></script>',
                                            body='<div id="search"></div><script>init()</script>'))
    write(root, "tin-tuc/bai/index.html", page(
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script><p>Nội dung.</p>'))
    write(root, "theme/css/portal.css", "body { color: #111; }\n" * 200)
    write(root, "theme/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    jpeg(root, "images/a-480.jpg", 480)
    jpeg(root, "images/a.jpg", 960)
    return root


def breaches_of(root, **kw):
    return budgets.check_output(root, SITE, **kw)


def test_clean_output_meets_every_budget(clean_output):
    assert breaches_of(clean_output) == []
    assert budgets.main([clean_output, "--siteurl", SITE]) == 0


def test_html_page_over_50_kb(clean_output):
    write(clean_output, "luu-tru/index.html", page("<p>Bài viết cũ của nhà trường.</p>" * 1500))
    found = breaches_of(clean_output)
    assert [(b.page, b.rule) for b in found] == [("luu-tru/index.html", "html-size")]
    assert "> 50,0 KB" in found[0].figure


def test_css_over_20_kb_in_total(clean_output):
    write(clean_output, "theme/css/them.css", ".a { color: red; }\n" * 900)  # 17 KB + 4 KB
    assert breaches_of(clean_output) == []  # a stylesheet no page loads costs nothing
    write(clean_output, "gioi-thieu/index.html",
          page(head='<link rel="stylesheet" href="../theme/css/them.css">'))
    found = breaches_of(clean_output)
    assert [b.rule for b in found] == ["css-total"]
    assert "2 tệp" in found[0].figure


def test_inline_styles_count_towards_css(clean_output):
    write(clean_output, "gioi-thieu/index.html", page(head="<style>" + ".b{color:red}" * 1300 + "</style>"))  # 17 KB + 4 KB
    assert [b.rule for b in breaches_of(clean_output)] == ["css-total"]


def test_javascript_only_on_the_search_page(clean_output):
    write(clean_output, "thong-bao/index.html", page('<script>alert("xin chào")</script>'))
    found = breaches_of(clean_output)
    assert [(b.page, b.rule) for b in found] == [("thong-bao/index.html", "javascript")]


def test_image_wider_than_its_display_size(clean_output):
    jpeg(clean_output, "images/to.jpg", 2000)
    write(clean_output, "gioi-thieu/index.html", page(
        '<img src="/images/to.jpg" width="800" height="600" alt="Ảnh quá lớn">'
        '<img src="/images/a.jpg" srcset="/images/to.jpg 1000w" width="960" alt="Sai srcset">'
        '<img src="/images/to.jpg" alt="Không khai báo kích thước">'))
    found = breaches_of(clean_output)
    assert {b.rule for b in found} == {"image-pixels"}
    figures = sorted(b.figure for b in found)
    assert any("2000px > 800px" in f for f in figures)
    assert any("2000px > 1000w" in f for f in figures)
    assert any("không có width/srcset" in f for f in figures)
    assert all(b.page == "gioi-thieu/index.html" for b in found)


def test_image_file_over_300_kb(clean_output):
    jpeg(clean_output, "images/nang.jpg", 900, noise=True)
    assert os.path.getsize(os.path.join(clean_output, "images/nang.jpg")) > 300 * 1024
    found = breaches_of(clean_output)
    assert [(b.page, b.rule) for b in found] == [("images/nang.jpg", "image-bytes")]


@pytest.mark.parametrize("markup", [
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">',
    '<script src="https://www.googletagmanager.com/gtag/js"></script>',
    '<img src="https://cdn.example.com/a.jpg" width="10" alt="Ảnh ngoài">',
    '<iframe src="https://www.youtube.com/embed/xyz" title="Video"></iframe>',
    '<link rel="preconnect" href="https://fonts.gstatic.com">',
    '<style>@font-face { src: url(https://fonts.gstatic.com/x.woff2); }</style>',
    '<img src="//cdn.example.com/b.png" width="10" alt="Ảnh ngoài">',
])
def test_requests_to_other_hosts(clean_output, markup):
    write(clean_output, "tim-kiem/index.html", page(markup))  # the search page: JS allowed
    found = breaches_of(clean_output)
    assert [(b.page, b.rule) for b in found] == [("tim-kiem/index.html", "external")]


def test_own_host_and_plain_links_are_fine(clean_output):
    write(clean_output, "lien-he/index.html", page(
        f'<img src="{SITE}/images/a.jpg" width="960" alt="Ảnh">'
        '<a href="https://www.facebook.com/thptnguyentrai">Trang Facebook của trường</a>'))
    assert breaches_of(clean_output) == []


def test_external_font_in_a_css_file(clean_output):
    write(clean_output, "theme/css/fonts.css",
          "@import 'https://fonts.googleapis.com/css2?family=Roboto';\n")
    found = breaches_of(clean_output)
    assert [(b.page, b.rule) for b in found] == [("theme/css/fonts.css", "external")]


def test_siteurl_inferred_from_canonical_link(clean_output):
    write(clean_output, "lien-he/index.html", page(f'<img src="{SITE}/images/a.jpg" width="960">'))
    assert budgets.check_output(clean_output) == []  # SITEURL read from index.html


def test_cli_reports_page_and_figure(clean_output, capsys):
    write(clean_output, "thong-bao/index.html", page("<script>1</script>"))
    assert budgets.main([clean_output, "--siteurl", SITE]) == 1
    out = capsys.readouterr().out
    assert "thong-bao/index.html" in out and "[javascript]" in out and "1 vi phạm" in out


def test_demo_meets_the_budgets(demo):
    found = budgets.check_output(demo.output, "")
    assert found == [], budgets.format_breaches(found)


def test_the_web_editor_has_its_own_budget_only(clean_output):
    # /admin/ (Decap CMS) runs scripts and is large: not a reader page, so only its size counts
    write(clean_output, "admin/index.html", page('<script src="decap-cms.js"></script>'))
    write(clean_output, "admin/decap-cms.js", b"x" * (60 * 1024))
    assert breaches_of(clean_output) == []
    from cong_truong.gates import links
    assert not [p for p in links.html_pages(str(clean_output)) if p.startswith("admin/")]
    found = breaches_of(clean_output, budgets=budgets.Budgets(admin_bytes=50 * 1024))
    assert [(b.page, b.rule) for b in found] == [("admin/", "admin-size")]
    # a reader's page elsewhere with a script is still a breach
    write(clean_output, "tin-tuc/x/index.html", page('<script src="/a.js"></script>'))
    assert [b.rule for b in breaches_of(clean_output)] == ["javascript"]
