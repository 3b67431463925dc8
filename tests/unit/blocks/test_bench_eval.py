"""`evaluate_blocks` with a stand-in backend: statuses, resume, files, report, comparison table."""

from __future__ import annotations

import json

import pytest

from codehone.backends.base import Completion, Result
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.evaluate import MAX_TOKENS, BlocksEvalError, comparison_table, evaluate_blocks, score


class Canned:
    """Answers each request with the benchmark's reference, or a fixed text."""

    name = "canned"

    def __init__(self, text: str | None = None):
        self.text, self.calls, self.params = text, 0, []
        self.refs = {t["prompt"]: t["reference"] for t in load_benchmark()}

    def generate(self, request, params, on_text=None):
        self.calls += 1
        self.params.append(params)
        prompt = request.messages[-1]["content"]
        text = self.text if self.text is not None else "```\n" + self.refs[prompt] + "```\nHope it helps!"
        return Result([Completion(text, "stop", 7)], prompt_tokens=100, total_seconds=0.01, backend="canned")


def test_references_pass_and_run_resumes(tmp_path):
    backend = Canned()
    ids = ["polygon-00", "ask-00", "keys-00", "impossible-00"]
    s = evaluate_blocks(backend, tmp_path, grammar=False, shots=2, tasks=ids, progress=False)
    assert s["pass_rate"] == 1.0 and s["invalid_rate"] == 0.0 and s["tasks"] == 4 and s["tokens"] == 28
    assert backend.calls == 4 and backend.params[0].grammar is None and backend.params[0].max_tokens == MAX_TOKENS == 160
    assert s["families"]["ask"] == {"tasks": 1, "passed": 1, "invalid": 0, "pass_rate": 1.0}
    for f in ("samples.jsonl", "results.jsonl", "summary.json", "report.md", "report.html", "eval_config.json"):
        assert (tmp_path / f).exists(), f
    assert (tmp_path / "drawings" / "polygon-00.svg").read_text().startswith("<svg")
    html = (tmp_path / "report.html").read_text()
    assert html.count("<svg") >= 3 and "polygon-00" in html
    again = Canned()
    assert evaluate_blocks(again, tmp_path, grammar=False, shots=2, tasks=ids, progress=False) == s
    assert again.calls == 0
    with pytest.raises(BlocksEvalError, match="shots"):
        evaluate_blocks(again, tmp_path, grammar=False, shots=3, tasks=ids, progress=False)


def test_garbage_is_invalid_with_the_parsers_message(tmp_path):
    s = evaluate_blocks(Canned("when_flag_clicked():\n    fly_to_moon(3)\n"), tmp_path, grammar=False, limit=2,
                        progress=False)
    assert s["invalid"] == 2 and s["invalid_rate"] == 1.0
    rows = [json.loads(x) for x in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert "fly_to_moon" in rows[0]["detail"]


def test_score_failed_detail():
    task = next(t for t in load_benchmark() if t["family"] == "polygon")
    row, trace = score(task, "when_flag_clicked():\n    pen_down()\n    move(10)\n")
    assert row["status"] == "failed" and "no closed shape" in row["detail"] and trace["segments"]


def test_comparison_table():
    a = {"label": "base", "pass_rate": 0.5, "invalid_rate": 0.25, "passed": 2, "tasks": 4, "grammar": False,
         "shots": 3, "tokens": 10, "seconds": 1, "families": {"star": {"pass_rate": 0.5}}}
    b = {**a, "label": "tuned <g>", "pass_rate": 1.0, "grammar": True, "families": {"line": {"pass_rate": 1.0}}}
    md = comparison_table([a, b])
    assert md.splitlines()[0] == "| | base | tuned <g> |" and "| pass rate | 50.0% | 100.0% |" in md
    assert "| star | 50.0% | - |" in md
    html = comparison_table([a, b], fmt="html")
    assert "tuned &lt;g&gt;" in html and html.count("<tr>") == 10


def test_an_answer_cut_by_the_token_limit_is_scored_on_its_complete_blocks():
    from codehone.blocks.copilot.bench import load_benchmark
    from codehone.blocks.copilot.evaluate import score

    task = next(t for t in load_benchmark() if t["family"] == "polygon")
    cut = task["reference"] + "    move(1"  # the limit struck mid-line
    row, _ = score(task, cut, "length")
    assert row["truncated"] and row["status"] == "passed", row
    # an open C-block at the cut is closed, as the streaming view shows it
    row, _ = score(task, "when_flag_clicked():\n    repeat(4):\n        move(", "length")
    assert row["status"] == "failed" and row["truncated"]
    # a wrong complete line is still invalid, cut or not
    row, _ = score(task, "when_flag_clicked():\n    jump(3)\n    move(", "length")
    assert row["status"] == "invalid"
    # a finished answer with a partial line is invalid
    row, _ = score(task, cut, "stop")
    assert row["status"] == "invalid" and not row["truncated"]
