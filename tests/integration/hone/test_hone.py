"""``codehone hone`` end to end on the tiny model and a small generated repository: every step's
output, the report, the printed serve command and editor settings, the training stopped at a
deadline, and a rerun that repeats nothing (the resume contract)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codehone.core.rundir import RunDir
from codehone.errors import UserError
from tests.support.cli import said

SETTINGS = ["dtype=float32", "threads=1", "seq_len=256", "save_every=2"]


def make_repo(root: Path, n_files: int = 10) -> Path:
    """Small Python modules with documented functions: enough lines for FIM rows and benchmark tasks."""
    for i in range(n_files):
        body = [f'"""Module {i}: inventory helpers."""\n', "\n"]
        for j in range(3):
            body += [f"def restock_{i}_{j}(count, minimum={j + 3}):\n",
                     f'    """Bring a shelf of item {i} back to at least {j + 3} units."""\n',
                     f"    missing = minimum - count\n", f"    if missing > {j}:\n",
                     f"        return count + missing * {i + 1}\n", "    return count\n", "\n"]
        path = root / "inventory" / f"shelf_{i:02d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(body))
    return root


def _read(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def _hone_args(src: Path, out: Path, gguf: Path) -> list[str]:
    args = ["hone", str(src), "--model", str(gguf), "--out", str(out), "--budget", "20m", "--limit", "6",
            "--max-steps", "5", "--max-tokens", "8", "--split", "0.5,0.2,0.3", "--quiet"]
    for s in SETTINGS:
        args += ["--set", s]
    return args


def test_hone_runs_end_to_end_and_resumes(tiny_gguf, tmp_path, monkeypatch):
    from codehone.cli import app

    src = make_repo(tmp_path / "inventory-service")
    out = tmp_path / "runs" / "inventory"
    result = CliRunner().invoke(app, _hone_args(src, out, tiny_gguf))
    assert result.exit_code == 0, said(result)
    run = RunDir(out)

    # data, and the benchmark both passes used
    assert run.is_complete("data") and run.bench_repo.exists()
    plan = json.loads((out / "hone_plan.json").read_text())
    n = plan["tasks"]["chosen"]
    assert 0 < n <= 6 and plan["tasks"]["seconds_per_task"] > 0
    for label in ("base", "tuned"):
        summary = json.loads(run.eval_run(label).summary.read_text())
        assert summary["tasks"] == n and "edit_similarity" in summary and summary["scores"]["all"]["n"] == n
    assert json.loads(run.eval_run("tuned").summary.read_text())["adapter"].endswith("adapter.gguf")

    # training: 3 calibration steps measured, then the planned run resumed to --max-steps
    train = plan["train"]
    assert train["calibration_steps"] == 3 and train["steps"] == 5 and train["seconds_per_step"] > 0
    assert run.is_complete("train") and (run.adapter / "adapter_config.json").exists()
    rows = _read(run.train_log)
    assert [r["step"] for r in rows] == [1, 2, 3, 4, 5]
    assert all(r["step_s"] > 0 and r["rss_mb"] > 0 for r in rows)
    manifest = json.loads(run.manifest.read_text())["stages"]["train"]
    assert manifest["inputs"]["resume_changes"] == {"max_steps": [4, 5]}

    # export --verify, and the Modelfile
    record = json.loads(run.export_record.read_text())
    assert Path(record["adapter_gguf"]).exists() and (run.export_dir / "verify.json").exists()
    assert (run.export_dir / "Modelfile").exists()

    # report
    md, html = run.report_md.read_text(), run.report_html.read_text()
    assert "| all | " in md and "exact match" in md and "edit similarity" in md.lower()
    assert "<svg" in html and "peak RSS MB" in html and "planned" in html
    assert "&lt;" not in md  # Markdown is not HTML-escaped; the HTML is
    # the repository's own tests: this one has none, and the report says so rather than scoring 0
    assert "Repository tests on the same fills: base 0/0 covered fills pass" in md and "have no test file" in md
    summary = json.loads((out / "hone_summary.json").read_text())
    assert summary["seconds"]["total"] > 0 and set(summary["plan"]["actual"]) >= {"data", "eval_base", "train"}

    # the printed serve command and editor settings, with the real option names
    text = result.output
    serve = (f"codehone serve --model {tiny_gguf} --adapter inventory-service={record['adapter_gguf']} "
             "--default-model inventory-service --port 8012")
    assert serve in text
    assert '"llama-vscode.endpoint": "http://127.0.0.1:8012"' in text
    assert "provider: openai" in text and "apiBase: http://127.0.0.1:8012/v1" in text and "<|fim_prefix|>" in text
    assert f"ollama create inventory-service -f {run.export_dir / 'Modelfile'}" in text
    from codehone.serve.cli import serve_command
    import inspect

    sig = inspect.signature(serve_command)
    assert {"model", "adapter", "default_model", "port"} <= set(sig.parameters)

    # A rerun redoes nothing: no data, no generation, no training, no export.
    import codehone.hone.pipeline as pipeline
    import codehone.hone.train_step as train_step
    from codehone.backends.llamacpp import LlamaCppBackend

    def refuse(*a, **k):
        raise AssertionError("the rerun repeated finished work")

    monkeypatch.setattr(LlamaCppBackend, "generate", refuse)
    monkeypatch.setattr(train_step, "train", refuse)
    monkeypatch.setattr(pipeline, "build_dataset", refuse)
    monkeypatch.setattr(pipeline, "run_export", refuse)
    again = CliRunner().invoke(app, _hone_args(src, out, tiny_gguf))
    assert again.exit_code == 0, said(again)
    assert serve in again.output

    # Other settings in the same directory are refused, not mixed in.
    other = CliRunner().invoke(app, _hone_args(src, out, tiny_gguf)[:-2] + ["--budget", "5m"])
    assert other.exit_code != 0 and "budget" in said(other)


class _Clock:
    """Plenty of time when sizing; the deadline is ``ends`` (seconds from now) on each look in turn."""

    budget_s = 600.0

    def __init__(self, *ends: float):
        self.ends = list(ends)

    @property
    def end(self) -> float:
        return time.monotonic() + (self.ends.pop(0) if len(self.ends) > 1 else self.ends[0])

    def left(self) -> float:
        return 10_000.0

    def elapsed(self) -> float:  # already past the budget: the run must say it cannot keep to it
        return 700.0


@pytest.mark.parametrize("ends,steps,why", [
    ((10_000, -10_000), 3, "deadline: stopped after 3 of 8"),  # the planned run is late from its start
    ((-10_000,), 1, "deadline: stopped after 1 calibration"),  # no time even for the calibration
])
def test_training_stops_at_the_deadline_and_publishes(tiny_gguf, tmp_path, ends, steps, why):
    """Past the deadline training stops between steps (never before the first) and the adapter of
    the steps done is published, as by a finished run of that length."""
    from codehone.hone.budget import BudgetPlan
    from codehone.hone.pipeline import HoneOptions, _data
    from codehone.hone.train_step import TrainSettings, run_training

    src = make_repo(tmp_path / "repo")
    opts = HoneOptions(path=src, out=tmp_path / "run", model=str(tiny_gguf), split="0.5,0.2,0.3", progress=False,
                       train_overrides=SETTINGS)
    settings = TrainSettings(0, SETTINGS, False)
    card = _data(opts, settings)
    plan = BudgetPlan(600.0)
    lines: list[str] = []
    summary = run_training(opts.out, opts.model, settings, plan, _Clock(*ends), lambda: None, card, 8, lines.append)
    run = RunDir(opts.out)
    assert run.is_complete("train") and (run.adapter / "adapter_config.json").exists()
    assert summary["steps_done"] == steps and plan.train.steps == steps
    assert plan.train.capped.startswith(why), plan.train.capped
    assert [r["step"] for r in _read(run.train_log)] == list(range(1, steps + 1))
    assert plan.floor_s > 600 * 1.1 and any("--budget" in line and "fixed costs" in line for line in lines), lines


def test_bad_input_is_one_clear_line(tmp_path, tiny_gguf):
    from codehone.hone.pipeline import HoneOptions, run_hone

    with pytest.raises(UserError, match="does not exist"):
        run_hone(HoneOptions(path=tmp_path / "nope", out=tmp_path / "o"))
    with pytest.raises(UserError, match="--budget"):
        run_hone(HoneOptions(path=tmp_path, out=tmp_path / "o", budget="soon"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UserError, match="no files"):
        run_hone(HoneOptions(path=empty, out=tmp_path / "o"))
    prose = tmp_path / "prose"
    prose.mkdir()
    (prose / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(UserError, match="no usable files|has no files"):
        run_hone(HoneOptions(path=prose, out=tmp_path / "o2", model=str(tiny_gguf), progress=False))
