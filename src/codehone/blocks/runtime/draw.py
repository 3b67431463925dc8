"""Pictures of a trace: the Scratch stage (480x360) with the pen lines and where the sprites ended.

:func:`trace_svg` returns a small self-contained SVG string for reports (inline in HTML, or a
file beside Markdown); :func:`trace_png` draws the same with matplotlib. Stage coordinates have
y up and (0, 0) in the middle; SVG has y down and (0, 0) top left, hence ``(x + 240, 180 - y)``.
Consecutive pen lines of the same pen are joined into one polyline, so a circle of 360 steps is
one element, not 360.
"""

from __future__ import annotations

import math
from html import escape

W, H = 480, 360


def _xy(x: float, y: float) -> tuple[float, float]:
    return round(x + W / 2, 1), round(H / 2 - y, 1)


def _polylines(trace: dict) -> list[tuple[str, float, list[tuple[float, float]]]]:
    """(colour, width, points) runs of segments that continue each other with the same pen."""
    segs = trace.get("segments", [])
    pens = trace.get("segment_pens") or [[None, "#4c97ff", 1]] * len(segs)
    runs: list[tuple[str, float, list[tuple[float, float]]]] = []
    for (x1, y1, x2, y2), (_, color, size) in zip(segs, pens):
        if runs and runs[-1][0] == color and runs[-1][1] == size and math.dist(runs[-1][2][-1], (x1, y1)) < 0.5:
            runs[-1][2].append((x2, y2))
        else:
            runs.append((color, size, [(x1, y1), (x2, y2)]))
    return runs


def trace_svg(trace: dict, width: int = 240, title: str | None = None) -> str:
    """The stage as an SVG string ``width`` px wide (the viewBox is always 480x360)."""
    height = round(width * H / W)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {W} {H}">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    out.append(f'<rect width="{W}" height="{H}" fill="#ffffff" stroke="#c8c8c8"/>')
    out.append(f'<path d="M{W / 2} 0V{H}M0 {H / 2}H{W}" stroke="#eeeeee" stroke-width="1"/>')
    for color, size, pts in _polylines(trace):
        d = " ".join(f"{x},{y}" for x, y in (_xy(*p) for p in pts))
        out.append(f'<polyline points="{d}" fill="none" stroke="{escape(str(color))}" stroke-width="{max(1.0, size):g}" '
                   'stroke-linecap="round" stroke-linejoin="round"/>')
    for name, s in (trace.get("sprites") or {}).items():
        cx, cy = _xy(s["x"], s["y"])
        r = round(20 * s.get("size", 100) / 100, 1)
        rad = math.radians(90 - s.get("direction", 90))
        tip = (round(cx + r * math.cos(rad), 1), round(cy - r * math.sin(rad), 1))
        style = 'fill="#ffab19" fill-opacity="0.8"' if s.get("visible", True) else 'fill="none" stroke-dasharray="4 3"'
        out.append(f'<g><title>{escape(name)} at ({s["x"]:g}, {s["y"]:g})</title>'
                   f'<circle cx="{cx}" cy="{cy}" r="{r}" {style} stroke="#cf8b17" stroke-width="2"/>'
                   f'<line x1="{cx}" y1="{cy}" x2="{tip[0]}" y2="{tip[1]}" stroke="#7a4f00" stroke-width="2"/></g>')
    said = trace.get("said") or []
    if said:
        text = escape(str(said[-1])[:40])
        out.append(f'<text x="8" y="{H - 10}" font-family="sans-serif" font-size="20" fill="#444">"{text}"</text>')
    out.append("</svg>")
    return "".join(out)


def trace_png(trace: dict, path, dpi: int = 100) -> None:
    """The same picture as a PNG file, drawn with matplotlib (headless Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=dpi)
    try:
        ax.set_xlim(-W / 2, W / 2)
        ax.set_ylim(-H / 2, H / 2)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for color, size, pts in _polylines(trace):
            xs, ys = zip(*pts)
            ax.plot(xs, ys, color=color, linewidth=max(1.0, size) * 0.75, solid_capstyle="round")
        for s in (trace.get("sprites") or {}).values():
            ax.add_patch(plt.Circle((s["x"], s["y"]), 20 * s.get("size", 100) / 100, color="#ffab19",
                                    alpha=0.8 if s.get("visible", True) else 0.2))
        fig.savefig(path, bbox_inches="tight")
    finally:
        plt.close(fig)
