"""A failed build ends cleanly: the report and one summary line, never a Python traceback; a
bug in our code still shows its traceback, under a heading that says it is a program error.

Each test runs invoke as a subprocess on a tiny copy of the project (no demo content)."""

import os
import subprocess
import sys

import pytest

from conftest import copy_project, post

BAD_DATE = post("Bài có ngày sai", "05/09/2023")
NOISE = ("Traceback", "CRITICAL", "RuntimeError", "Encountered a bad command", "UnexpectedExit")


def invoke(cwd, *args, env=None):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600,
                          env={**os.environ, "PORTAL_TODAY": "2026-11-29", **(env or {})})


@pytest.fixture
def tiny(tmp_path):
    """The project's code and settings with a tiny content folder (school data and plans only),
    with an empty content/tin-tuc/2023/ for the posts a test writes."""
    root = copy_project(tmp_path / "portal")
    (root / "content" / "tin-tuc" / "2023").mkdir(parents=True)
    return root


def output_of(result) -> str:
    return result.stdout + result.stderr


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


@pytest.mark.parametrize("args", [("build",), ("build", "--strict"), ("check",),
                                  ("check", "--strict"), ("publish", "--no-push")])
def test_a_content_failure_ends_with_the_report_and_one_line(tiny, args):
    (tiny / "content" / "tin-tuc" / "2023" / "loi-ngay.md").write_text(BAD_DATE, encoding="utf-8")
    if args[0] == "publish":
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tiny, check=True)
    result = invoke(tiny, *args)
    text = output_of(result)
    assert result.returncode == 1, text
    assert "loi-ngay.md" in text and "2023-09-05" in text  # the report: file and the fix
    for noise in NOISE:
        assert noise not in text, text
    # After the report, one line: the verdict (a build says nothing is published)
    expected = ("Kết luận: sẽ KHÔNG xuất bản được" if args[0] == "check"
                else "Dựng trang thất bại:")
    verdict = last_line(result.stderr)
    assert verdict.startswith(expected), text
    assert text.count(expected) == 1, text
    assert not (tiny / "output").exists()


def test_a_strict_build_that_fails_on_warnings_only_ends_cleanly(tiny):
    """A good post on a tiny site: its only problems are warnings (missing mandated sections)."""
    (tiny / "content" / "tin-tuc" / "2023" / "bai.md").write_text(
        post("Bài viết đúng", "2023-09-05"), encoding="utf-8")
    dev = invoke(tiny, "build")
    assert dev.returncode == 0, output_of(dev)
    assert "CẢNH BÁO" in output_of(dev)  # warnings are shown, and do not stop the dev build
    strict = invoke(tiny, "build", "--strict", "--output", str(tiny / "strict"))
    text = output_of(strict)
    assert strict.returncode == 1, text
    assert "CẢNH BÁO" in text and "LỖI" not in text.replace("LỖI CHƯƠNG", "")
    for noise in NOISE:
        assert noise not in text, text
    assert last_line(strict.stderr).startswith("Dựng trang thất bại:"), text


def test_the_dev_build_prints_no_warning_an_editor_cannot_act_on(tiny):
    """Pelican's "Feeds generated without SITEURL" (the dev build has no SITEURL, by design)."""
    (tiny / "content" / "tin-tuc" / "2023" / "bai.md").write_text(
        post("Bài viết đúng", "2023-09-05"), encoding="utf-8")
    result = invoke(tiny, "build")
    assert result.returncode == 0, output_of(result)
    assert "SITEURL" not in output_of(result)
    # Pelican's log shows one warning record: portal_core's verdict over its report
    warnings = [line for line in output_of(result).splitlines() if "WARNING" in line]
    assert all("portal_core:" in line for line in warnings), warnings
    # Pelican's closing line, in Vietnamese
    assert "Done: Processed" not in output_of(result)
    assert "Xong: 1 bài viết, 0 bản nháp" in " ".join(output_of(result).split())


@pytest.mark.parametrize("english, vietnamese", [
    ("Done: Processed 49 articles, 2 drafts, 0 hidden articles, 70 pages, 0 hidden pages and "
     "0 draft pages in 4.55 seconds.",
     "Xong: 49 bài viết, 2 bản nháp, 0 bài ẩn, 70 trang, 0 trang ẩn, 0 trang nháp trong 4,55 giây."),
    ("Done: Processed 1 article, 1 draft, 1 hidden article, 1 page, 1 hidden page and 1 draft page "
     "in 0.10 seconds.",
     "Xong: 1 bài viết, 1 bản nháp, 1 bài ẩn, 1 trang, 1 trang ẩn, 1 trang nháp trong 0,10 giây."),
    ("Nội dung khác", "Nội dung khác"),
])
def test_pelicans_closing_line_is_translated(english, vietnamese):
    from portal_core.build import translate_done

    assert translate_done(english) == vietnamese


BUG_PLUGIN = '''from pelican import signals


def crash(generators):
    raise ValueError("lỗi cố ý trong mã")


def register():
    signals.all_generators_finalized.connect(crash)
'''


@pytest.mark.parametrize("args", [("build",), ("build", "--strict"), ("check",)])
def test_a_bug_in_our_code_shows_its_traceback_under_a_vietnamese_heading(tiny, args):
    plugin = tiny / "plugins" / "portal_bug"  # a plugin of the school's own, beside the package's
    plugin.mkdir(parents=True)
    (plugin / "__init__.py").write_text(BUG_PLUGIN, encoding="utf-8")
    with open(tiny / "pelicanconf.py", "a", encoding="utf-8") as conf:
        conf.write('\nPLUGIN_PATHS = ["plugins"]\nPLUGINS = PLUGINS + ["portal_bug"]\n')
    (tiny / "content" / "tin-tuc" / "2023" / "bai.md").write_text(
        post("Bài viết đúng", "2023-09-05"), encoding="utf-8")
    result = invoke(tiny, *args)
    text = output_of(result)
    assert result.returncode == 3, text
    heading = result.stderr.index("LỖI CHƯƠNG TRÌNH")
    assert "Issues" in result.stderr[heading:]  # where to report it
    assert result.stderr.index("Traceback", heading) > heading
    assert "ValueError: lỗi cố ý trong mã" in result.stderr
    assert "Encountered a bad command" not in text and "CRITICAL" not in text


def test_only_pelicans_fatal_warning_counts_as_a_content_failure(capsys):
    """The boundary itself: Pelican's RuntimeError for a fatal warning ends a strict build like a
    content failure; any other RuntimeError (or that one outside a strict build) is a bug."""
    from portal_core import PortalContentError
    from portal_core.build import FATAL_LOG_MESSAGE, run_guarded

    def raising(error):
        def run():
            raise error
        return run

    assert run_guarded(raising(PortalContentError("portal_core: 2 vấn đề")), strict=False) == 1
    assert capsys.readouterr().err.strip() == "Dựng trang thất bại: 2 vấn đề"
    assert run_guarded(raising(RuntimeError(FATAL_LOG_MESSAGE)), strict=True) == 1
    assert "Traceback" not in capsys.readouterr().err
    for error, strict in ((RuntimeError("khác"), True), (RuntimeError(FATAL_LOG_MESSAGE), False),
                          (KeyError("x"), True)):
        assert run_guarded(raising(error), strict=strict) == 3
        err = capsys.readouterr().err
        assert "LỖI CHƯƠNG TRÌNH" in err and err.index("Traceback") > err.index("LỖI CHƯƠNG TRÌNH")
    assert run_guarded(lambda: None, strict=True) == 0
