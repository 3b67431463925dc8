"""The training stage end to end on the tiny model: outputs, exact resume after kill -9,
refusing to overwrite, the CLI, and bad input failing before any long work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from codehone.train import TrainError
from codehone.train.config import build_config
from codehone.train.lora import train

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "configs" / "tiny" / "lora.yaml"


def cfg(*overrides: str):
    return build_config(TINY, ["progress=false", *overrides])


def log(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "train_log.jsonl").read_text().splitlines()]


def test_train_writes_the_run_directory_contract(run_dir, tiny_model_dir):
    summary = train(run_dir, str(tiny_model_dir), run_dir, cfg("bench=true"), echo=lambda s: None)
    assert (run_dir / "adapter" / "adapter_config.json").exists()
    assert (run_dir / "adapter" / "adapter_model.safetensors").exists()
    rows = log(run_dir)
    assert [r["step"] for r in rows] == list(range(1, summary["steps"] + 1))
    assert {"step", "loss", "lr", "tokens_per_s"} <= set(rows[0]) and any("val_loss" in r for r in rows)
    assert rows[-1]["loss"] < rows[0]["loss"]  # lr 1e-2 on a tiny model: it learns the repo's tokens
    ckpts = sorted(p.name for p in (run_dir / "checkpoints").iterdir())
    assert "best" in ckpts and len([c for c in ckpts if c.startswith("step-")]) <= 2
    step_dir = run_dir / "checkpoints" / [c for c in ckpts if c.startswith("step-")][-1]
    assert {"adapter", "optimizer.pt", "scheduler.pt", "rng-0.pt", "state.json"} <= {p.name for p in step_dir.iterdir()}
    state = json.loads((step_dir / "state.json").read_text())
    assert state["step"] == int(step_dir.name.split("-")[1]) and state["plan"]
    rng = torch.load(step_dir / "rng-0.pt", weights_only=False)
    assert set(rng) == {"python", "numpy", "torch"}
    assert json.loads((run_dir / "train_state.json").read_text())["status"] == "finished"
    assert (run_dir / "loss.png").stat().st_size > 1000 and "Training report" in (run_dir / "train_report.md").read_text()
    assert "train" in json.loads((run_dir / "manifest.json").read_text())["stages"]
    assert summary["bench"]["n"] > 0 and 0 <= summary["bench"]["adapter"]["exact_match"] <= 1
    # The published adapter is the best validated one, and the transformers backend loads it.
    best = json.loads((run_dir / "adapter" / "best.json").read_text())
    assert best["val_loss"] == pytest.approx(min(r["val_loss"] for r in rows if "val_loss" in r))
    from codehone.backends.transformers import TransformersBackend

    TransformersBackend(tiny_model_dir, adapter=run_dir / "adapter").close()

    # A finished run is never overwritten silently.
    with pytest.raises(TrainError, match="finished training run.*--force"):
        train(run_dir, str(tiny_model_dir), run_dir, cfg(), echo=lambda s: None)
    train(run_dir, str(tiny_model_dir), run_dir, cfg("max_steps=2"), force=True, echo=lambda s: None)
    assert len(log(run_dir)) == 2 and (run_dir / "data" / "train.jsonl").exists()  # --force keeps the data


_KILLABLE = """
import sys, time
import codehone.train.lora as lora
real = lora.row_loss
def slow(*a, **k):  # slow enough that kill -9 lands mid-run
    time.sleep(0.03)
    return real(*a, **k)
lora.row_loss = slow
from codehone.train.config import build_config
lora.train(sys.argv[1], sys.argv[2], sys.argv[1], build_config(sys.argv[3], sys.argv[4:]), echo=lambda s: None)
"""


def _start(run: Path, model: Path, *overrides: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", _KILLABLE, str(run), str(model), str(TINY), "progress=false", *overrides],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 90) -> None:
    t0 = time.time()
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"training exited early: {proc.stderr.read().decode()[-2000:]}")
        assert time.time() - t0 < timeout, "no checkpoint appeared"
        time.sleep(0.05)


def _adapter(run: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(run / "adapter" / "adapter_model.safetensors"))


SETTINGS = ("save_every=3", "eval_every=4", "bench=false", "epochs=3")


def test_resume_after_kill_9_matches_the_uninterrupted_run(tmp_path, data_run, run_dir, tiny_model_dir):
    import shutil

    train(run_dir, str(tiny_model_dir), run_dir, cfg(*SETTINGS), echo=lambda s: None)
    killed = tmp_path / "killed"
    shutil.copytree(data_run, killed)
    proc = _start(killed, tiny_model_dir, *SETTINGS)
    _wait_for(killed / "checkpoints" / "step-6", proc)
    time.sleep(0.1)  # into the next steps, past a partly written log
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with pytest.raises(TrainError, match="unfinished.*--resume"):
        train(killed, str(tiny_model_dir), killed, cfg(*SETTINGS), echo=lambda s: None)
    with pytest.raises(TrainError, match="changed settings.*lr"):
        train(killed, str(tiny_model_dir), killed, cfg(*SETTINGS, "lr=0.5"), resume=True, echo=lambda s: None)
    messages = []
    train(killed, str(tiny_model_dir), killed, cfg(*SETTINGS), resume=True, echo=messages.append)
    resumed_from = next(m for m in messages if "step-" in m)  # after the thread policy's line
    k = int(resumed_from.split("step-")[1].split(" ")[0].rstrip(")"))
    assert k >= 6
    full, resumed = log(run_dir), log(killed)
    assert [r["step"] for r in resumed] == [r["step"] for r in full]
    later = [(a, b) for a, b in zip(full, resumed) if a["step"] > k]
    assert later
    for a, b in later:
        assert abs(a["loss"] - b["loss"]) <= 1e-3, (a, b)
        assert abs(a.get("val_loss", 0) - b.get("val_loss", 0)) <= 1e-3
    for name, w in _adapter(run_dir).items():
        torch.testing.assert_close(_adapter(killed)[name], w, rtol=1e-4, atol=1e-6)


def test_ctrl_c_checkpoints_and_resumes(tmp_path, data_run, tiny_model_dir):
    import shutil

    run = tmp_path / "run"
    shutil.copytree(data_run, run)
    proc = _start(run, tiny_model_dir, *SETTINGS)
    _wait_for(run / "checkpoints" / "step-3", proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and b"--resume" in err
    state = json.loads((run / "train_state.json").read_text())
    assert state["status"] == "interrupted" and (run / "checkpoints" / f"step-{state['step']}").exists()
    train(run, str(tiny_model_dir), run, cfg(*SETTINGS), resume=True, echo=lambda s: None)
    assert json.loads((run / "train_state.json").read_text())["status"] == "finished"


_BLOCKING = """
import sys, time, torch
from pathlib import Path
import codehone.train.lora as lora
real = lora.row_loss
calls = []
def blocking(*a, **k):  # from the 4th step on, each row first runs one ~15 s native op, like a real
    calls.append(1)     # model's backward on 2 cores: Python cannot run a signal handler inside it
    if len(calls) > 3 * 2:
        Path(sys.argv[1], "blocking").touch()
        torch.linalg.matrix_power(torch.rand(1800, 1800), 1 << 14)
    return real(*a, **k)
lora.row_loss = blocking
from codehone.train.config import build_config
lora.train(sys.argv[1], sys.argv[2], sys.argv[1], build_config(sys.argv[3], sys.argv[4:]), echo=lambda s: None)
"""


def test_a_second_ctrl_c_stops_at_once_even_inside_a_long_native_op(tmp_path, data_run, tiny_model_dir):
    """issue 16, defect 9: the second SIGINT stops the run within seconds, though the main thread
    is inside one long torch call, and the run still resumes from the checkpoint it leaves."""
    import shutil

    run = tmp_path / "run"
    shutil.copytree(data_run, run)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", _BLOCKING, str(run), str(tiny_model_dir), str(TINY), "progress=false",
                             "grad_accum=2", *SETTINGS], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(run / "blocking", proc)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    t0 = time.time()
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert time.time() - t0 < 6, "the second Ctrl-C did not stop training at once"
    assert proc.returncode != 0 and b"--resume" in err, err.decode()[-2000:]
    state = json.loads((run / "train_state.json").read_text())
    assert state["status"] == "interrupted" and state["step"] == 3
    assert (run / "checkpoints" / "step-3").exists()
    train(run, str(tiny_model_dir), run, cfg("grad_accum=2", *SETTINGS), resume=True, echo=lambda s: None)
    assert json.loads((run / "train_state.json").read_text())["status"] == "finished"


def test_cli_trains_and_reports(run_dir, tiny_model_dir):
    import typer
    from typer.testing import CliRunner

    from codehone.train.cli import train_command

    app = typer.Typer()
    app.command("train")(train_command)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["train", "--data", str(run_dir), "--base", str(tiny_model_dir), "--config", str(TINY),
                                   "max_steps=3", "bench=false", "-q"])
    assert res.exit_code == 0, res.output
    assert "adapter:" in res.output and len(log(run_dir)) == 3
    res = CliRunner().invoke(app, ["train", "--data", str(run_dir), "--base", str(tiny_model_dir), "lora_rnk=4"])
    assert isinstance(res.exception, TrainError) and "lora_r" in str(res.exception)


def test_bad_input_fails_before_training(tmp_path, run_dir, tiny_model_dir):
    import shutil

    from tests.conftest import build_tiny_tokenizer

    quick = lambda *o, base=tiny_model_dir, data=run_dir: train(data, str(base), tmp_path / "out", cfg(*o), echo=lambda s: None)  # noqa: E731
    with pytest.raises(TrainError, match="longer than .*context of 2048"):
        quick("seq_len=4096")
    if not torch.cuda.is_available():
        with pytest.raises(TrainError, match="qlora=true needs a CUDA GPU"):
            quick("qlora=true")
    with pytest.raises(TrainError, match="no data_card.json"):
        quick(data=tmp_path)
    other = tmp_path / "other-model"
    shutil.copytree(tiny_model_dir, other)
    build_tiny_tokenizer(vocab_size=300).save_pretrained(other)
    with pytest.raises(TrainError, match="another tokenizer"):
        quick(base=other)
    (run_dir / "data" / "valid.jsonl").write_text("")
    with pytest.raises(TrainError, match="valid.jsonl has no examples"):
        quick()
    assert not (tmp_path / "out").exists()  # nothing was written for any of them


def test_resume_may_change_the_runs_length(run_dir, tiny_model_dir, monkeypatch):
    """issue 16, defect 8: --resume accepts a new max_steps (the finished steps keep their rows),
    refuses one below the checkpoint, and records the change in the manifest."""
    import codehone.train.lora as L

    real, calls = L.row_loss, []

    def interrupt_at_step_4(model, *a, **k):
        calls.extend([1] if model.training else [])  # validation runs row_loss too
        if len(calls) > 4 * 2:  # grad_accum=2 rows a step
            raise KeyboardInterrupt
        return real(model, *a, **k)

    settings = ("save_every=3", "eval_every=2", "bench=false", "epochs=2")
    monkeypatch.setattr(L, "row_loss", interrupt_at_step_4)
    with pytest.raises(TrainError, match="interrupted at step 4"):
        train(run_dir, str(tiny_model_dir), run_dir, cfg(*settings), echo=lambda s: None)
    monkeypatch.setattr(L, "row_loss", real)
    with pytest.raises(TrainError, match="max_steps>=4"):
        train(run_dir, str(tiny_model_dir), run_dir, cfg(*settings, "max_steps=3"), resume=True, echo=lambda s: None)
    with pytest.raises(TrainError, match="changed settings.*lr"):
        train(run_dir, str(tiny_model_dir), run_dir, cfg(*settings, "max_steps=6", "lr=0.5"), resume=True,
              echo=lambda s: None)
    summary = train(run_dir, str(tiny_model_dir), run_dir, cfg(*settings, "max_steps=6"), resume=True, echo=lambda s: None)
    assert summary["steps_done"] == 6 and [r["step"] for r in log(run_dir)] == list(range(1, 7))
    manifest = json.loads((run_dir / "manifest.json").read_text())["stages"]["train"]
    assert manifest["inputs"]["resume_changes"] == {"max_steps": [0, 6]}
    assert (run_dir / "adapter" / "adapter_config.json").exists()
