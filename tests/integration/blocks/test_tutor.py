"""The Teach skill: the shipped ``blocks-tutor`` set against its builder (every task teachable),
each mechanical rule of a tutorial, and ``codehone blocks tutor`` / ``eval-set blocks-tutor`` on
the tiny GGUF (plumbing only: the tiny model is random)."""

import json

from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from codehone.blocks.copilot.bench import load_benchmark
from tests.support.cli import said

runner = CliRunner()

TUTOR = load_benchmark(bench="blocks-tutor")


def test_shipped_tutor_benchmark_is_what_the_builder_makes_and_every_task_can_be_taught():
    from codehone.blocks.copilot.tutor import make_tutorial, score_tutorial
    from codehone.blocks.copilot.tutor_bench import build_tutor_benchmark

    assert build_tutor_benchmark() == TUTOR and len(TUTOR) >= 60
    assert len({t["family"] for t in TUTOR}) >= 20 and "impossible" not in {t["family"] for t in TUTOR}
    for task in TUTOR[::7]:
        row, _ = score_tutorial(task, make_tutorial(task["reference"]))
        assert row["status"] == "passed", row


def test_tutorial_rules_are_each_enforced():
    from codehone.blocks.copilot.tutor import score_tutorial

    task = TUTOR[0]  # every case breaks a rule before the task's check is reached
    good = ("Step 1: Start with the flag, so it runs when you click it.\nwhen_flag_clicked():\n    pen_down()\n"
            "Step 2: Repeat, because a shape has many sides.\n    repeat(10):\n        move(40)\n        turn_left(36)\n")
    cases = {
        "": "no_steps",
        good.replace("Step 2", "Step 3"): "step_order",
        good.replace("Start with the flag, so it runs when you click it.", ""): "no_sentence",
        good.replace("    pen_down()\n", "    pen_down()\n    pen_up()\n    pen_down()\n    erase_all()\n"): "step_size",
        good.replace("    repeat(10):\n", "    repeat(10)\n"): "step_parse",
    }
    for text, fault in cases.items():
        row, _ = score_tutorial(task, text)
        assert row["status"] == "failed" and row["fault"] == fault, (fault, row)


def test_cli_tutor_and_eval_set_on_the_tiny_model(tiny_gguf, tmp_path):
    out = tmp_path / "steps.txt"
    r = runner.invoke(blocks_app, ["tutor", "draw a square", "--model", str(tiny_gguf), "--out", str(out),
                                   "--max-tokens", "40"])
    if r.exit_code == 0:  # the random model's program under the grammar was whole: it is cut in checked steps
        assert out.read_text().startswith("Step 1: ")
    else:  # cut off at 40 tokens: the command says so and writes nothing
        assert "nothing was written" in said(r) and not out.exists()
    r = runner.invoke(blocks_app, ["tutor", "draw a square", "--model", str(tiny_gguf), "--out", str(out),
                                   "--max-tokens", "40", "--direct"])
    # a random model writes no steps of its own: the command says so and writes nothing
    assert r.exit_code != 0 and "cannot be followed" in said(r)
    r = runner.invoke(blocks_app, ["eval-set", "blocks-tutor", "--out", str(tmp_path / "e"), "--model", str(tiny_gguf),
                                   "--limit", "2", "--max-tokens", "40", "-q"])
    assert r.exit_code == 0, said(r)
    summary = json.loads((tmp_path / "e" / "summary.json").read_text())
    assert summary["bench"] == "blocks-tutor" and summary["tasks"] == 2 and summary["grammar"] is True
    assert sum(summary["faults"].values()) == summary["failed"]
    config = json.loads((tmp_path / "e" / "eval_config.json").read_text())
    assert config["tutor"] == "program"
