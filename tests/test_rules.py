"""Content rules: every bad input is reported with file, field, value and hint; all in one run."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT, page, post

GOOD = {
    "tin-tuc/2022/tot.md": post("Bài viết hợp lệ", "2022-10-10"),
    "pages/gioi-thieu.md": page(),
}


def only(built, field):
    return [p for p in built.problems if p.field == field]


def test_good_site_has_no_problem(site):
    built = site(GOOD)
    assert built.ok
    # A tiny site lacks mandatory sections (warnings from the compliance plugin), no errors.
    assert [p for p in built.problems if p.severity == "error"] == []


def test_missing_title(site):
    built = site({**GOOD, "tin-tuc/2022/khong-tieu-de.md": post(None, "2022-10-11")})
    assert not built.ok
    [problem] = only(built, "Title")
    assert problem.file == "content/tin-tuc/2022/khong-tieu-de.md"
    assert "Title" in problem.hint


def test_day_first_date_is_rejected_with_iso_form(site):
    built = site({**GOOD, "tin-tuc/2022/ngay.md": post("Ngày viết kiểu cũ", "05/09/2022")})
    assert not built.ok
    [problem] = only(built, "Date")
    assert problem.value == "05/09/2022" and problem.line == 2
    assert "2022-09-05" in problem.hint  # 5 September, shown in ISO form
    assert not os.path.exists(os.path.join(built.output, "index.html"))  # nothing written


def test_missing_date(site):
    built = site({**GOOD, "tin-tuc/2022/thieu-ngay.md": post("Không có ngày", None)})
    [problem] = only(built, "Date")
    assert problem.value == "" and "Date" in problem.hint


def test_unknown_metadata_key_suggests_closest(site):
    built = site({**GOOD, "tin-tuc/2022/khoa.md": post("Khóa sai", "2022-10-12",
                                                      Sumary="Tóm tắt gõ sai tên khóa.")})
    assert not built.ok
    [problem] = only(built, "Sumary")
    assert "Summary" in problem.hint and problem.value.startswith("Tóm tắt")


def test_missing_category_names_the_folder_category(site):
    built = site({**GOOD, "thong-bao/2022/tb.md": post("Thông báo thiếu chuyên mục", "2022-10-13",
                                                       category=None)})
    [problem] = only(built, "Category")
    assert "Category: Thông báo" in problem.hint


def test_unknown_category_lists_valid_ones(site):
    built = site({**GOOD, "tin-tuc/2022/cm.md": post("Chuyên mục lạ", "2022-10-14",
                                                     category="Sự kiện")})
    [problem] = only(built, "Category")
    assert problem.value == "Sự kiện" and "Tin tức" in problem.hint and "Thông báo" in problem.hint


def test_category_written_without_diacritics_is_normalised(site):
    built = site({**GOOD, "tin-tuc/2022/cm2.md": post("Chuyên mục không dấu", "2022-10-15",
                                                      category="tin tuc")})
    assert built.ok, built.messages()
    assert "Tin tức" in built.soup("tin-tuc/chuyen-muc-khong-dau/index.html").find(
        class_="breadcrumb").get_text()


def test_invalid_status(site):
    built = site({**GOOD, "tin-tuc/2022/st.md": post("Trạng thái lạ", "2022-10-16",
                                                     Status="publish")})
    [problem] = only(built, "Status")
    assert "draft" in problem.hint


def test_titles_differing_only_by_tone_marks_stop_the_build_naming_both(site):
    built = site({**GOOD,
                  "tin-tuc/2022/ma-1.md": post("Má", "2022-10-01"),
                  "tin-tuc/2022/ma-2.md": post("Mà", "2022-10-02")})
    assert not built.ok
    slugs = only(built, "Slug")
    assert {p.file for p in slugs} == {"content/tin-tuc/2022/ma-1.md", "content/tin-tuc/2022/ma-2.md"}
    assert all("ma-1.md" in p.message and "ma-2.md" in p.message for p in slugs)
    assert not os.path.exists(os.path.join(built.output, "tin-tuc"))  # nothing overwritten


def test_explicit_slug_resolves_the_collision(site):
    built = site({**GOOD,
                  "tin-tuc/2022/ma-1.md": post("Má", "2022-10-01", Slug="ma-me"),
                  "tin-tuc/2022/ma-2.md": post("Mà", "2022-10-02")})
    assert built.ok, built.messages()
    assert built.exists("tin-tuc/ma-me/index.html") and built.exists("tin-tuc/ma/index.html")


def test_tags_differing_only_by_tone_marks_are_reported(site):
    built = site({**GOOD,
                  "tin-tuc/2022/t1.md": post("Bài một", "2022-10-01", Tags="khai giảng"),
                  "tin-tuc/2022/t2.md": post("Bài hai", "2022-10-02", Tags="khai giang")})
    assert not built.ok
    tags = only(built, "Tags")
    assert {p.file for p in tags} == {"content/tin-tuc/2022/t1.md", "content/tin-tuc/2022/t2.md"}


def test_all_problems_reported_in_one_run(site):
    built = site({**GOOD,
                  "tin-tuc/2022/a.md": post(None, "2022-10-01"),
                  "tin-tuc/2022/b.md": post("Bài b", "1/10/2022"),
                  "thong-bao/2022/c.md": post("Bài c", "2022-10-03", category="Khác")})
    assert not built.ok
    core = [p for p in built.problems if p.plugin == "portal_core"]
    assert {p.file.rsplit("/", 1)[1] for p in core} == {"a.md", "b.md", "c.md"}
    assert "3 vấn đề" in str(built.error)


def test_a_post_pelican_drops_is_reported_with_the_reason(site):
    from pelican import signals

    def explode(generator, metadata):
        if metadata.get("title") == "Bài gây lỗi":
            raise ValueError("lỗi giả lập trong một plugin")

    signals.article_generator_context.connect(explode)
    built = site({**GOOD, "tin-tuc/2022/loi.md": post("Bài gây lỗi", "2022-10-05")})
    assert not built.ok
    [problem] = [p for p in built.problems if p.file.endswith("loi.md")]
    assert "bỏ qua" in problem.message and "lỗi giả lập" in problem.message


def test_school_data_must_not_publish_private_leader_data(site, tmp_path):
    import yaml

    with open(os.path.join(ROOT, "content", "data", "school.yml"), encoding="utf-8") as f:
        school = yaml.safe_load(f)
    school["leaders"][0]["birth_date"] = "1975-01-01"
    del school["leaders"][1]["email"]
    built = site({**GOOD, "data/school.yml": yaml.safe_dump(school, allow_unicode=True)})
    assert not built.ok
    fields = {p.field for p in built.problems}
    assert "leaders[0].birth_date" in fields and "leaders[1].email" in fields


def test_broken_yaml_names_the_line(site):
    built = site({**GOOD, "data/site.yml": "categories:\n  - name: Tin tức\n   slug: x\n"})
    assert not built.ok
    [problem] = [p for p in built.problems if p.file.endswith("site.yml")]
    assert problem.line == 3 and "YAML" in problem.message  # "   slug: x" is mis-indented


def run_check(content, *args):
    env = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "plugins")}
    return subprocess.run(
        [sys.executable, "-m", "portal_core.check", "--settings",
         os.path.join(ROOT, "pelicanconf.py"), "--content", str(content), "--today", "2026-11-29",
         *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def content_dir(tmp_path):
    from conftest import make_site

    def factory(files):
        return make_site(tmp_path, files)
    return factory


def test_check_reports_every_problem_and_exits_non_zero(content_dir, tmp_path):
    content = content_dir({**GOOD, "tin-tuc/2022/a.md": post(None, "2022-10-01"),
                           "tin-tuc/2022/b.md": post("Bài b", "05/09/2022")})
    before = sorted(os.listdir(tmp_path))
    result = run_check(content)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "content/tin-tuc/2022/a.md" in out and "content/tin-tuc/2022/b.md" in out
    assert "2022-09-05" in out and "Tổng cộng: 2 lỗi" in out
    assert sorted(os.listdir(tmp_path)) == before  # nothing written next to the content


def test_check_passes_on_good_content(content_dir):
    content = content_dir(GOOD)
    result = run_check(content, "--dev")  # the preview's rules: only errors block
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Kết luận: sẽ xuất bản được")
    # the publishing rules (the default): this tiny site lacks the mandated sections, warnings
    strict = run_check(content)
    assert strict.returncode == 1 and "CẢNH BÁO (chặn xuất bản)" in strict.stderr
    assert strict.stderr.strip().splitlines()[-1].startswith("Kết luận: sẽ KHÔNG xuất bản được")


def test_problems_survive_the_content_cache(tmp_path):
    """A cached bad file is reported on every build, not only the first (cache holds problems)."""
    from conftest import build

    files = {**GOOD, "tin-tuc/2022/b.md": post("Bài b", "05/09/2022")}
    cache = {"LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True,
             "CHECK_MODIFIED_METHOD": "sha256"}
    first = build(tmp_path, files, **cache)
    second = build(tmp_path, files, **cache)
    assert os.listdir(os.path.join(tmp_path, "cache"))  # the cache was really used
    for built in (first, second):
        assert not built.ok
        assert [p.value for p in built.problems if p.field == "Date"] == ["05/09/2022"]


def test_malformed_portal_today_is_a_clear_problem(site, monkeypatch):
    monkeypatch.setenv("PORTAL_TODAY", "29/11/2026")
    built = site(GOOD, PORTAL_TODAY="29/11/2026")
    assert not built.ok
    [problem] = [p for p in built.problems if p.field == "PORTAL_TODAY"]
    assert problem.value == "29/11/2026" and "YYYY-MM-DD" in problem.hint
