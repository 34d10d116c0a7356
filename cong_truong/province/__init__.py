"""`cong-truong province REGISTRY.yml --out DIR [--today YYYY-MM-DD]`: the Sở's dashboard.

Harvests every school of the registry (harvest.py), recomputes every figure as of the
dashboard's date with the package's law (compute.py), scores every school with the province's
sheet (portal_opendata.scoring), and writes a static site (site.py): overview, filters by level
and commune, a page per school, CSV and JSON of every table, DIR/index.json, the province's
communications report (HTML, CSV, DOCX) and the harvest report. A school's fault is one line on
the dashboard and in the harvest report, never a stop; the exit code is 1 only when the registry
itself cannot be read.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from portal_core.dates import parse_iso, today as portal_today
from portal_opendata import scoring

from . import compute, harvest, registry as reg, site


def _say(text: str) -> None:
    print(text, flush=True)


PARALLEL_MIN = 100  # fewer schools than this: computed in this process


def summarize_all(results: list, ctx) -> list[dict]:
    """Every school's figures (CPU-bound: recomputing statuses), on every core when there are
    many schools and fork is available; in the registry's order."""
    import multiprocessing

    workers = os.cpu_count() or 1
    if len(results) < PARALLEL_MIN or workers < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return [compute.summarize(result, ctx) for result in results]
    import concurrent.futures
    import functools

    with concurrent.futures.ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(functools.partial(compute.summarize, ctx=ctx), results,
                             chunksize=max(1, len(results) // (workers * 8))))


def run(registry_path: str, out: str, today: str | None = None, year: int | None = None,
        cache: str | None = None, quiet: bool = False) -> int:
    say = (lambda text: None) if quiet else _say
    registry, errors = reg.load(registry_path)
    if errors:
        for line in errors:
            print(line, file=sys.stderr)
        return 1
    try:
        day = parse_iso(today).date() if today else portal_today()
    except ValueError:
        print(f"Ngày không hợp lệ: «{today}» (cần dạng YYYY-MM-DD).", file=sys.stderr)
        return 2
    year = year or day.year
    refused = site.refusal(out)
    if refused:
        print(refused, file=sys.stderr)
        return 1
    base = os.path.dirname(os.path.abspath(registry_path))
    cache = cache or os.path.join(base, "cache", "province")
    sheet = None
    path = scoring.sheet_for(registry.province, registry.scoring, base)
    if path:
        sheet, problems = scoring.load_sheet(path)
        for field, value, message, hint in problems:
            registry.faults.append(("", f"Bộ tiêu chí «{os.path.basename(path)}» [{field}] "
                                        f"{message}" + (f" — giá trị «{value}»" if value else "")
                                    + (f" ({hint})" if hint else "")))
    elif registry.scoring:
        registry.faults.append(("", f"Không tìm thấy bộ tiêu chí «{registry.scoring}»."))
    h = registry.harvest
    settings = harvest.Settings(concurrency=int(h["concurrency"]), timeout=float(h["timeout"]),
                                max_bytes=int(h["max_bytes"]), retries=int(h["retries"]),
                                backoff=float(h["backoff"]), years=(year, year - 1))
    started, clock = harvest.now_iso(), time.monotonic()
    total = len(registry.schools)
    say(f"Thu thập dữ liệu mở của {total} trường (tối đa {settings.concurrency} trường cùng "
        f"lúc)…")

    def progress(done, count, result):
        if done % 100 == 0 or done == count:
            say(f"  {done}/{count}")

    results = harvest.harvest_all(registry.schools, cache, settings, None if quiet else progress)
    harvested = time.monotonic() - clock
    rules = registry.rules or {}
    ctx = compute.Context(today=day, year=year, sheet=sheet,
                          first_info_hours=rules.get("first_info_hours"),
                          feedback_days=rules.get("feedback_days"))
    records = summarize_all(results, ctx)
    info = {"started": started, "requests": sum(r.requests for r in results),
            "downloaded": sum(r.downloaded for r in results),
            "changed": sum(1 for r in results if r.changed),
            "seconds": round(time.monotonic() - clock, 1),
            "harvest_seconds": round(harvested, 1)}
    from cong_truong import __version__

    site.write(out, registry, records, day, year, sheet, info, __version__)
    text = site.harvest_text(records, registry, info)
    say(text.rstrip())
    say(f"Bảng điều khiển đã ghi vào {out} ({round(time.monotonic() - clock, 1)} giây).")
    return 0


__all__ = ["run"]
