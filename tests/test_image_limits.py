"""Uploaded photos within limits (issue 12, item 3): bombs, oversize, truncated, lying files."""

from __future__ import annotations

import io
import os
import struct
import zlib

import pytest
from PIL import Image

from conftest import post
from portal_images import limits

LIMITS = limits.Limits(max_pixels=50_000_000, max_side=16_000, max_bytes=25 * limits.MIB)


def png_bytes(width: int, height: int, idat: bytes | None = None) -> bytes:
    """A PNG whose header says width × height; the data is whatever is given (a bomb's)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    data = idat if idat is not None else zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + \
        chunk(b"IEND", b"")


def jpeg_bytes(width: int, height: int, noise: bool = True) -> bytes:
    image = Image.effect_noise((width, height), 60).convert("RGB") if noise else \
        Image.new("RGB", (width, height), "#3a6")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def jpeg_header_only(width: int, height: int) -> bytes:
    """SOI, an APP0 segment, then a frame header declaring width × height (no pixels)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


def write(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name, data, expected", [
    ("bom.png", png_bytes(30_000, 30_000), "900 triệu điểm ảnh (30000 × 30000)"),
    ("bom.jpg", jpeg_header_only(65_000, 65_000), "«bom giải nén»"),
    ("dai.png", png_bytes(20_000, 100, zlib.compress(os.urandom(300_000))), "giới hạn 16000"),
    ("hong.jpg", b"\xff\xd8 not really a jpeg", "không phải ảnh"),
    ("trang.jpg", b"<!DOCTYPE html><script>alert(1)</script>", "không phải ảnh"),
    ("la-png.jpg", png_bytes(10, 10), "nội dung là ảnh PNG"),
    ("la-jpeg.png", jpeg_header_only(10, 10), "nội dung là ảnh JPEG"),
    ("la-gif.png", b"GIF89a" + b"\x00" * 20, "nội dung là ảnh GIF"),
    ("rong.jpg", b"", "rỗng"),
])
def test_check_refuses_before_decoding(tmp_path, name, data, expected):
    found = limits.check(write(tmp_path, name, data), LIMITS)
    assert len(found) == 1 and expected in found[0].message, found
    assert found[0].hint


def test_over_the_pixel_limit_is_not_called_a_bomb(tmp_path):
    data = jpeg_bytes(1200, 1000)  # noise: a real photo's bytes per pixel
    found = limits.check(write(tmp_path, "anh.jpg", data),
                         limits.Limits(max_pixels=1_000_000))
    assert [f.message for f in found] == ["Ảnh 1,2 triệu điểm ảnh (1200 × 1000), giới hạn "
                                          "1,0 triệu."]


def test_file_size_limit(tmp_path):
    data = jpeg_bytes(400, 300)
    found = limits.check(write(tmp_path, "anh.jpg", data), limits.Limits(max_bytes=10_000))
    assert len(found) == 1 and "giới hạn 10 KB" in found[0].message


def test_a_good_photo_passes_and_its_size_is_read_from_the_header(tmp_path):
    path = write(tmp_path, "anh.jpg", jpeg_bytes(640, 480))
    assert limits.check(path, LIMITS) == []
    with open(path, "rb") as handle:
        assert limits.jpeg_size(handle) == (640, 480)
    png = write(tmp_path, "anh.png", png_bytes(33, 44))
    with open(png, "rb") as handle:
        assert limits.png_size(handle) == (33, 44)


@pytest.mark.parametrize("pixels, text", [(900_000_000, "900 triệu"), (1_500_000, "1,5 triệu"),
                                          (50_000_000, "50 triệu")])
def test_millions(pixels, text):
    assert limits.millions(pixels) == text


def test_truncated_error_message():
    assert "cắt cụt" in limits.describe_error(OSError("image file is truncated (8 bytes "
                                                      "not processed)")).message
    assert "cắt cụt" in limits.describe_error(SyntaxError("broken PNG file")).message


# --- builds --------------------------------------------------------------------------------

def image_problems(built, name):
    return [p for p in built.problems if p.plugin == "portal_images"
            and p.file == f"content/images/{name}"]


def published_images(built):
    folder = built.path("images")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.parametrize("name, data, overrides, expected", [
    ("bom.png", png_bytes(30_000, 30_000), {}, "«bom giải nén»"),
    ("qua-lon.jpg", jpeg_bytes(1200, 1000), {"PORTAL_IMAGES_MAX_PIXELS": 1_000_000},
     "1,2 triệu điểm ảnh"),
    ("qua-nang.jpg", jpeg_bytes(400, 300), {"PORTAL_IMAGES_MAX_UPLOAD_BYTES": 10_000},
     "giới hạn 10 KB"),
    ("cat-cut.jpg", jpeg_bytes(800, 600)[:9000], {}, "cắt cụt"),
    ("gia.jpg", b"<html><script>alert(1)</script></html>", {}, "không phải ảnh"),
    ("sai-duoi.jpg", png_bytes(10, 10, zlib.compress(b"\x00" * 20)), {}, "ảnh PNG"),
])
def test_build_refuses_the_upload_with_its_own_message(site, name, data, overrides,
                                                        expected):
    built = site({f"images/{name}": data, "images/tot.jpg": jpeg_bytes(300, 200),
                  "tin-tuc/a.md": post(body=f"![Ảnh](/images/{name})")}, **overrides)
    assert not built.ok
    found = image_problems(built, name)
    assert len(found) == 1 and expected in found[0].message, built.messages()
    assert found[0].severity == "error" and found[0].hint
    assert not [f for f in published_images(built) if f.startswith(name.split(".")[0])]
