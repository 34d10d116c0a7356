"""The editors' preview: a small web server on 127.0.0.1 for `invoke serve` and `invoke livereload`.

- It serves the last good build. `invoke livereload` builds into a folder of its own and
  swaps it in only when the build succeeded, so a mistake never blanks the preview.
- In live mode every HTML page it sends gets two extra tags (in the response only, never in
  the files of output/): a script and a stylesheet under `/__xem-truoc/`. The script asks for
  `/__xem-truoc/trang-thai.json` every second; it reloads the page after a successful build and
  shows the Vietnamese report over the page after a failed one. They load from the same
  origin, so the pages' Content-Security-Policy (script-src 'self') lets them run.
- A busy port gets a Vietnamese message and the next free port is used.
- Messages, the 404 page and the error page are in Vietnamese; nothing is logged per request.
"""

from __future__ import annotations

import errno
import html
import json
import os
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/__xem-truoc/"
STATUS_PATH = PREFIX + "trang-thai.json"
SCRIPT_PATH = PREFIX + "tai-lai.js"
STYLE_PATH = PREFIX + "xem-truoc.css"
INJECTED = (f'<link rel="stylesheet" href="{STYLE_PATH}">'
            f'<script src="{SCRIPT_PATH}" defer></script>')
PORT_TRIES = 20

SCRIPT = """// Xem trước (invoke livereload): tải lại trang sau mỗi lần dựng xong; báo lỗi khi dựng lỗi.
(function () {
  var seen = null, box = null;
  function show(report) {
    if (!box) {
      box = document.createElement('section');
      box.className = 'xem-truoc-loi';
      box.setAttribute('role', 'alert');
      document.body.appendChild(box);
    }
    box.textContent = '';
    var h = document.createElement('h2');
    h.textContent = 'Dựng lỗi: trang bạn đang xem là bản dựng tốt gần nhất. Sửa theo báo cáo, lưu tệp, trang sẽ tự tải lại.';
    var pre = document.createElement('pre');
    pre.textContent = report;
    box.appendChild(h); box.appendChild(pre);
  }
  function poll() {
    fetch('""" + STATUS_PATH + """', {cache: 'no-store'}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen === null) seen = s.build;
        if (s.ok && s.build !== seen) { location.reload(); return; }
        if (!s.ok) show(s.report); else if (box) { box.remove(); box = null; }
      }).catch(function () {}).then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
STYLE = """.xem-truoc-loi { position: fixed; inset: auto 0 0 0; max-height: 60vh; overflow: auto;
  background: #fff8e1; color: #1b1f24; border-top: 4px solid #b3261e; padding: .75rem 1rem;
  z-index: 1000; font-size: .95rem; box-shadow: 0 -4px 12px rgba(0,0,0,.2); }
.xem-truoc-loi h2 { font-size: 1rem; margin: 0 0 .5rem; color: #b3261e; }
.xem-truoc-loi pre { white-space: pre-wrap; margin: 0; font: inherit; font-size: .85rem; }
"""
ERROR_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dựng lỗi — xem trước</title>{injected}</head><body>
<main><h1>Chưa có bản dựng nào thành công</h1>
<p>Sửa theo báo cáo dưới đây rồi lưu tệp; trang sẽ tự tải lại.</p>
<pre>{report}</pre></main></body></html>"""
NOT_FOUND = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Không tìm thấy trang</title>{injected}</head><body><main><h1>Không tìm thấy trang</h1>
<p>Địa chỉ này không có trong bản xem trước. <a href="/">Về trang chủ</a></p></main></body></html>"""


class PreviewState:
    """What the preview shows: the folder of the last good build and the last build's result."""

    def __init__(self, root: str, live: bool):
        self.root = root
        self.live = live
        self.build = 0  # counts successful builds; a change makes open pages reload
        self.ok = True
        self.report = ""
        self.lock = threading.Lock()

    def succeeded(self) -> None:
        with self.lock:
            self.build += 1
            self.ok, self.report = True, ""

    def failed(self, report: str) -> None:
        with self.lock:
            self.ok, self.report = False, report

    def status(self) -> dict:
        with self.lock:
            return {"build": self.build, "ok": self.ok, "report": self.report}


def inject(page: bytes) -> bytes:
    """The preview's tags before </head> (or at the start when a page has none)."""
    tags = INJECTED.encode()
    index = page.lower().rfind(b"</head>")
    return page[:index] + tags + page[index:] if index >= 0 else tags + page


class PreviewHandler(SimpleHTTPRequestHandler):
    state: PreviewState
    # Decap (/admin/) reads its config.yml only when it is served as YAML
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}

    def __init__(self, *args, state: PreviewState, **kwargs):
        self.state = state
        super().__init__(*args, directory=state.root, **kwargs)

    def log_message(self, *args):  # no line per request on the editor's console
        pass

    def _send(self, body: bytes, content_type: str, status=HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        live = self.state.live
        if live and path == STATUS_PATH:
            return self._send(json.dumps(self.state.status(), ensure_ascii=False).encode(),
                              "application/json; charset=utf-8")
        if live and path == SCRIPT_PATH:
            return self._send(SCRIPT.encode(), "text/javascript; charset=utf-8")
        if live and path == STYLE_PATH:
            return self._send(STYLE.encode(), "text/css; charset=utf-8")
        if path.startswith("/admin/"):  # the web editor: never reloaded under the editor
            live = False
        extra = INJECTED if live else ""
        if not os.path.isdir(self.state.root):  # no good build yet
            status = self.state.status()
            page = ERROR_PAGE.format(injected=extra, report=html.escape(status["report"]))
            return self._send(page.encode(), "text/html; charset=utf-8",
                              HTTPStatus.SERVICE_UNAVAILABLE)
        self.directory = self.state.root  # a swapped-in build is served from the next request
        local = self.translate_path(path)
        if os.path.isdir(local):
            if not path.endswith("/"):
                return super().do_GET()  # the standard redirect to the folder's "/"
            local = os.path.join(local, "index.html")
        if not os.path.isfile(local):
            custom = os.path.join(self.state.root, "404.html")
            if os.path.isfile(custom):
                with open(custom, "rb") as handle:
                    body = handle.read()
            else:
                body = NOT_FOUND.format(injected="").encode()
            return self._send(inject(body) if live else body, "text/html; charset=utf-8",
                              HTTPStatus.NOT_FOUND)
        if live and local.endswith(".html"):
            with open(local, "rb") as handle:
                return self._send(inject(handle.read()), "text/html; charset=utf-8")
        return super().do_GET()


def start(state: PreviewState, port: int, say=print) -> ThreadingHTTPServer:
    """A server on 127.0.0.1 in a background thread: *port*, or the next free one."""
    handler = partial(PreviewHandler, state=state)
    for candidate in range(port, port + PORT_TRIES):
        try:
            server = ThreadingHTTPServer(("127.0.0.1", candidate), handler)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            say(f"Cổng {candidate} đang bận (có thể một bản xem trước khác đang chạy); "
                f"thử cổng {candidate + 1}.")
            continue
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server
    raise SystemExit(f"Không tìm được cổng trống từ {port} đến {port + PORT_TRIES - 1}: "
                     "dừng bản xem trước đang chạy hoặc chọn cổng khác (--port 8080).")


def swap_in(built: str, root: str, old: str) -> None:
    """Replace *root* by the folder *built*; *old* is a scratch path on the same disk (two
    renames: the preview is never half-written)."""
    if os.path.exists(old):
        _remove(old)
    if os.path.exists(root):
        os.rename(root, old)
    os.rename(built, root)
    if os.path.exists(old):
        _remove(old)


def _remove(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
