"""cong-truong: the portal as one package (plugins, theme, gates, editor, importer, command).

A school's repository holds its content and two small settings files that take everything
else from here (``from cong_truong.settings import *``); the command ``cong-truong`` builds,
checks, serves, publishes and upgrades it. ``__version__`` is the installed distribution's.
"""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "cong-truong"

try:
    __version__ = metadata.version(DISTRIBUTION)
except metadata.PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
