"""``codehone blocks fix`` and ``eval-set`` end to end on the tiny GGUF, and the shipped
``blocks-fix`` file against its builder.

The tiny model is random: these check the plumbing (grammar-constrained answers are programs,
files are written or a clear error says why), not the quality of a fix.
"""

import json

import pytest
from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.lang.parser import parse
from tests.support.cli import said

runner = CliRunner()
GAP = "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(80)\n"


def test_shipped_fix_benchmark_is_what_the_builder_makes():
    from codehone.blocks.copilot.fix_bench import build_fix_benchmark

    assert build_fix_benchmark() == load_benchmark(bench="blocks-fix")


def test_cli_fix_writes_text_and_sb3_or_says_why(tiny_gguf, tmp_path):
    prog = tmp_path / "gap.txt"
    prog.write_text(GAP, encoding="utf-8")
    for name in ("fixed.txt", "fixed.sb3"):
        out = tmp_path / name
        r = runner.invoke(blocks_app, ["fix", str(prog), "my square has a gap", "--model", str(tiny_gguf),
                                       "--out", str(out), "--max-tokens", "60"])
        if r.exit_code == 0:
            assert out.exists() and "block line" in said(r)
            if name.endswith(".txt"):
                parse(out.read_text(encoding="utf-8"))
        else:  # a random model can be cut off mid-line; then nothing is written and the message says so
            assert not out.exists() and "not a valid block program" in said(r)


@pytest.mark.parametrize("args, message", [
    (["   "], "what is wrong"),
    (["my square has a gap", "--out", "x.png"], "use a .txt file"),
])
def test_cli_fix_bad_input_is_a_clear_error(tmp_path, args, message):
    prog = tmp_path / "gap.txt"
    prog.write_text(GAP, encoding="utf-8")
    r = runner.invoke(blocks_app, ["fix", str(prog), *args, "--model", "no-such-model"])
    assert r.exit_code != 0 and message in said(r)


def test_cli_fix_unreadable_program_names_the_line(tmp_path):
    prog = tmp_path / "bad.txt"
    prog.write_text("when_flag_clicked():\n    fly_to_moon()\n", encoding="utf-8")
    r = runner.invoke(blocks_app, ["fix", str(prog), "it doesnt work", "--model", "no-such-model"])
    assert r.exit_code != 0 and "fly_to_moon" in said(r)


@pytest.mark.parametrize("bench", ["blocks-kids", "blocks-fix"])
def test_cli_eval_set_on_the_tiny_model(tiny_gguf, tmp_path, bench):
    r = runner.invoke(blocks_app, ["eval-set", bench, "--out", str(tmp_path), "--model", str(tiny_gguf),
                                   "--limit", "2", "--max-tokens", "40", "-q"])
    assert r.exit_code == 0, said(r)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["bench"] == bench and summary["tasks"] == 2
    assert "passed" in said(r) and (tmp_path / "report.html").exists()


def test_cli_eval_set_unknown_name(tmp_path):
    r = runner.invoke(blocks_app, ["eval-set", "blocks-kid", "--out", str(tmp_path)])
    assert r.exit_code != 0 and "blocks-kids" in said(r)
