"""Pen drawings as shapes: join segments into paths, find corners and closed loops.

The interpreter records pen lines exactly as drawn, so one side of a shape may arrive as
several pieces (a glide draws one piece per frame) and a shape drawn twice retraces itself.
Checks want the shape: :func:`paths` joins segments that continue one another,
:func:`corners` drops points where the path runs straight on, and :func:`loops` cuts each
path at the first return to its start, giving the closed shapes as lists of corners.
"""

from __future__ import annotations

import math

Point = tuple[float, float]

JOIN_EPS = 0.5  # px: a segment continues a path when it starts this close to the path's end
STRAIGHT_DEG = 1.0  # a turn smaller than this is not a corner


def paths(segments: list[list[float]], eps: float = JOIN_EPS) -> list[list[Point]]:
    """Polylines, in drawing order; a new one starts wherever the pen jumped."""
    out: list[list[Point]] = []
    for x1, y1, x2, y2 in segments:
        if out and math.dist(out[-1][-1], (x1, y1)) <= eps:
            out[-1].append((x2, y2))
        else:
            out.append([(x1, y1), (x2, y2)])
    return out


def turn(a: Point, b: Point, c: Point) -> float:
    """Signed turn at ``b`` in degrees when going a -> b -> c (positive = left/counter-clockwise)."""
    h1 = math.atan2(b[1] - a[1], b[0] - a[0])
    h2 = math.atan2(c[1] - b[1], c[0] - b[0])
    return (math.degrees(h2 - h1) + 180) % 360 - 180


def corners(path: list[Point], straight_deg: float = STRAIGHT_DEG) -> list[Point]:
    """The path's corners: points where it turns by at least ``straight_deg`` (ends kept)."""
    pts = [p for i, p in enumerate(path) if i == 0 or math.dist(p, path[i - 1]) > 1e-9]
    if len(pts) < 3:
        return pts
    out = [pts[0]]
    for i in range(1, len(pts) - 1):
        if abs(turn(out[-1], pts[i], pts[i + 1])) >= straight_deg:
            out.append(pts[i])
    out.append(pts[-1])
    return out


def loops(path: list[Point], eps: float = 1.0) -> list[list[Point]]:
    """Closed loops in a path, each as its corners without repeating the start.

    The path is cut where it first comes back to its starting point, and again from there, so
    a hexagon drawn twice gives two loops. A starting point in the middle of a side (turn ~0)
    is dropped.
    """
    pts = corners(path)
    out = []
    start = 0
    for i in range(1, len(pts)):
        if math.dist(pts[i], pts[start]) <= eps and i - start >= 2:
            loop = pts[start:i]
            if len(loop) >= 3 and abs(turn(loop[-1], loop[0], loop[1])) < STRAIGHT_DEG:
                loop = loop[1:]
            out.append(loop)
            start = i
    return out


def sides_and_turns(loop: list[Point]) -> tuple[list[float], list[float]]:
    """Side lengths and signed turns (degrees) around a closed loop of corners."""
    n = len(loop)
    sides = [math.dist(loop[i], loop[(i + 1) % n]) for i in range(n)]
    turns = [turn(loop[i - 1], loop[i], loop[(i + 1) % n]) for i in range(n)]
    return sides, turns


def path_length(segments: list[list[float]]) -> float:
    return sum(math.dist((s[0], s[1]), (s[2], s[3])) for s in segments)
