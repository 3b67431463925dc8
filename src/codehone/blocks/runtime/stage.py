"""Sprite state and Scratch's geometry: fencing, direction, size limits, pen colour.

The numbers follow scratch-vm and scratch-render, because pen drawings are judged by their
coordinates:

- direction 90 points right and 0 up; ``move(n)`` goes ``n*cos(90-d)`` right and
  ``n*sin(90-d)`` up; directions wrap into (-180, 180];
- a sprite may leave the stage only until ``min(15, half its width)`` pixels of it remain
  inside (scratch-render's fence), rounding the fenced coordinate outward as Scratch does;
- every sprite wears the round 40x40 costume written by :mod:`codehone.blocks.sb3.write`, so its
  bounding box and its collision shape do not depend on its direction;
- size is clamped between 5 px and 1.5 stage widths, as ``RenderedTarget.setSize``;
- the pen's colour is hue/saturation/brightness/transparency on 0..100 scales, as the pen
  extension keeps it.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass, field

STAGE_W, STAGE_H = 480, 360
FENCE = 15  # px of a sprite that must stay on the stage
COSTUME = 40  # px, diameter of the round costume at size 100


def wrap_direction(d: float) -> float:
    """Scratch keeps directions in (-180, 180]: 270 becomes -90."""
    return (d + 179) % 360 - 179 if math.isfinite(d) else 90.0


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
    effects: dict[str, float] = field(default_factory=dict)
    saying: str = ""

    @property
    def radius(self) -> float:
        return COSTUME * self.size / 200

    def bounds(self) -> tuple[float, float, float, float]:
        """left, right, bottom, top in stage coordinates."""
        r = self.radius
        return self.x - r, self.x + r, self.y - r, self.y + r

    def fenced(self, x: float, y: float) -> tuple[float, float]:
        """Where Scratch actually puts the sprite when a block asks for (x, y)."""
        w = 2 * self.radius
        keep = min(FENCE, math.floor(w / 2))
        sx, sy = STAGE_W / 2 - keep, STAGE_H / 2 - keep
        if x + w / 2 < -sx:
            x = math.ceil(-sx - w / 2)
        elif x - w / 2 > sx:
            x = math.floor(sx + w / 2)
        if y + w / 2 < -sy:
            y = math.ceil(-sy - w / 2)
        elif y - w / 2 > sy:
            y = math.floor(sy + w / 2)
        return x, y

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
        rad = math.radians(90 - self.direction)
        dx, dy = math.cos(rad), -math.sin(rad)
        if nearest == "left":
            dx = max(0.2, abs(dx))
        elif nearest == "top":
            dy = max(0.2, abs(dy))
        elif nearest == "right":
            dx = -max(0.2, abs(dx))
        else:
            dy = -max(0.2, abs(dy))
        return wrap_direction(math.degrees(math.atan2(dy, dx)) + 90)

    def keep_in_stage(self) -> tuple[float, float]:
        """``keepInFence`` with the whole stage as fence: move back fully inside."""
        left, right, bottom, top = self.bounds()
        dx = (-STAGE_W / 2 - left if left < -STAGE_W / 2 else 0) + (STAGE_W / 2 - right if right > STAGE_W / 2 else 0)
        dy = (STAGE_H / 2 - top if top > STAGE_H / 2 else 0) + (-STAGE_H / 2 - bottom if bottom < -STAGE_H / 2 else 0)
        return self.x + dx, self.y + dy

    def pen_hex(self) -> str:
        h, s, v, _ = self.pen_color
        r, g, b = colorsys.hsv_to_rgb((h / 100) % 1.0, s / 100, v / 100)
        return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))

    def set_pen_hex(self, hex_color: str) -> None:
        r, g, b = (int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5))
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        self.pen_color = [h * 100, s * 100, v * 100, 0.0]

    def set_pen_param(self, param: str, value: float) -> None:
        i = {"color": 0, "saturation": 1, "brightness": 2, "transparency": 3}.get(param)
        if i is None:
            return
        self.pen_color[i] = value % 100 if i == 0 else max(0.0, min(100.0, value))

    def snapshot(self) -> dict:
        return {"x": round(self.x, 6) + 0.0, "y": round(self.y, 6) + 0.0,
                "direction": round(self.direction, 6) + 0.0, "size": round(self.size, 6), "visible": self.visible, "costume": self.costume,
                "pen_down": self.pen_down}
