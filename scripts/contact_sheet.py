#!/usr/bin/env python3
"""A contact sheet of the demo pictures at the size the library's cards show them, to look at in one go.

    .venv/bin/python scripts/contact_sheet.py            # writes test-artifacts/demo-contact-sheet.png

Each picture is cropped to the cards' 4:3 frame (as `object-fit: cover` does) and labelled with its
file name and, for one-sided poses, the side it shows (from demo/content.json).
"""

import json
import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
OUT = ROOT / "test-artifacts" / "demo-contact-sheet.png"
CARD_W, CARD_H = 240, 180  # a card's picture in the library at 390 px (two columns)
LABEL_H = 22
COLUMNS = 7
GAP = 10


def cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to fill width × height and crop the middle, as CSS object-fit: cover does."""
    scale = max(width / image.width, height / image.height)
    resized = image.resize((math.ceil(image.width * scale), math.ceil(image.height * scale)), Image.Resampling.LANCZOS)
    left, top = (resized.width - width) // 2, (resized.height - height) // 2
    return resized.crop((left, top, left + width, top + height))


def sides() -> dict[str, str]:
    """Which side each picture shows, by file name, where the document says."""
    document = json.loads((DEMO / "content.json").read_text())
    found = {}
    for item in document.get("poses", []) + document.get("routines", []):
        for image in item.get("images", []):
            if image.get("side"):
                found[Path(image["file"]).name] = image["side"]
    return found


def main() -> int:
    files = sorted((DEMO / "images").rglob("*.png"))
    if not files:
        print("No pictures in demo/images/.", file=sys.stderr)
        return 1
    side_of = sides()
    rows = math.ceil(len(files) / COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * (CARD_W + GAP) + GAP, rows * (CARD_H + LABEL_H + GAP) + GAP), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=13)
    for index, path in enumerate(files):
        x = GAP + (index % COLUMNS) * (CARD_W + GAP)
        y = GAP + (index // COLUMNS) * (CARD_H + LABEL_H + GAP)
        with Image.open(path) as image:
            sheet.paste(cover(image.convert("RGB"), CARD_W, CARD_H), (x, y))
        label = path.stem + (f" ({side_of[path.name]})" if path.name in side_of else "")
        draw.text((x + 2, y + CARD_H + 4), label, fill="black", font=font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(OUT)
    print(OUT.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
