"""issue 16, defect 2, end to end on the tiny model: train with no seq_len trains at the length the
data was built for, and an explicit shorter one that would drop many rows is refused before
anything is written (it used to drop them with one log line)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from codehone.train import TrainError
from codehone.train.config import build_config
from codehone.train.lora import train

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "configs" / "tiny" / "lora.yaml"


def test_unset_seq_len_follows_the_data_card(run_dir, tiny_model_dir):
    card = json.loads((run_dir / "data_card.json").read_text())
    assert card["options"]["seq_len"] == 256  # the length the data was built for (conftest)
    config = dataclasses.replace(build_config(TINY, ["progress=false", "max_steps=1", "bench=false"]), seq_len=0)
    lines: list[str] = []
    train(run_dir, str(tiny_model_dir), run_dir, config, echo=lines.append)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["stages"]["train"]["inputs"]["config"]["seq_len"] == 256
    data_line = next(line for line in lines if "rows of" in line)  # after the thread policy's line
    assert "rows of <= 256 tokens" in data_line and "dropped" not in data_line


def test_shorter_seq_len_that_drops_many_rows_is_refused(tmp_path, run_dir, tiny_model_dir):
    # Most FIM rows of this data are ~195 tokens: at 128 they cannot be trained on.
    with pytest.raises(TrainError) as e:
        train(run_dir, str(tiny_model_dir), tmp_path / "out", build_config(TINY, ["progress=false", "seq_len=128"]),
              echo=lambda s: None)
    msg = str(e.value)
    assert "training rows" in msg and "longer than seq_len=128" in msg
    assert "--seq-len 128" in msg and "seq_len=256" in msg
    assert not (tmp_path / "out").exists()
