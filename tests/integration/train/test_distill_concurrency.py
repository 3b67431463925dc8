"""issue 22: sequence-level distillation with several teacher requests in flight against a real
loopback HTTP endpoint (chat for instruct rows, llama.cpp's /infill for FIM rows): the rewritten
data set is the one a single request at a time gives, and a rerun asks nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codehone.errors import UserError
from codehone.runs import read_jsonl
from codehone.train import TrainError
from codehone.train.distill.config import build_configs
from codehone.train.distill.run import distill
from tests.support.loopback_teacher import LoopbackTeacher

ROOT = Path(__file__).resolve().parents[3]
TINY = ROOT / "configs" / "tiny" / "lora.yaml"


def answer(route: str, body: dict) -> str:
    if route == "infill":  # a middle that depends on the prefix, so a misplaced answer shows
        return f"    return value  # {len(body['input_prefix'])}\n"
    return f"```python\ndef answer(x):\n    return x * {len(json.dumps(body['messages'])) % 7}\n```"


@pytest.fixture
def teacher():
    t = LoopbackTeacher(answer, delay=0.03)
    yield t
    t.stop()


def _cfgs(*more):
    return build_configs(TINY, ["progress=false", "bench=false", "max_steps=1", "mode=sequence", *more])


def test_sequence_teacher_in_flight_gives_the_data_one_at_a_time_gives(run_dir, tmp_path, tiny_model_dir, teacher):
    import shutil

    other = tmp_path / "one"
    shutil.copytree(run_dir, other)
    cfg, dcfg = _cfgs()
    s4 = distill(run_dir, teacher.url, str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None, concurrency=4)
    assert teacher.max_in_flight == 4
    asked = teacher.answered
    assert asked == s4["distill"]["asked"] == len(list(read_jsonl(run_dir / "teacher" / "sequence.jsonl"))) > 8
    teacher.max_in_flight = 0
    distill(other, teacher.url, str(tiny_model_dir), other, cfg, dcfg, echo=lambda s: None, concurrency=1)
    assert teacher.max_in_flight == 1 and teacher.answered == 2 * asked
    seq = Path("teacher") / "sequence-data" / "data" / "train.jsonl"
    assert (run_dir / seq).read_text() == (other / seq).read_text()  # rows in the data's order either way
    assert any(r.get("teacher") for r in read_jsonl(run_dir / seq))

    again = distill(run_dir, teacher.url, str(tiny_model_dir), run_dir, cfg, dcfg, force=True, echo=lambda s: None,
                    concurrency=4)
    assert teacher.answered == 2 * asked and again["distill"]["cached"] == asked  # the rerun asked nothing


def test_concurrency_is_for_sequence_mode_and_an_endpoint(run_dir, tiny_model_dir):
    from typer.testing import CliRunner

    from codehone.cli import app

    cfg, dcfg = build_configs(TINY, ["max_steps=1"])
    with pytest.raises(TrainError, match="--concurrency is for --mode sequence"):
        distill(run_dir, str(tiny_model_dir), str(tiny_model_dir), run_dir, cfg, dcfg, concurrency=4)
    r = CliRunner().invoke(app, ["distill", "--teacher", str(tiny_model_dir), "--student", str(tiny_model_dir),
                                 "--data", str(run_dir), "--mode", "sequence", "--concurrency", "4"])
    assert isinstance(r.exception, UserError) and "needs an HTTP endpoint" in str(r.exception)


def test_a_teacher_without_infill_says_how_to_go_on_and_the_rerun_keeps_its_answers(run_dir, tiny_model_dir):
    """A vLLM server has no /infill: the FIM rows stop the run with the fix (kinds=instruct), and the
    chat answers that came back are kept for the rerun."""
    from codehone.backends.base import GenerationError

    train = run_dir / "data" / "train.jsonl"
    asks = [json.dumps({"kind": "instruct", "language": "python", "path": "ledger/answer.py", "messages": [
        {"role": "user", "content": f"Write answer(x) returning {n} for 3."},
        {"role": "assistant", "content": f"```python\ndef answer(x):\n    return {n}\n```"}]}) for n in range(3)]
    train.write_text("\n".join(asks) + "\n" + train.read_text())  # asked first, before the FIM rows
    valid = run_dir / "data" / "valid.jsonl"
    valid.write_text(valid.read_text() + asks[0] + "\n")  # kinds=instruct validates on instruct rows
    chat_only = LoopbackTeacher(answer, routes=("chat", "completions"))
    try:
        cfg, dcfg = _cfgs()
        with pytest.raises(GenerationError, match=r"/infill answered 404: this server has no llama.cpp /infill.*"
                                                  r"kinds=instruct"):
            distill(run_dir, chat_only.url, str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None,
                    concurrency=1)
        kept = chat_only.answered
        assert kept == 3 == len(list(read_jsonl(run_dir / "teacher" / "sequence.jsonl")))
        cfg, dcfg = _cfgs("kinds=instruct")
        s = distill(run_dir, chat_only.url, str(tiny_model_dir), run_dir, cfg, dcfg, echo=lambda s: None,
                    concurrency=4)
        assert s["distill"]["cached"] == kept and "asked" not in s["distill"]  # nothing asked again
        assert chat_only.answered == kept
    finally:
        chat_only.stop()
