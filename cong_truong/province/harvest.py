"""Harvesting the schools' open data: bounded concurrency, timeouts, size limits, retries with
backoff, conditional requests, and the last good copy of each school kept with its date.

HTTP is urllib3 (already pinned: a dependency of the importer): one connection pool per host
shared by the worker threads, per-request connect/read timeouts, streaming with a byte limit,
redirects bounded. The retry loop is ours (a few lines) because it must also stop on a total
deadline per file (a server that sends one byte a second defeats a read timeout) and tell
which faults are worth retrying (a refused connection, a timeout, 5xx, 429) from those that are
not (404, HTML instead of JSON, invalid JSON, a file too large).

A school's copy is a folder ``CACHE/<key>/current/``: the manifest, the files used, and
``meta.json`` (fetched_at, ETag/Last-Modified of every file, SHA-256). An unchanged school costs
one conditional request for its manifest (304, or the same SHA-256); a file whose SHA-256 in the
new manifest equals the copy's is not fetched again. A new copy replaces the old one only when
everything in it is valid, so a fault keeps the last good data, which is then shown as stale.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import time
from urllib.parse import urljoin, urlsplit

import urllib3

from portal_core.dates import TIMEZONE
from portal_opendata import contract

from .registry import School

OK, STALE, UNREACHABLE, INVALID = "ok", "stale", "unreachable", "invalid"
HARVEST_LABELS = {OK: "Thu thập được", STALE: "Dữ liệu cũ (lần thu thập này lỗi)",
                  UNREACHABLE: "Không truy cập được", INVALID: "Dữ liệu không hợp lệ"}
MANIFEST = "du-lieu-mo.json"
USER_AGENT = "cong-truong-province (bảng điều khiển của Sở GDĐT)"
SINGLE_KINDS = ("cong-khai", "tuan-thu", "hoat-dong")


class Fault(Exception):
    """One harvest fault, in Vietnamese; *transient* ones are retried."""

    def __init__(self, message: str, kind: str = INVALID, transient: bool = False):
        super().__init__(message)
        self.kind, self.transient = kind, transient


@dataclasses.dataclass
class Result:
    """What one school's harvest gave."""

    school: School
    status: str = UNREACHABLE
    faults: list = dataclasses.field(default_factory=list)
    fetched_at: str | None = None  # when the copy in use was last confirmed good
    changed: bool = False  # the copy was replaced in this run
    requests: int = 0
    downloaded: int = 0  # bytes
    folder: str | None = None  # the copy in use (None: none)


@dataclasses.dataclass
class Settings:
    concurrency: int = 16
    timeout: float = 20.0  # seconds, total per file
    max_bytes: int = 5_000_000
    retries: int = 2
    backoff: float = 1.0  # seconds, doubled at each retry
    years: tuple = ()  # the report years to fetch (annual reports)


def now_iso() -> str:
    """Now in Vietnam's time, to the second (fetched_at)."""
    return dt.datetime.now(TIMEZONE).isoformat(timespec="seconds")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


class Fetcher:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.pool = urllib3.PoolManager(
            num_pools=max(10, settings.concurrency * 2), maxsize=settings.concurrency,
            block=False, headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            retries=False)

    def get(self, url: str, conditional: dict | None = None) -> tuple[int, dict, bytes, int]:
        """(status, headers, body, requests made); 304 gives an empty body. Raises Fault."""
        attempts = 0
        while True:
            attempts += 1
            try:
                status, headers, body = self._once(url, conditional or {})
                return status, headers, body, attempts
            except Fault as fault:
                if not fault.transient or attempts > self.settings.retries:
                    raise
            time.sleep(self.settings.backoff * (2 ** (attempts - 1)))

    def _once(self, url: str, conditional: dict) -> tuple[int, dict, bytes]:
        s = self.settings
        headers = {}
        if conditional.get("etag"):
            headers["If-None-Match"] = conditional["etag"]
        if conditional.get("last_modified"):
            headers["If-Modified-Since"] = conditional["last_modified"]
        deadline = time.monotonic() + s.timeout
        try:
            response = self.pool.request(
                "GET", url, headers=headers, preload_content=False, redirect=True,
                retries=urllib3.Retry(total=5, connect=0, read=0, status=0, other=0, redirect=5,
                                      raise_on_redirect=True),
                timeout=urllib3.Timeout(connect=min(5.0, s.timeout), read=s.timeout))
        except urllib3.exceptions.MaxRetryError as error:
            raise self._fault(error.reason or error) from None
        except urllib3.exceptions.HTTPError as error:
            raise self._fault(error) from None
        try:
            status = response.status
            if status == 304:
                return 304, dict(response.headers), b""
            if status in (429, 500, 502, 503, 504):
                raise Fault(f"Máy chủ trả lỗi {status} (tạm thời) tại {url}.", UNREACHABLE, True)
            if status != 200:
                raise Fault(f"Máy chủ trả lỗi {status} tại {url}.", UNREACHABLE)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > s.max_bytes:
                raise Fault(f"Tệp quá lớn: {_mb(int(length))} (giới hạn {_mb(s.max_bytes)}) "
                            f"tại {url}.")
            chunks, size = [], 0
            for chunk in response.stream(65536):
                size += len(chunk)
                if size > s.max_bytes:
                    raise Fault(f"Tệp quá lớn: hơn {_mb(s.max_bytes)} (giới hạn) tại {url}.")
                if time.monotonic() > deadline:
                    raise Fault(f"Quá thời gian chờ ({s.timeout:g} giây) khi tải {url}.",
                                UNREACHABLE, True)
                chunks.append(chunk)
            return 200, dict(response.headers), b"".join(chunks)
        except urllib3.exceptions.HTTPError as error:
            raise self._fault(error) from None
        finally:
            response.release_conn()

    def _fault(self, error) -> Fault:
        # urllib3 2: NameResolutionError < NewConnectionError < ConnectTimeoutError: the most
        # specific first
        if isinstance(error, urllib3.exceptions.NameResolutionError):
            return Fault("Không tìm thấy tên miền của cổng (DNS).", UNREACHABLE, True)
        if isinstance(error, (urllib3.exceptions.NewConnectionError, ConnectionError)):
            return Fault("Không kết nối được tới máy chủ của cổng (máy chủ tắt, sai địa chỉ "
                         "hoặc bị chặn).", UNREACHABLE, True)
        if isinstance(error, (urllib3.exceptions.TimeoutError, TimeoutError)):
            return Fault(f"Quá thời gian chờ ({self.settings.timeout:g} giây): máy chủ không "
                         "trả lời kịp.", UNREACHABLE, True)
        if isinstance(error, urllib3.exceptions.SSLError):
            return Fault("Lỗi chứng chỉ HTTPS của cổng.", UNREACHABLE)
        if isinstance(error, urllib3.exceptions.MaxRetryError):
            return Fault("Chuyển hướng quá nhiều lần.", UNREACHABLE)
        if isinstance(error, urllib3.exceptions.ProtocolError):
            return Fault("Máy chủ ngắt kết nối giữa chừng.", UNREACHABLE, True)
        return Fault(f"Lỗi kết nối: {type(error).__name__}.", UNREACHABLE, True)


def parse_json(body: bytes, headers: dict, url: str):
    """The JSON of a response, or a Fault: HTML instead of JSON, bad encoding, bad JSON."""
    kind = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    start = body.lstrip()[:1]
    if "html" in kind.lower() or start == b"<":
        raise Fault(f"Nhận được trang HTML thay vì dữ liệu JSON tại {url} (cổng chưa có dữ liệu "
                    "mở, hoặc sai địa chỉ).")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Fault(f"Dữ liệu tại {url} không phải văn bản UTF-8.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise Fault(f"JSON không hợp lệ tại {url} (dòng {error.lineno}, cột {error.colno}): "
                    f"{error.msg}.") from None


def check(kind: str, version, data, url: str) -> None:
    if not contract.accepts(kind, version):
        known = ", ".join(str(v) for v in contract.KNOWN.get(kind, ())) or "không có"
        raise Fault(f"Lược đồ «{kind}» phiên bản {version} chưa được hỗ trợ tại {url} (đọc "
                    f"được: {known}; cần cập nhật cong-truong của Sở).")
    errors = contract.validate(kind, version, data)
    if errors:
        field, value, message = errors[0]
        more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
        shown = f" — giá trị «{value}»" if value else ""
        raise Fault(f"Dữ liệu tại {url} không đúng lược đồ «{kind}» phiên bản {version}: "
                    f"[{field}] {message}{shown}{more}.")


def wanted(manifest: dict, years: tuple) -> list[dict]:
    """The files of a manifest the dashboard uses: one of each single kind, and the annual
    communications reports of *years*. Kinds it does not know are skipped (a newer portal)."""
    chosen, seen = [], set()
    for entry in manifest.get("files") or []:
        kind = entry.get("kind")
        if kind in SINGLE_KINDS and kind not in seen:
            seen.add(kind)
            chosen.append(entry)
        elif kind == "bao-cao-truyen-thong" and not entry.get("period") \
                and entry.get("year") in years and ("r", entry.get("year")) not in seen:
            seen.add(("r", entry.get("year")))
            chosen.append(entry)
    return chosen


def same_origin(base: str, url: str) -> bool:
    a, b = urlsplit(base), urlsplit(url)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port) \
        and b.path.startswith(a.path)


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def file_name(entry: dict) -> str:
    kind = entry["kind"]
    return f"{kind}-{entry['year']}.json" if kind == "bao-cao-truyen-thong" else f"{kind}.json"


def harvest_school(fetcher: Fetcher, school: School, cache: str) -> Result:
    """One school: its manifest, then the files it needs; a new copy only when all is good."""
    result = Result(school)
    home = os.path.join(cache, school.key)
    current = os.path.join(home, "current")
    meta = _read_json(os.path.join(current, "meta.json")) if os.path.isdir(current) else None
    if meta is not None:
        result.folder, result.fetched_at = current, meta.get("fetched_at")
    try:
        if not school.url:
            raise Fault(next((f for f in school.faults if "địa chỉ" in f.lower()),
                             "Không có địa chỉ cổng hợp lệ."), UNREACHABLE)
        fresh = _harvest(fetcher, school, home, meta or {}, result)
        result.status, result.folder, result.fetched_at = OK, current, fresh
    except Fault as fault:
        if fault.args[0] not in school.faults:
            result.faults.append(fault.args[0])
        result.status = STALE if result.folder else fault.kind
    except Exception as error:  # noqa: BLE001 — one school never stops the dashboard
        result.faults.append(f"Lỗi khi xử lý dữ liệu của trường ({type(error).__name__}).")
        result.status = STALE if result.folder else INVALID
    return result


def _harvest(fetcher: Fetcher, school: School, home: str, meta: dict, result: Result) -> str:
    s = fetcher.settings
    url = urljoin(school.url, MANIFEST)
    old = meta.get("manifest") or {}
    status, headers, body, count = fetcher.get(url, old)
    result.requests += count
    result.downloaded += len(body)
    stamp = now_iso()
    current = os.path.join(home, "current")
    if status == 304 or (body and hashlib.sha256(body).hexdigest() == old.get("sha256")):
        kept = os.path.join(current, MANIFEST)
        if not os.path.isfile(kept):
            raise Fault("Máy chủ báo bản kê không đổi nhưng không còn bản lưu.", INVALID)
        with open(kept, "rb") as handle:
            body = handle.read()
        headers = {"ETag": old.get("etag"), "Last-Modified": old.get("last_modified")}
        cached = json.loads(body.decode("utf-8-sig"))
        if all(file_name(e) in (meta.get("files") or {}) for e in wanted(cached, s.years)):
            meta["fetched_at"] = stamp  # unchanged: one small request
            _write_meta(current, meta)
            return stamp
    manifest = parse_json(body, headers, url)
    if not isinstance(manifest, dict):
        raise Fault(f"Bản kê dữ liệu mở tại {url} không phải một bảng JSON.")
    check("du-lieu-mo", manifest.get("version"), manifest, url)
    entries = wanted(manifest, s.years)
    kinds = {e["kind"] for e in entries}
    if "cong-khai" not in kinds:
        raise Fault("Bản kê dữ liệu mở không có tệp công khai (loại «cong-khai»).")
    missing = [k for k in SINGLE_KINDS if k not in kinds]
    if missing:  # a school that switched a plugin off: the figures of that part are absent
        result.faults.append("Bản kê dữ liệu mở không có tệp loại: " + ", ".join(missing)
                             + " (phần số liệu đó bỏ trống).")
    staging = os.path.join(home, "new")
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    new_meta = {"fetched_at": stamp, "url": school.url, "files": {},
                "manifest": {"etag": headers.get("ETag") or headers.get("etag"),
                             "last_modified": headers.get("Last-Modified")
                             or headers.get("last-modified"),
                             "sha256": hashlib.sha256(body).hexdigest()}}
    for entry in entries:
        target = urljoin(school.url, str(entry.get("url", "")))
        if not same_origin(school.url, target):
            raise Fault(f"Bản kê trỏ ra ngoài địa chỉ cổng của trường: «{entry.get('url')}».")
        name = file_name(entry)
        before = (meta.get("files") or {}).get(name) or {}
        kept = os.path.join(current, name)
        if before.get("sha256") == entry.get("sha256") and os.path.isfile(kept):
            shutil.copyfile(kept, os.path.join(staging, name))
            new_meta["files"][name] = {**before, "kind": entry["kind"],
                                       "schema_version": entry["schema_version"]}
            continue
        status, headers, raw, count = fetcher.get(
            target, before if os.path.isfile(kept) else {})
        result.requests += count
        result.downloaded += len(raw)
        if status == 304:
            shutil.copyfile(kept, os.path.join(staging, name))
            new_meta["files"][name] = {**before, "kind": entry["kind"],
                                       "schema_version": entry["schema_version"]}
            continue
        data = parse_json(raw, headers, target)
        check(entry["kind"], entry.get("schema_version"), data, target)
        with open(os.path.join(staging, name), "wb") as handle:
            handle.write(raw)
        new_meta["files"][name] = {
            "kind": entry["kind"], "schema_version": entry["schema_version"],
            "url": target, "year": entry.get("year"), "sha256": hashlib.sha256(raw).hexdigest(),
            "etag": headers.get("ETag") or headers.get("etag"),
            "last_modified": headers.get("Last-Modified") or headers.get("last-modified")}
    with open(os.path.join(staging, MANIFEST), "wb") as handle:
        handle.write(body)
    new_meta["reports"] = {str(e["year"]): urljoin(school.url, e["url"])
                           for e in manifest.get("files") or []
                           if e.get("kind") == "bao-cao-truyen-thong" and not e.get("period")
                           and isinstance(e.get("year"), int)}
    _write_meta(staging, new_meta)
    retired = os.path.join(home, "old")
    shutil.rmtree(retired, ignore_errors=True)
    if os.path.isdir(current):
        os.replace(current, retired)
    os.replace(staging, current)
    shutil.rmtree(retired, ignore_errors=True)
    result.changed = True
    return stamp


def _write_meta(folder: str, meta: dict) -> None:
    path = os.path.join(folder, "meta.json")
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=1)
    os.replace(path + ".tmp", path)


def harvest_all(schools: list[School], cache: str, settings: Settings,
                progress=None) -> list[Result]:
    """Every school, *settings.concurrency* at a time; results in the registry's order."""
    os.makedirs(cache, exist_ok=True)
    fetcher = Fetcher(settings)
    lock = threading.Lock()
    done = [0]

    def one(school):
        result = harvest_school(fetcher, school, cache)
        if progress:
            with lock:
                done[0] += 1
                progress(done[0], len(schools), result)
        return result

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
            return list(pool.map(one, schools))
    finally:
        fetcher.pool.clear()
