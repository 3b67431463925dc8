"""`codehone blocks data` end to end with the tiny model's tokenizer, then `codehone train` on it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app

ROOT = Path(__file__).resolve().parents[3]


def test_blocks_data_is_accepted_by_the_trainer(tmp_path, tiny_model_dir):
    from codehone.models import load_tokenizer
    from codehone.train.config import build_config
    from codehone.train.dataset import Encoder, read_card, read_split
    from codehone.train.lora import train

    run = tmp_path / "blocks-data"
    res = CliRunner().invoke(blocks_app, ["data", "--out", str(run), "--model", str(tiny_model_dir),
                                          "--examples", "24", "--turns", "4", "--valid", "0.2"])
    assert res.exit_code == 0, res.output
    assert "round trip 24/24" in res.output
    card = read_card(run)
    assert card["round_trip"] == {"passed": 24, "total": 24}
    tok = load_tokenizer(str(tiny_model_dir))
    rows = read_split(run, "train", ["instruct"])
    # 20 request pairs in 5 rows, 4 skill pairs (15%) in a fix, a change and a teach row; 2 of 8 rows held out
    assert len(rows) == 6 and len(read_split(run, "valid", ["instruct"])) == 2
    assert {r["path"] for r in rows + read_split(run, "valid", ["instruct"])} == {"blocks/synth", "blocks/fix",
                                                                                   "blocks/edit", "blocks/tutor"}
    Encoder(tok).check_tokenizer(card, rows, "tiny")
    # and the training stage itself takes the directory unchanged
    cfg = build_config(ROOT / "configs" / "tiny" / "lora.yaml", ["progress=false", "max_steps=2", "bench=false",
                                                                 "kinds=instruct", "seq_len=2048"])
    out = tmp_path / "train"
    train(run, str(tiny_model_dir), out, cfg, echo=lambda s: None)
    assert json.loads((out / "train_state.json").read_text())["status"] == "finished"
    assert (out / "adapter" / "adapter_config.json").exists()
