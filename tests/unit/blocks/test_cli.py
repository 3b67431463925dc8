"""``codehone blocks run`` / ``convert`` through typer, as the main CLI will mount them."""

import json

from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from tests.support.cli import said

from .examples import GREETING, HEXAGON

runner = CliRunner()


def test_run_writes_a_trace_and_uses_answers(tmp_path):
    src, trace = tmp_path / "p.txt", tmp_path / "trace.json"
    src.write_text(GREETING)
    r = runner.invoke(blocks_app, ["run", str(src), "--trace", str(trace), "--answers", "Ana"])
    assert r.exit_code == 0, said(r)
    assert "said: Hello Ana" in said(r)
    assert json.loads(trace.read_text())["said"] == ["Hello Ana"]


def test_convert_both_ways_and_run_the_sb3(tmp_path):
    src, sb3, back = tmp_path / "p.txt", tmp_path / "p.sb3", tmp_path / "back.txt"
    src.write_text(HEXAGON)
    assert runner.invoke(blocks_app, ["convert", str(src), str(sb3)]).exit_code == 0
    assert runner.invoke(blocks_app, ["convert", str(sb3), str(back)]).exit_code == 0
    assert back.read_text() == HEXAGON
    r = runner.invoke(blocks_app, ["run", str(sb3)])
    assert r.exit_code == 0 and "6 pen lines" in said(r)


def test_errors_exit_1_with_the_message(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("when_flag_clicked():\n    mvoe(1)\n")
    r = runner.invoke(blocks_app, ["run", str(bad)])
    assert r.exit_code == 1 and "Did you mean 'move'" in said(r)
    broken = tmp_path / "broken.sb3"
    broken.write_bytes(b"not a zip")
    r = runner.invoke(blocks_app, ["convert", str(broken), str(tmp_path / "x.txt")])
    assert r.exit_code == 1 and "not a zip" in said(r)


KEYS = """when_key_pressed("space"):
    say("jump")

when_this_sprite_clicked():
    say("ouch")
"""


def test_run_fires_events_inline_or_from_a_file(tmp_path):
    src, trace, ev = tmp_path / "p.txt", tmp_path / "trace.json", tmp_path / "events.json"
    src.write_text(KEYS)
    events = [{"time": 0.5, "key": "space"}, {"time": 1, "click": "Sprite1"}]
    r = runner.invoke(blocks_app, ["run", str(src), "--trace", str(trace), "--events", json.dumps(events)])
    assert r.exit_code == 0, said(r)
    assert json.loads(trace.read_text())["said"] == ["jump", "ouch"]
    ev.write_text(json.dumps(events[1:]))
    r = runner.invoke(blocks_app, ["run", str(src), "--events", f"@{ev}"])
    assert r.exit_code == 0 and "said: ouch" in said(r) and "jump" not in said(r)


def test_run_rejects_malformed_events(tmp_path):
    src = tmp_path / "p.txt"
    src.write_text(KEYS)
    for bad in ("not json", '{"time": 1}', '[{"time": -1, "key": "a"}]', '[{"time": 1}]',
                '[{"time": 1, "key": "a", "click": "Sprite1"}]'):
        r = runner.invoke(blocks_app, ["run", str(src), "--events", bad])
        assert r.exit_code == 1 and "--events" in said(r), (bad, said(r))
