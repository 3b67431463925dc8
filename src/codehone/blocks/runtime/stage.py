"""Sprite state and Scratch's geometry: fencing, direction, size limits, pen colour.

The numbers follow scratch-vm and scratch-render, because pen drawings are judged by their
coordinates:

- direction 90 points right and 0 up; ``move(n)`` goes ``n*cos(90-d)`` right and
  ``n*sin(90-d)`` up; directions wrap into (-180, 180];
- a sprite may leave the stage only until ``min(15, half its width)`` pixels of it remain
  inside. The fence is scratch-render's (``getFencedPositionOfDrawable``): it measures the
  *rotated* 40x40 costume's axis-aligned box, so a sprite at direction 45 may go further out
  (x = 253) than one at 90 (x = 245); :func:`fence_box` ports it with scratch-render's float32
  storage, so fenced positions agree to the bit;
- every sprite wears the round 40x40 costume written by :mod:`codehone.blocks.sb3.write`; its
  tight bounds (bounce, touching the edge) and collision shape are that circle, whatever the
  direction;
- size is clamped between 5 px and 1.5 stage widths, as ``RenderedTarget.setSize``;
- the pen's colour is hue/saturation/brightness/transparency on 0..100 scales, as the pen
  extension keeps it; hue wraps with ``wrapClamp(h, 0, 100)`` (100 stays, 101 is 0) and the RGB
  it draws with rounds each channel down (``Color.hsvToRgb``); until the colour is first set the
  pen draws in pure blue (#0000ff), the extension's default ``color4f``.
"""

from __future__ import annotations

import functools
import math
import struct
from dataclasses import dataclass, field

STAGE_W, STAGE_H = 480, 360
FENCE = 15  # px of a sprite that must stay on the stage
COSTUME = 40  # px, diameter of the round costume at size 100


def wrap_direction(d: float) -> float:
    """Scratch keeps directions in (-180, 180]: 270 becomes -90. Computed as ``MathUtil.wrapClamp``
    (``d - floor((d + 179) / 360) * 360``): ``(d + 179) % 360 - 179`` rounds 240.00000000000003
    to -120 where Scratch keeps -119.99999999999997, which a bubble shows as "-120.00"."""
    return wrap_clamp(d, -179, 180) if math.isfinite(d) else 90.0


_F32 = struct.Struct("f")


def f32(v: float) -> float:
    """``v`` stored in a ``Float32Array`` (scratch-render keeps positions and matrices so)."""
    try:
        return _F32.unpack(_F32.pack(v))[0]
    except OverflowError:
        return math.copysign(math.inf, v)


@functools.lru_cache(maxsize=4096)
def _half_extents(direction: float, scale_x: float, scale_y: float) -> tuple[float, float]:
    """Half width and height of the rotated costume's box: scratch-render's
    ``Drawable._calculateTransform`` model matrix (float32) read by ``Rectangle.initFromModelMatrix``."""
    rotation = (270 - direction) * math.pi / 180
    c, s = math.cos(rotation), math.sin(rotation)
    rm0, rm1, rm4, rm5 = f32(c), f32(s), f32(-s), f32(c)
    ss0, ss1 = f32(COSTUME * f32(scale_x) / 100), f32(COSTUME * f32(scale_y) / 100)
    m0, m1, m4, m5 = f32(ss0 * rm0), f32(ss0 * rm1), f32(ss1 * rm4), f32(ss1 * rm5)
    return abs(0.5 * m0) + abs(0.5 * m4), abs(0.5 * m1) + abs(0.5 * m5)


def fence_box(x: float, y: float, direction: float, scale_x: float, scale_y: float) -> tuple[float, float, float, float]:
    """left, right, bottom, top of the rotated costume's box (scratch-render ``Drawable.getAABB``)
    for the 40x40 costume with its rotation centre in the middle: the rotation adjustment is 0, so
    the box is centred on the float32 position."""
    hx, hy = _half_extents(direction, scale_x, scale_y)
    px, py = f32(x), f32(y)
    return -hx + px, hx + px, -hy + py, hy + py


def wrap_clamp(n: float, lo: float, hi: float) -> float:
    """scratch-vm ``MathUtil.wrapClamp``: wraps into [lo, hi] with a range of hi - lo + 1."""
    span = hi - lo + 1
    return n - math.floor((n - lo) / span) * span


def hsv_to_hex(h: float, s: float, v: float) -> str:
    """scratch-vm ``Color.hsvToRgb`` (h in degrees, s and v in 0..1), channels rounded down."""
    h = math.fmod(h, 360)
    if h < 0:
        h += 360
    s, v = max(0.0, min(s, 1.0)), max(0.0, min(v, 1.0))
    i = math.floor(h / 60)
    f = h / 60 - i
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    r, g, b = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i % 6]
    return "#{:02x}{:02x}{:02x}".format(*(math.floor(c * 255) for c in (r, g, b)))


def rgb_to_hsv(r: float, g: float, b: float) -> tuple[float, float, float]:
    """scratch-vm ``Color.rgbToHsv`` (channels 0..255): h in degrees, s and v in 0..1."""
    r, g, b = r / 255, g / 255, b / 255
    x, v = min(r, g, b), max(r, g, b)
    h = s = 0.0
    if x != v:
        f = g - b if r == x else (b - r if g == x else r - g)
        i = 3 if r == x else (5 if g == x else 1)
        h = math.fmod((i - f / (v - x)) * 60, 360)
        s = (v - x) / v
    return h, s, v


def limit_precision(v: float) -> float:
    """What the x/y position reporters show: values within 1e-9 of a whole number snap to it."""
    r = round(v)
    return float(r) if abs(v - r) < 1e-9 else v


@dataclass
class SpriteState:
    name: str
    x: float = 0.0
    y: float = 0.0
    direction: float = 90.0
    size: float = 100.0
    visible: bool = True
    costume: str = "costume1"
    pen_down: bool = False
    pen_size: float = 1.0
    # hue, saturation, brightness, transparency (0..100), the pen extension's defaults (blue)
    pen_color: list[float] = field(default_factory=lambda: [66.66, 100.0, 100.0, 0.0])
    pen_rgb: str = "#0000ff"  # what the pen draws with: set from pen_color whenever that changes
    rotation_style: str = "all around"
    bubble: bool = False  # a speech bubble is on the stage (removing it asks for a redraw)
    bubble_usage: int = 0  # bumped by every say/think: a timed bubble clears only if still its own
    effects: dict[str, float] = field(default_factory=dict)
    saying: str = ""

    @property
    def radius(self) -> float:
        return COSTUME * abs(f32(self.rendered()[1])) / 200

    def rendered(self) -> tuple[float, float, float]:
        """Direction and x/y scale the renderer draws with (``_getRenderedDirectionAndScale``)."""
        if self.rotation_style == "don't rotate":
            return 90.0, self.size, self.size
        if self.rotation_style == "left-right":
            return 90.0, (-1 if self.direction < 0 else 1) * self.size, self.size
        return self.direction, self.size, self.size

    def bounds(self) -> tuple[float, float, float, float]:
        """left, right, bottom, top of the round costume in stage coordinates."""
        r, x, y = self.radius, f32(self.x), f32(self.y)
        return x - r, x + r, y - r, y + r

    def fenced(self, x: float, y: float) -> tuple[float, float]:
        """Where Scratch actually puts the sprite when a block asks for (x, y)
        (scratch-render ``getFencedPositionOfDrawable``)."""
        hx, hy = _half_extents(*self.rendered())
        if abs(x) - hx < STAGE_W / 2 - FENCE - 1 and abs(y) - hy < STAGE_H / 2 - FENCE - 1:
            return float(x), float(y)  # some of the costume stays well inside: nothing to fence
        px, py = f32(self.x), f32(self.y)
        dx, dy = x - px, y - py
        left, right, bottom, top = fence_box(self.x, self.y, *self.rendered())
        inset = math.floor(min(right - left, top - bottom) / 2)
        sx = STAGE_W / 2 - min(FENCE, inset)
        if right + dx < -sx:
            x = math.ceil(px - (sx + right))
        elif left + dx > sx:
            x = math.floor(px + (sx - left))
        sy = STAGE_H / 2 - min(FENCE, inset)
        if top + dy < -sy:
            y = math.ceil(py - (sy + top))
        elif bottom + dy > sy:
            y = math.floor(py + (sy - bottom))
        return float(x), float(y)

    def clamp_size(self, size: float) -> float:
        min_scale = min(1.0, 5 / COSTUME)
        max_scale = min(1.5 * STAGE_W / COSTUME, 1.5 * STAGE_H / COSTUME)
        return max(min_scale, min(max_scale, size / 100)) * 100

    def touching_edge(self) -> bool:
        left, right, bottom, top = self.bounds()
        return left < -STAGE_W / 2 or right > STAGE_W / 2 or bottom < -STAGE_H / 2 or top > STAGE_H / 2

    def bounce_direction(self) -> float | None:
        """The direction after ``if_on_edge_bounce``, or None when not touching an edge."""
        left, right, bottom, top = self.bounds()
        dist = {
            "left": max(0.0, STAGE_W / 2 + left), "top": max(0.0, STAGE_H / 2 - top),
            "right": max(0.0, STAGE_W / 2 - right), "bottom": max(0.0, STAGE_H / 2 + bottom),
        }
        nearest = min(dist, key=lambda k: dist[k])  # ties: left, top, right, bottom (Scratch's order)
        if dist[nearest] > 0:
            return None
        rad = (90 - self.direction) * math.pi / 180  # MathUtil.degToRad, not math.radians (last bit)
        dx, dy = math.cos(rad), -math.sin(rad)
        if nearest == "left":
            dx = max(0.2, abs(dx))
        elif nearest == "top":
            dy = max(0.2, abs(dy))
        elif nearest == "right":
            dx = -max(0.2, abs(dx))
        else:
            dy = -max(0.2, abs(dy))
        return wrap_direction(math.atan2(dy, dx) * 180 / math.pi + 90)  # MathUtil.radToDeg

    def keep_in_stage(self) -> tuple[float, float]:
        """``keepInFence`` with the whole stage as fence: move back fully inside."""
        left, right, bottom, top = self.bounds()
        dx = (-STAGE_W / 2 - left if left < -STAGE_W / 2 else 0) + (STAGE_W / 2 - right if right > STAGE_W / 2 else 0)
        dy = (STAGE_H / 2 - top if top > STAGE_H / 2 else 0) + (-STAGE_H / 2 - bottom if bottom < -STAGE_H / 2 else 0)
        return self.x + dx, self.y + dy

    def pen_hex(self) -> str:
        return self.pen_rgb

    def update_pen_rgb(self) -> None:
        h, s, v, _ = self.pen_color
        self.pen_rgb = hsv_to_hex(h * 360 / 100, s / 100, v / 100)

    def set_pen_hex(self, hex_color: str) -> None:
        """``set pen color to``: hex (``#rgb`` or ``#rrggbb``; anything else is black) or a number
        (0xAARRGGBB), through HSV as the pen extension does."""
        rgb, alpha = _parse_color(hex_color)
        h, s, v = rgb_to_hsv(*rgb)
        self.pen_color = [h / 360 * 100, s * 100, v * 100, 100 * (1 - alpha / 255) if alpha is not None else 0.0]
        self.update_pen_rgb()

    def set_pen_param(self, param: str, value: float) -> None:
        i = {"color": 0, "saturation": 1, "brightness": 2, "transparency": 3}.get(param)
        if i is None:
            return
        self.pen_color[i] = wrap_clamp(value, 0, 100) if i == 0 else max(0.0, min(100.0, value))
        self.update_pen_rgb()

    def snapshot(self) -> dict:
        return {"x": round(self.x, 6) + 0.0, "y": round(self.y, 6) + 0.0,
                "direction": round(self.direction, 6) + 0.0, "size": round(self.size, 6), "visible": self.visible,
                "costume": self.costume, "pen_down": self.pen_down}


def _parse_color(value: str) -> tuple[tuple[int, int, int], int | None]:
    """scratch-vm ``Cast.toRgbColorObject``: (r, g, b) and the alpha when the value carries one."""
    if value.startswith("#"):
        text = value[1:]
        if len(text) == 3:
            text = "".join(ch * 2 for ch in text)
        if len(text) == 6 and all(ch in "0123456789abcdefABCDEF" for ch in text):
            return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)), None
        return (0, 0, 0), 255
    from codehone.blocks.runtime.values import to_number

    n = int(to_number(value)) & 0xFFFFFFFF
    a = (n >> 24) & 0xFF
    return ((n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF), (a if a > 0 else 255)
