"""The editors' preview (`invoke livereload`, `invoke serve`, tools/preview.py): pages reload
after a build, a failed build keeps the last good site and shows the report, a busy port moves
to the next one, and stopping leaves no process behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import copy_project, post
from cong_truong.tools import preview

pytestmark = pytest.mark.demo


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _status(base):
    import json

    code, body = _get(base + preview.STATUS_PATH)
    return json.loads(body) if code == 200 else None


def _wait(predicate, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


@pytest.fixture
def small_project(tmp_path):
    """The project's code with school data, plans and one post (fast builds)."""
    root = copy_project(tmp_path / "portal")
    folder = root / "content" / "tin-tuc" / "2023"
    folder.mkdir(parents=True)
    (folder / "dau-tien.md").write_text(post("Bài đầu tiên", "2023-05-01 08:00"),
                                        encoding="utf-8")
    return root


class Preview:
    """`invoke livereload` (or serve) in its own process group, stopped and reaped at the end."""

    def __init__(self, root, tmp_path, task="livereload", port=None):
        self.port = port or _free_port()
        self.log_path = tmp_path / f"{task}.log"
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "invoke", task, f"--port={self.port}"], cwd=root,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PORTAL_TODAY": "2026-11-29"})

    def text(self):
        return self.log_path.read_text(encoding="utf-8")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        finally:
            self.log.close()

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill_group(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_livereload_reloads_keeps_the_last_good_site_and_stops_cleanly(small_project, tmp_path):
    root = small_project
    run = Preview(root, tmp_path)
    base = f"http://127.0.0.1:{run.port}"
    try:
        first = _wait(lambda: (s := _status(base)) and (s["build"] or not s["ok"]) and s,
                      timeout=120)
        assert first == {"build": 1, "ok": True, "report": ""}, run.text()
        code, home = _get(base + "/")
        assert code == 200 and preview.SCRIPT_PATH in home and preview.STYLE_PATH in home
        # only the preview's responses carry the script: never the files that get published
        with open(root / "output" / "index.html", encoding="utf-8") as handle:
            assert preview.PREFIX not in handle.read()

        new = root / "content" / "tin-tuc" / "2023" / "xem-truoc.md"
        new.write_text(post("Bài xem trước khi soạn", "2023-05-02 08:00"), encoding="utf-8")
        assert _wait(lambda: (_status(base) or {}).get("build") == 2), run.text()
        url = base + "/tin-tuc/bai-xem-truoc-khi-soan/"
        assert _get(url)[0] == 200

        new.write_text(post("Bài xem trước khi soạn", "02/05/2023"), encoding="utf-8")
        failed = _wait(lambda: (s := _status(base)) and not s["ok"] and s)
        assert failed and failed["build"] == 2, run.text()
        assert "xem-truoc.md" in failed["report"] and "2023-05-02" in failed["report"]
        assert "Traceback" not in failed["report"]
        # the last good site is still served, whole
        assert _get(url)[0] == 200 and _get(base + "/")[0] == 200
        assert (root / "output" / "tin-tuc" / "bai-xem-truoc-khi-soan" / "index.html").exists()
        time.sleep(4)  # a rebuild loop would print more failures meanwhile
        assert run.text().count("==> Dựng lỗi") == 1, run.text()

        new.write_text(post("Bài xem trước đã sửa", "2023-05-02 08:00"), encoding="utf-8")
        fixed = _wait(lambda: (s := _status(base)) and s["ok"] and s["build"] == 3 and s)
        assert fixed, run.text()
        assert _get(base + "/tin-tuc/bai-xem-truoc-da-sua/")[0] == 200
        assert _get(base + "/khong-co-trang-nay/")[0] == 404
    finally:
        run.stop()
        stopped = _wait(lambda: _get(base + "/")[0] == 0, timeout=10)
        left = _wait(lambda: not run.group_alive(), timeout=10)
        run.kill_group()
    assert stopped, "invoke livereload left its web server running after SIGTERM"
    assert left, "invoke livereload left a process behind"


def test_a_busy_port_moves_to_the_next_one_with_a_vietnamese_message(small_project, tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    run = Preview(small_project, tmp_path, task="serve", port=port)
    try:
        assert _wait(lambda: "Đang phục vụ tại" in run.text(), timeout=120), run.text()
        text = run.text()
        assert f"Cổng {port} đang bận" in text and "Traceback" not in text
        served = int(text.split("Đang phục vụ tại http://127.0.0.1:")[1].split("/")[0])
        assert served > port
        code, home = _get(f"http://127.0.0.1:{served}/")
        assert code == 200 and preview.PREFIX not in home  # serve: no reload script
    finally:
        busy.close()
        run.stop()
        left = _wait(lambda: not run.group_alive(), timeout=10)
        run.kill_group()
    assert left, "invoke serve left a process behind"


def test_inject_puts_the_tags_in_the_head():
    page = b"<!doctype html><html><head><title>x</title></head><body>a</body></html>"
    result = preview.inject(page)
    assert result.index(preview.SCRIPT_PATH.encode()) < result.index(b"</head>")
    assert preview.inject(b"<p>no head</p>").startswith(preview.INJECTED.encode())


@pytest.mark.browser
def test_the_open_page_shows_the_report_and_reloads_after_the_fix(small_project, tmp_path):
    from playwright.sync_api import sync_playwright

    from cong_truong.gates.browser import CHROMIUM, CHROMIUM_FLAGS

    run = Preview(small_project, tmp_path)
    base = f"http://127.0.0.1:{run.port}"
    post_file = small_project / "content" / "tin-tuc" / "2023" / "dau-tien.md"
    try:
        assert _wait(lambda: (_status(base) or {}).get("build"), timeout=120), run.text()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page(viewport={"width": 360, "height": 800})
                page.goto(base + "/tin-tuc/bai-dau-tien/")
                post_file.write_text(post("Bài đầu tiên", "01/05/2023"), encoding="utf-8")
                overlay = page.locator(".xem-truoc-loi")
                overlay.wait_for(state="visible", timeout=90_000)
                assert "2023-05-01" in overlay.inner_text()
                title = page.locator("h1").first.inner_text().replace("\xa0", " ")
                assert title == "Bài đầu tiên"  # the last good page (typo_title may glue the last word)
                post_file.write_text(post("Bài đầu tiên", "2023-05-01 08:00",
                                          body="Nội dung đã sửa sau khi xem trước."),
                                     encoding="utf-8")
                # the page reloads by itself (the CSP forbids evaluating strings: a locator)
                page.get_by_text("Nội dung đã sửa sau khi xem trước").wait_for(timeout=90_000)
                assert page.locator(".xem-truoc-loi").count() == 0
            finally:
                browser.close()
    finally:
        run.stop()
        run.kill_group()
