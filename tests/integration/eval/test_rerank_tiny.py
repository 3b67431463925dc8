"""`codehone eval --rerank codet,logprob,cluster` end to end on the tiny GGUF, through the real CLI.
The tiny model writes nonsense: the run must still complete, report every reranker, and resume
without generating anything again."""

import json
import subprocess
import sys


def cli(*args):
    return subprocess.run([sys.executable, "-m", "codehone", *args], capture_output=True, text=True, timeout=600)


def test_rerank_end_to_end_and_resume(tmp_path, tiny_gguf):
    out = tmp_path / "eval"
    args = ["eval", "--bench", "humaneval", "--model", str(tiny_gguf), "--out", str(out), "--n", "3",
            "--temperature", "0.8", "--rerank", "codet,logprob,cluster", "--limit", "2", "--max-tokens", "24",
            "--test-samples", "2", "--k", "1,3", "--workers", "2"]
    r = cli(*args)
    assert r.returncode == 0, r.stderr + r.stdout
    s = json.loads((out / "summary.json").read_text())
    assert s["tasks"] == 2 and s["samples"] == 6 and "pass@3" in s
    assert set(s["rerank"]) == {"codet", "logprob", "cluster"}
    for block in s["rerank"].values():
        assert 0.0 <= block["pass@1"] <= 1.0 and block["tasks"] == 2
    samples = (out / "samples.jsonl").read_text().splitlines()
    assert all(isinstance(json.loads(x)["mean_logprob"], float) for x in samples)
    tests = (out / "tests.jsonl").read_text().splitlines()
    assert len(tests) == 4 and all(json.loads(x)["text"].startswith("```python\n# test cases for ") for x in tests)
    picks = json.loads((out / "rerank.json").read_text())
    assert set(picks["codet"]) == {"HumanEval/0", "HumanEval/1"}
    assert "rerank codet: top-1 pass@1" in r.stdout and "codet top-1" in (out / "report.md").read_text()

    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert (out / "samples.jsonl").read_text().splitlines() == samples
    assert (out / "tests.jsonl").read_text().splitlines() == tests
    assert json.loads((out / "summary.json").read_text())["rerank"] == s["rerank"]


def test_rerank_with_one_sample_fails_before_loading_the_model(tmp_path, tiny_gguf):
    r = cli("eval", "--bench", "humaneval", "--model", str(tiny_gguf), "--out", str(tmp_path / "e"),
            "--rerank", "codet")
    assert r.returncode != 0 and "--n is 1" in r.stderr and not (tmp_path / "e").exists()
