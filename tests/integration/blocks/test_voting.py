"""Behaviour voting end to end on the tiny GGUF: ``blocks generate --samples`` and ``blocks eval
--samples`` decode several programs as one batch, run them and keep the vote (plumbing only)."""

import json

from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from tests.support.cli import said

runner = CliRunner()

def test_cli_generate_and_eval_with_behaviour_voting(tiny_gguf, tmp_path):
    out = tmp_path / "voted.txt"
    r = runner.invoke(blocks_app, ["generate", "draw a square", "--samples", "3", "--model", str(tiny_gguf),
                                   "--out", str(out), "--max-tokens", "40"])
    assert r.exit_code == 0 and "vote:" in said(r) or "not a valid block program" in said(r), said(r)
    r = runner.invoke(blocks_app, ["eval", "--out", str(tmp_path / "e"), "--model", str(tiny_gguf), "--samples", "3",
                                   "--limit", "2", "--max-tokens", "40", "-q"])
    assert r.exit_code == 0, said(r)
    rows = [json.loads(x) for x in (tmp_path / "e" / "samples.jsonl").read_text().splitlines()]
    assert len(rows) == 2 and all(len(sum(x["votes"]["groups"], [])) + len(x["votes"]["invalid"]) == 3 for x in rows)
    # every candidate is kept beside the vote, the chosen one among them
    assert all(len(x["votes"]["candidates"]) == 3 and x["text"] in [c["text"] for c in x["votes"]["candidates"]]
               for x in rows)
    assert json.loads((tmp_path / "e" / "eval_config.json").read_text())["samples"] == 3


def test_vote_unsure_keeps_the_gate_beside_each_answer(tiny_gguf, tmp_path):
    r = runner.invoke(blocks_app, ["eval", "--out", str(tmp_path / "u"), "--model", str(tiny_gguf), "--samples", "3",
                                   "--vote", "unsure", "--limit", "2", "--max-tokens", "30", "-q"])
    assert r.exit_code == 0, said(r)
    rows = [json.loads(x) for x in (tmp_path / "u" / "samples.jsonl").read_text().splitlines()]
    # the tiny random model is never sure of every token: each answer is a vote of greedy + 2 samples
    assert all(x["vote_gate"]["sure"] is False and len(x["votes"]["candidates"]) == 3 for x in rows)
    assert json.loads((tmp_path / "u" / "eval_config.json").read_text())["vote_when"] == "unsure"
    r = runner.invoke(blocks_app, ["eval", "--out", str(tmp_path / "bad"), "--model", str(tiny_gguf), "--samples", "3",
                                   "--vote", "sometimes", "--limit", "1", "-q"])
    assert r.exit_code != 0 and "--vote must be one of always, unsure" in said(r)


def test_eval_set_votes_on_programs_but_not_on_tutorials(tiny_gguf, tmp_path):
    r = runner.invoke(blocks_app, ["eval-set", "blocks-kids", "--out", str(tmp_path / "k"), "--model", str(tiny_gguf),
                                   "--samples", "3", "--limit", "1", "--max-tokens", "30", "-q"])
    assert r.exit_code == 0, said(r)
    row = json.loads((tmp_path / "k" / "samples.jsonl").read_text().splitlines()[0])
    assert "votes" in row
    r = runner.invoke(blocks_app, ["eval-set", "blocks-tutor", "--out", str(tmp_path / "t"), "--model", str(tiny_gguf),
                                   "--samples", "3", "--limit", "1", "-q"])
    assert r.exit_code != 0 and "not one program" in said(r)


def test_fix_and_eval_set_fix_vote_with_the_given_program_avoided(tiny_gguf, tmp_path):
    program = tmp_path / "bent.txt"
    program.write_text("when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(80)\n")
    r = runner.invoke(blocks_app, ["fix", str(program), "my square has a gap", "--samples", "3", "--model",
                                   str(tiny_gguf), "--max-tokens", "40", "--out", str(tmp_path / "fixed.txt")])
    assert r.exit_code == 0 and "behave exactly as the program given" in said(r) or \
        "not a valid block program" in said(r), said(r)
    r = runner.invoke(blocks_app, ["eval-set", "blocks-fix", "--out", str(tmp_path / "f"), "--model", str(tiny_gguf),
                                   "--samples", "3", "--limit", "1", "--max-tokens", "30", "-q"])
    assert r.exit_code == 0, said(r)
    row = json.loads((tmp_path / "f" / "samples.jsonl").read_text().splitlines()[0])
    assert "avoided" in row["votes"] and len(row["votes"]["candidates"]) == 3
    assert json.loads((tmp_path / "f" / "eval_config.json").read_text())["vote_avoids_given"] is True
