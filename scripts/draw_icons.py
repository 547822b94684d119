"""Draws the site's icons into static/icons/: the favicon, the home-screen icons for Android
(192 and 512 px, and a maskable one with the mark inside the safe circle) and iOS (180 px), and
the SVG the browser tab uses. The mark is the one in the site header: a green disc with a pale
circle above its centre, like a seated figure's head over a calm body.

    .venv/bin/python scripts/draw_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
CREAM = (247, 244, 238)
GREEN = (47, 102, 80)
PALE = (225, 236, 229)
SCALE = 4  # drawn large and scaled down, for smooth edges


def mark(size: int, *, padding: float, background: tuple | None, rounded: float = 0.22) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if background:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=int(big * rounded), fill=background)
    inset = big * padding
    draw.ellipse((inset, inset, big - inset, big - inset), fill=GREEN)
    disc = big - 2 * inset
    x, y = big / 2, inset
    head = disc * 0.1
    draw.ellipse((x - head, y + disc * 0.2, x + head, y + disc * 0.2 + 2 * head), fill=PALE)
    # A seated figure: the torso narrowing from the shoulders, hands resting on the knees of
    # crossed legs.
    top, hips = y + disc * 0.44, y + disc * 0.66
    draw.polygon(
        [(x - disc * 0.13, top), (x + disc * 0.13, top), (x + disc * 0.09, hips), (x - disc * 0.09, hips)], fill=PALE
    )
    draw.line(
        [(x - disc * 0.12, top + disc * 0.03), (x - disc * 0.27, hips + disc * 0.02)], fill=PALE, width=int(disc * 0.06)
    )
    draw.line(
        [(x + disc * 0.12, top + disc * 0.03), (x + disc * 0.27, hips + disc * 0.02)], fill=PALE, width=int(disc * 0.06)
    )
    draw.ellipse((x - disc * 0.33, hips - disc * 0.02, x + disc * 0.33, hips + disc * 0.13), fill=PALE)
    return image.resize((size, size), Image.LANCZOS)


SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
  <rect width="64" height="64" rx="14" fill="#f7f4ee"/>
  <circle cx="32" cy="32" r="27" fill="#2f6650"/>
  <g fill="#e1ece5" stroke="#e1ece5" stroke-linecap="round">
    <circle cx="32" cy="18.2" r="5.2" stroke="none"/>
    <path d="M25.2 28h13.6l-2.1 11.4h-9.4z" stroke="none"/>
    <path d="M25.8 29.6 18 40.4M38.2 29.6 46 40.4" stroke-width="3.1" fill="none"/>
    <ellipse cx="32" cy="42.7" rx="17.2" ry="3.9" stroke="none"/>
  </g>
</svg>
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    mark(192, padding=0.08, background=CREAM).save(OUT / "icon-192.png", optimize=True)
    mark(512, padding=0.08, background=CREAM).save(OUT / "icon-512.png", optimize=True)
    # Maskable: full-bleed background, the mark inside the central 80 % that every mask keeps.
    mark(512, padding=0.2, background=CREAM, rounded=0).save(OUT / "icon-maskable-512.png", optimize=True)
    mark(180, padding=0.08, background=CREAM, rounded=0).convert("RGB").save(OUT / "apple-touch-icon.png")
    favicon = mark(64, padding=0.02, background=None)
    favicon.save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    (OUT / "icon.svg").write_text(SVG)


if __name__ == "__main__":
    main()
