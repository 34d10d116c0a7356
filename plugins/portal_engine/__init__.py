"""portal_engine: the same site, built faster. Remove it from PLUGINS and the output is the
same, byte for byte (tests/test_engine.py); only the build is slower.

- ``prefetch.py``: the files not in the content cache are read ahead on every core when a
  generator starts reading (``article_generator_preread``, ``page_generator_preread``);
- ``parallel_writer.py``: Pelican's writer (``get_writer``) with the templates rendered on
  every core once every page is known; the renderings run at the first ``finalized`` handler
  that calls ``portal_core.state.write_pending`` (this plugin's, or portal_search's, which
  reads the pages): the order of PLUGINS does not matter;
- ``bytecode.py``: one Jinja bytecode cache for every generator (``initialized``);
- ``workers.py``: the worker processes both use (``fork``; none on Windows or one core).

It imports only Pelican and portal_core (the build state).
"""

from __future__ import annotations

import logging

from pelican import signals

from portal_core import state

from . import bytecode, parallel_writer, prefetch

log = logging.getLogger(__name__)

# Settings of the engine, with their defaults: the one place where they are defined.
DEFAULTS = {
    **prefetch.DEFAULTS,  # reading on every core
    **parallel_writer.DEFAULTS,  # writing on every core
}


def validate_settings(settings: dict) -> None:
    """Each setting a whole number ≥ 0; a wrong value is reported and the default used."""
    for key, default in DEFAULTS.items():
        value = settings.get(key)
        try:
            if int(value) < 0 or isinstance(value, bool):
                raise ValueError
        except (TypeError, ValueError):
            log.warning("portal_engine: %s = %r không hợp lệ (cần số nguyên ≥ 0); dùng %s.",
                        key, value, default)
            settings[key] = default


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    validate_settings(settings)
    environment = dict(settings.get("JINJA_ENVIRONMENT") or {})
    environment.setdefault("bytecode_cache", bytecode.SharedBytecodeCache())
    settings["JINJA_ENVIRONMENT"] = environment


def article_generator_preread(generator):
    prefetch.prefetch(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def page_generator_preread(generator):
    prefetch.prefetch(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def get_writer(pelican):
    """Pelican's writer, rendering on every core (Pelican uses the class returned here)."""
    return parallel_writer.ParallelWriter


def finalized(pelican):
    """Render the pages whose rendering was deferred, if no plugin has asked for them yet."""
    state.write_pending(pelican.settings)


def register():
    signals.initialized.connect(initialized)
    signals.article_generator_preread.connect(article_generator_preread)
    signals.page_generator_preread.connect(page_generator_preread)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(finalized)
