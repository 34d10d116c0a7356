"""Photos: resize to a few widths, WebP + JPEG, EXIF applied then stripped, cached on disk.

Pure functions over paths; no Pelican here. The cache key of one photo is the sha256 of the
uploaded file plus a fingerprint of the settings, so an unchanged photo is never re-encoded
and a change of widths or quality re-encodes everything once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import tempfile

PIPELINE_VERSION = 1  # bump when the encoding code changes: every cached image is redone

# Extensions we process (the raw upload of these is never published). Others are copied.
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")


@dataclasses.dataclass(frozen=True)
class Options:
    widths: tuple[int, ...] = (480, 960, 1600)
    jpeg_quality: int = 78
    webp_quality: int = 72
    max_bytes: int = 300_000  # one published file; quality is lowered until it fits
    min_quality: int = 50

    def fingerprint(self) -> str:
        text = json.dumps([PIPELINE_VERSION, sorted(self.widths), self.jpeg_quality,
                           self.webp_quality, self.max_bytes, self.min_quality])
        return hashlib.sha256(text.encode()).hexdigest()[:10]


@dataclasses.dataclass
class Variant:
    width: int
    height: int
    fmt: str  # "webp" or the fallback: "jpeg" / "png"
    file: str  # file name inside the cache entry
    bytes: int


@dataclasses.dataclass
class ImageInfo:
    """One processed photo: its intrinsic size (after orientation) and its variants."""

    source: str  # path relative to the content folder, forward slashes: images/a/b.jpg
    width: int
    height: int
    fallback: str  # "jpeg" or "png"
    variants: list[Variant]
    cache_dir: str
    encoded: int = 0  # how many files were encoded for this build (0 on a cache hit)

    def by_format(self, fmt: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.fmt == fmt), key=lambda v: v.width)

    def largest(self, fmt: str) -> Variant:
        return self.by_format(fmt)[-1]


def target_widths(intrinsic: int, widths) -> list[int]:
    """The widths to produce: never wider than the photo itself (no upscaling)."""
    return sorted({min(int(w), intrinsic) for w in widths if int(w) > 0}) or [intrinsic]


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def output_name(source: str, width: int, largest: int, fmt: str) -> str:
    """Published file for one variant, relative to the output folder.

    images/san.jpg at 480 → images/san-480.webp / images/san-480.jpg; the largest variant keeps
    the plain name (images/san.webp, images/san.jpg) so a link to the upload keeps working and
    serves the processed file.
    """
    stem, ext = os.path.splitext(source)
    if fmt == "webp":
        ext = ".webp"
    return f"{stem}{ext}" if width == largest else f"{stem}-{width}{ext}"


def _open_oriented(path: str, limits=None):
    """The photo with its EXIF orientation applied, in RGB (or RGBA for transparent PNGs).

    With *limits* (limits.Limits), a size over them raises limits.LimitExceeded before a pixel
    is decoded (Image.open reads the header only)."""
    from PIL import Image, ImageOps

    from .limits import LimitExceeded, size_findings

    with Image.open(path) as raw:
        if limits is not None:
            found = size_findings(raw.size[0], raw.size[1], os.path.getsize(path), limits)
            if found:
                raise LimitExceeded(found[0])
        raw.load()
        image = ImageOps.exif_transpose(raw)  # a new image without the orientation tag
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    return image, has_alpha


def _encode(image, fmt: str, quality: int) -> bytes:
    """Encode without any metadata: no EXIF, no XMP, no ICC profile, no comments."""
    buffer = io.BytesIO()
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=quality, method=4)
    elif fmt == "jpeg":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _encode_fitting(image, fmt: str, start: int, options: Options) -> bytes:
    quality = start
    data = _encode(image, fmt, quality)
    while len(data) > options.max_bytes and fmt != "png" and quality > options.min_quality:
        quality = max(options.min_quality, quality - 8)
        data = _encode(image, fmt, quality)
    return data


def process(path: str, source: str, cache_root: str, options: Options,
            limits=None) -> ImageInfo:
    """Process one photo (or load it from the cache). *source* names it for messages/URLs.

    Raises OSError / PIL.UnidentifiedImageError for an unreadable file, limits.LimitExceeded
    for a photo over *limits*: the caller turns that into a problem for the editor
    (limits.describe_error).
    """
    digest = sha256_file(path)
    entry = os.path.join(cache_root, digest[:2], f"{digest}-{options.fingerprint()}")
    manifest = os.path.join(entry, "info.json")
    if os.path.exists(manifest):
        try:
            with open(manifest, encoding="utf-8") as handle:
                data = json.load(handle)
            variants = [Variant(**v) for v in data["variants"]]
            if all(os.path.exists(os.path.join(entry, v.file)) for v in variants):
                return ImageInfo(source, data["width"], data["height"], data["fallback"],
                                 variants, entry, encoded=0)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a broken cache entry is rebuilt below

    from PIL import Image

    image, _ = _open_oriented(path, limits)
    # The fallback keeps the upload's format, so a link to the upload serves the processed file
    fallback = "png" if source.lower().endswith(".png") else "jpeg"
    if fallback == "jpeg" and image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    os.makedirs(os.path.dirname(entry), exist_ok=True)
    work = tempfile.mkdtemp(prefix=".tmp-", dir=os.path.dirname(entry))
    variants: list[Variant] = []
    try:
        for target in target_widths(width, options.widths):
            resized = image if target == width else image.resize(
                (target, max(1, round(height * target / width))), Image.Resampling.LANCZOS)
            for fmt, quality in (("webp", options.webp_quality),
                                 (fallback, options.jpeg_quality)):
                data = _encode_fitting(resized, fmt, quality, options)
                name = f"{target}.{fmt}"
                with open(os.path.join(work, name), "wb") as handle:
                    handle.write(data)
                variants.append(Variant(target, resized.size[1], fmt, name, len(data)))
        with open(os.path.join(work, "info.json"), "w", encoding="utf-8") as handle:
            json.dump({"width": width, "height": height, "fallback": fallback,
                       "variants": [dataclasses.asdict(v) for v in variants]}, handle)
        shutil.rmtree(entry, ignore_errors=True)
        os.replace(work, entry)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ImageInfo(source, width, height, fallback, variants, entry, encoded=len(variants))


def published_files(info: ImageInfo) -> dict[str, str]:
    """Output path (relative) → cached file, for every variant of one photo."""
    files = {}
    for fmt in ("webp", info.fallback):
        largest = info.largest(fmt).width
        for variant in info.by_format(fmt):
            files[output_name(info.source, variant.width, largest, fmt)] = \
                os.path.join(info.cache_dir, variant.file)
    return files
