"""Generated, non-personal "phone photos" for the demo, the tests and the benchmark.

A schoolyard placeholder (sky, building, sports court) with grain, saved the way a phone saves
it: big, high quality, with EXIF including fake GPS coordinates. Nobody is in the picture.

    python bench/photos.py content/images/2023/san-the-thao-da-nang.jpg   # the demo photo
"""

from __future__ import annotations

import random
import sys

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def fake_exif(orientation: int = 1, gps: bool = True):
    """EXIF of a phone camera, with made-up GPS coordinates (a field in the Red River delta)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "DemoPhone"  # Make
    exif[0x0110] = "DemoPhone 12 (simulated camera)"  # Model
    exif[0x0131] = "Camera 1.0"  # Software
    exif[0x0132] = "2023:10:12 08:15:00"  # DateTime
    exif[0x0112] = orientation  # Orientation
    exif.get_ifd(EXIF_IFD)[0x9003] = "2023:10:12 08:15:00"  # DateTimeOriginal
    if gps:
        ifd = exif.get_ifd(GPS_IFD)
        ifd[1] = "N"  # GPSLatitudeRef
        ifd[2] = (20.0, 25.0, 12.5)  # GPSLatitude
        ifd[3] = "E"  # GPSLongitudeRef
        ifd[4] = (106.0, 10.0, 3.25)  # GPSLongitude
    return exif


def schoolyard(width: int = 4000, height: int = 3000, grain: int = 10, seed: int = 7):
    """A drawn schoolyard: sky gradient, a building with windows, a court, trees, grain."""
    from PIL import Image, ImageChops, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.45)
    for y in range(horizon):  # sky
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(120 + 90 * t), int(170 + 60 * t), 235))
    draw.rectangle([0, horizon, width, height], fill=(150, 140, 120))  # yard
    # school building: yellow walls, red roof, rows of windows
    bx0, bx1, by0 = int(width * 0.08), int(width * 0.92), int(height * 0.18)
    draw.rectangle([bx0, by0, bx1, horizon], fill=(236, 196, 92))
    draw.polygon([(bx0 - 40, by0), (bx1 + 40, by0), (bx1 - 60, by0 - height // 14),
                  (bx0 + 60, by0 - height // 14)], fill=(170, 60, 40))
    floors, columns = 3, 14
    for f in range(floors):
        for c in range(columns):
            x = bx0 + (bx1 - bx0) * (c + 0.25) / columns
            y = by0 + (horizon - by0) * (f + 0.25) / floors
            draw.rectangle([x, y, x + (bx1 - bx0) / columns * 0.5,
                            y + (horizon - by0) / floors * 0.5], fill=(60, 90, 120))
    # sports court: green surface, white lines, a goal at each end
    cx0, cy0, cx1, cy1 = int(width * 0.12), int(height * 0.58), int(width * 0.88), int(height * 0.95)
    draw.rectangle([cx0, cy0, cx1, cy1], fill=(46, 125, 70))
    line = max(4, width // 400)
    draw.rectangle([cx0, cy0, cx1, cy1], outline=(245, 245, 245), width=line)
    draw.line([((cx0 + cx1) // 2, cy0), ((cx0 + cx1) // 2, cy1)], fill=(245, 245, 245), width=line)
    r = (cy1 - cy0) // 5
    draw.ellipse([(cx0 + cx1) // 2 - r, (cy0 + cy1) // 2 - r, (cx0 + cx1) // 2 + r,
                  (cy0 + cy1) // 2 + r], outline=(245, 245, 245), width=line)
    for x in (cx0, cx1 - width // 40):
        draw.rectangle([x, (cy0 + cy1) // 2 - r // 2, x + width // 40, (cy0 + cy1) // 2 + r // 2],
                       outline=(230, 230, 230), width=line)
    for _ in range(9):  # trees along the yard
        x = rng.randint(0, width)
        y = horizon + rng.randint(0, height // 12)
        s = rng.randint(width // 40, width // 22)
        draw.rectangle([x - s // 8, y, x + s // 8, y + s], fill=(90, 60, 40))
        draw.ellipse([x - s, y - s, x + s, y + s // 2], fill=(40 + rng.randint(0, 30), 110, 50))
    if grain:  # sensor noise, so the file is as heavy as a real phone photo
        noise = Image.effect_noise((width, height), grain).convert("RGB")
        image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    return image


def save_phone_photo(path: str, width: int = 4000, height: int = 3000, quality: int = 94,
                     orientation: int = 1, grain: int = 10, gps: bool = True) -> None:
    image = schoolyard(width, height, grain=grain)
    image.save(path, "JPEG", quality=quality, exif=fake_exif(orientation, gps))


if __name__ == "__main__":
    import os

    target = sys.argv[1]
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    save_phone_photo(target)
    print(target, os.path.getsize(target), "bytes")
