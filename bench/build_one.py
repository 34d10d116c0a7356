"""One Pelican build in its own process (run by bench/run.py; prints one JSON line).

    python bench/build_one.py ours|bare CONTENT OUTPUT CACHE
    BENCH_OVERRIDES='{"PORTAL_TYPOGRIFY": false}' python bench/build_one.py ours …   # variants

Both kinds use the content cache (LOAD_CONTENT_CACHE, CACHE_CONTENT, sha256): whether a build
is cold or warm depends only on whether run.py emptied CACHE first.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def settings_for(kind: str, content: str, output: str, cache: str) -> dict:
    from pelican.settings import read_settings

    common = {
        "PATH": content, "OUTPUT_PATH": output, "CACHE_PATH": cache,
        "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CHECK_MODIFIED_METHOD": "sha256",
        "DELETE_OUTPUT_DIRECTORY": True,
    }
    if kind == "ours":
        os.chdir(ROOT)  # pelicanconf.py uses paths relative to the project (theme, plugins)
        extra = json.loads(os.environ.get("BENCH_OVERRIDES") or "{}")  # e.g. typography off
        return read_settings(os.path.join(ROOT, "pelicanconf.py"),
                             override={**common, "PORTAL_TODAY": "2026-11-29", **extra})
    # Bare Pelican: default theme, no plugins, the same Markdown files and the same pagination
    return read_settings(None, override={
        **common, "PLUGINS": [], "TIMEZONE": "Asia/Ho_Chi_Minh", "DEFAULT_LANG": "vi",
        "ARTICLE_PATHS": ["tin-tuc", "thong-bao"], "PAGE_PATHS": ["pages"],
        "STATIC_PATHS": ["images"], "READERS": {"rst": None, "htm": None, "html": None},
        "DEFAULT_PAGINATION": 12, "SITEURL": "", "RELATIVE_URLS": False,
    })


def main() -> int:
    kind, content, output, cache = sys.argv[1:5]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    start = time.perf_counter()
    from pelican import Pelican

    settings = settings_for(kind, content, output, cache)
    error = ""
    try:
        Pelican(settings).run()
    except BaseException as exc:  # report, do not hide: run.py marks the row as failed
        error = f"{type(exc).__name__}: {exc}"[:300]
    seconds = time.perf_counter() - start
    pages = sum(1 for _, _, files in os.walk(output) for f in files if f.endswith(".html"))
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the Python build
    tools = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # e.g. pagefind
    print(json.dumps({"kind": kind, "seconds": round(seconds, 3), "pages": pages,
                      "python_peak_mb": round(own, 1), "tools_peak_mb": round(tools, 1),
                      "error": error}))
    return 1 if error else 0


if __name__ == "__main__":
    sys.exit(main())
