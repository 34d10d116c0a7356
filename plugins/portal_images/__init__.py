"""portal_images: phone photos published light, resized, and without EXIF.

Every photo under content/images/ (JPEG, PNG) is processed at build time: orientation from
EXIF applied, resized to a few widths (never upscaled), encoded as WebP plus the upload's own
format, with every metadata block stripped (EXIF, GPS, XMP, ICC). The raw upload is never
copied to the output: the largest processed file is published under the upload's name, so a
link to /images/x.jpg keeps working. Results are cached in CACHE_PATH/images, keyed by the
upload's sha256 and the settings.

In posts and pages, <img> tags pointing at a processed photo become <picture> markup with
srcset, sizes, width, height, loading="lazy" (not the first one) and decoding="async".
Alt text is the editor's (portal_safety reports a missing one).

Uploads are checked before a pixel is decoded (limits.py): the header must be the format the
extension says, and the file within PORTAL_IMAGES_MAX_UPLOAD_BYTES (25 MB), the photo within
PORTAL_IMAGES_MAX_PIXELS (50 million) and PORTAL_IMAGES_MAX_SIDE (16000 px a side). A
decompression bomb, a photo over a limit, a truncated file or a file that is not what its
extension says is an ERROR with its own message in figures ("Ảnh khai báo 900 triệu điểm ảnh
(30000 × 30000) trong một tệp chỉ 1 KB: đây là «bom giải nén»…") and what to do; the upload
is never published. Symbolic links are skipped (portal_safety reports them).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
from concurrent.futures import ThreadPoolExecutor

from pelican import signals

from portal_core import state
from portal_core.checks import content_objects
from portal_core.problems import ERROR, Problem

from . import limits, markup, process

log = logging.getLogger("portal_images")

DEFAULTS = {
    "PORTAL_IMAGES_FOLDER": "images",  # inside content/, published at the same path
    "PORTAL_IMAGES_WIDTHS": [480, 960, 1600],
    "PORTAL_IMAGES_JPEG_QUALITY": 78,
    "PORTAL_IMAGES_WEBP_QUALITY": 72,
    "PORTAL_IMAGES_MAX_BYTES": 300_000,  # a published image file; quality goes down to fit
    "PORTAL_IMAGES_SIZES": markup.DEFAULT_SIZES,
    "PORTAL_IMAGES_CACHE": "",  # empty: CACHE_PATH/images
    # Uploads refused before decoding (limits.py): a phone photo is 12-50 megapixels, < 25 MB
    "PORTAL_IMAGES_MAX_PIXELS": 50_000_000,
    "PORTAL_IMAGES_MAX_SIDE": 16_000,  # pixels, either side
    "PORTAL_IMAGES_MAX_UPLOAD_BYTES": 25 * limits.MIB,
}
LIMIT_KEYS = ("PORTAL_IMAGES_MAX_PIXELS", "PORTAL_IMAGES_MAX_SIDE",
              "PORTAL_IMAGES_MAX_UPLOAD_BYTES")


def options(settings: dict) -> process.Options:
    return process.Options(
        widths=tuple(int(w) for w in settings["PORTAL_IMAGES_WIDTHS"]),
        jpeg_quality=int(settings["PORTAL_IMAGES_JPEG_QUALITY"]),
        webp_quality=int(settings["PORTAL_IMAGES_WEBP_QUALITY"]),
        max_bytes=int(settings["PORTAL_IMAGES_MAX_BYTES"]))


def upload_limits(settings: dict) -> limits.Limits:
    return limits.Limits(max_pixels=int(settings["PORTAL_IMAGES_MAX_PIXELS"]),
                         max_side=int(settings["PORTAL_IMAGES_MAX_SIDE"]),
                         max_bytes=int(settings["PORTAL_IMAGES_MAX_UPLOAD_BYTES"]))


def cache_root(settings: dict) -> str:
    return settings.get("PORTAL_IMAGES_CACHE") or os.path.join(
        settings.get("CACHE_PATH", "cache"), "images")


def photo_sources(content_path: str, folder: str) -> list[str]:
    """Content-relative paths (forward slashes) of every photo under content/<folder>/."""
    found = []
    base = os.path.join(content_path, folder)
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if os.path.islink(os.path.join(root, name)):
                continue  # never read through a link (portal_safety reports it)
            if not name.startswith(".") and name.lower().endswith(process.PHOTO_EXTENSIONS):
                rel = os.path.relpath(os.path.join(root, name), content_path)
                found.append(rel.replace(os.sep, "/"))
    return found


@dataclasses.dataclass
class ImagesRun:
    """This plugin's part of the build state (a fresh one every run)."""

    infos: dict = dataclasses.field(default_factory=dict)  # photo (content-relative) -> info
    sources: set = dataclasses.field(default_factory=set)  # photos processed: never copied raw
    encoded: int = 0  # files encoded in this build (not from the cache)
    used: dict = dataclasses.field(default_factory=dict)  # source -> photos its <picture>s use


def images_state(settings: dict) -> ImagesRun:
    return state.current(settings).part(ImagesRun)


def initialized(pelican):
    settings = pelican.settings
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    for key in LIMIT_KEYS:
        value = settings[key]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            state.add(settings, Problem(key, key, str(value), "Giới hạn ảnh không hợp lệ.",
                                        f"Một số nguyên dương; mặc định {DEFAULTS[key]}.",
                                        plugin="portal_images"))
            settings[key] = DEFAULTS[key]


class ImagesGenerator:
    """Processes the photos (generate_context) and writes them (generate_output)."""

    def __init__(self, context, settings, path, theme, output_path, **kwargs):
        self.context, self.settings, self.path = context, settings, path
        self.output_path = output_path

    def generate_context(self):
        settings = self.settings
        found = images_state(settings)
        opts, root = options(settings), cache_root(settings)
        bounds = upload_limits(settings)
        sources = photo_sources(self.path, settings["PORTAL_IMAGES_FOLDER"])
        found.sources = set(sources)  # all of them: a refused upload is never copied either

        def refuse(rel, finding):
            state.add(settings, Problem(
                state.rel(settings, os.path.join(self.path, rel)), "", finding.value,
                finding.message, finding.hint, severity=ERROR, plugin="portal_images"))

        accepted = []
        for rel in sources:  # the header, before any pixel is decoded (bombs, limits, lies)
            try:
                findings = limits.check(os.path.join(self.path, rel), bounds)
            except OSError as error:
                findings = [limits.describe_error(error)]
            for finding in findings:
                refuse(rel, finding)
            if not findings:
                accepted.append(rel)
        # Photos are processed on every core: Pillow releases the GIL while it resizes and
        # encodes, so threads are enough (cached photos cost a hash each).
        workers = max(1, min(len(accepted), os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            jobs = [(rel, pool.submit(process.process, os.path.join(self.path, rel), rel, root,
                                      opts, bounds)) for rel in accepted]
        for rel, job in jobs:
            try:
                info = job.result()
            except Exception as error:  # unreadable upload: a problem for the editor
                refuse(rel, limits.describe_error(error))
                continue
            found.infos[rel] = info
            found.encoded += info.encoded
        if found.encoded:
            log.info("portal_images: %d ảnh mới được xử lý (%d tệp).",
                     sum(1 for i in found.infos.values() if i.encoded), found.encoded)

    def generate_output(self, writer):
        del writer
        for info in images_state(self.settings).infos.values():
            for rel, cached in process.published_files(info).items():
                target = os.path.join(self.output_path, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(cached, target)


def get_generators(pelican):
    return ImagesGenerator


def static_generator_finalized(generator):
    """The raw uploads of processed photos are never copied (their EXIF would be published)."""
    sources = images_state(generator.settings).sources
    if not sources:
        return
    keep = [s for s in generator.staticfiles
            if s.relative_source_path.replace(os.sep, "/") not in sources]
    generator.staticfiles[:] = keep
    if generator.context.get("staticfiles") is not generator.staticfiles:
        generator.context["staticfiles"] = keep


def all_generators_finalized(generators):
    """Rewrite <img> to <picture> in every post and page (each build: cheap, not cached)."""
    settings = generators[0].settings
    found = images_state(settings)
    infos = found.infos
    if not infos:
        return
    siteurl = settings.get("SITEURL", "")
    sizes = settings["PORTAL_IMAGES_SIZES"]
    changed = set()
    for obj in content_objects(generators):
        original = getattr(obj, "_content", None)
        if not original:
            continue
        source_dir = os.path.dirname(obj.relative_source_path.replace(os.sep, "/"))
        new, used = markup.rewrite(original, infos, source_dir, siteurl, sizes)
        if used:
            obj._content = new
            changed.add(id(obj))
            found.used[obj.relative_source_path] = used
    if changed:  # forget content rendered before the rewrite (Pelican memoizes it per class)
        from pelican.contents import Content

        for method in (Content.get_content, Content.get_summary):
            cache = getattr(method, "cache", None) or {}
            for key in [k for k in cache if k and id(k[0]) in changed]:
                del cache[key]


def register():
    signals.initialized.connect(initialized)
    signals.get_generators.connect(get_generators)
    signals.static_generator_finalized.connect(static_generator_finalized)
    signals.all_generators_finalized.connect(all_generators_finalized)
