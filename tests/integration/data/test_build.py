"""End to end: the planted repository through build_dataset, and the run directory it leaves."""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pytest

from codehone.data import DataError
from codehone.data.build import BuildOptions, build_dataset
from planted import DUPLICATE_GROUP, PLANTED_DROPS, SECRETS

OPTS = dict(progress=False, seq_len=512)


def _rows(run: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (run / "data" / f"{split}.jsonl").read_text().splitlines()]


def _all_rows(run: Path) -> list[dict]:
    return [r for s in ("train", "valid", "test") for r in _rows(run, s)]


@pytest.fixture(scope="module")
def built(planted_repo, tiny_tokenizer, tmp_path_factory):
    run = tmp_path_factory.mktemp("run")
    card = build_dataset(planted_repo, tiny_tokenizer, run, BuildOptions(**OPTS))
    return run, card


def test_run_directory_contract(built):
    run, card = built
    for name in ("data/train.jsonl", "data/valid.jsonl", "data/test.jsonl", "data/bench_repo.jsonl",
                 "data_card.json", "data_card.md", "manifest.json"):
        assert (run / name).is_file(), name
    assert json.loads((run / "data_card.json").read_text()) == card
    assert not [p for p in run.iterdir() if p.name.startswith(".data")]  # no temp leftovers
    for row in _all_rows(run):
        assert row["kind"] in ("fim", "lm", "instruct")
        assert set(row) == {"kind", "text" if row["kind"] != "instruct" else "messages", "path", "language", "tokens"}
        assert 0 < row["tokens"] <= 512
    kinds = {r["kind"] for r in _all_rows(run)}
    assert kinds == {"fim", "lm", "instruct"}
    totals = {s: sum(card["examples"][s].values()) for s in ("train", "valid", "test")}
    assert totals == {s: len(_rows(run, s)) for s in ("train", "valid", "test")}


def test_planted_drops_and_duplicates(built):
    run, card = built
    paths = {r["path"] for r in _all_rows(run)}
    for path, reason in PLANTED_DROPS.items():
        assert path not in paths, f"{path} should be dropped as {reason}"
        assert card["files"]["dropped_by_reason"].get(reason, 0) >= 1, reason
    assert len(paths & set(DUPLICATE_GROUP)) == 1  # exactly one copy of the cluster survives
    assert card["files"]["dropped_by_reason"]["exact_duplicate"] == 1
    assert card["files"]["dropped_by_reason"]["near_duplicate"] == 1
    assert card["files"]["contaminated_by_benchmark"] == {"humaneval": 1, "mbpp": 1}
    assert "acme/orders.py" in paths and "scripts/deploy" in paths  # ordinary code survives
    assert card["files"]["seen"] == card["files"]["kept"] + card["files"]["dropped"]


def test_no_planted_secret_in_any_output(built):
    run, card = built
    blob = "".join(p.read_text(encoding="utf-8", errors="replace") for p in run.rglob("*") if p.is_file())
    leaked = [kind for kind, value in SECRETS.items() if value in blob]
    assert not leaked
    settings = [r for r in _all_rows(run) if r["path"] == "acme/settings.py"]
    assert settings, "the settings file is kept, with placeholders"
    text = "".join(r.get("text", "") for r in settings)
    for placeholder in ("<KEY>", "<PASSWORD>", "<EMAIL>", "<IP_ADDRESS>"):
        assert placeholder in text
    assert len(card["redactions"]["by_kind"]) >= 10
    assert "1.2.3.4" in blob  # a version string is not an IP address


def test_fim_uses_model_template_with_repo_context(built):
    run, _ = built
    fims = [r["text"] for r in _all_rows(run) if r["kind"] == "fim"]
    assert fims
    for text in fims:
        assert text.startswith("<|repo_name|>acme-service\n<|file_sep|>")
        assert text.count("<|fim_prefix|>") == text.count("<|fim_suffix|>") == text.count("<|fim_middle|>") == 1
        assert text.endswith("<|endoftext|>")
    instructs = [r for r in _all_rows(run) if r["kind"] == "instruct"]
    assert instructs and all(m["role"] in ("user", "assistant") for r in instructs for m in r["messages"])


def test_split_by_file_and_bench(built):
    run, card = built
    by_split = {s: {r["path"] for r in _rows(run, s)} for s in ("train", "valid", "test")}
    assert not (by_split["train"] & by_split["test"]) and not (by_split["train"] & by_split["valid"])
    bench = [json.loads(line) for line in (run / "data" / "bench_repo.jsonl").read_text().splitlines()]
    assert bench
    for task in bench:
        assert task["path"] in by_split["test"]
        assert set(task) == {"task_id", "language", "path", "prefix", "suffix", "middle", "kind", "repo"}
        assert task["kind"] in ("single_line", "block", "random_span")
        assert task["language"] not in ("markdown", "yaml", "toml", "json") and task["prefix"] and task["suffix"]
    note = card["bench_repo"]
    assert note["tasks"] == len(bench) and note["target"] == 120 and note["eligible_files"] >= 1


def test_deterministic(planted_repo, tiny_tokenizer, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build_dataset(planted_repo, tiny_tokenizer, a, BuildOptions(**OPTS, seed=3))
    build_dataset(planted_repo, tiny_tokenizer, b, BuildOptions(**OPTS, seed=3))
    names = ["data/train.jsonl", "data/valid.jsonl", "data/test.jsonl", "data/bench_repo.jsonl",
             "data_card.json", "data_card.md"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    c = tmp_path / "c"
    build_dataset(planted_repo, tiny_tokenizer, c, BuildOptions(**OPTS, seed=4))
    assert (a / "data/train.jsonl").read_bytes() != (c / "data/train.jsonl").read_bytes()


def test_git_revision_and_archive_sources(planted_repo, tiny_tokenizer, tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["cp", "-r", str(planted_repo), str(repo)], check=True)
    git = ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / ".gitignore").write_text("acme/reports.py\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    (repo / "acme" / "late.py").write_text("def late_addition(x):\n    return x * 41 + 1\n")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "two"], check=True)
    now = build_dataset(repo, tiny_tokenizer, tmp_path / "now", BuildOptions(**OPTS))
    then = build_dataset(repo, tiny_tokenizer, tmp_path / "then", BuildOptions(**OPTS, revision="HEAD~1"))
    assert now["source"]["kind"] == "git" and then["source"]["revision"] == "HEAD~1"
    paths_now = {r["path"] for r in _all_rows(tmp_path / "now")}
    paths_then = {r["path"] for r in _all_rows(tmp_path / "then")}
    assert "acme/late.py" in paths_now and "acme/late.py" not in paths_then
    assert "acme/reports.py" not in paths_now  # .gitignore respected
    with pytest.raises(DataError, match="not a commit"):
        build_dataset(repo, tiny_tokenizer, tmp_path / "bad", BuildOptions(**OPTS, revision="nope"))
    archive = tmp_path / "acme-service.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(planted_repo, arcname="acme-service-abc123")
    from_tar = build_dataset(archive, tiny_tokenizer, tmp_path / "tar", BuildOptions(**OPTS))
    assert from_tar["files"]["kept"] > 5
    assert "acme/orders.py" in {r["path"] for r in _all_rows(tmp_path / "tar")}  # top folder stripped


def test_worker_processes_give_the_same_bytes(planted_repo, tiny_tokenizer, tmp_path, monkeypatch):
    from codehone.data import pipeline

    build_dataset(planted_repo, tiny_tokenizer, tmp_path / "one", BuildOptions(**OPTS, workers=1))
    monkeypatch.setattr(pipeline, "_INLINE_BELOW", 0)  # force the process pool on a small repo
    build_dataset(planted_repo, tiny_tokenizer, tmp_path / "two", BuildOptions(**OPTS, workers=2))
    for name in ("data/train.jsonl", "data/test.jsonl", "data/bench_repo.jsonl", "data_card.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
