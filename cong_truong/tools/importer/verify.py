"""The portal's own checks on imported posts: the same reading phase as `invoke check`
(sanitizer, personal-data guard, accessible-content checks, topics, dates, collisions), run
on a scratch copy of the project's data and plans plus the imported folder. Returns the
problems of each imported file, so that a post with any problem is imported as a draft."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile



def check(staged: str, project_content: str, today: str) -> dict[str, list]:
    """{path inside the imported folder: [Problem]} for every problem on an imported file."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from portal_core import CheckComplete, state

    found: dict[str, list] = {}
    with tempfile.TemporaryDirectory(prefix="nhap-kiem-tra-") as scratch:
        content = os.path.join(scratch, "content")
        for folder in ("data", "plans"):
            source = os.path.join(project_content, folder)
            if os.path.isdir(source):
                shutil.copytree(source, os.path.join(content, folder), symlinks=False)
        shutil.copytree(staged, content, dirs_exist_ok=True)
        override = {"PATH": content, "OUTPUT_PATH": os.path.join(scratch, "output"),
                    "CACHE_PATH": os.path.join(scratch, "cache"), "PORTAL_CHECK_ONLY": True,
                    "LOAD_CONTENT_CACHE": False, "DELETE_OUTPUT_DIRECTORY": False,
                    "PORTAL_TODAY": today}
        settings = read_settings(_settings_file(project_content), override=override)
        logging.disable(logging.CRITICAL)  # the import report says it per page instead
        stderr = _Silence()
        try:
            with stderr:
                Pelican(settings).run()
        except CheckComplete:
            pass
        finally:
            logging.disable(logging.NOTSET)
        for problem in state.current(settings).problems:
            name = problem.file.replace("\\", "/")
            name = name[len("content/"):] if name.startswith("content/") else name
            if os.path.isfile(os.path.join(staged, name)):
                found.setdefault(name, []).append(problem)
    return found


class _Silence:
    """The check's own report and log: the import report says it per page instead."""

    def __enter__(self):
        import sys

        self._saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")

    def __exit__(self, *exc):
        import sys

        sys.stdout.close()
        sys.stdout, sys.stderr = self._saved
        return False


def _settings_file(project_content: str) -> str:
    """The school's own pelicanconf.py (beside its content/), else the package's settings."""
    own = os.path.join(os.path.dirname(os.path.abspath(project_content)), "pelicanconf.py")
    if os.path.isfile(own):
        return own
    import cong_truong.settings

    return cong_truong.settings.__file__
