"""Confetti fired from the two bottom corners, drawn with characters in the theme's colours.

`confetti_frame` is a pure function of the canvas size, the time and a seed, so the
still frame (the last one) is the same on every run; `ConfettiSky` plays the frames
with a timer, or shows the still frame at once when animations are off.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget

#: How long the burst plays before it stops on its still frame, and how smoothly.
DURATION = 2.0
FPS = 20

#: Theme variables, so every Textual theme gets its own confetti ($secondary is too dark on textual-dark).
COLOURS = ("$primary", "$text-secondary", "$accent", "$warning", "$success", "$error")
#: Each piece tumbles through its glyphs as it falls.
GLYPHS = (("▘", "▝", "▗", "▖"), ("•", "·"), ("◆", "◇"), ("*", "+", "×"), ("▪", "▫"), ("~", "-"))

_GRAVITY = 2.0  # how fast a piece turns from rising to falling (per second)
_FALL = 0.22  # terminal falling speed, in screen heights per second


@dataclass(frozen=True, slots=True)
class Piece:
    x0: float
    y0: float
    vx: float  # cells per second, fades with drag
    vy: float  # cells per second (negative is up)
    launch: float  # seconds after the start
    flutter: float  # sideways sway, in cells
    phase: float
    glyphs: tuple[str, ...]
    colour: str


def make_pieces(width: int, height: int, seed: int) -> list[Piece]:
    """About one piece per 18 cells, half from each bottom corner, aimed up and inwards."""
    rng = random.Random(seed)
    count = max(24, min(260, width * height // 18))
    pieces = []
    for index in range(count):
        left = index % 2 == 0
        x0 = rng.uniform(0, 3) if left else width - 1 - rng.uniform(0, 3)
        # Rise to between half way up and above the top edge, then drift down.
        rise = height * rng.uniform(0.3, 1.8)
        vy = -rise * _GRAVITY * rng.uniform(0.95, 1.05)
        reach = width * rng.uniform(0.15, 0.95)
        vx = (reach * _GRAVITY) * (1 if left else -1)
        pieces.append(
            Piece(
                x0=x0,
                y0=height - 1 + rng.uniform(0, 2),
                vx=vx,
                vy=vy,
                launch=rng.uniform(0, 0.8),
                flutter=rng.uniform(0.5, 2.0),
                phase=rng.uniform(0, 2 * math.pi),
                glyphs=rng.choice(GLYPHS),
                colour=COLOURS[index % len(COLOURS)],
            )
        )
    return pieces


def piece_at(piece: Piece, t: float, height: int) -> tuple[int, int, str] | None:
    """Where a piece is at time `t` (column, row, glyph), or None before launch."""
    age = t - piece.launch
    if age < 0:
        return None
    k = _GRAVITY
    spent = (1 - math.exp(-k * age)) / k  # how far the launch speed has carried it
    fall = _FALL * height
    x = piece.x0 + piece.vx * spent + piece.flutter * math.sin(3 * age + piece.phase)
    y = piece.y0 + fall * age + (piece.vy - fall) * spent
    glyph = piece.glyphs[int(age * 8 + piece.phase) % len(piece.glyphs)]
    return round(x), round(y), glyph


def confetti_frame(width: int, height: int, t: float, seed: int) -> dict[tuple[int, int], tuple[str, str]]:
    """The visible pieces at time `t`: (column, row) -> (glyph, colour variable)."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for piece in make_pieces(width, height, seed):
        place = piece_at(piece, t, height)
        if place is None:
            continue
        x, y, glyph = place
        if 0 <= x < width and 0 <= y < height:
            cells[(x, y)] = (glyph, piece.colour)
    return cells


def frame_content(width: int, height: int, cells: dict[tuple[int, int], tuple[str, str]]) -> Content:
    """The frame as Content: one line per row, each piece styled with its theme colour."""
    rows: list[list[tuple[int, str, str]]] = [[] for _ in range(height)]
    for (x, y), (glyph, colour) in cells.items():
        rows[y].append((x, glyph, colour))
    lines = []
    for row in rows:
        parts: list[str | tuple[str, str]] = []
        column = 0
        for x, glyph, colour in sorted(row):
            parts.append(" " * (x - column))
            parts.append((glyph, f"bold {colour}"))
            column = x + 1
        parts.append(" " * (width - column))
        lines.append(Content.assemble(*parts))
    return Content("\n").join(lines)


class ConfettiSky(Widget):
    """Plays the confetti for DURATION seconds, then keeps its still frame."""

    DEFAULT_CSS = """
    ConfettiSky {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, seed: int, *, animate: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seed = seed
        self.animated = animate
        self.frame = 0
        self.last_frame = round(DURATION * FPS)
        self._timer: Timer | None = None

    @property
    def playing(self) -> bool:
        return self.frame < self.last_frame

    def on_mount(self) -> None:
        if self.animated and self.app.animation_level != "none":
            self._timer = self.set_interval(1 / FPS, self._advance)
        else:
            self.frame = self.last_frame

    def _advance(self) -> None:
        self.frame += 1
        if not self.playing and self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.refresh()

    def stop(self) -> None:
        """Jump to the still frame."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.frame = self.last_frame
        self.refresh()

    def render(self) -> Content:
        width, height = self.size
        if width <= 0 or height <= 0:
            return Content("")
        cells = confetti_frame(width, height, self.frame / FPS, self.seed)
        return frame_content(width, height, cells)
