"""What the commands do, once: `cong-truong …` (cli.py) and this repository's invoke tasks
(tasks.py) both call these functions.

Each takes the project folder (*root*) and returns an exit code: 0 done, 1 a content problem
(the Vietnamese report was printed), 2 a usage mistake, 3 a program error (its traceback was
printed under a Vietnamese heading by portal_core.build). Builds and checks run in their own
Python process (`python -m portal_core.build`, `python -m portal_core.check`) with their output
passed straight through, byte for byte, so Vietnamese text is never cut in the middle of a
character and a build's memory is returned when it ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Callable

from .project import PUBLISH_SETTINGS, SETTINGS

PY = sys.executable
DEFAULT_PORT = 8000
DEFAULT_EDITOR_PORT = 8081


def _run(args: list[str], root: str, env: dict | None = None) -> int:
    """Run a command in *root*, its output straight to ours; its exit code."""
    try:
        return subprocess.run(args, cwd=root, env={**os.environ, **(env or {})}).returncode
    except KeyboardInterrupt:
        return 130


def output_dir(root: str) -> str:
    return os.path.join(root, "output")


def build(root: str, strict: bool = False, output: str | None = None) -> int:
    """The whole portal into *output* (default output/); *strict*: the publishing build
    (publishconf.py, a warning is an error)."""
    conf = PUBLISH_SETTINGS if strict else SETTINGS
    args = [PY, "-m", "portal_core.build", "-s", conf, "-o",
            os.path.abspath(output or output_dir(root))]
    return _run(args + (["--strict"] if strict else []), root)


def check(root: str, dev: bool = False, legal: bool = False) -> int:
    """Every content rule of the publishing build (or the preview's, *dev*), nothing written;
    the last line says whether publishing will succeed. *legal* (`--phap-ly`): instead, the
    maintainers' report of the legal bases not yet verified (never published)."""
    if legal:
        return _run([PY, "-m", "portal_core.check", "--phap-ly"], root)
    return _run([PY, "-m", "portal_core.check"] + (["--dev"] if dev else []), root)


def _stop(*_):
    """`kill` (SIGTERM) stops a preview like Ctrl+C does, with everything it started."""
    raise KeyboardInterrupt


def serve(root: str, port: int = DEFAULT_PORT, build_first: bool = True) -> int:
    """Build, then serve output/ at http://127.0.0.1:PORT (the next free port if busy)."""
    from .tools import preview

    if build_first:
        code = build(root)
        if code:
            return code
    signal.signal(signal.SIGTERM, _stop)
    server = preview.start(preview.PreviewState(output_dir(root), live=False), int(port))
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
    return 0


def sources_stamp(root: str) -> dict:
    """Size and modification time of every file a build reads (content, theme, settings)."""
    stamp = {}
    for top in ("content", "theme", SETTINGS):
        path = os.path.join(root, top)
        files = [path] if os.path.isfile(path) else [
            os.path.join(base, name) for base, _, names in os.walk(path) for name in names]
        for name in files:
            try:
                info = os.stat(name)
            except OSError:
                continue
            stamp[name] = (info.st_mtime_ns, info.st_size)
    return stamp


def build_for_preview(root: str, staging: str) -> tuple[bool, str]:
    """One development build into *staging*, in its own process; its output goes to the
    console as it comes and is returned too (the report shown over the preview)."""
    shutil.rmtree(staging, ignore_errors=True)
    process = subprocess.Popen(
        [PY, "-m", "portal_core.build", "-s", SETTINGS, "-o", staging], cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    chunks = []
    try:
        for line in process.stdout:  # bytes, whole lines: never a character cut in two
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
            chunks.append(line)
        process.wait()
    finally:
        if process.poll() is None:  # stopped during a build: the build stops too
            process.terminate()
            process.wait()
    return process.returncode == 0, b"".join(chunks).decode("utf-8", errors="replace")


def livereload(root: str, port: int = DEFAULT_PORT,
               on_start: Callable[[int], None] | None = None) -> int:
    """Preview while editing: rebuild when content/, theme/ or pelicanconf.py change; the open
    page reloads by itself. Each build runs in its own process into a folder of its own
    (cache/xem-truoc/) and is swapped into output/ only when it succeeded: after a mistake the
    preview keeps the last good site with the report over the page, and the next build waits
    for a change. *on_start(preview_port)* runs once the first build is served."""
    from .tools import preview

    signal.signal(signal.SIGTERM, _stop)
    staging = os.path.join(root, "cache", "xem-truoc", "moi")
    scratch = os.path.join(root, "cache", "xem-truoc", "cu")
    os.makedirs(os.path.dirname(staging), exist_ok=True)
    state = preview.PreviewState(output_dir(root), live=True)
    server = preview.start(state, int(port))
    print(f"Xem trước tại http://127.0.0.1:{server.server_address[1]}/ — tự dựng lại khi "
          "content/, theme/ hoặc pelicanconf.py thay đổi; trang đang mở tự tải lại "
          "(Ctrl+C để dừng)", flush=True)
    try:
        stamp = sources_stamp(root)
        while True:
            ok, text = build_for_preview(root, staging)
            if ok:
                preview.swap_in(staging, output_dir(root), scratch)
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
            current = sources_stamp(root)
            while current == stamp:
                time.sleep(1)
                current = sources_stamp(root)
            changed = {path for path in stamp.keys() | current.keys()
                       if stamp.get(path) != current.get(path)}
            names = ", ".join(sorted(os.path.relpath(path, root) for path in changed))
            print(f"==> Thay đổi: {names}. Dựng lại…", flush=True)
            stamp = current
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0


def edit(root: str, port: int = DEFAULT_PORT, server_port: int = DEFAULT_EDITOR_PORT,
         browser: bool = True) -> int:
    """The web editor /admin/ on this computer: decap-server (git mode: each «Công bố» is a
    commit) and the live preview; Ctrl+C stops both."""
    import webbrowser

    from .tools import editor

    try:
        editor.check_ready(root)
        chosen = editor.free_port(int(server_port))
        os.makedirs(os.path.join(root, "cache"), exist_ok=True)
        server = editor.start_server(root, chosen, os.path.join(root, "cache", "decap-server.log"))
    except editor.EditorError as error:
        print(f"Không mở được trình soạn thảo: {error}", flush=True)
        return 1

    def opened(preview_port):
        url = editor.admin_url(preview_port, chosen, DEFAULT_EDITOR_PORT)
        print(f"==> Trình soạn thảo: {url} (decap-server tại 127.0.0.1:{chosen}, chế độ git: "
              "mỗi lần «Công bố» là một commit)", flush=True)
        if browser:
            webbrowser.open(url)

    try:
        return livereload(root, int(port), on_start=opened)
    finally:
        editor.stop_server(server)
        print("==> Đã dừng trình soạn thảo và trang xem trước.", flush=True)


def import_site(root: str, source: str, output: str = "", categories: str = "",
                verify: bool = True, apply_sheet: str = "", accept_all: bool = False,
                many: bool = False) -> int:
    """A school's old portal (a saved copy) → posts, files, redirects and a report; with
    *many*, a platform's copy holding several schools → one folder per school and a summary
    for the Sở; with *apply_sheet*, the topics confirmed in a review sheet written into the
    posts, which are published (*accept_all*: every suggestion)."""
    args = [PY, "-m", "cong_truong.tools.importer"]
    args += [os.path.abspath(source)] if source else []
    args += ["--ra", os.path.abspath(output)] if output else []
    args += ["--danh-muc", os.path.abspath(categories)] if categories else []
    args += [] if verify else ["--khong-kiem-tra"]
    args += ["--apply", os.path.abspath(apply_sheet)] if apply_sheet else []
    args += ["--accept-all"] if accept_all else []
    args += ["--nhieu-truong"] if many else []
    return _run(args, root)


def publish(root: str, remote: str = "origin", branch: str = "gh-pages", cname: str = "",
            push: bool = True) -> int:
    """The publishing build, then ghp-import onto *branch* as one commit without history; a
    failed build publishes nothing and leaves the branch as it was."""
    output = tempfile.mkdtemp(prefix="portal-publish-")
    try:
        code = build(root, strict=True, output=output)
        if code:
            return code
        if cname:
            with open(os.path.join(output, "CNAME"), "w", encoding="utf-8") as handle:
                handle.write(cname.strip() + "\n")
        source = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True).stdout.strip() or "unknown"
        message = f"Xuất bản cổng thông tin từ {source} (publish from commit {source})"
        # -o: the branch holds one commit, the site as built now (no history of every
        # publish: the source history is on main); -f: so the push replaces it. ghp-import -o
        # drops the local branch only when <remote>/<branch> is known, so drop it here first.
        subprocess.run(["git", "update-ref", "-d", f"refs/heads/{branch}"], cwd=root,
                       capture_output=True)
        args = [PY, "-m", "ghp_import", "-n", "-o", "-f"] + (["-p"] if push else [])
        return _run(args + ["-m", message, "-b", branch, "-r", remote, output], root)
    finally:
        shutil.rmtree(output, ignore_errors=True)


def check_site(root: str, output: str | None = None, skip: str = "",
               all_pages: bool = False) -> int:
    """The quality gates over a built site: links, vnu, page budgets, accessibility."""
    args = [PY, "-m", "cong_truong.gates", "--output", os.path.abspath(output or output_dir(root))]
    args += ["--skip", skip] if skip else []
    args += ["--all-pages"] if all_pages else []
    return _run(args, root)


def check_budgets(root: str, output: str | None = None, siteurl: str = "") -> int:
    args = [PY, "-m", "cong_truong.gates.budgets", os.path.abspath(output or output_dir(root))]
    return _run(args + (["--siteurl", siteurl] if siteurl else []), root)


def clean(root: str) -> int:
    """Remove output/ and cache/ (the next build is slower)."""
    shutil.rmtree(output_dir(root), ignore_errors=True)
    shutil.rmtree(os.path.join(root, "cache"), ignore_errors=True)
    return 0
