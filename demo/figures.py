"""The little drawings of a person doing an exercise, for the demo PDFs, drawn with Pillow.

A figure is described in the data files (FORMAT.md, "Exercise figures") in units of a 120 × 64
box whose floor line is at y = 7, with y pointing up. The drawing is a PNG with the box's cream
background, so each PDF places it as one image.
"""

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from demo.content import DemoContentError

WIDTH, HEIGHT = 120, 64  # the box the coordinates are given in
FLOOR = 7
PADDING = 7  # around the box, in the same units
PIXELS_PER_UNIT = 6  # 804 × 468 pixels: sharp when printed about 6 cm wide
SUPERSAMPLE = 3  # drawn three times as large and reduced, for smooth edges

TEAL = (29, 92, 87)
SAND = (242, 179, 107)
CREAM = (250, 246, 239)
GREY = (140, 145, 148)

BODY_WIDTH = 2.7
THING_WIDTH = 1.6
MOTION_WIDTH = 1.7

Polyline = tuple[float, ...]  # x1, y1, x2, y2, ... written flat


@dataclass(frozen=True)
class Figure:
    """A stick figure: body lines and head in teal, balls and rolls in sand, furniture in grey."""

    body: tuple[Polyline, ...]
    head: tuple[float, float, float]  # centre x, centre y, radius
    balls: tuple[tuple[float, float, float], ...] = ()
    things: tuple[Polyline, ...] = ()
    motion: tuple[Polyline, ...] = ()  # small arrows that show the direction of movement

    @property
    def aspect(self) -> float:
        """Height over width of the drawing, to place it in a PDF."""
        return (HEIGHT + 2 * PADDING) / (WIDTH + 2 * PADDING)


SCHEMA = {
    "body": [["number"]],
    "head": ["number"],
    "balls?": [["number"]],
    "things?": [["number"]],
    "motion?": [["number"]],
}


def check_exercise_figures(path: Path, exercises: list[dict]) -> None:
    """Every exercise's figure (already checked against SCHEMA) can be drawn."""
    for number, exercise in enumerate(exercises, start=1):
        problem = figure_problem(exercise["figure"])
        if problem:
            raise DemoContentError(f"{path.name}: exercises[{number}].figure: {problem}")


def figure_problem(data: dict) -> str | None:
    """What is wrong with a figure table that has the right types, or None."""
    for key in ("body", "things", "motion"):
        for number, line in enumerate(data.get(key, []), start=1):
            if len(line) < 4 or len(line) % 2:
                return f"{key} line {number} needs x, y pairs for at least two points"
    for key, values in (("head", [data["head"]]), ("balls", data.get("balls", []))):
        for circle in values:
            if len(circle) != 3 or circle[2] <= 0:
                return f"{key} needs [x, y, radius] with a positive radius"
    return None


def figure_from_data(data: dict) -> Figure:
    return Figure(
        body=tuple(tuple(line) for line in data["body"]),
        head=tuple(data["head"]),
        balls=tuple(tuple(ball) for ball in data.get("balls", [])),
        things=tuple(tuple(line) for line in data.get("things", [])),
        motion=tuple(tuple(line) for line in data.get("motion", [])),
    )


@lru_cache(maxsize=32)
def render(figure: Figure) -> bytes:
    """The figure as PNG bytes; the same figure always gives the same bytes."""
    unit = PIXELS_PER_UNIT * SUPERSAMPLE
    size = (round((WIDTH + 2 * PADDING) * unit), round((HEIGHT + 2 * PADDING) * unit))
    image = Image.new("RGB", size, CREAM)
    draw = ImageDraw.Draw(image)

    def at(x: float, y: float) -> tuple[float, float]:
        return (x + PADDING) * unit, size[1] - (y + PADDING) * unit

    def polyline(flat: Polyline, colour, width: float) -> None:
        points = [at(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
        pixels = round(width * unit)
        draw.line(points, fill=colour, width=pixels, joint="curve")
        for x, y in (points[0], points[-1]):  # round line ends
            r = pixels / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)

    def disc(x: float, y: float, r: float, colour) -> None:
        cx, cy = at(x, y)
        draw.ellipse((cx - r * unit, cy - r * unit, cx + r * unit, cy + r * unit), fill=colour)

    polyline((0, FLOOR, WIDTH, FLOOR), GREY, 0.8)
    for line in figure.things:
        polyline(line, GREY, THING_WIDTH)
    for x, y, r in figure.balls:
        disc(x, y, r, SAND)
    for line in figure.body:
        polyline(line, TEAL, BODY_WIDTH)
    disc(*figure.head, TEAL)
    for line in figure.motion:
        polyline(line, SAND, MOTION_WIDTH)

    small = image.reduce(SUPERSAMPLE)
    # A few dozen colours are all a flat drawing needs; a palette keeps the PDFs small.
    small = small.quantize(colors=48, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
