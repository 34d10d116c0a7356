"""Build the site with two versions of the code and compare every output file, byte for byte.

    .venv/bin/python -m cong_truong.tools.compare_builds 16a4e64               # demo: that commit vs this tree
    .venv/bin/python -m cong_truong.tools.compare_builds 16a4e64 --posts 1000  # the bench corpus (bench/corpus.py)
    .venv/bin/python -m cong_truong.tools.compare_builds 16a4e64 HEAD~2        # two commits
    .venv/bin/python -m cong_truong.tools.compare_builds 16a4e64 --without portal_engine  # plugin left out

A commit is exported with ``git archive`` into a scratch folder (no worktree is created); the
working tree (uncommitted changes included) is used when no second commit is given. Both builds
run with PORTAL_TODAY=2026-11-29, their own empty cache, in their own process, one after the
other. Exit 0 when both output folders hold the same files with the same bytes; otherwise
the differing files are listed (and both folders kept with --keep).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile

ROOT = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                      check=False).stdout.strip() or os.getcwd()
TODAY = "2026-11-29"


def export(ref: str, target: str) -> str:
    """The tree of commit *ref* in *target* (git archive, nothing registered in the repo)."""
    os.makedirs(target)
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", target], input=archive, check=True)
    return target


def build(tree: str, content: str, output: str, cache: str, without=()) -> None:
    # The tree's own code: its plugins and package ahead of the installed one, its theme.
    env = {**os.environ, "PORTAL_TODAY": TODAY,
           "PYTHONPATH": os.pathsep.join([os.path.join(tree, "plugins"), tree])}
    command = [sys.executable, "-m", "pelican", content, "-s", "pelicanconf.py", "-o", output,
               "-e", f'CACHE_PATH="{cache}"', "-e", f'THEME="{os.path.join(tree, "theme")}"']
    if without:
        plugins = [p for p in runpy.run_path(os.path.join(tree, "pelicanconf.py"))["PLUGINS"]
                   if p not in without]
        command += ["-e", "PLUGINS=" + json.dumps(plugins)]
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"build failed in {tree}")


def files_of(folder: str) -> set[str]:
    return {os.path.relpath(os.path.join(base, name), folder)
            for base, _, names in os.walk(folder) for name in names}


def compare(left: str, right: str) -> list[str]:
    """Differences as lines: files only on one side, then files whose bytes differ."""
    a, b = files_of(left), files_of(right)
    lines = [f"only in {left}: {p}" for p in sorted(a - b)]
    lines += [f"only in {right}: {p}" for p in sorted(b - a)]
    lines += [f"differs: {p}" for p in sorted(a & b)
              if not filecmp.cmp(os.path.join(left, p), os.path.join(right, p), shallow=False)]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="commit to compare against (e.g. 16a4e64)")
    parser.add_argument("other", nargs="?", default="", help="commit (default: the working tree)")
    parser.add_argument("--posts", type=int, default=0, help="bench corpus of N posts (0: demo)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--without", action="append", default=[],
                        help="leave this plugin out of the second build (e.g. portal_engine)")
    args = parser.parse_args(argv)
    scratch = tempfile.mkdtemp(prefix="portal-compare-")
    try:
        trees = [export(args.base, os.path.join(scratch, "base"))]
        trees.append(export(args.other, os.path.join(scratch, "other")) if args.other else ROOT)
        content = "content"
        if args.posts:
            sys.path.insert(0, os.path.join(ROOT, "bench"))
            import corpus  # noqa: PLC0415

            content = corpus.generate(args.posts, os.path.join(scratch, "corpus"))
        outputs = []
        for index, tree in enumerate(trees):
            output = os.path.join(scratch, f"output-{index}")
            build(tree, content, output, os.path.join(scratch, f"cache-{index}"),
                  args.without if index else ())
            outputs.append(output)
        differences = compare(*outputs)
        count = len(files_of(outputs[0]))
        for line in differences:
            print(line)
        print(f"{count} files compared: " + (f"{len(differences)} differences."
                                             if differences else "identical."))
        if args.keep or differences:
            print(f"outputs kept in {scratch}")
            args.keep = True
        return 1 if differences else 0
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
