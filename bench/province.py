"""Province dashboard benchmark: N schools' open data served locally, harvested and built.

    python bench/province.py --sizes 100 400 1600      # the benchmark (docs/performance.md)
    python bench/province.py --sizes 300 --keep        # the 300-school check of issue 29

Copies of the demo's open data (built once with the package into bench/work/province/demo/)
under other names and codes, some changed (documents removed, so items become overdue; a
school whose rows claim "on time" without a publication), some with faults (unreachable, slow,
HTML instead of JSON, invalid JSON, an unknown schema version, a file over the size limit,
markup in the name, a duplicated code, a bad URL). One threaded HTTP server on 127.0.0.1
serves them all, with ETag / Last-Modified / 304. `cong-truong province` runs twice in a
child process (cold: empty cache; warm: nothing changed, one conditional request per school);
wall time and peak RSS (wait4) are printed and written to bench/work/province/results.json.
The server is stopped at the end. Also used by tests/test_province.py (``Portals``).
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work", "province")
TODAY = "2026-11-29"
FILES = ["du-lieu-mo.json", "cong-khai/index.json", "tuan-thu/index.json",
         "du-lieu-mo/hoat-dong.json"]
# every FAULT_EVERY-th school gets the next fault of this list (by index)
FAULTS = ["unreachable", "slow", "html", "badjson", "version", "oversize", "markup",
          "duplicate", "badurl", "liar"]
FAULT_EVERY = 13


# ---------------------------------------------------------------------------- the server

class Portals:
    """A threaded HTTP server on 127.0.0.1 serving ``root/<key>/…`` with conditional requests.
    ``behaviour[key]``: "slow" (answers after *slow* seconds), "html" (an HTML page for every
    path), "oversize" (announces a body far over any limit). Use as a context manager."""

    def __init__(self, root: str, behaviour: dict | None = None, slow: float = 3.0):
        self.root, self.behaviour, self.slow = root, dict(behaviour or {}), slow
        self.requests = 0
        self.lock = threading.Lock()
        portals = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with portals.lock:
                    portals.requests += 1
                parts = self.path.split("?")[0].lstrip("/").split("/", 1)
                key, rest = parts[0], (parts[1] if len(parts) > 1 else "")
                mode = portals.behaviour.get(key)
                if mode == "slow":
                    time.sleep(portals.slow)
                if mode == "html":
                    return self._send(200, b"<!doctype html><title>Trang chu</title><p>Xin chao",
                                      {"Content-Type": "text/html; charset=utf-8"})
                path = os.path.normpath(os.path.join(portals.root, key, *rest.split("/")))
                if not path.startswith(os.path.abspath(portals.root)) or not os.path.isfile(path):
                    return self._send(404, b"not found", {"Content-Type": "text/plain"})
                if mode == "oversize" and rest.endswith("cong-khai/index.json"):
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(80_000_000))
                    self.end_headers()
                    try:
                        self.wfile.write(b"[" + b" " * 65536)
                    except OSError:
                        pass
                    self.close_connection = True
                    return None
                with open(path, "rb") as handle:
                    body = handle.read()
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                modified = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", {"ETag": etag, "Last-Modified": modified})
                return self._send(200, body, {"Content-Type": "application/json",
                                              "ETag": etag, "Last-Modified": modified})

            def _send(self, status, body, headers):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(body)
                    except OSError:
                        pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/{key}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def closed_port() -> int:
    """A port nothing listens on (bound then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------------- the data

def build_demo(folder: str) -> str:
    """The demo school built with the package at the demo's date (once; reused)."""
    out = os.path.join(folder, "demo")
    if not os.path.isfile(os.path.join(out, "du-lieu-mo.json")):
        code = subprocess.run([sys.executable, "-m", "portal_core.build", "-s", "pelicanconf.py",
                               "-o", out], cwd=ROOT, env={**os.environ, "PORTAL_TODAY": TODAY},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if code.returncode:
            raise SystemExit(code.stderr.decode()[-2000:])
    return out


def demo_files(demo: str) -> dict[str, dict]:
    manifest = json.load(open(os.path.join(demo, "du-lieu-mo.json"), encoding="utf-8"))
    wanted = {e["url"] for e in manifest["files"] if e["kind"] != "bao-cao-truyen-thong"
              or (not e.get("period") and e.get("year") in (2025, 2026))}
    files = {"du-lieu-mo.json": manifest}
    for url in wanted:
        with open(os.path.join(demo, *url.split("/")), encoding="utf-8") as handle:
            files[url] = json.load(handle)
    return files


def school_copy(files: dict, index: int, name: str, code: str, fault: str | None) -> dict:
    """The demo's files for school *index*, renamed and varied; the manifest re-hashed."""
    out = json.loads(json.dumps(files))
    for url, data in out.items():
        if isinstance(data, dict) and "school" in data and isinstance(data["school"], str):
            data["school"] = name
    docs = out["cong-khai/index.json"]["facts"]["documents"]
    if index % 3 == 1:  # a third of the schools miss some publications: overdue items
        keep = [d for d in docs if not (d["school_year"] == "2025-2026" and "CK-05" in d["items"])]
        out["cong-khai/index.json"]["facts"]["documents"] = keep
    if fault == "liar":  # rows claim "on time", but the publication is not in the facts
        ck = out["cong-khai/index.json"]
        ck["facts"]["documents"] = [d for d in ck["facts"]["documents"]
                                    if not (d["school_year"] == "2025-2026"
                                            and "CK-13" in d["items"])]
        for row in ck["rows"]:
            if row["item"] == "CK-13" and row["school_year"] == "2025-2026":
                row.update(status="on_time", published=None)
    activity = out["du-lieu-mo/hoat-dong.json"]
    news = activity["posts"]["by_school_year"].setdefault("2026-2027", {})
    news["tin-tuc"] = 5 + index % 45
    manifest = out["du-lieu-mo.json"]
    manifest["school"].update(name=name, code=code, level="thpt" if index % 2 else "thcs")
    if fault == "version":
        manifest["version"] = 99
    return out


def write_school(folder: str, files: dict, fault: str | None) -> None:
    manifest = files["du-lieu-mo.json"]
    for entry in manifest["files"]:
        if entry["url"] in files:
            raw = (json.dumps(files[entry["url"]], ensure_ascii=False, indent=1) + "\n").encode()
            path = os.path.join(folder, *entry["url"].split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(raw)
            entry.update(bytes=len(raw), sha256=hashlib.sha256(raw).hexdigest())
    raw = (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode()
    if fault == "badjson":
        raw = raw[: len(raw) // 2]
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "du-lieu-mo.json"), "wb") as handle:
        handle.write(raw)


COMMUNES = ["phường Vạn Xuân", "phường Nam Định", "xã Hải Hậu", "xã Giao Thủy", "phường Hoa Lư",
            "xã Kim Sơn", "phường Phủ Lý", "xã Ý Yên"]


def generate(count: int, root: str, demo: str, port_of) -> tuple[str, dict, list]:
    """*count* schools under *root*; returns (registry path, server behaviour, expectations)."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    files = demo_files(demo)
    behaviour, schools, expected = {}, [], []
    for index in range(count):
        key = f"truong-{index:05d}"
        code = f"37{index:05d}"
        fault = FAULTS[(index // FAULT_EVERY) % len(FAULTS)] if index % FAULT_EVERY == 5 \
            else None
        name = f"Trường {'THPT' if index % 2 else 'THCS'} Số {index + 1}"
        if fault == "markup":
            name = f"<script>alert('x')</script><b>Trường</b> Số {index + 1}"
        data = school_copy(files, index, name, code, fault)
        write_school(os.path.join(root, key), data, fault)
        url = port_of(key)
        if fault == "unreachable":
            url = f"http://127.0.0.1:{closed_port()}/{key}/"
        elif fault in ("slow", "html", "oversize"):
            behaviour[key] = fault
        elif fault == "badurl":
            url = f"htp:/127.0.0.1/{key} không phải địa chỉ"
        schools.append({"code": code, "name": name, "level": "thpt" if index % 2 else "thcs",
                        "commune": COMMUNES[index % len(COMMUNES)], "url": url})
        expected.append({"code": code, "fault": fault, "key": key})
        if fault == "duplicate":
            schools.append({"code": code, "name": name + " (trùng mã)", "level": "thcs",
                            "commune": COMMUNES[0], "url": port_of(key)})
    registry = {
        "province": "Ninh Bình", "managing_body": "Sở Giáo dục và Đào tạo Ninh Bình",
        "parent_body": "Ủy ban nhân dân tỉnh Ninh Bình", "scoring": "ninh-binh-mau",
        "report": {"symbol": "BC-SGDĐT", "signer_title": "Giám đốc"},
        "harvest": {"concurrency": 16, "timeout": 4, "retries": 1, "backoff": 0.2,
                    "max_bytes": 3_000_000},
        "schools": schools,
    }
    path = os.path.join(os.path.dirname(root), f"registry-{count}.yml")
    import yaml

    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(registry, handle, allow_unicode=True, sort_keys=False)
    return path, behaviour, expected


# ---------------------------------------------------------------------------- the run

def dashboard(registry: str, out: str, cache: str) -> dict:
    """`cong-truong province` in a child process: wall time and peak RSS (wait4)."""
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "cong_truong", "province", registry,
                                "--out", out, "--today", TODAY, "--cache", cache, "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": round(time.monotonic() - start, 1),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "exit": process.returncode,
            "output": output.decode("utf-8", "replace")[-3000:]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1600])
    parser.add_argument("--keep", action="store_true", help="keep the dashboards in bench/work")
    args = parser.parse_args(argv)
    os.makedirs(WORK, exist_ok=True)
    demo = build_demo(WORK)
    results = []
    for count in args.sizes:
        root = os.path.join(WORK, f"schools-{count}")
        with Portals(root, slow=6.0) as portals:
            registry, behaviour, expected = generate(count, root, demo, portals.url)
            portals.behaviour.update(behaviour)
            out, cache = os.path.join(WORK, f"out-{count}"), os.path.join(WORK, f"cache-{count}")
            shutil.rmtree(cache, ignore_errors=True)
            portals.requests = 0
            cold = dashboard(registry, out, cache)
            cold["requests"] = portals.requests
            # between the runs a few good schools break (HTML instead of JSON): their last
            # good copy is kept and shown as stale
            broken = [e["key"] for e in expected if not e["fault"]][::50]
            portals.behaviour.update({key: "html" for key in broken})
            portals.requests = 0
            warm = dashboard(registry, out, cache)
            warm["requests"] = portals.requests
        data = json.load(open(os.path.join(out, "index.json"), encoding="utf-8"))
        faulty = sum(1 for e in expected if e["fault"])
        row = {"schools": count, "records": len(data["schools"]), "faulty": faulty,
               "cold": {k: v for k, v in cold.items() if k != "output"},
               "warm": {k: v for k, v in warm.items() if k != "output"},
               "harvest": {k: sum(1 for s in data["schools"] if s["harvest"] == k)
                           for k in ("ok", "stale", "unreachable", "invalid")}}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if cold["exit"] or warm["exit"]:
            print(cold["output"], warm["output"])
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as handle:
        json.dump({"today": TODAY, "cpus": os.cpu_count(), "results": results}, handle,
                  ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
