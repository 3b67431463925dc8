"""issue 16, defect 6: the blocks evaluation shows progress in a log (output not a terminal) while
it generates, in counts only: no model path, request or program."""

from __future__ import annotations

import io

from codehone.backends.base import Completion, Result
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.evaluate import evaluate_blocks


class Recording:
    name = "/private/models/tuned.gguf"  # a model reference can be a path: it must not reach the log

    def __init__(self, log: io.StringIO):
        self.log, self.seen = log, []
        self.refs = {t["prompt"]: t["reference"] for t in load_benchmark()}

    def generate(self, request, params, on_text=None):
        self.seen.append(self.log.getvalue())
        text = "```\n" + self.refs[request.messages[-1]["content"]] + "```"
        return Result([Completion(text, "stop", 7)], prompt_tokens=100, total_seconds=0.01, backend="recording")


def test_blocks_eval_prints_lines_while_generating(tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setenv("CODEHONE_PROGRESS_SECONDS", "0")
    backend = Recording(log)
    ids = ["polygon-00", "ask-00", "keys-00"]
    s = evaluate_blocks(backend, tmp_path, grammar=False, shots=2, tasks=ids, label="tuned")
    assert s["passed"] == 3
    assert "[blocks eval] 1/3 tasks" in backend.seen[1] and "[blocks eval] 2/3 tasks" in backend.seen[2]
    out = log.getvalue()
    assert "[blocks eval] 3/3 tasks  100%" in out
    assert "/private" not in out and "tuned" not in out
    assert all(t["prompt"] not in out for t in load_benchmark(ids))
    log.truncate(0), log.seek(0)
    evaluate_blocks(Recording(log), tmp_path, grammar=False, shots=2, tasks=ids, label="tuned")
    assert log.getvalue() == ""  # nothing left to generate: no bar
