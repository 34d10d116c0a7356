"""portal_images: phone photos resized, WebP + JPEG, EXIF/GPS stripped, cached, <picture> markup."""

from __future__ import annotations

import os
import sys

import pytest
from PIL import Image, UnidentifiedImageError

from conftest import ROOT, cache_folder, post
from portal_images import markup, process

sys.path.insert(0, os.path.join(ROOT, "bench"))
import photos  # noqa: E402  (bench/photos.py: generated, non-personal phone photos)

GPS_IFD = 0x8825


def phone_photo(path, width=2400, height=1800, orientation=1):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    photos.save_phone_photo(str(path), width, height, quality=90, orientation=orientation,
                            grain=4)
    return str(path)


def exif_of(path) -> dict:
    with Image.open(path) as image:
        exif = image.getexif()
        found = dict(exif)
        found.update({f"gps-{k}": v for k, v in exif.get_ifd(GPS_IFD).items()})
        found["info"] = {k: v for k, v in image.info.items()
                         if k in ("exif", "xmp", "icc_profile", "comment")}
        return found


# --- pure functions ------------------------------------------------------------------------

@pytest.mark.parametrize("intrinsic, expected", [
    (4000, [480, 960, 1600]),
    (1600, [480, 960, 1600]),
    (1200, [480, 960, 1200]),  # never upscaled: the photo's own width is the largest
    (700, [480, 700]),
    (300, [300]),
])
def test_target_widths_never_upscale(intrinsic, expected):
    assert process.target_widths(intrinsic, [480, 960, 1600]) == expected


@pytest.mark.parametrize("src, source_dir, siteurl, expected", [
    ("/images/2023/sân.jpg", "tin-tuc/2023", "", "images/2023/sân.jpg"),
    ("/images/2023/s%C3%A2n.jpg", "tin-tuc/2023", "", "images/2023/sân.jpg"),
    ("{static}/images/a.jpg", "tin-tuc/2023", "", "images/a.jpg"),
    ("{static}../../images/a.jpg", "tin-tuc/2023", "", "images/a.jpg"),
    ("|static|/images/a.jpg", "pages", "", "images/a.jpg"),
    ("https://truong.edu.vn/images/a.jpg", "pages", "https://truong.edu.vn", "images/a.jpg"),
    ("https://example.com/images/a.jpg", "pages", "https://truong.edu.vn", None),
    ("images/a.jpg", "pages", "", None),  # plain relative: not ours to guess
    ("data:image/png;base64,xxx", "pages", "", None),
])
def test_resolve(src, source_dir, siteurl, expected):
    assert markup.resolve(src, source_dir, siteurl) == expected


def fake_info(source="images/san.jpg", width=4000, height=3000):
    variants = []
    for w in process.target_widths(width, [480, 960, 1600]):
        for fmt in ("webp", "jpeg"):
            variants.append(process.Variant(w, round(height * w / width), fmt, f"{w}.{fmt}", 1))
    return process.ImageInfo(source, width, height, "jpeg", variants, "/nowhere")


def test_rewrite_builds_picture_with_all_attributes():
    from bs4 import BeautifulSoup

    html = ('<p><img alt="Sân trường &amp; nhà đa năng" src="/images/san.jpg"></p>'
            '<p><img alt="Ảnh thứ hai" src="{static}/images/san.jpg" title="Toàn cảnh"></p>'
            '<p><img alt="Ảnh ngoài" src="/images/khong-co.jpg"></p>')
    new, used = markup.rewrite(html, {"images/san.jpg": fake_info()}, "tin-tuc/2023",
                               siteurl="https://truong.edu.vn")
    assert used == ["images/san.jpg", "images/san.jpg"]
    soup = BeautifulSoup(new, "html.parser")
    pictures = soup.find_all("picture")
    assert len(pictures) == 2
    source, img = pictures[0].source, pictures[0].img
    assert source["type"] == "image/webp"
    assert source["srcset"].split(", ") == [
        "https://truong.edu.vn/images/san-480.webp 480w",
        "https://truong.edu.vn/images/san-960.webp 960w",
        "https://truong.edu.vn/images/san.webp 1600w"]
    assert img["src"] == "https://truong.edu.vn/images/san-960.jpg"
    assert "https://truong.edu.vn/images/san.jpg 1600w" in img["srcset"]
    assert img["sizes"] and source["sizes"] == img["sizes"]
    assert (img["width"], img["height"]) == ("1600", "1200")
    assert img["alt"] == "Sân trường & nhà đa năng"
    assert img["decoding"] == "async"
    assert not img.has_attr("loading")  # the first image of a page is eager
    second = pictures[1].img
    assert second["loading"] == "lazy" and second["title"] == "Toàn cảnh"
    # an image that is not a processed photo is left alone
    assert soup.find("img", src="/images/khong-co.jpg") is not None


def test_rewrite_keeps_missing_alt_missing():
    """A missing alt is portal_safety's problem: we do not invent one."""
    new, _ = markup.rewrite('<img src="/images/san.jpg">', {"images/san.jpg": fake_info()}, "")
    assert "alt=" not in new


def test_process_strips_exif_and_gps_and_applies_orientation(tmp_path):
    # Orientation 6: the camera was held upright, the pixels are stored sideways
    src = phone_photo(tmp_path / "up" / "doc.jpg", width=2000, height=1500, orientation=6)
    before = exif_of(src)
    assert before.get("gps-2") and before.get(0x0112) == 6  # the test photo really has GPS
    info = process.process(src, "images/doc.jpg", str(tmp_path / "cache"), process.Options())
    assert (info.width, info.height) == (1500, 2000)  # portrait after orientation
    assert info.encoded == 6  # 480, 960, 1500 in WebP and JPEG
    assert sorted({v.width for v in info.variants}) == [480, 960, 1500]
    for variant in info.variants:
        path = os.path.join(info.cache_dir, variant.file)
        found = exif_of(path)
        assert not [k for k in found if k != "info"], f"{variant.file}: {found}"
        assert not found["info"], variant.file
        with Image.open(path) as image:
            assert image.size == (variant.width, variant.height)
            assert image.size[1] > image.size[0]  # portrait
            assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[variant.fmt]


def test_process_cache_hit_does_not_reencode(tmp_path):
    src = phone_photo(tmp_path / "a.jpg", width=1000, height=750)
    cache = str(tmp_path / "cache")
    first = process.process(src, "images/a.jpg", cache, process.Options())
    mtimes = {f: os.stat(os.path.join(first.cache_dir, f)).st_mtime_ns
              for f in os.listdir(first.cache_dir)}
    second = process.process(src, "images/a.jpg", cache, process.Options())
    assert first.encoded == 6 and second.encoded == 0  # 480, 960, 1000 × 2 formats
    assert {f: os.stat(os.path.join(second.cache_dir, f)).st_mtime_ns
            for f in os.listdir(second.cache_dir)} == mtimes
    # other settings are another cache entry
    third = process.process(src, "images/a.jpg", cache, process.Options(jpeg_quality=60))
    assert third.encoded == 6 and third.cache_dir != first.cache_dir


def test_unreadable_upload_raises_for_the_caller(tmp_path):
    bad = tmp_path / "hong.jpg"
    bad.write_bytes(b"not a jpeg at all")
    with pytest.raises(UnidentifiedImageError):
        process.process(str(bad), "images/hong.jpg", str(tmp_path / "cache"), process.Options())


# --- whole site ----------------------------------------------------------------------------

BODY = """
Sân mới đã được đưa vào sử dụng.

![Sân thể thao đa năng nhìn từ dãy nhà học]({static}/images/2022/san.jpg)

Một góc khác của sân.

![Góc sân phía cổng trường](/images/2022/san.jpg)
"""


def photo_site_files(tmp_path) -> dict:
    raw = phone_photo(tmp_path / "upload.jpg", width=2400, height=1800)
    with open(raw, "rb") as handle:
        data = handle.read()
    assert len(data) > 100_000
    return {"images/2022/san.jpg": data, "images/logo-khong-xu-ly.svg":
            '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
            "tin-tuc/2022/san-moi.md": post("Sân thể thao mới", body=BODY)}


def output_images(built) -> list[str]:
    """Raster images under images/ in the output (the theme's own files are not uploads)."""
    found = []
    for base, _, files in os.walk(os.path.join(built.output, "images")):
        found += [os.path.relpath(os.path.join(base, f), built.output) for f in files
                  if f.lower().endswith((".jpg", ".jpeg", ".png", ".webp"))]
    return sorted(found)


def test_site_publishes_resized_images_without_exif(site, tmp_path):
    built = site(photo_site_files(tmp_path))
    assert built.ok, built.messages()
    assert output_images(built) == sorted(
        f"images/2022/{n}" for n in ("san-480.jpg", "san-480.webp", "san-960.jpg",
                                     "san-960.webp", "san.jpg", "san.webp"))
    for rel in output_images(built):
        found = exif_of(built.path(rel))
        assert not [k for k in found if k != "info"] and not found["info"], rel
        with Image.open(built.path(rel)) as image:
            assert image.size[0] <= 1600, rel
    # the raw upload (2400 px, with GPS) is not in the output under its name
    with Image.open(built.path("images/2022/san.jpg")) as image:
        assert image.size == (1600, 1200)
    assert os.path.getsize(built.path("images/2022/san.jpg")) < os.path.getsize(
        os.path.join(built.root, "content", "images/2022/san.jpg"))
    assert built.exists("images/logo-khong-xu-ly.svg")  # other static files still copied

    html = next(f for f in built.html_files() if "san-the-thao-moi" in f)
    soup = built.soup(html)
    pictures = soup.select(".prose picture")
    assert len(pictures) == 2
    first, second = (p.img for p in pictures)
    assert first["alt"] == "Sân thể thao đa năng nhìn từ dãy nhà học"
    assert first["src"] == "/images/2022/san-960.jpg"
    assert (first["width"], first["height"]) == ("1600", "1200")
    assert first["decoding"] == "async" and not first.has_attr("loading")
    assert second["loading"] == "lazy"
    assert "/images/2022/san-480.webp 480w" in pictures[0].source["srcset"]
    assert "{static}" not in built.read(html)


def test_second_build_uses_the_cache(site, tmp_path, monkeypatch):
    encoded = []
    real_encode = process._encode
    monkeypatch.setattr(process, "_encode",
                        lambda image, fmt, quality: encoded.append(fmt) or real_encode(image, fmt, quality))
    files = photo_site_files(tmp_path)
    first = site(files)
    assert first.ok, first.messages()
    assert len(encoded) >= 6  # encoded on the first build
    cache = os.path.join(cache_folder(first.root), "images")
    stamps = {}
    for base, _, names in os.walk(cache):
        stamps.update({os.path.join(base, n): os.stat(os.path.join(base, n)).st_mtime_ns
                       for n in names})
    assert len(stamps) == 7  # 6 variants + info.json
    count = len(encoded)
    second = site(files)
    assert second.ok, second.messages()
    assert len(encoded) == count  # nothing re-encoded
    after = {}
    for base, _, names in os.walk(cache):
        after.update({os.path.join(base, n): os.stat(os.path.join(base, n)).st_mtime_ns
                      for n in names})
    assert after == stamps
    assert second.exists("images/2022/san-480.webp")


def test_broken_upload_is_a_problem_not_a_crash(site):
    built = site({"images/hong.jpg": b"\xff\xd8 not really a jpeg",
                  "tin-tuc/2022/bai.md": post("Bài có ảnh hỏng")})
    assert not built.ok
    found = [p for p in built.problems if p.plugin == "portal_images"]
    assert found and found[0].file == "content/images/hong.jpg"
    assert not built.exists("images/hong.jpg")


def test_demo_photo_is_published_without_exif(demo):
    raw = os.path.join(ROOT, "content", "images", "2023", "san-the-thao-da-nang.jpg")
    assert exif_of(raw).get("gps-2")  # the upload has GPS …
    assert os.path.getsize(raw) > 4_000_000
    for rel in output_images(demo):
        found = exif_of(demo.path(rel))
        assert not [k for k in found if k != "info"] and not found["info"], rel  # … the output not
    with Image.open(demo.path("images/2023/san-the-thao-da-nang.jpg")) as image:
        assert image.size == (1600, 1200)
