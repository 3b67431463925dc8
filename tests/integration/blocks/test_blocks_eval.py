"""`codehone blocks eval` on the tiny GGUF model: it writes nonsense, so every task is invalid,
the run completes, writes its report, and a rerun resumes without generating again."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app


def test_eval_tiny_gguf_no_grammar_resumes(tmp_path, tiny_gguf):
    out = tmp_path / "eval"
    args = ["eval", "--model", str(tiny_gguf), "--no-grammar", "--limit", "3", "--shots", "1", "--max-tokens", "24",
            "--out", str(out), "-q"]
    res = CliRunner().invoke(blocks_app, args)
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["tasks"] == 3 and summary["grammar"] is False and summary["shots"] == 1
    assert summary["invalid"] == 3 and summary["invalid_rate"] == 1.0 and summary["tokens"] > 0
    samples = (out / "samples.jsonl").read_text().splitlines()
    results = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(samples) == 3 and {r["status"] for r in results} == {"invalid"}
    assert (out / "report.html").exists() and (out / "report.md").exists()
    res = CliRunner().invoke(blocks_app, args)  # resume: nothing left to generate
    assert res.exit_code == 0, res.output
    assert (out / "samples.jsonl").read_text().splitlines() == samples
    assert json.loads((out / "summary.json").read_text())["seconds"] == summary["seconds"]
