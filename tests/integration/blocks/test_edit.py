"""The Change skill: the shipped ``blocks-edit`` set against its builder and its own promises (every
reference edit passes, every unedited program fails, both halves of an edit are checked), the
judge, and ``codehone blocks generate --program`` / ``eval-set blocks-edit`` on the tiny GGUF.

The tiny model is random: the CLI tests check the plumbing, not the quality of an edit."""

import json
import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.edit import edit_messages, score_edit
from codehone.blocks.copilot.edit_bench import KINDS, _verified, build_edit_benchmark
from codehone.blocks.lang.parser import parse
from tests.support.cli import said

runner = CliRunner()
SQUARE = "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(90)\n"
EDIT = load_benchmark(bench="blocks-edit")


def test_shipped_edit_benchmark_is_what_the_builder_makes():
    assert build_edit_benchmark() == EDIT


def test_size_kinds_and_held_out_sources():
    assert len(EDIT) >= 120
    kinds = Counter(t["family"] for t in EDIT)
    assert set(kinds) == set(KINDS) and max(kinds.values()) <= 16
    sources = {t["task_id"] for t in load_benchmark()}
    assert all(t["source_task"] in sources and t["program"] for t in EDIT)
    assert len({(t["program"], t["prompt"]) for t in EDIT}) == len(EDIT)


@pytest.mark.parametrize("task", EDIT[::9], ids=lambda t: t["task_id"])
def test_reference_edit_passes_and_the_unedited_program_fails(task):
    assert _verified({**task, "reference": task["program"]}, task["reference"], task["check"])
    row, _ = score_edit(task, task["reference"])
    assert row["status"] == "passed" and not row["unchanged"]
    row, _ = score_edit(task, task["program"])
    assert row["status"] == "failed" and row["unchanged"]


def test_an_edit_that_breaks_what_should_stay_fails():
    task = next(t for t in EDIT if t["family"] == "recolor" and re.search(r"move\(\d+\)", t["reference"])
                and any(c.get("side") for c in t["check"].get("checks", [])))
    # the new colour, but the shape's size lost
    wrong = re.sub(r"move\((\d+)\)", lambda m: f"move({2 * int(m.group(1))})", task["reference"])
    parse(wrong)
    row, _ = score_edit(task, wrong)
    assert row["status"] == "failed"


def test_edit_messages_carry_the_program_and_the_request():
    msgs = edit_messages(SQUARE, "make it red", shots=1)
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "user"]
    assert "move(50)" in msgs[-1]["content"] and msgs[-1]["content"].endswith("Change: make it red")
    with pytest.raises(ValueError):
        edit_messages(SQUARE, "x", shots=2)


def test_cli_generate_with_program_changes_it_or_says_why(tiny_gguf, tmp_path):
    prog = tmp_path / "square.txt"
    prog.write_text(SQUARE, encoding="utf-8")
    out = tmp_path / "red.txt"
    r = runner.invoke(blocks_app, ["generate", "make it red", "--program", str(prog), "--model", str(tiny_gguf),
                                   "--out", str(out), "--max-tokens", "60"])
    if r.exit_code == 0:
        parse(out.read_text(encoding="utf-8"))
    else:  # a random model can be cut off mid-line; then nothing is written and the message says so
        assert not out.exists() and "not a valid block program" in said(r)


def test_cli_generate_with_a_broken_program_names_the_line(tmp_path):
    prog = tmp_path / "bad.txt"
    prog.write_text("when_flag_clicked():\n    fly_to_moon()\n", encoding="utf-8")
    r = runner.invoke(blocks_app, ["generate", "make it red", "--program", str(prog), "--out", str(tmp_path / "o.txt"),
                                   "--model", "no-such-model"])
    assert r.exit_code != 0 and "fly_to_moon" in said(r)


def test_cli_eval_set_blocks_edit_on_the_tiny_model(tiny_gguf, tmp_path):
    r = runner.invoke(blocks_app, ["eval-set", "blocks-edit", "--out", str(tmp_path), "--model", str(tiny_gguf),
                                   "--limit", "2", "--max-tokens", "40", "-q"])
    assert r.exit_code == 0, said(r)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["bench"] == "blocks-edit" and summary["tasks"] == 2 and "by_edit" in summary

