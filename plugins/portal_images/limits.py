"""Limits of an uploaded photo, checked before Pillow decodes a single pixel.

Pure functions over paths; no Pelican. The width and height are read from the file's header
(PNG IHDR, JPEG SOF marker) so a "decompression bomb" (a small file that declares hundreds of
millions of pixels) is refused without allocating its pixels; the file size is checked before
reading; the content must be the format the extension says. Each finding is a Vietnamese
message with figures ("ảnh 900 triệu điểm ảnh, giới hạn 50 triệu") and what to do.

`describe_error` turns what Pillow raises while decoding (a truncated file, a broken stream)
into the same kind of message.
"""

from __future__ import annotations

import dataclasses
import os
import struct

MIB = 1024 * 1024
EXPECTED = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
FORMAT_LABELS = {"jpeg": "ảnh JPEG", "png": "ảnh PNG", "gif": "ảnh GIF", "webp": "ảnh WebP",
                 "heic": "ảnh HEIC (iPhone)", "bmp": "ảnh BMP", "tiff": "ảnh TIFF"}
BOMB_BYTES_PER_PIXEL = 0.01  # a real photo needs far more; a bomb declares pixels it lacks
SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
MAX_SEGMENTS = 1000  # JPEG segments read before the frame header, at most


@dataclasses.dataclass(frozen=True)
class Limits:
    max_pixels: int = 50_000_000
    max_side: int = 16_000
    max_bytes: int = 25 * MIB


@dataclasses.dataclass(frozen=True)
class Finding:
    message: str
    hint: str
    value: str = ""


def millions(pixels: int) -> str:
    """900 000 000 → "900 triệu"; 1 500 000 → "1,5 triệu" (Vietnamese decimal comma)."""
    value = pixels / 1_000_000
    text = f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
    return f"{text} triệu"


def megabytes(size: int) -> str:
    value = size / MIB
    if value < 1:
        return f"{max(1, round(size / 1024))} KB"
    return (f"{value:.1f}".replace(".", ",") if value < 10 else f"{value:.0f}") + " MB"


def image_format(head: bytes) -> str:
    """The image format of a file's first bytes, "" when it is no image we know."""
    for magic, fmt in ((b"\xff\xd8\xff", "jpeg"), (b"\x89PNG\r\n\x1a\n", "png"),
                       (b"GIF87a", "gif"), (b"GIF89a", "gif"), (b"BM", "bmp"),
                       (b"II*\x00", "tiff"), (b"MM\x00*", "tiff")):
        if head.startswith(magic):
            return fmt
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"hevc", b"heim"):
        return "heic"
    return ""


def png_size(handle) -> tuple[int, int] | None:
    handle.seek(8)
    chunk = handle.read(16)
    if len(chunk) < 16 or chunk[4:8] != b"IHDR":
        return None
    return struct.unpack(">II", chunk[8:16])


def jpeg_size(handle) -> tuple[int, int] | None:
    """Width and height from the first frame header (SOFn) of a JPEG file."""
    handle.seek(2)
    for _ in range(MAX_SEGMENTS):
        if handle.read(1) != b"\xff":
            return None
        marker = handle.read(1)
        while marker == b"\xff":  # fill bytes before a marker
            marker = handle.read(1)
        if not marker:
            return None
        code = marker[0]
        if code == 0x01 or 0xD0 <= code <= 0xD8:  # markers without a length
            continue
        if code in (0xD9, 0xDA):  # end of image, start of scan: no frame header before
            return None
        raw = handle.read(2)
        if len(raw) < 2 or struct.unpack(">H", raw)[0] < 2:
            return None
        length = struct.unpack(">H", raw)[0]
        if code in SOF_MARKERS:
            data = handle.read(5)
            if len(data) < 5:
                return None
            height, width = struct.unpack(">HH", data[1:5])
            return width, height
        handle.seek(length - 2, os.SEEK_CUR)
    return None


def check(path: str, limits: Limits) -> list[Finding]:
    """What is wrong with one uploaded photo before it is decoded (empty: go ahead)."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    size = os.path.getsize(path)
    if size == 0:
        return [Finding("Tệp ảnh rỗng (0 byte).", "Tải ảnh lên lại từ máy.", "0 byte")]
    if size > limits.max_bytes:
        return [Finding(f"Tệp ảnh {megabytes(size)}, giới hạn {megabytes(limits.max_bytes)}.",
                        "Thu nhỏ ảnh (ví dụ cạnh dài 4000 điểm ảnh, chất lượng JPEG 85) rồi "
                        "tải lên lại.", megabytes(size))]
    with open(path, "rb") as handle:
        fmt = image_format(handle.read(16))
        wanted = EXPECTED.get(ext, "")
        if fmt != wanted:
            if fmt in ("jpeg", "png"):
                right = "jpg" if fmt == "jpeg" else "png"
                return [Finding(f"Tệp có đuôi .{ext} nhưng nội dung là {FORMAT_LABELS[fmt]}.",
                                f"Đổi đuôi tệp thành .{right} (và sửa liên kết trong bài), hoặc "
                                f"lưu lại ảnh dạng {FORMAT_LABELS[wanted]}.", fmt)]
            what = FORMAT_LABELS.get(fmt, "không phải ảnh (có thể là trang web, văn bản hoặc "
                                          "tệp khác)")
            return [Finding(f"Tệp có đuôi .{ext} nhưng nội dung {'là ' if fmt else ''}{what}.",
                            "Mở ảnh trên máy, lưu lại dạng JPEG (.jpg) rồi tải lên lại.",
                            fmt or "?")]
        found = jpeg_size(handle) if fmt == "jpeg" else png_size(handle)
    if not found:  # a header we cannot read: Pillow decides (and size_findings after it)
        return []
    return size_findings(found[0], found[1], size, limits)


def size_findings(width: int, height: int, size: int, limits: Limits) -> list[Finding]:
    """A photo of *width* × *height* in a file of *size* bytes: over a limit? a bomb?"""
    pixels = width * height
    figures = f"{width} × {height}"
    if pixels == 0:
        return [Finding(f"Ảnh không có điểm ảnh nào ({figures}): tệp hỏng.",
                        "Chép lại ảnh gốc từ điện thoại hoặc máy ảnh rồi tải lên lại.", figures)]
    if pixels > limits.max_pixels and size < pixels * BOMB_BYTES_PER_PIXEL:
        return [Finding(f"Ảnh khai báo {millions(pixels)} điểm ảnh ({figures}) trong một tệp "
                        f"chỉ {megabytes(size)}: đây là «bom giải nén», không được xử lý "
                        f"(giới hạn {millions(limits.max_pixels)} điểm ảnh).",
                        "Không dùng tệp này; chụp hoặc xuất lại ảnh bình thường dạng JPEG.",
                        figures)]
    if pixels > limits.max_pixels:
        return [Finding(f"Ảnh {millions(pixels)} điểm ảnh ({figures}), giới hạn "
                        f"{millions(limits.max_pixels)}.",
                        "Thu nhỏ ảnh (ví dụ cạnh dài 4000 điểm ảnh) rồi tải lên lại.", figures)]
    if max(width, height) > limits.max_side:
        return [Finding(f"Ảnh có cạnh dài {max(width, height)} điểm ảnh ({figures}), giới hạn "
                        f"{limits.max_side} mỗi cạnh.",
                        "Cắt hoặc thu nhỏ ảnh (ví dụ cạnh dài 4000 điểm ảnh) rồi tải lên lại.",
                        figures)]
    return []


class LimitExceeded(Exception):
    """Raised by process.process when Pillow finds a size over the limits before decoding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def describe_error(error: BaseException) -> Finding:
    """A decoding failure (raised by Pillow) as a message for the editor."""
    if isinstance(error, LimitExceeded):
        return error.finding
    text = str(error).lower()
    name = type(error).__name__
    if name == "DecompressionBombError":
        return Finding("Ảnh quá nhiều điểm ảnh («bom giải nén»), không được xử lý.",
                       "Không dùng tệp này; chụp hoặc xuất lại ảnh bình thường dạng JPEG.")
    if isinstance(error, (SyntaxError, EOFError)) or "truncated" in text or "broken" in text:
        return Finding("Tệp ảnh bị cắt cụt hoặc hỏng (thiếu dữ liệu, thường do tải lên bị "
                       f"ngắt giữa chừng) ({name}).",
                       "Chép lại ảnh gốc từ điện thoại hoặc máy ảnh rồi tải lên lại.")
    if isinstance(error, MemoryError):
        return Finding("Ảnh quá lớn để xử lý (hết bộ nhớ).",
                       "Thu nhỏ ảnh (ví dụ cạnh dài 4000 điểm ảnh) rồi tải lên lại.")
    return Finding(f"Không đọc được ảnh này (tệp hỏng hoặc không phải ảnh JPEG/PNG) ({name}).",
                   "Mở ảnh trên máy, lưu lại dạng JPEG rồi tải lên lại.")
