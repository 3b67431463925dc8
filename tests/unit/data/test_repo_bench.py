"""The held-out repo benchmark: task making (bench_tasks.py), stopping and trimming fills and the
prompt (repo_bench.py), progress and run-directory names (eval/repo.py). Issue 16, defects 3-4."""

from __future__ import annotations

import io
import json
import textwrap

import pytest

from codehone.backends.base import Completion, Request, Result, SamplingParams
from codehone.core.fim import detect_fim
from codehone.data.bench_tasks import (KINDS, MIN_SIDE_LINES, file_candidates, number_tasks, select_tasks,
                                       skip_reason)
from codehone.data.repo_bench import predict, request_for, score, suffix_stop, trim_to_suffix

MODULE = textwrap.dedent('''\
    """Inventory helpers."""

    import os
    from typing import Iterable


    def restock(count, minimum=3):
        """Bring a shelf back to at least minimum units."""
        missing = minimum - count
        if missing > 0:
            total = count + missing
            return total
        return count


    def report(shelves: Iterable[int]) -> str:
        lines = []
        for i, shelf in enumerate(shelves):
            status = "low" if shelf < 3 else "ok"
            lines.append(f"{i}: {shelf} {status}")
        header = os.environ.get("HEADER", "shelves")
        return header + "\\n" + "\\n".join(lines)


    class Shelf:
        def __init__(self, size):
            self.size = size
            self.items = []

        def add(self, item):
            if len(self.items) >= self.size:
                raise ValueError("shelf full")
            self.items.append(item)
    ''')
QWEN_VOCAB = ["<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|endoftext|>", "<|repo_name|>", "<|file_sep|>"]


class Scripted:
    """A backend that answers each prompt with a fixed text, applying stop strings as backends do,
    and records what it was asked."""

    name = "scripted"

    def __init__(self, answer, fim=None):
        self.answer, self.fim, self.requests, self.params = answer, fim, [], []

    def generate(self, request: Request, params: SamplingParams, on_text=None) -> Result:
        self.requests.append(request)
        self.params.append(params)
        text = self.answer(request) if callable(self.answer) else self.answer
        cuts = [text.find(s) for s in params.stop if s and s in text]
        text = text[: min(cuts)] if cuts else text
        return Result([Completion(text, "stop", 3)], prompt_tokens=10)


# ----- task making ----------------------------------------------------------------------------------


def test_tasks_are_code_cut_at_syntax_with_context_each_side():
    c = file_candidates("inv/shelf.py", "python", MODULE, seed=0, per_kind=50)
    assert c["skip"] is None and set(c["tasks"]) == set(KINDS) and all(c["tasks"].values())
    assert c == file_candidates("inv/shelf.py", "python", MODULE, seed=0, per_kind=50)  # deterministic
    for kind, tasks in c["tasks"].items():
        for t in tasks:
            assert t["prefix"] + t["middle"] + t["suffix"] in MODULE
            assert len([x for x in t["prefix"].split("\n")[:-1] if x.strip()]) >= MIN_SIDE_LINES
            assert len([x for x in t["suffix"].split("\n")[1:] if x.strip()]) >= MIN_SIDE_LINES
            assert not t["middle"].lstrip().startswith(("import", "from ", '"""', "#"))
    singles = {t["middle"] for t in c["tasks"]["single_line"]}
    assert "    missing = minimum - count\n" in singles  # a whole simple statement
    assert all(m.endswith("\n") and m.count("\n") == 1 for m in singles)
    blocks = {t["middle"] for t in c["tasks"]["block"]}
    assert "    if missing > 0:\n        total = count + missing\n        return total\n" in blocks
    assert all(b.count("\n") >= 2 for b in blocks)
    spans = [t["middle"] for t in c["tasks"]["random_span"]]
    assert "minimum - count" in spans or any(not s.endswith("\n") for s in spans)


def test_prose_config_and_reexports_give_no_tasks():
    assert skip_reason("markdown", MODULE.split("\n")) == "not code"
    assert skip_reason("yaml", ["a: 1"] * 40) == "not code"
    reexport = ["from attr.filters import exclude, include\n", "\n", "__all__ = ['exclude', 'include']\n"]
    assert skip_reason("python", reexport) == "too small or imports only"
    assert file_candidates("pkg/__init__.py", "python", "".join(reexport), 0, 10)["tasks"] == {}


def test_files_without_a_grammar_fall_back_to_lines():
    ruby = "".join(f"def m{i}(x)\n  y = x * {i} + offset\n  log(y, 'step {i}')\nend\n\n" for i in range(8))
    c = file_candidates("lib/a.rb", "ruby", ruby, seed=1, per_kind=20)
    assert c["skip"] is None and c["tasks"]["single_line"] and c["tasks"]["block"] and c["tasks"]["random_span"]
    for t in (t for ts in c["tasks"].values() for t in ts):
        assert t["prefix"] + t["middle"] + t["suffix"] in ruby


def test_selection_spreads_over_files_and_kinds_and_says_why_not_more():
    files = [(f"f{i}.py", file_candidates(f"f{i}.py", "python", MODULE, seed=0, per_kind=50)) for i in range(3)]
    files += [("README.md", file_candidates("README.md", "markdown", "# hi\n", 0, 5)), ("train.py", None)]
    tasks, note = select_tasks(files, target=30, per_file=60)
    assert len(tasks) == 30 and note["eligible_files"] == 3 and note["test_files"] == 4
    assert note["skipped_files"] == {"not code": 1} and "why_not_more" not in note
    assert {t["path"] for t in tasks} == {"f0.py", "f1.py", "f2.py"}
    per_kind = {k: sum(t["kind"] == k for t in tasks) for k in KINDS}
    assert min(per_kind.values()) >= 8  # stratified: 10 of each
    few, note = select_tasks(files[:1], target=120, per_file=5)
    assert len(few) == 5 and note["why_not_more"].startswith("only 1 eligible code files")
    rows = number_tasks(tasks, "inventory")
    assert rows[0]["task_id"] == "inventory/0" and rows[0]["repo"] == "inventory"


# ----- stopping and trimming fills (defect 3) -------------------------------------------------------


def _row(middle, kind="block", **kw):
    prefix, suffix = "def f():\n    a = 1\n    b = 2\n    c = 3\n", "    return total\n\n\ndef g():\n    pass\n"
    return {"task_id": "r/0", "kind": kind, "prefix": kw.get("prefix", prefix), "suffix": kw.get("suffix", suffix),
            "middle": middle, "path": "m.py", "language": "python"}


def test_block_fill_running_into_the_suffix_is_trimmed():
    """The exact middle followed by the suffix scored EM 0 before: nothing stopped or cut it."""
    row = _row("    total = a + b + c\n")
    text = row["middle"] + row["suffix"]
    assert trim_to_suffix(text, row["suffix"], whole=True) == row["middle"]
    backend = Scripted(text)
    backend.answer = lambda _: text  # a backend that ignores stop strings
    backend.generate = lambda req, params, on_text=None: Result([Completion(text, "length", 128)], 10)
    preds = predict(backend, [row], SamplingParams(max_tokens=128))
    assert score([row], preds)["block"]["exact_match"] == 1.0


def test_block_fill_gets_a_stop_on_the_suffix():
    row = _row("    total = a + b + c\n")
    backend = Scripted(row["middle"] + row["suffix"])
    preds = predict(backend, [row], SamplingParams(max_tokens=128))
    assert "\n    return total" in backend.params[0].stop
    assert score([row], preds)["all"]["exact_match"] == 1.0


def test_mid_line_span_trims_the_rest_of_the_line():
    prefix = "def f(xs):\n    a = 1\n    b = 2\n    c = 3\n    return sum(x * "
    suffix = "2 for x in xs)\n\n\ndef g():\n    return None\n    # end\n"
    row = _row("a + b", kind="random_span", prefix=prefix, suffix="a" + suffix[1:])
    row["suffix"] = ") + c\n    d = 4\n    e = 5\n    f = 6\n"
    assert suffix_stop(row["suffix"], whole=False) == ") + c\n    d = 4\n    e = 5"
    assert trim_to_suffix("a + b) + c\n    d = 4\n    e = 5\n    junk", row["suffix"], whole=False) == "a + b"
    assert trim_to_suffix("a + b", row["suffix"], whole=False) == "a + b"  # nothing to cut


def test_generic_suffix_lines_are_no_anchor():
    suffix = "}\n}\n"
    assert suffix_stop(suffix, whole=True) is None
    assert trim_to_suffix("  x++;\n}\n", suffix, whole=True) == "  x++;\n}\n"


def test_single_line_stops_at_the_newline():
    row = _row("    total = a + b + c\n", kind="single_line")
    backend = Scripted("    total = a + b + c\n    return total\n")
    preds = predict(backend, [row], SamplingParams(max_tokens=128))
    assert "\n" in backend.params[0].stop and preds["r/0"] == "    total = a + b + c"


# ----- the prompt matches training ------------------------------------------------------------------


def test_prompt_has_the_repository_header_the_model_was_trained_with():
    fim = detect_fim(QWEN_VOCAB)
    row = dict(_row("x\n"), repo="inventory", path="inv/shelf.py")
    req = request_for(row, fim)
    assert req.mode == "complete"
    assert req.prompt == ("<|repo_name|>inventory\n<|file_sep|>inv/shelf.py\n<|fim_prefix|>" + row["prefix"]
                          + "<|fim_suffix|>" + row["suffix"] + "<|fim_middle|>")
    backend = Scripted("x\n", fim=fim)
    predict(backend, [row], SamplingParams(max_tokens=8))
    assert "<|fim_prefix|>" in backend.params[0].stop  # a raw completion also ends on a sentinel
    assert request_for(dict(row, prefix="<|fim_middle|>" + row["prefix"]), fim).mode == "infill"
    assert request_for(_row("x\n"), fim).mode == "infill"  # old rows name no repository
    assert request_for(row, None).mode == "infill"


# ----- eval/repo.py ---------------------------------------------------------------------------------


def test_eval_repo_reports_progress_and_uses_run_dir_names(tmp_path, monkeypatch):
    from codehone.core.rundir import RunDir
    from codehone.eval import repo

    run = RunDir(tmp_path / "run")
    run.data_dir.mkdir(parents=True)
    rows = [dict(_row("    total = a + b + c\n"), task_id=f"r/{i}") for i in range(3)]
    run.bench_repo.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(Exception, match="no finished data set"):
        repo.bench_rows(f"repo:{run.root}")
    run.data_card.write_text("{}")
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    out = RunDir(tmp_path / "eval")
    summary = repo.eval_repo(Scripted(rows[0]["middle"] + rows[0]["suffix"]), f"repo:{run.root}", out.root)
    assert summary["exact_match"] == 1.0 and summary["scores"]["block"]["n"] == 3
    assert out.samples.exists() and out.results.exists() and out.summary.exists()
    assert "[repo eval] 3/3 tasks" in stream.getvalue() and "em 1.00" in stream.getvalue()
