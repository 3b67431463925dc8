"""``codehone demo`` end to end on the tiny model: every step runs for real, the report is
written, and a rerun finishes at once from the saved outputs (the resume contract)."""

from __future__ import annotations

import json

from codehone.demo.pipeline import DemoOptions, demo_tasks, run_demo


def test_demo_tasks_cover_every_family():
    from codehone.blocks.copilot.bench import load_benchmark

    families = {t["family"] for t in load_benchmark()}
    chosen = demo_tasks(len(families))
    fam_of = {t["task_id"]: t["family"] for t in load_benchmark()}
    assert {fam_of[t] for t in chosen} == families
    assert len(set(demo_tasks(40))) == 40


def test_demo_runs_end_to_end_and_resumes(tiny_gguf, tmp_path, monkeypatch):
    opts = DemoOptions(out=tmp_path / "demo", model=str(tiny_gguf), examples=12, turns=1, max_steps=2, limit=2,
                       train_overrides=["seq_len=2048", "progress=false"], skill_limit=1)
    lines: list[str] = []
    result = run_demo(opts, echo=lines.append)
    out = opts.out
    assert set(result["evals"]) == {"base-grammar", "base-free", "tuned-grammar", "tuned-free"}
    for label, summary in result["evals"].items():
        assert summary["tasks"] == 2, label
        assert (out / "eval" / label / "results.jsonl").exists()
    # With the grammar even a random model writes only existing blocks with the right arguments:
    # whatever is invalid was cut by the token limit before its first block was complete.
    for label in ("base-grammar", "tuned-grammar"):
        rows = [json.loads(x) for x in (out / "eval" / label / "results.jsonl").read_text().splitlines()]
        assert all(r["truncated"] for r in rows if r["status"] == "invalid"), rows
    assert (out / "train" / "adapter" / "adapter_config.json").exists()
    assert result["adapter"].endswith("adapter.gguf")
    html = (out / "report.html").read_text()
    assert "behaviour pass rate" in html and "<svg" in html  # the loss chart at least
    # every step's peak resident memory, and the whole run's (issue 21)
    assert set(result["peak_rss_gb"]) == set(result["seconds"]) and all(v > 0 for v in result["peak_rss_gb"].values())
    assert "peak memory (resident)" in html
    # every skill the demo trains, base vs tuned (issue 18)
    assert set(result["skills"]) == {"base", "tuned"}
    for label in ("base", "tuned"):
        assert set(result["skills"][label]) == {"blocks-fix", "blocks-edit", "blocks-tutor", "blocks-next", "blocks-next-request"}
        assert all(v["tasks"] == 1 and 0 <= v["score"] <= 1 for v in result["skills"][label].values())
    assert "<h2>Skills</h2>" in html and "Next block (top-3" in html
    assert json.loads((out / "demo_summary.json").read_text())["evals"].keys() == result["evals"].keys()

    # A rerun redoes nothing: no model is trained or generated with again.
    import codehone.train.lora as lora
    from codehone.backends.llamacpp import LlamaCppBackend

    def refuse(*a, **k):
        raise AssertionError("the rerun repeated finished work")

    monkeypatch.setattr(LlamaCppBackend, "generate", refuse)
    monkeypatch.setattr(lora, "train", refuse)
    again = run_demo(opts, echo=lines.append)
    strip = lambda evals: {k: {kk: vv for kk, vv in v.items() if kk != "seconds"} for k, v in evals.items()}  # noqa: E731
    assert strip(again["evals"]) == strip(result["evals"])
    # the report keeps the sitting that did each step's work (training is not "0 s" on a resume)
    assert again["sittings"] == 2 and again["seconds"]["train"] == result["seconds"]["train"]
    assert again["peak_rss_gb"]["train"] >= result["peak_rss_gb"]["train"]

    # Other settings in the same directory are refused, not mixed in.
    import pytest

    from codehone.errors import UserError

    with pytest.raises(UserError, match="max_steps"):
        run_demo(DemoOptions(**{**opts.__dict__, "max_steps": 3}), echo=lines.append)


def test_demo_command_takes_a_seed(tmp_path):
    """--seed reaches the demo's options: a directory begun with seed 0 is not resumed with seed 1."""
    import typer
    from typer.testing import CliRunner

    from codehone.demo.cli import demo_command
    from codehone.demo.pipeline import _check_same_settings
    from codehone.errors import UserError

    out = tmp_path / "demo"
    out.mkdir()
    _check_same_settings(DemoOptions(out=out))  # records the default options, seed 0
    app = typer.Typer()
    app.command("demo")(demo_command)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["demo", "--out", str(out), "--seed", "1"])
    assert isinstance(res.exception, UserError) and "seed: 0 -> 1" in str(res.exception)
