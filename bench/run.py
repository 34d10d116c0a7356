"""Build benchmark: our theme and plugins against bare Pelican, on the same generated posts.

    python bench/run.py --sizes 1000 5000          # the whole benchmark, one command
    python bench/run.py --sizes 200 --kinds ours   # a quick look

For each size N: generate the corpus (bench/corpus.py), then for each kind (ours = pelicanconf.py
with every enabled plugin; bare = Pelican's default theme, no plugins) run three builds, each in
a fresh process: cold (content cache emptied), warm (cache full, nothing changed) and
edit (cache full, one post edited). Prints posts/s, HTML pages/s, peak memory (max RSS of the
build process and the tools it runs, from wait4; the Python build alone and its tools such
as pagefind separately) and the ratios; then, on the site of ours, what each query of a fixed
set downloads (bench/search_cost.py, budget 300 KB); writes bench/work/results.json and
results.md.
Work files live in bench/work/ (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, "work")
sys.path.insert(0, HERE)

import corpus  # noqa: E402

TARGETS = {"cold_ratio": 1.3, "edit_vs_cold": 0.5, "peak_mb_5000": 400, "search_kb": 300}


def build(kind: str, content: str, output: str, cache: str) -> dict:
    """One build in a child process: wall time and peak RSS of that child only."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, os.path.join(HERE, "build_one.py"), kind, content,
                              output, cache], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONHASHSEED": "0"})
    stdout, stderr = [], []
    # read pipes to the end, then reap the child with wait4 to get its own rusage
    out, err = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    stdout.append(out.decode("utf-8", "replace"))
    stderr.append(err.decode("utf-8", "replace"))
    result = {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1),
              "cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}
    try:
        result.update({k: v for k, v in json.loads(stdout[0].strip().splitlines()[-1]).items()
                       if k in ("pages", "error", "python_peak_mb", "tools_peak_mb")})
        result["in_process_s"] = json.loads(stdout[0].strip().splitlines()[-1])["seconds"]
    except (ValueError, IndexError):
        result["error"] = (stderr[0].strip().splitlines() or ["no output"])[-1][:300]
    if child.returncode and not result.get("error"):
        result["error"] = f"exit {child.returncode}: " + " | ".join(stderr[0].splitlines()[-3:])
    return result


def edit_one_post(content: str) -> tuple[str, str]:
    """Append a paragraph to one post in the middle of the corpus; returns (path, original)."""
    posts = sorted(os.path.join(base, f) for base, _, files in os.walk(os.path.join(content, "tin-tuc"))
                   for f in files if f.endswith(".md"))
    path = posts[len(posts) // 2]
    with open(path, encoding="utf-8") as handle:
        original = handle.read()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(original + "\nCập nhật: nhà trường bổ sung thông tin về thời gian tổ chức.\n")
    return path, original


def run_size(size: int, kinds: list[str]) -> dict:
    content = corpus.generate(size)
    rows = {}
    for kind in kinds:
        base = os.path.join(WORK, f"{kind}-{size}")
        output, cache = os.path.join(base, "output"), os.path.join(base, "cache")
        shutil.rmtree(base, ignore_errors=True)
        row = {"cold": build(kind, content, output, cache)}
        row["warm"] = build(kind, content, output, cache)
        path, original = edit_one_post(content)
        try:
            row["edit"] = build(kind, content, output, cache)
        finally:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(original)
        for name, result in row.items():
            if name == "search":
                continue
            result["posts_per_s"] = round(size / result["seconds"], 1)
            if result.get("pages"):
                result["pages_per_s"] = round(result["pages"] / result["seconds"], 1)
            print(f"  N={size} {kind:4} {name:4}: {result['seconds']:7.2f} s, "
                  f"{result.get('pages', '?')} pages, peak {result['peak_mb']} MB "
                  f"(Python {result.get('python_peak_mb', '?')} MB, "
                  f"tools {result.get('tools_peak_mb', '?')} MB)"
                  + (f"  ERROR {result['error']}" if result.get("error") else ""), flush=True)
        if kind == "ours":
            row["search"] = search_cost(output)
        rows[kind] = row
    return rows


def search_cost(output: str) -> dict:
    """The fixed search queries on the built site (bench/search_cost.py, in its own process):
    bytes per query against the budget."""
    report = os.path.join(WORK, "search-cost.json")
    child = subprocess.run([sys.executable, os.path.join(HERE, "search_cost.py"), output],
                           capture_output=True, text=True, env={**os.environ,
                                                                "SEARCH_COST_JSON": report})
    print(child.stdout.strip().split("\n\n", 1)[-1], flush=True)
    try:
        with open(report, encoding="utf-8") as handle:
            queries = json.load(handle)
    except (OSError, ValueError):
        return {"error": (child.stderr.strip().splitlines() or ["no output"])[-1][:300]}
    return {"queries": queries, "max_kb": max(q["data_kb"] for q in queries)}


def machine() -> str:
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            mem = f", {int(handle.readline().split()[1]) // 1024 // 1024} GB RAM"
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle
                        if line.startswith("model name")), "")
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu or platform.processor()}){mem}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} at start")


def table(results: dict) -> str:
    lines = ["| posts | build | ours s | bare s | ours/bare | ours posts/s | bare posts/s | "
             "ours pages | ours peak MB (Python / tools) | bare peak MB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, rows in results["sizes"].items():
        for name in ("cold", "warm", "edit"):
            ours, bare = rows.get("ours", {}).get(name, {}), rows.get("bare", {}).get(name, {})
            ratio = (f"{ours['seconds'] / bare['seconds']:.2f}" if ours and bare else "–")
            lines.append(
                f"| {size} | {name} | {ours.get('seconds', '–')} | {bare.get('seconds', '–')} | "
                f"{ratio} | {ours.get('posts_per_s', '–')} | {bare.get('posts_per_s', '–')} | "
                f"{ours.get('pages', '–')} | {ours.get('peak_mb', '–')} "
                f"({ours.get('python_peak_mb', '–')} / {ours.get('tools_peak_mb', '–')}) | "
                f"{bare.get('peak_mb', '–')} |")
    return "\n".join(lines)


def verdicts(results: dict) -> list[str]:
    lines = []
    for size, rows in results["sizes"].items():
        ours, bare = rows.get("ours"), rows.get("bare")
        if ours and bare:
            ratio = ours["cold"]["seconds"] / bare["cold"]["seconds"]
            lines.append(f"N={size}: cold ours/bare = {ratio:.2f} (target ≤ {TARGETS['cold_ratio']}) "
                         f"{'OK' if ratio <= TARGETS['cold_ratio'] else 'MISSED'}")
        if ours:
            edit = ours["edit"]["seconds"] / ours["cold"]["seconds"]
            lines.append(f"N={size}: edit one post / cold (ours) = {edit:.2f} "
                         f"(target ≤ {TARGETS['edit_vs_cold']}) "
                         f"{'OK' if edit <= TARGETS['edit_vs_cold'] else 'MISSED'}")
            peak = max(r["peak_mb"] for name, r in ours.items() if name != "search")
            search = ours.get("search") or {}
            if search.get("max_kb") is not None:
                lines.append(f"N={size}: search, most index + meta + fragments for one query of the "
                             f"fixed set = {search['max_kb']} KB (target ≤ {TARGETS['search_kb']} KB) "
                             f"{'OK' if search['max_kb'] <= TARGETS['search_kb'] else 'MISSED'}")
            elif search.get("error"):
                lines.append(f"N={size}: search cost FAILED: {search['error']}")
            lines.append(f"N={size}: peak memory (ours) = {peak} MB"
                         + (f" (target ≤ {TARGETS['peak_mb_5000']} MB at 5000) "
                            f"{'OK' if peak <= TARGETS['peak_mb_5000'] else 'MISSED'}"
                            if int(size) >= 5000 else ""))
        for kind, row in rows.items():
            for name, result in row.items():
                if name != "search" and result.get("error"):
                    lines.append(f"N={size}: {kind} {name} FAILED: {result['error']}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--kinds", nargs="+", default=["ours", "bare"], choices=["ours", "bare"])
    args = parser.parse_args(argv)
    os.makedirs(WORK, exist_ok=True)
    results = {"when": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine(),
               "sizes": {}}
    print(results["machine"], flush=True)
    for size in args.sizes:
        results["sizes"][str(size)] = run_size(size, args.kinds)
    text = table(results) + "\n\n" + "\n".join(verdicts(results))
    print("\n" + text)
    with open(os.path.join(WORK, "results.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, ensure_ascii=False, indent=1)
    with open(os.path.join(WORK, "results.md"), "w", encoding="utf-8") as handle:
        handle.write(f"{results['when']} — {results['machine']}\n\n{text}\n")
    failed = any(r.get("error") for rows in results["sizes"].values() for row in rows.values()
                 for name, r in row.items() if name != "search")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
