"""Bad input: one clear line, and nothing left behind that looks like a finished data set."""

from __future__ import annotations

import pytest

from codehone.data import DataError
from codehone.data.build import BuildOptions, build_dataset

OPTS = dict(progress=False, seq_len=512)


def test_missing_source(tiny_tokenizer, tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        build_dataset(tmp_path / "nope", tiny_tokenizer, tmp_path / "run", BuildOptions(**OPTS))
    assert not (tmp_path / "run").exists()


def test_empty_repository(tiny_tokenizer, tmp_path):
    (tmp_path / "src").mkdir()
    with pytest.raises(DataError, match="has no files"):
        build_dataset(tmp_path / "src", tiny_tokenizer, tmp_path / "run", BuildOptions(**OPTS))
    assert not (tmp_path / "run" / "data_card.json").exists()


def test_everything_filtered_names_the_filters(tiny_tokenizer, tmp_path):
    src = tmp_path / "src"
    (src / "vendor").mkdir(parents=True)
    (src / "vendor" / "lib.py").write_text("def f():\n    return 1\n" * 5)
    (src / "logo.png").write_bytes(b"\x89PNG\x00\x00binary")
    (src / "yarn.lock").write_text("# lock\n")
    with pytest.raises(DataError) as err:
        build_dataset(src, tiny_tokenizer, tmp_path / "run", BuildOptions(**OPTS))
    msg = str(err.value)
    assert "\n" not in msg
    assert "1 vendored" in msg and "1 binary" in msg and "1 lock_file" in msg
    assert not (tmp_path / "run" / "data_card.json").exists()


def test_model_without_fim(no_fim_tokenizer, planted_repo, tmp_path):
    with pytest.raises(DataError, match="fill-in-the-middle"):
        build_dataset(planted_repo, no_fim_tokenizer, tmp_path / "run", BuildOptions(**OPTS))
    card = build_dataset(planted_repo, no_fim_tokenizer, tmp_path / "run", BuildOptions(**OPTS, fim_rate=0))
    assert card["examples"]["train"].get("fim", 0) == 0 and card["examples"]["train"]["lm"] > 0


def test_unreadable_file_is_counted_not_fatal(tiny_tokenizer, planted_repo, tmp_path, monkeypatch):
    from codehone.data import source

    real = source._read_path

    def flaky(full, rel, max_bytes):
        if rel == "acme/billing.py":
            return source.SourceFile(rel, 0, error="unreadable")
        return real(full, rel, max_bytes)

    monkeypatch.setattr(source, "_read_path", flaky)
    card = build_dataset(planted_repo, tiny_tokenizer, tmp_path / "run", BuildOptions(**OPTS))
    assert card["files"]["dropped_by_reason"]["unreadable"] == 1


def test_crash_leaves_no_complete_looking_set(tiny_tokenizer, planted_repo, tmp_path, monkeypatch):
    run = tmp_path / "run"
    build_dataset(planted_repo, tiny_tokenizer, run, BuildOptions(**OPTS))
    assert (run / "data_card.json").exists()
    from codehone.data import pipeline

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "examples_for_file", boom)
    with pytest.raises(KeyboardInterrupt):
        build_dataset(planted_repo, tiny_tokenizer, run, BuildOptions(**OPTS, seed=9))
    assert not (run / "data_card.json").exists()  # the old mark is gone: the set is not complete
    assert not [p for p in run.iterdir() if p.name.startswith(".data")]


def test_bad_options(tiny_tokenizer, planted_repo, tmp_path):
    for bad in (dict(fim_rate=1.5), dict(seq_len=10), dict(languages=("klingon",))):
        with pytest.raises(DataError):
            build_dataset(planted_repo, tiny_tokenizer, tmp_path / "run", BuildOptions(**{**OPTS, **bad}))


def test_cli_function(tiny_tokenizer, planted_repo, tmp_path, monkeypatch):
    import codehone.data.cli as cli

    monkeypatch.setattr(cli, "_load_tokenizer", lambda ref: tiny_tokenizer)
    cli.data_command(str(planted_repo), model="tiny", out=tmp_path / "run", languages=["python"], include=None,
                     exclude=None, fim_rate=0.5, seq_len=512, split="80,10,10", seed=1, revision=None,
                     benchmark=None, teacher=None, quiet=True)
    import json

    card = json.loads((tmp_path / "run" / "data_card.json").read_text())
    assert set(card["files"]["by_language"]) == {"python"}
    with pytest.raises(DataError, match="split"):
        cli.data_command(str(planted_repo), model="tiny", out=tmp_path / "r2", split="1,2", quiet=True)
    with pytest.raises(DataError, match="per-file cap"):
        cli.data_command(str(planted_repo), model="tiny", out=tmp_path / "r3", bench_tasks=10, bench_per_file=0, quiet=True)


def test_cli_bench_flags(tiny_tokenizer, planted_repo, tmp_path, monkeypatch):
    """--bench-tasks caps the held-out benchmark, and 0 builds none."""
    import codehone.data.cli as cli
    from codehone.core.rundir import RunDir

    monkeypatch.setattr(cli, "_load_tokenizer", lambda ref: tiny_tokenizer)
    common = dict(model="tiny", split="50,10,40", seed=1, quiet=True)
    cli.data_command(str(planted_repo), out=tmp_path / "all", **common)
    cli.data_command(str(planted_repo), out=tmp_path / "two", bench_tasks=2, **common)
    cli.data_command(str(planted_repo), out=tmp_path / "none", bench_tasks=0, **common)
    count = {name: sum(1 for line in RunDir(tmp_path / name).bench_repo.read_text().splitlines() if line.strip())
             if RunDir(tmp_path / name).bench_repo.exists() else 0 for name in ("all", "two", "none")}
    assert count["all"] > 2 and count["two"] == 2 and count["none"] == 0, count
