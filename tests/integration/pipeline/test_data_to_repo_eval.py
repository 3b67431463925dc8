"""data -> eval --bench repo:RUN_DIR on the tiny GGUF, through the real CLI."""

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path


def cli(*args):
    return subprocess.run([sys.executable, "-m", "codehone", *args], capture_output=True, text=True, timeout=600)


def test_held_out_repo_benchmark_is_scored_and_resumes(tmp_path, tiny_gguf):
    src = tmp_path / "src"
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for pkg in ("json", "email"):
        shutil.copytree(stdlib / pkg, src / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    run = tmp_path / "run"
    r = cli("data", str(src), "--model", str(tiny_gguf), "--out", str(run), "--split", "0.6,0.1,0.3", "-q")
    assert r.returncode == 0, r.stderr
    n_tasks = sum(1 for _ in open(run / "data" / "bench_repo.jsonl"))
    assert n_tasks > 0
    out = tmp_path / "eval"
    r = cli("eval", "--bench", f"repo:{run}", "--model", str(tiny_gguf), "--out", str(out), "--limit", "5", "--max-tokens", "8")
    assert r.returncode == 0, r.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["tasks"] == min(5, n_tasks)
    assert 0.0 <= summary["exact_match"] <= 1.0 and 0.0 <= summary["edit_similarity"] <= 1.0
    rows = (out / "samples.jsonl").read_text().splitlines()
    assert len(rows) == summary["tasks"]
    # A rerun generates nothing new.
    r = cli("eval", "--bench", f"repo:{run}", "--model", str(tiny_gguf), "--out", str(out), "--limit", "5")
    assert r.returncode == 0 and (out / "samples.jsonl").read_text().splitlines() == rows

    # The report reads repo runs (issue 16: it used to show "Evaluation: ?" and empty cells), and a
    # tuned run's record names the adapter beside the model.
    assert summary["model"] and "adapter" in summary
    results = [json.loads(x) for x in (out / "results.jsonl").read_text().splitlines()]
    assert len(results) == summary["tasks"] and all("edit_similarity" in x for x in results)
    r = cli("report", str(out), str(out), "--out", str(tmp_path / "cmp"))
    assert r.returncode == 0, r.stderr
    md = (tmp_path / "cmp" / "report.md").read_text()
    assert f"Evaluation: repo:{run}" in md and "exact match" in md and "edit similarity" in md
    assert f"{100 * summary['exact_match']:.1f}" in md and results[0]["task_id"] in md


def test_repo_bench_without_a_data_run_is_a_clear_error(tmp_path, tiny_gguf):
    r = cli("eval", "--bench", f"repo:{tmp_path}", "--model", str(tiny_gguf), "--out", str(tmp_path / "e"))
    assert r.returncode == 1 and "run `codehone data" in r.stderr and "Traceback" not in r.stderr
