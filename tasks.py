"""Tasks for editors, developers and CI (invoke). `invoke --list` shows them all."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile

from invoke import Exit, task

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "output")
PY = sys.executable


PLUGINS_ENV = {"PYTHONPATH": os.path.join(HERE, "plugins")}


def _pelican(c, conf: str, output: str, fatal: bool = False):
    """Pelican's build through portal_core.build: a content failure ends with the report and
    one line, a program error with its traceback under a Vietnamese heading (never Pelican's
    CRITICAL line). `fatal` is Pelican's `--fatal warnings`."""
    fatal_flag = " --strict" if fatal else ""
    return c.run(f'"{PY}" -m portal_core.build -s {conf} -o "{output}"{fatal_flag}',
                 env=PLUGINS_ENV, pty=False, warn=True)


def _exit_on_failure(result) -> None:
    """Stop the task with the command's exit code, without invoke's own report of it (the
    command already said what went wrong, in Vietnamese)."""
    if not result.ok:
        raise Exit(code=result.return_code or 1)


@task(help={"strict": "Bản xuất bản: publishconf.py, cảnh báo cũng là lỗi (--fatal warnings).",
            "output": "Thư mục đầu ra (mặc định output/)."})
def build(c, strict=False, output=OUTPUT):
    """Dựng toàn bộ cổng thông tin vào output/ (build the whole portal)."""
    conf = "publishconf.py" if strict else "pelicanconf.py"
    with c.cd(HERE):
        _exit_on_failure(_pelican(c, conf, output, fatal=strict))


@task(help={"dev": "Luật của bản xem trước (chỉ lỗi mới chặn) thay cho luật của bản xuất bản.",
            "strict": "Luật của bản xuất bản (mặc định): cảnh báo cũng chặn."})
def check(c, dev=False, strict=False):
    """Kiểm tra toàn bộ nội dung, không ghi trang; cho biết có xuất bản được không.

    The publishing build's rules (publishconf.py, a warning blocks) unless --dev; the last
    line says whether `invoke publish` would succeed.
    """
    del strict  # the default: kept so that `invoke check --strict` still works
    with c.cd(HERE):
        _exit_on_failure(c.run(f'"{PY}" -m portal_core.check {"--dev" if dev else ""}',
                               env=PLUGINS_ENV, pty=False, warn=True))


@task(help={"port": "Cổng (mặc định 8000; nếu bận thì dùng cổng trống tiếp theo).",
            "build_first": "Dựng trước khi phục vụ."})
def serve(c, port=8000, build_first=True):
    """Dựng rồi phục vụ cổng tại http://127.0.0.1:8000 (serve the built site)."""
    import signal
    import time

    from tools import preview

    if build_first:
        build(c)
    signal.signal(signal.SIGTERM, _stop)
    server = preview.start(preview.PreviewState(OUTPUT, live=False), int(port))
    print(f"Đang phục vụ tại http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C để dừng)",
          flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def _stop(*_):
    """`kill` (SIGTERM) stops a preview like Ctrl+C does, with everything it started."""
    raise KeyboardInterrupt


def _sources_stamp() -> dict:
    """Size and modification time of every file a build reads (content, theme, settings)."""
    stamp = {}
    for top in ("content", "theme", "pelicanconf.py"):
        path = os.path.join(HERE, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(base, name) for base, _, names in os.walk(path) for name in names]
        for name in files:
            try:
                info = os.stat(name)
            except OSError:
                continue
            stamp[name] = (info.st_mtime_ns, info.st_size)
    return stamp


def _build_for_preview(staging: str) -> tuple[bool, str]:
    """One development build into *staging*, in its own process; its output goes to the
    console as it comes and is returned too (the report shown over the preview)."""
    shutil.rmtree(staging, ignore_errors=True)
    process = subprocess.Popen(
        [PY, "-m", "portal_core.build", "-s", "pelicanconf.py", "-o", staging], cwd=HERE,
        env={**os.environ, **PLUGINS_ENV}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, encoding="utf-8", errors="replace")
    lines = []
    try:
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
        process.wait()
    finally:
        if process.poll() is None:  # stopped during a build: the build stops too
            process.terminate()
            process.wait()
    return process.returncode == 0, "".join(lines)


@task(help={"port": "Cổng (mặc định 8000; nếu bận thì dùng cổng trống tiếp theo)."})
def livereload(c, port=8000):
    """Xem trước khi soạn: tự dựng lại khi nội dung thay đổi, trang tự tải lại (preview while editing).

    Each build runs in its own process into a folder of its own (cache/xem-truoc/) and is
    swapped into output/ only when it succeeded: after a mistake the preview keeps showing the
    last good site, with the report over the page (tools/preview.py), and the next build waits
    for a change (no rebuild loop). Changes are found by comparing the files' sizes and times
    with those taken before the build, so a file saved during a build is never missed.
    """
    _livereload(int(port))


def _livereload(port: int, on_start=None):
    """The loop of `invoke livereload`; *on_start(preview_port)* runs once the preview serves
    (`invoke edit` opens the editor then)."""
    import signal
    import time

    from tools import preview

    signal.signal(signal.SIGTERM, _stop)
    staging = os.path.join(HERE, "cache", "xem-truoc", "moi")
    scratch = os.path.join(HERE, "cache", "xem-truoc", "cu")
    os.makedirs(os.path.dirname(staging), exist_ok=True)
    state = preview.PreviewState(OUTPUT, live=True)
    server = preview.start(state, port)
    print(f"Xem trước tại http://127.0.0.1:{server.server_address[1]}/ — tự dựng lại khi "
          "content/, theme/ hoặc pelicanconf.py thay đổi; trang đang mở tự tải lại "
          "(Ctrl+C để dừng)", flush=True)
    try:
        stamp = _sources_stamp()
        while True:
            ok, text = _build_for_preview(staging)
            if ok:
                preview.swap_in(staging, OUTPUT, scratch)
                state.succeeded()
                print("==> Dựng xong.", flush=True)
                if on_start:
                    on_start(server.server_address[1])
                    on_start = None
            else:
                state.failed(text.strip())
                print("==> Dựng lỗi: sửa theo báo cáo ở trên (trang xem trước vẫn là bản dựng "
                      "tốt gần nhất và hiện báo cáo này); trang sẽ tự dựng lại khi lưu tệp.",
                      flush=True)
            current = _sources_stamp()
            while current == stamp:
                time.sleep(1)
                current = _sources_stamp()
            changed = {path for path in stamp.keys() | current.keys()
                       if stamp.get(path) != current.get(path)}
            names = ", ".join(sorted(os.path.relpath(path, HERE) for path in changed))
            print(f"==> Thay đổi: {names}. Dựng lại…", flush=True)
            stamp = current
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


@task(name="import", help={
    "source": "Thư mục bản lưu cổng cũ (wget/HTTrack) hoặc tệp sitemap.xml/danh sách địa chỉ.",
    "ra": "Thư mục mới nhận nội dung (mặc định nhap-khau/<tên nguồn>); không ghi đè tệp có sẵn.",
    "danh_muc": "Tệp YAML ánh xạ danh mục cũ → loại bài (mẫu: tools/importer/categories.yml).",
    "khong_kiem_tra": "Bỏ bước kiểm tra bài bằng các quy tắc của cổng (nhanh hơn)."})
def import_(c, source, ra="", danh_muc="", khong_kiem_tra=False):
    """Nhập bài, ảnh, tệp đính kèm và địa chỉ cũ từ bản lưu của cổng cũ (tools/importer)."""
    import shlex

    args = [PY, "-m", "tools.importer", os.path.abspath(source)]  # paths from where it is run
    args += ["--ra", os.path.abspath(ra)] if ra else []
    args += ["--danh-muc", os.path.abspath(danh_muc)] if danh_muc else []
    args += ["--khong-kiem-tra"] if khong_kiem_tra else []
    with c.cd(HERE):
        _exit_on_failure(c.run(shlex.join(args), env=PLUGINS_ENV, pty=False, warn=True))


@task(help={"port": "Cổng của trang xem trước (mặc định 8000).",
            "server_port": "Cổng của decap-server (mặc định 8081, như trong admin/config.yml).",
            "browser": "Mở trình duyệt (mặc định có; --no-browser để không mở)."})
def edit(c, port=8000, server_port=8081, browser=True):
    """Soạn bài trên trình duyệt: trình soạn thảo /admin/ ở chế độ cục bộ (mỗi lần «Công bố» là
    một commit git), trang xem trước tự dựng lại; Ctrl+C để dừng (tools/editor.py)."""
    import webbrowser

    from tools import editor

    try:
        editor.check_ready(HERE)
        chosen = editor.free_port(int(server_port))
        os.makedirs(os.path.join(HERE, "cache"), exist_ok=True)
        server = editor.start_server(HERE, chosen, os.path.join(HERE, "cache", "decap-server.log"))
    except editor.EditorError as error:
        print(f"Không mở được trình soạn thảo: {error}", flush=True)
        raise Exit(code=1)

    def opened(preview_port):
        url = editor.admin_url(preview_port, chosen, 8081)
        print(f"==> Trình soạn thảo: {url} (decap-server tại 127.0.0.1:{chosen}, chế độ git: "
              "mỗi lần «Công bố» là một commit)", flush=True)
        if browser:
            webbrowser.open(url)

    try:
        _livereload(int(port), on_start=opened)
    finally:
        editor.stop_server(server)
        print("==> Đã dừng trình soạn thảo và trang xem trước.", flush=True)


@task(help={"remote": "Git remote nhận trang (mặc định origin).",
            "branch": "Nhánh trang (mặc định gh-pages).",
            "cname": "Tên miền riêng ghi vào CNAME (tùy chọn).",
            "push": "Đẩy lên remote (mặc định có)."})
def publish(c, remote="origin", branch="gh-pages", cname="", push=True):
    """Dựng bản xuất bản (--strict) rồi đưa lên nhánh gh-pages bằng ghp-import."""
    output = tempfile.mkdtemp(prefix="portal-publish-")
    try:
        build(c, strict=True, output=output)  # exits on failure: nothing is published
        if cname:
            with open(os.path.join(output, "CNAME"), "w", encoding="utf-8") as handle:
                handle.write(cname.strip() + "\n")
        source = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE,
                                capture_output=True, text=True).stdout.strip() or "unknown"
        message = f"Xuất bản cổng thông tin từ {source} (publish from commit {source})"
        # -o: the branch holds one commit, the site as built now (no history of every
        # publish: the source history is on main); -f: so the push replaces it. ghp-import -o
        # drops the local branch only when <remote>/<branch> is known, so drop it here first.
        flags = "-n -o -f" + (" -p" if push else "")
        subprocess.run(["git", "update-ref", "-d", f"refs/heads/{branch}"], cwd=HERE,
                       capture_output=True)
        with c.cd(HERE):
            _exit_on_failure(c.run(f'"{PY}" -m ghp_import {flags} -m "{message}" -b {branch} '
                                   f'-r {remote} "{output}"', pty=False, warn=True))
    finally:
        shutil.rmtree(output, ignore_errors=True)


@task
def clean(c):
    """Xóa output/ và cache/ (bộ nhớ đệm nội dung và ảnh; lần dựng sau sẽ chậm hơn)."""
    shutil.rmtree(OUTPUT, ignore_errors=True)
    shutil.rmtree(os.path.join(HERE, "cache"), ignore_errors=True)


@task(help={"k": "Chỉ chạy các kiểm thử khớp biểu thức này (pytest -k)."})
def test(c, k=""):
    """Chạy toàn bộ kiểm thử (pytest)."""
    with c.cd(HERE):
        c.run(f'"{PY}" -m pytest -q {"-k " + repr(k) if k else ""}', pty=False)


@task(help={"output": "Thư mục đã dựng cần kiểm tra (mặc định output/).",
            "siteurl": "Địa chỉ trang; mặc định lấy từ link canonical của trang chủ."})
def check_budgets(c, output=OUTPUT, siteurl=""):
    """Kiểm tra ngân sách trang: HTML ≤ 50 KB, CSS ≤ 20 KB, JS chỉ ở /tim-kiem/, ảnh, máy chủ ngoài."""
    flag = f' --siteurl "{siteurl}"' if siteurl else ""
    with c.cd(HERE):
        _exit_on_failure(c.run(f'"{PY}" -m gates.budgets "{output}"{flag}', pty=False,
                               warn=True))


@task(help={"output": "Thư mục đã dựng cần kiểm tra (mặc định output/).",
            "skip": "Bỏ qua cổng, cách nhau bởi dấu phẩy: links,html,budgets,a11y.",
            "all_pages": "Kiểm tra tiếp cận mọi trang (mặc định: một trang mỗi loại)."})
def check_site(c, output=OUTPUT, skip="", all_pages=False):
    """Kiểm tra trang đã dựng: liên kết, HTML hợp lệ (vnu), ngân sách trang, tiếp cận WCAG 2.1 AA."""
    flags = (f' --skip "{skip}"' if skip else "") + (" --all-pages" if all_pages else "")
    with c.cd(HERE):
        _exit_on_failure(c.run(f'"{PY}" -m gates --output "{output}"{flags}', pty=False,
                               warn=True))
