"""Trace drawings: valid SVG on the 480x360 stage, pen colours kept, joined polylines; PNG too."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from codehone.blocks.runtime.draw import trace_png, trace_svg
from codehone.blocks.runtime.interpreter import run_program

NS = "{http://www.w3.org/2000/svg}"


def _svg(text: str):
    return ET.fromstring(text)


def test_hexagon_is_one_polyline_in_its_colour():
    trace = run_program('when_flag_clicked():\n    set_pen_color_to("#ff0000")\n    pen_down()\n'
                        '    repeat(6):\n        move(50)\n        turn_right(60)\n    say("done")\n')
    root = _svg(trace_svg(trace, width=240, title="hex"))
    assert root.get("viewBox") == "0 0 480 360" and root.get("width") == "240" and root.get("height") == "180"
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 1 and lines[0].get("stroke") == "#ff0000"
    assert len(lines[0].get("points").split()) == 7  # 6 sides, closed
    # stage (0, 0) is the middle of the picture, y up
    assert lines[0].get("points").split()[0] == "240.0,180.0"
    assert any("done" in (t.text or "") for t in root.iter(f"{NS}text"))


def test_two_colours_and_a_hidden_sprite():
    trace = run_program('when_flag_clicked():\n    pen_down()\n    move(50)\n    set_pen_color_to("#00c000")\n'
                        '    move(50)\n    hide()\n')
    root = _svg(trace_svg(trace))
    assert [p.get("stroke") for p in root.findall(f"{NS}polyline")] == ["#0000ff", "#00c000"]
    circle = root.find(f"{NS}g/{NS}circle")
    assert circle.get("fill") == "none" and circle.get("cx") == "340.0"


def test_empty_trace_and_escaping():
    root = _svg(trace_svg({"segments": [], "sprites": {}, "said": ['<b>&"x"']}, title="a<b"))
    assert root.find(f"{NS}title").text == "a<b"


def test_png(tmp_path):
    trace = run_program("when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(80)\n        turn_right(90)\n")
    trace_png(trace, tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
