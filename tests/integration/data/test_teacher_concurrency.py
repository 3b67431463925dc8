"""issue 22: the data stage's teacher ("explain this code" pairs) with several requests in flight
against a real loopback HTTP endpoint: the data set is the same as with one in flight, answers are
kept as they land, and a killed server is a clear error whose rerun asks only what is missing."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from codehone.backends.base import GenerationError
from codehone.data.build import BuildOptions, build_dataset
from codehone.errors import UserError
from codehone.runs import read_jsonl
from tests.support.loopback_teacher import LoopbackTeacher

TEACHER_MAX = 6


def explain(route: str, body: dict) -> str:
    """A different answer per prompt, so rows in the wrong place would show."""
    prompt = body["messages"][0]["content"]
    return f"It scales a value (explanation {hashlib.sha256(prompt.encode()).hexdigest()[:8]})."


@pytest.fixture
def teachers():
    started = []

    def start(**kw) -> LoopbackTeacher:
        started.append(LoopbackTeacher(explain, **kw))
        return started[-1]

    yield start
    for t in started:
        try:
            t.stop()
        except OSError:
            pass


def _build(repo, tokenizer, run, url, concurrency):
    return build_dataset(repo, tokenizer, run, BuildOptions(progress=False, seq_len=1024, teacher=url,
                                                            teacher_max=TEACHER_MAX, teacher_concurrency=concurrency,
                                                            workers=1))


def test_teacher_pairs_with_three_in_flight_match_one_in_flight(planted_repo, tiny_tokenizer, teachers, tmp_path):
    server = teachers(delay=0.2)
    _build(planted_repo, tiny_tokenizer, tmp_path / "c3", server.url, 3)
    assert server.max_in_flight == 3
    asked = server.answered
    assert asked == len(list(read_jsonl(tmp_path / "c3" / "teacher" / "explain.jsonl"))) >= 4

    server.max_in_flight = 0
    _build(planted_repo, tiny_tokenizer, tmp_path / "c1", server.url, 1)
    assert server.max_in_flight == 1 and server.answered == 2 * asked
    for split in ("train", "valid", "test"):  # the same data set, whatever order the answers landed in
        assert (tmp_path / "c3" / "data" / f"{split}.jsonl").read_text() == \
               (tmp_path / "c1" / "data" / f"{split}.jsonl").read_text()
    rows = [json.loads(x) for x in (tmp_path / "c3" / "data" / "train.jsonl").read_text().splitlines()]
    assert sum("(explanation " in str(r.get("messages")) for r in rows) == asked
    card = json.loads((tmp_path / "c3" / "data_card.json").read_text())
    assert "teacher_concurrency" not in json.dumps(card)  # how fast it was asked does not change the data


def test_a_killed_teacher_is_a_clear_error_and_the_rerun_asks_only_whats_missing(planted_repo, tiny_tokenizer,
                                                                                  teachers, tmp_path, monkeypatch):
    from codehone.backends import load_backend
    from codehone.data import teacher

    # One retry, soon: the server is gone for good (the default waits 1+2+4+8+16 s).
    monkeypatch.setattr(teacher, "load_backend", lambda ref: load_backend(ref, retries=1, backoff=0.05))
    server = teachers(delay=0.05, die_after=2)
    run = tmp_path / "run"
    with pytest.raises(GenerationError, match=r"cannot reach .*127\.0\.0\.1.*connection refused"):
        _build(planted_repo, tiny_tokenizer, run, server.url, 2)
    kept = list(read_jsonl(run / "teacher" / "explain.jsonl"))
    assert len(kept) == server.answered >= 2  # every answer that came back is on disk

    again = teachers(port=server.port)  # back on the same address
    _build(planted_repo, tiny_tokenizer, run, again.url, 2)
    cache = list(read_jsonl(run / "teacher" / "explain.jsonl"))
    assert cache[: len(kept)] == kept and again.answered == len(cache) - len(kept) >= 1
    assert len({r["key"] for r in cache}) == len(cache)


def test_concurrency_needs_an_endpoint_and_is_refused_before_anything_loads(tmp_path):
    from codehone.cli import app

    with pytest.raises(UserError, match="needs an HTTP endpoint"):
        BuildOptions(teacher=str(tmp_path / "teacher.gguf"), teacher_concurrency=4).validate()
    BuildOptions(teacher="http://127.0.0.1:9/v1", teacher_concurrency=64).validate()
    with pytest.raises(UserError, match="--concurrency is for --teacher"):
        BuildOptions(teacher_concurrency=8).validate()
    r = CliRunner().invoke(app, ["data", str(tmp_path), "--teacher", str(tmp_path / "t.gguf"), "--concurrency", "4",
                                 "--out", str(tmp_path / "o")])
    assert r.exit_code != 0 and "needs an HTTP endpoint" in str(r.exception) + r.output
