"""issue 16, defect 6: training whose output is not a terminal shows its progress while it runs
(plain ``[train] N/M`` lines), not a bar that appears at exit."""

from __future__ import annotations

import io
from pathlib import Path

from codehone.train.config import build_config

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "configs" / "tiny" / "lora.yaml"


def test_training_prints_progress_lines_as_it_goes(run_dir, tiny_model_dir, monkeypatch):
    import codehone.train.lora as L

    log = io.StringIO()  # not a terminal, as under nohup or in CI
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setenv("CODEHONE_PROGRESS_SECONDS", "0")
    seen_before_step: list[str] = []
    real = L._one_step

    def step(run, lock=None):
        seen_before_step.append(log.getvalue())
        return real(run, lock)

    monkeypatch.setattr(L, "_one_step", step)
    L.train(run_dir, str(tiny_model_dir), run_dir, build_config(TINY, ["max_steps=3", "bench=false", "eval_every=2"]),
            echo=lambda s: None)
    # Before step 3 ran, the lines of steps 1 and 2 were already out, with the run's figures.
    assert "[train] 1/3 steps" in seen_before_step[2] and "[train] 2/3 steps" in seen_before_step[2]
    lines = [x for x in log.getvalue().splitlines() if x.startswith("[train]")]
    assert all("loss " in x and "tok/s" in x and "lr " in x for x in lines)
    assert "val " in lines[1] and lines[-1].startswith("[train] 3/3 steps  100%")
    assert str(run_dir) not in log.getvalue() and "ledger" not in log.getvalue()
