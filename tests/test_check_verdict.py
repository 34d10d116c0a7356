"""`invoke check` tells exactly whether publishing will succeed: it agrees with
`invoke build --strict` (what `invoke publish` runs) on posts with each kind of problem, ends
with one verdict line, and a mistake gives one problem, not a cascade."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, copy_project, post

pytestmark = pytest.mark.demo

PUBLISHABLE = "Kết luận: sẽ xuất bản được"
NOT_PUBLISHABLE = "Kết luận: sẽ KHÔNG xuất bản được"


def invoke(cwd, *args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600,
                          env={**os.environ, "PORTAL_TODAY": "2026-11-29"})


@pytest.fixture
def project(tmp_path):
    """The project with the demo content (which publishes as it is)."""
    return copy_project(tmp_path / "portal", content=None)


def last_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# A year without a communications plan: the year before the demo's first plan
PLAN_YEARS = sorted(int(name[:4]) for name in os.listdir(os.path.join(ROOT, "content", "plans"))
                    if name[:4].isdigit())
NO_PLAN = PLAN_YEARS[0] - 1
README_EXAMPLE = post(f"Lễ khai giảng năm học {NO_PLAN}–{NO_PLAN + 1}", f"{NO_PLAN}-09-05 07:30",
                      Topics="chat-luong-giao-duc, chinh-sach-phap-luat",
                      Tags="khai giảng, năm học mới",
                      Summary="Sáng 5/9, thầy và trò nhà trường long trọng tổ chức lễ khai giảng.")
CASES = {
    # a post that publishes
    "clean": post("Hội thi tin học trẻ cấp trường", "2023-03-10 08:00", Topics="chuyen-doi-so"),
    # an error: a day-first date
    "bad-date": post("Hội thi tin học trẻ cấp trường", "10/03/2023", Topics="chuyen-doi-so"),
    # a warning only (a vague link text): the preview builds, publishing does not
    "warning": post("Hội thi tin học trẻ cấp trường", "2023-03-10 08:00", Topics="chuyen-doi-so",
                    body="Xem thể lệ [tại đây](/van-ban/)."),
    # README's example post, dated in a year without a communications plan (a warning)
    "no-plan-year": README_EXAMPLE,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_agrees_with_the_publishing_build(project, case):
    folder = project / "content" / "tin-tuc" / "2023"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bai-kiem-tra.md").write_text(CASES[case], encoding="utf-8")
    checked = invoke(project, "check")
    published = invoke(project, "build", "--strict", "--output", str(project / "xuat-ban"))
    assert (checked.returncode == 0) == (published.returncode == 0), (
        checked.stderr[-3000:], published.stderr[-3000:])
    assert (checked.returncode == 0) == (case == "clean"), checked.stderr[-3000:]
    verdict = last_line(checked)
    assert verdict.startswith(PUBLISHABLE if case == "clean" else NOT_PUBLISHABLE), verdict
    assert "Traceback" not in checked.stdout + checked.stderr
    if case == "warning":  # the preview build goes on; check --dev says so too
        assert invoke(project, "build", "--output", str(project / "xem-truoc")).returncode == 0
        dev = invoke(project, "check", "--dev")
        assert dev.returncode == 0 and last_line(dev).startswith(PUBLISHABLE), dev.stderr
        assert "CẢNH BÁO (chặn xuất bản)" in checked.stderr  # the report says it blocks
    if case == "bad-date":  # one problem, not a phantom year of its own
        assert "1970" not in checked.stderr and "1969" not in checked.stderr
        assert "2023-03-10" in checked.stderr  # the ISO form to write
        assert "1 lỗi" in verdict
    if case == "no-plan-year":
        assert f"content/plans/{NO_PLAN}.yml" in checked.stderr  # what file to add


def test_a_misspelled_topic_names_the_plan_it_was_checked_against(project):
    folder = project / "content" / "tin-tuc" / str(NO_PLAN)
    folder.mkdir(parents=True)
    (folder / "a.md").write_text(post("Ngày hội đọc sách", f"{NO_PLAN}-04-21 08:00",
                                      Topics="chuyen-doi-soo"), encoding="utf-8")
    checked = invoke(project, "check")
    assert checked.returncode == 1
    stand_in = PLAN_YEARS[0]  # no earlier plan: the first one
    assert (f"Chủ đề không có trong kế hoạch truyền thông năm {stand_in} (chưa có kế hoạch năm "
            f"{NO_PLAN}: bài được đối chiếu với kế hoạch gần nhất, năm {stand_in})"
            ) in checked.stderr
    assert "Chuyển đổi số (chuyen-doi-so)" in checked.stderr  # did-you-mean


def test_verdict_lines():
    from portal_core.check import verdict

    assert verdict(0, 0, 0, True).startswith(PUBLISHABLE)
    assert verdict(3, 1, 2, True) == (
        "Kết luận: sẽ KHÔNG xuất bản được — 3 vấn đề chặn (1 lỗi, 2 cảnh báo; bản xuất bản "
        "coi cảnh báo là lỗi). Sửa theo báo cáo ở trên rồi chạy lại «cong-truong check».")
    assert "cảnh báo" not in verdict(1, 1, 4, False)  # preview rules: warnings do not block
