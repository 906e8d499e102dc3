"""The demo's pictures, drawn with Pillow: abstract art for the articles, the guide's cover.

Each motif is a small function that paints on a supersampled RGBA canvas; the result is scaled
down (which smooths the edges) and saved as JPEG. The random generator is seeded from the slug and
image key, so the same article always gets the same picture.
"""

import hashlib
import io
import math
import random
import re
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

COVER_SIZE = (1600, 900)
INLINE_SIZE = (1200, 800)

# Drawing at twice the size and scaling down gives smooth edges without per-shape antialiasing.
SUPERSAMPLE = 2

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

RGB = tuple[int, int, int]


class Palette:
    """The colours of one picture: main (dark), accent, background (light), extras."""

    def __init__(self, colours: list[str]):
        rgb = [hex_to_rgb(colour) for colour in colours]
        self.main, self.accent, self.background = rgb[0], rgb[1], rgb[2]
        self.extras = rgb[3:] or [mix(rgb[0], rgb[1], 0.5)]

    @property
    def all(self) -> list[RGB]:
        return [self.main, self.accent, *self.extras]


def hex_to_rgb(value: str) -> RGB:
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """The colour a fraction t of the way from a to b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def rgba(colour: RGB, alpha: float) -> tuple[int, int, int, int]:
    return (*colour, round(255 * alpha))


def palette_problem(colours) -> str | None:
    """Why a palette is unusable, or None if it is fine."""
    if not isinstance(colours, list) or not 3 <= len(colours) <= 5:
        return "palette must be a list of 3 to 5 colours"
    for colour in colours:
        if not isinstance(colour, str) or not HEX_COLOUR.match(colour):
            return f"palette colour {colour!r} is not of the form '#rrggbb'"
    return None


# -- helpers ---------------------------------------------------------------------------------


def gradient_background(size: tuple[int, int], palette: Palette) -> Image.Image:
    """A soft vertical gradient from the background colour to a hint of the accent."""
    width, height = size
    top = palette.background
    bottom = mix(palette.background, palette.accent, 0.16)
    column = Image.new("RGB", (1, 256))
    column.putdata([mix(top, bottom, i / 255) for i in range(256)])
    return column.resize((width, height), Image.Resampling.BICUBIC).convert("RGBA")


def layer(size: tuple[int, int]) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    return image, ImageDraw.Draw(image)


def circle(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, **kwargs) -> None:
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), **kwargs)


def rotate_points(points, angle: float, cx: float, cy: float):
    cos, sin = math.cos(angle), math.sin(angle)
    return [(cx + x * cos - y * sin, cy + x * sin + y * cos) for x, y in points]


# -- motifs ----------------------------------------------------------------------------------
# Each motif draws onto `canvas` (RGBA, supersampled size) and returns nothing.


def draw_waves(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    width, height = canvas.size
    # A low sun behind the sea of waves.
    overlay, draw = layer(canvas.size)
    sun_x = width * rng.uniform(0.6, 0.8)
    circle(draw, sun_x, height * 0.3, height * 0.12, fill=rgba(palette.accent, 0.9))
    canvas.alpha_composite(overlay)
    bands = 6
    for band in range(bands):
        overlay, draw = layer(canvas.size)
        base = height * (0.38 + band * 0.1)
        amplitude = height * rng.uniform(0.03, 0.07)
        length = width / rng.uniform(0.8, 1.8)
        phase = rng.uniform(0, math.tau)
        points = [
            (
                x,
                base
                + amplitude * math.sin(x / length * math.tau + phase)
                + amplitude * 0.4 * math.sin(x / length * 2.7 * math.tau + phase * 1.7),
            )
            for x in range(0, width + 20, 20)
        ]
        colour = mix(palette.accent, palette.main, band / (bands - 1))
        draw.polygon([*points, (width, height), (0, height)], fill=rgba(colour, 0.82))
        canvas.alpha_composite(overlay)


def draw_circles(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    width, height = canvas.size
    colours = palette.all
    for _ in range(14):
        overlay, draw = layer(canvas.size)
        r = rng.uniform(0.08, 0.32) * height
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        colour = rng.choice(colours)
        if rng.random() < 0.3:
            circle(draw, cx, cy, r, outline=rgba(colour, 0.85), width=max(6, round(r * 0.06)))
        else:
            circle(draw, cx, cy, r, fill=rgba(colour, rng.uniform(0.35, 0.7)))
        canvas.alpha_composite(overlay)


def draw_lines(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    """Flowing parallel lines, like contour lines or muscle fibres."""
    width, height = canvas.size
    draw = ImageDraw.Draw(canvas)
    count = 26
    bend = [rng.uniform(-0.18, 0.18) * height for _ in range(4)]
    for i in range(count):
        offset = (i - count / 2) * height * 0.045
        t = i / (count - 1)
        colour = mix(palette.main, palette.accent, t)
        points = []
        for step in range(0, 101):
            u = step / 100
            x = u * width
            y = (
                height / 2
                + offset * (1 + 0.5 * math.sin(u * math.pi))
                + bend[0] * math.sin(u * math.pi * 2 + bend[1] / height * 4)
                + bend[2] * math.sin(u * math.pi * 3 + i * 0.08)
            )
            points.append((x, y))
        draw.line(points, fill=rgba(colour, 0.9), width=max(4, height // 180), joint="curve")


def leaf_shape(length: float, breadth: float) -> list[tuple[float, float]]:
    points = []
    for step in range(0, 41):
        u = step / 40
        points.append((u * length, math.sin(u * math.pi) * breadth))
    for step in range(40, -1, -1):
        u = step / 40
        points.append((u * length, -math.sin(u * math.pi) * breadth * 0.9))
    return points


def draw_leaves(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    width, height = canvas.size
    colours = palette.all
    for _ in range(22):
        overlay, draw = layer(canvas.size)
        length = rng.uniform(0.18, 0.38) * height
        breadth = length * rng.uniform(0.22, 0.32)
        cx, cy = rng.uniform(-0.05, 1.05) * width, rng.uniform(-0.05, 1.05) * height
        angle = rng.uniform(0, math.tau)
        colour = rng.choice(colours)
        draw.polygon(
            rotate_points(leaf_shape(length, breadth), angle, cx, cy),
            fill=rgba(colour, rng.uniform(0.55, 0.9)),
        )
        vein = rotate_points([(length * 0.05, 0), (length * 0.92, 0)], angle, cx, cy)
        draw.line(vein, fill=rgba(palette.background, 0.7), width=max(3, round(length / 60)))
        canvas.alpha_composite(overlay)


def draw_sunrise(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    width, height = canvas.size
    horizon = height * rng.uniform(0.62, 0.7)
    cx = width * rng.uniform(0.35, 0.65)
    overlay, draw = layer(canvas.size)
    for ring in range(5, 0, -1):
        r = height * (0.16 + ring * 0.07)
        circle(draw, cx, horizon, r, fill=rgba(palette.accent, 0.12))
    circle(draw, cx, horizon, height * 0.17, fill=rgba(palette.accent, 1))
    for ray in range(13):
        angle = math.pi + ray * math.pi / 12
        inner, outer = height * 0.24, height * rng.uniform(0.5, 0.62)
        draw.line(
            [
                (cx + math.cos(angle) * inner, horizon + math.sin(angle) * inner),
                (cx + math.cos(angle) * outer, horizon + math.sin(angle) * outer),
            ],
            fill=rgba(palette.accent, 0.55),
            width=max(4, height // 150),
        )
    canvas.alpha_composite(overlay)
    # Ground in soft layers.
    for level in range(3):
        overlay, draw = layer(canvas.size)
        top = horizon + level * height * 0.08
        amplitude = height * 0.025
        phase = rng.uniform(0, math.tau)
        points = [
            (x, top + amplitude * math.sin(x / width * math.tau * 1.3 + phase))
            for x in range(0, width + 20, 20)
        ]
        colour = mix(palette.extras[0], palette.main, level / 2)
        draw.polygon([*points, (width, height), (0, height)], fill=rgba(colour, 1))
        canvas.alpha_composite(overlay)


def superellipse(a: float, b: float, n: float = 4.0, steps: int = 96):
    """Points of a rounded rectangle-like shape with half-axes a and b."""
    points = []
    for step in range(steps):
        t = step / steps * math.tau
        c, s = math.cos(t), math.sin(t)
        points.append(
            (a * math.copysign(abs(c) ** (2 / n), c), b * math.copysign(abs(s) ** (2 / n), s))
        )
    return points


def draw_spine(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    """A stylised spine lying across the picture: vertebrae along a gentle S, discs between."""
    width, height = canvas.size
    overlay, draw = layer(canvas.size)
    for _ in range(5):
        r = rng.uniform(0.15, 0.35) * height
        circle(
            draw,
            rng.uniform(0, width),
            rng.uniform(0, height),
            r,
            fill=rgba(palette.extras[0], 0.16),
        )
    canvas.alpha_composite(overlay)

    count = 15
    left, right = width * 0.1, width * 0.9
    centre_y = height * rng.uniform(0.46, 0.54)
    curve = height * 0.09
    phase = rng.uniform(0.1, 0.5)
    spacing = (right - left) / (count - 1)

    def point(u: float) -> tuple[float, float, float]:
        x = left + u * (right - left)
        y = centre_y + curve * math.sin(u * math.tau * 0.9 + phase)
        slope = curve * math.cos(u * math.tau * 0.9 + phase) * math.tau * 0.9 / (right - left)
        return x, y, math.atan(slope)

    overlay, draw = layer(canvas.size)
    for i in range(count):
        u = i / (count - 1)
        x, y, angle = point(u)
        half_w = spacing * 0.33
        half_h = height * (0.045 + 0.035 * u)
        # Spinous process: a short fin pointing up from each vertebra.
        fin = [
            (-half_w * 0.6, -half_h * 0.6),
            (half_w * 0.6, -half_h * 0.6),
            (half_w * 0.2, -half_h * 1.8),
            (-half_w * 0.6, -half_h * 1.7),
        ]
        draw.polygon(rotate_points(fin, angle, x, y), fill=rgba(palette.extras[0], 0.9))
        draw.polygon(
            rotate_points(superellipse(half_w, half_h), angle, x, y), fill=rgba(palette.main, 1)
        )
        if i < count - 1:
            dx, dy, dangle = point(u + 0.5 / (count - 1))
            disc = superellipse(spacing * 0.11, half_h * 0.8, n=2.6)
            draw.polygon(rotate_points(disc, dangle, dx, dy), fill=rgba(palette.accent, 1))
    canvas.alpha_composite(overlay)


def draw_mesh(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    """A fascia-like net: a jittered grid joined by lines, with a few highlighted knots."""
    width, height = canvas.size
    columns, rows = 13, 8
    step_x, step_y = width / (columns - 1), height / (rows - 1)
    points = [
        [
            (
                c * step_x + rng.uniform(-0.3, 0.3) * step_x,
                r * step_y + rng.uniform(-0.3, 0.3) * step_y,
            )
            for c in range(columns)
        ]
        for r in range(rows)
    ]
    overlay, draw = layer(canvas.size)
    line_width = max(3, height // 260)
    for r in range(rows):
        for c in range(columns):
            here = points[r][c]
            neighbours = []
            if c + 1 < columns:
                neighbours.append(points[r][c + 1])
            if r + 1 < rows:
                neighbours.append(points[r + 1][c])
            if r + 1 < rows and c + 1 < columns and rng.random() < 0.5:
                neighbours.append(points[r + 1][c + 1])
            for there in neighbours:
                colour = mix(palette.main, palette.extras[0], rng.random() * 0.6)
                draw.line([here, there], fill=rgba(colour, 0.65), width=line_width)
    canvas.alpha_composite(overlay)
    overlay, draw = layer(canvas.size)
    for row in points:
        for x, y in row:
            if rng.random() < 0.22:
                circle(
                    draw, x, y, height * rng.uniform(0.012, 0.03), fill=rgba(palette.accent, 0.95)
                )
            else:
                circle(draw, x, y, height * 0.007, fill=rgba(palette.main, 0.9))
    canvas.alpha_composite(overlay)


def draw_hills(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    width, height = canvas.size
    overlay, draw = layer(canvas.size)
    circle(
        draw,
        width * rng.uniform(0.15, 0.85),
        height * rng.uniform(0.14, 0.22),
        height * 0.1,
        fill=rgba(palette.accent, 0.95),
    )
    canvas.alpha_composite(overlay)
    layers = 5
    for level in range(layers):
        overlay, draw = layer(canvas.size)
        base = height * (0.42 + level * 0.11)
        peaks = [
            (
                rng.uniform(0, width),
                rng.uniform(0.05, 0.16) * height,
                rng.uniform(0.15, 0.35) * width,
            )
            for _ in range(3)
        ]
        points = []
        for x in range(0, width + 20, 20):
            y = base
            for px, ph, spread in peaks:
                y -= ph * math.exp(-(((x - px) / spread) ** 2))
            points.append((x, y))
        colour = mix(
            mix(palette.extras[0], palette.background, 0.35), palette.main, level / (layers - 1)
        )
        draw.polygon([*points, (width, height), (0, height)], fill=rgba(colour, 1))
        canvas.alpha_composite(overlay)


def draw_dots(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    """A halftone field: dot sizes follow two overlapping soft waves."""
    width, height = canvas.size
    draw = ImageDraw.Draw(canvas)
    spacing = height / 18
    fx, fy = rng.uniform(0.6, 1.4), rng.uniform(0.6, 1.4)
    phase = rng.uniform(0, math.tau)
    y = spacing / 2
    row = 0
    while y < height:
        x = spacing / 2 + (spacing / 2 if row % 2 else 0)
        while x < width:
            u, v = x / width, y / height
            value = (
                0.5
                + 0.25 * math.sin(u * math.tau * fx + phase)
                + 0.25 * math.cos(v * math.tau * fy + u * 2)
            )
            r = spacing * 0.46 * max(0.08, min(1.0, value))
            colour = mix(palette.main, palette.accent, min(1.0, max(0.0, value)))
            circle(draw, x, y, r, fill=rgba(colour, 1))
            x += spacing
        y += spacing * 0.87
        row += 1


def draw_arcs(canvas: Image.Image, palette: Palette, rng: random.Random) -> None:
    """Concentric arcs from a few centres, in the spirit of mid-century prints."""
    width, height = canvas.size
    centres = [
        (rng.uniform(0, 0.3) * width, height),
        (rng.uniform(0.6, 1.0) * width, 0),
        (rng.uniform(0.3, 0.7) * width, height * rng.uniform(0.4, 0.6)),
    ]
    colours = palette.all
    for index, (cx, cy) in enumerate(centres):
        overlay, draw = layer(canvas.size)
        rings = 7 if index < 2 else 4
        max_r = height * (0.75 if index < 2 else 0.3)
        ring_width = max_r / rings * 0.55
        for ring in range(rings, 0, -1):
            r = max_r * ring / rings
            colour = colours[(ring + index) % len(colours)]
            circle(draw, cx, cy, r, outline=rgba(colour, 0.85), width=round(ring_width))
        canvas.alpha_composite(overlay)


MOTIFS: dict[str, Callable[[Image.Image, Palette, random.Random], None]] = {
    "waves": draw_waves,
    "circles": draw_circles,
    "lines": draw_lines,
    "leaves": draw_leaves,
    "sunrise": draw_sunrise,
    "spine": draw_spine,
    "mesh": draw_mesh,
    "hills": draw_hills,
    "dots": draw_dots,
    "arcs": draw_arcs,
}


def seed_for(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")


@lru_cache(maxsize=64)
def render(*, seed_name: str, motif: str, palette: tuple[str, ...], size: tuple[int, int]) -> bytes:
    """The illustration as JPEG bytes; the same arguments always give the same bytes."""
    if motif not in MOTIFS:
        raise ValueError(f"unknown motif {motif!r}; choose one of {', '.join(sorted(MOTIFS))}")
    colours = Palette(list(palette))
    big = (size[0] * SUPERSAMPLE, size[1] * SUPERSAMPLE)
    canvas = gradient_background(big, colours)
    MOTIFS[motif](canvas, colours, random.Random(seed_for(seed_name)))
    # reduce() averages each SUPERSAMPLE×SUPERSAMPLE block: smooth edges, and far faster than a
    # Lanczos resize of the big canvas.
    image = canvas.convert("RGB").reduce(SUPERSAMPLE)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=86, progressive=True)
    return buffer.getvalue()


def guide_cover_png(*, kicker: str, title: list[str], subtitle: str, byline: str) -> bytes:
    """The guide's cover for its landing page (3:4, PNG), with the texts of guide.toml [cover]."""
    width, height = 900, 1200
    image = Image.new("RGB", (width, height), (29, 92, 87))
    draw = ImageDraw.Draw(image)
    draw.ellipse((560, -180, 1080, 340), fill=(20, 63, 60))
    draw.ellipse((650, 120, 830, 300), fill=(239, 230, 216))
    draw.ellipse((-160, 820, 300, 1280), fill=(20, 63, 60))
    draw.ellipse((210, 900, 290, 980), fill=(168, 70, 47))
    for i in range(9):  # flowing lines, like a net of fascia
        points = [
            (x, 640 + i * 26 + 40 * math.sin((x / width) * math.pi * 2 + i * 0.5))
            for x in range(60, width - 59, 20)
        ]
        draw.line(points, fill=(52, 117, 110), width=3)
    # Pillow's own font (Aileron), so the picture needs no font file on the machine.
    small, large, medium = (ImageFont.load_default(size=s) for s in (34, 108, 58))
    draw.text((80, 150), kicker, font=small, fill=(239, 230, 216))
    for line, top in zip(title, (230, 350), strict=False):
        draw.text((80, top), line, font=large, fill=(255, 255, 255), stroke_width=2)
    draw.text((80, 500), subtitle, font=medium, fill=(250, 246, 239))
    draw.text((80, 1090), byline, font=small, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def portrait_jpeg(*, palette: tuple[str, ...], size: int = 640) -> bytes:
    """A drawn portrait for the author box (square JPEG): a figure in the palette's colours, no
    photo. `palette`: [skin, hair, background, clothes]; the same palette gives the same bytes."""
    skin, hair, background, clothes = (hex_to_rgb(c) for c in palette[:4])
    big = size * SUPERSAMPLE
    image = Image.new("RGB", (big, big), background)
    draw = ImageDraw.Draw(image)
    unit = big / 100
    # Soft rings behind the figure, like the site's illustrations.
    for radius, share in ((46, 0.12), (36, 0.2)):
        circle(draw, 50 * unit, 44 * unit, radius * unit, fill=mix(background, clothes, share))
    # Shoulders and body, then the neck.
    draw.ellipse((14 * unit, 70 * unit, 86 * unit, 140 * unit), fill=clothes)
    draw.rounded_rectangle((43 * unit, 54 * unit, 57 * unit, 74 * unit), 5 * unit, fill=skin)
    # Hair behind the head (shoulder length), the face, a parting on top.
    draw.rounded_rectangle((27 * unit, 18 * unit, 73 * unit, 72 * unit), 22 * unit, fill=hair)
    draw.ellipse((33 * unit, 22 * unit, 67 * unit, 62 * unit), fill=skin)
    draw.pieslice((31 * unit, 16 * unit, 69 * unit, 48 * unit), 180, 360, fill=hair)
    # A calm face: eyes and a smile.
    for x in (43, 57):
        circle(draw, x * unit, 42 * unit, 1.6 * unit, fill=mix(hair, (0, 0, 0), 0.4))
    draw.arc(
        (43 * unit, 44 * unit, 57 * unit, 54 * unit),
        20,
        160,
        fill=mix(skin, hair, 0.6),
        width=max(1, round(unit)),
    )
    out = io.BytesIO()
    image.reduce(SUPERSAMPLE).save(out, format="JPEG", quality=88)
    return out.getvalue()
