"""benchmarks/run_archive.py: a resumable run's rows survive a trip through the repository."""

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("run_archive", Path(__file__).parents[3] / "benchmarks" / "run_archive.py")
run_archive = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(run_archive)


def test_save_keeps_whole_rows_and_restore_puts_them_back(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "samples.jsonl").write_text('{"a": 1}\n{"a": 2}\n{"a": ', encoding="utf-8")  # caught mid-append
    (run / "manifest.json").write_text("{}", encoding="utf-8")
    assert run_archive.save(run, tmp_path / "archive") == {"samples.jsonl": 2}
    fresh = tmp_path / "fresh"
    assert run_archive.restore(tmp_path / "archive", fresh) == {"samples.jsonl": 2}
    assert (fresh / "samples.jsonl").read_text(encoding="utf-8") == '{"a": 1}\n{"a": 2}\n'
    assert (fresh / "manifest.json").exists()


def test_restore_never_shortens_a_run_that_went_further(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "samples.jsonl").write_text('{"a": 1}\n', encoding="utf-8")
    run_archive.save(run, tmp_path / "archive")
    (run / "samples.jsonl").write_text('{"a": 1}\n{"a": 2}\n{"a": 3}\n', encoding="utf-8")
    assert run_archive.restore(tmp_path / "archive", run) == {}
    assert len((run / "samples.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_a_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="no run directory"):
        run_archive.save(tmp_path / "nope", tmp_path / "archive")
