"""Maintainers' tool: the fingerprints `cong-truong upgrade` uses to tell the files a school
copied from this repository unchanged from the ones it changed.

    python -m cong_truong.tools.known_files LAST_COMMIT > cong_truong/upgrade_known.json

Before the package existed (format 1) a school started by copying this repository. For every
file of every commit up to LAST_COMMIT (2ca5c23, the last one before the package) outside
content/, this records a short sha256 of each version; and for pelicanconf.py/publishconf.py,
a hash of each top-level statement of each version. A school's file whose hash is known was
never changed by the school (upgrade removes it: the package provides it now); any other was
(upgrade keeps it: a template as the school's override, code moved aside, a setting carried
into the new pelicanconf.py). Run once: format 1 is frozen.
"""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys

SKIP = ("content/",)
SETTINGS = ("pelicanconf.py", "publishconf.py")


def short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def statement_key(node: ast.stmt) -> str:
    return short(ast.dump(node, include_attributes=False).encode())


def statements(source: bytes) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {statement_key(node) for node in tree.body}


def main(argv=None) -> int:
    last = (argv or sys.argv[1:] or ["HEAD"])[0]
    commits = subprocess.run(["git", "rev-list", last], capture_output=True, text=True,
                             check=True).stdout.split()
    blobs: dict[str, set[str]] = {}
    for commit in commits:
        listing = subprocess.run(["git", "ls-tree", "-r", "-z", commit], capture_output=True,
                                 check=True).stdout.decode().split("\0")
        for entry in filter(None, listing):
            meta, path = entry.split("\t", 1)
            if not path.startswith(SKIP):
                blobs.setdefault(meta.split()[2], set()).add(path)
    files: dict[str, set[str]] = {}
    settings: set[str] = set()
    for blob, paths in sorted(blobs.items()):
        data = subprocess.run(["git", "cat-file", "blob", blob], capture_output=True,
                              check=True).stdout
        for path in paths:
            files.setdefault(path, set()).add(short(data))
            if path in SETTINGS:
                settings |= statements(data)
    json.dump({"about": "cong_truong/tools/known_files.py", "up_to": last,
               "files": {p: sorted(h) for p, h in sorted(files.items())},
               "settings": sorted(settings)}, sys.stdout, ensure_ascii=False, indent=0)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
