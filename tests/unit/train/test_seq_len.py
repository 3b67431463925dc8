"""issue 16, defect 2: one default length for data and train, train following the data's card,
and no silent drop of more than a tenth of the rows."""

from __future__ import annotations

import pytest

from codehone.data.build import BuildOptions
from codehone.data.limits import DEFAULT_SEQ_LEN, built_seq_len
from codehone.train import TrainError
from codehone.train.config import TrainConfig, build_config
from codehone.train.dataset import MAX_DROPPED, check_dropped


def test_data_and_train_share_one_default():
    import inspect

    from codehone.data.cli import data_command

    assert BuildOptions().seq_len == DEFAULT_SEQ_LEN
    assert inspect.signature(data_command).parameters["seq_len"].default == DEFAULT_SEQ_LEN
    # Unset in train (0) means the data's own length: the card's, or the shared default.
    assert TrainConfig().seq_len == 0 and build_config().seq_len == 0
    assert TrainConfig().for_data({"options": {"seq_len": 1024}}).seq_len == 1024
    assert TrainConfig().for_data({}).seq_len == DEFAULT_SEQ_LEN
    assert TrainConfig(seq_len=512).for_data({"options": {"seq_len": 1024}}).seq_len == 512
    assert built_seq_len({"options": {"seq_len": "x"}}) is None
    with pytest.raises(TrainError, match="seq_len must be >= 16"):
        build_config(None, ["seq_len=8"])


def stats(rows: int, dropped: int) -> dict:
    return {"rows": rows, "dropped_too_long": dropped, "longest_dropped": 900}


def test_more_than_a_tenth_dropped_is_refused_with_both_fixes():
    card = {"options": {"seq_len": 2048}}
    with pytest.raises(TrainError) as e:
        check_dropped(stats(88, 67), 512, card)
    msg = str(e.value)
    assert "67 of 88 training rows (76%)" in msg and "seq_len=512" in msg
    assert "--seq-len 512" in msg and "seq_len=2048" in msg  # rebuild the data, or train at its length
    # No card length: the longest dropped row says what would fit.
    with pytest.raises(TrainError, match="seq_len=900"):
        check_dropped(stats(88, 67), 512, {})


def test_a_few_dropped_rows_are_said_and_none_is_silent():
    n = 100
    assert check_dropped(stats(n, 0), 512, {}) is None
    line = check_dropped(stats(n, int(n * MAX_DROPPED)), 512, {})
    assert line is not None and "10 of 100 training rows (10.0%)" in line and "dropped" in line
    with pytest.raises(TrainError):
        check_dropped(stats(n, int(n * MAX_DROPPED) + 1), 512, {})


def test_resume_help_says_the_length_may_change():
    import typer
    from typer.testing import CliRunner

    from codehone.train.cli import train_command

    app = typer.Typer()
    app.command("train")(train_command)
    app.command("noop")(lambda: None)
    res = CliRunner().invoke(app, ["train", "--help"], env={"COLUMNS": "200", "TERM": "dumb"})
    text = " ".join(res.output.split())
    assert "max_steps= and epochs= may be changed" in text
