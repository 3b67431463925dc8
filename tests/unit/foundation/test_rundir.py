"""RunDir: the run directory's names (fixed: existing runs depend on them) and when a stage is complete."""

import json

import pytest

from codehone.core.rundir import STAGES, RunDir


def test_names_are_the_files_stages_have_always_written(tmp_path):
    run = RunDir(tmp_path)
    rel = lambda p: p.relative_to(tmp_path).as_posix()  # noqa: E731
    assert rel(run.manifest) == "manifest.json"
    assert [rel(run.split(s)) for s in ("train", "valid", "test")] == ["data/train.jsonl", "data/valid.jsonl", "data/test.jsonl"]
    assert rel(run.bench_repo) == "data/bench_repo.jsonl"
    assert (rel(run.data_card), rel(run.data_card_md)) == ("data_card.json", "data_card.md")
    assert rel(run.teacher_explain) == "teacher/explain.jsonl"
    assert rel(run.adapter) == "adapter"
    assert rel(run.best_checkpoint) == "checkpoints/best"
    assert rel(run.step_checkpoint(12)) == "checkpoints/step-12"
    assert (rel(run.train_log), rel(run.train_state), rel(run.train_report)) == \
        ("train_log.jsonl", "train_state.json", "train_report.md")
    assert [rel(p) for p in run.train_outputs()] == ["adapter", "checkpoints", "train_log.jsonl", "train_state.json",
                                                     "train_report.md", "loss.png", "tensorboard", "bench_train.json"]
    assert (rel(run.export_dir), rel(run.export_record)) == ("export", "export/export.json")
    assert (rel(run.samples), rel(run.results), rel(run.summary)) == ("samples.jsonl", "results.jsonl", "summary.json")
    assert rel(run.eval_run("base-grammar").summary) == "eval/base-grammar/summary.json"
    assert (rel(run.demo_options), rel(run.demo_summary)) == ("demo_options.json", "demo_summary.json")


def test_a_run_dir_is_a_path_like_value(tmp_path):
    run = RunDir(str(tmp_path))
    assert run.root == tmp_path and run == RunDir(tmp_path) and len({run, RunDir(tmp_path)}) == 1
    assert (tmp_path / "x").parent == type(tmp_path)(run)  # os.fspath
    assert not any(tmp_path.iterdir())  # naming paths writes nothing


def test_bad_names_are_refused(tmp_path):
    run = RunDir(tmp_path)
    with pytest.raises(ValueError, match="unknown split"):
        run.split("dev")
    for label in ("", "a/b", "..", "."):
        with pytest.raises(ValueError, match="one folder name"):
            run.eval_run(label)
    with pytest.raises(ValueError, match="unknown stage"):
        run.is_complete("serve")


def test_nothing_is_complete_in_an_empty_directory(tmp_path):
    run = RunDir(tmp_path / "missing")
    assert [run.is_complete(s) for s in STAGES] == [False] * 4


def test_data_is_complete_once_its_card_exists(tmp_path):
    run = RunDir(tmp_path)
    run.data_dir.mkdir()
    run.split("train").write_text("{}\n")
    assert not run.is_complete("data")  # data files without the card: a build that stopped
    run.data_card.write_text("{}")
    assert run.is_complete("data")


@pytest.mark.parametrize("status,done", [("running", False), ("interrupted", False), ("finished", True)])
def test_train_is_complete_when_its_state_says_finished(tmp_path, status, done):
    run = RunDir(tmp_path)
    run.adapter.mkdir()  # a published adapter alone is not the mark; the state written after it is
    assert not run.is_complete("train")
    run.train_state.write_text(json.dumps({"status": status, "step": 3, "total_steps": 3}))
    assert run.is_complete("train") is done
    assert run.read_train_state()["status"] == status


def test_a_torn_train_state_is_not_complete(tmp_path):
    run = RunDir(tmp_path)
    run.train_state.write_text('{"status": "fini')
    assert not run.is_complete("train")


def test_export_and_eval_are_complete_once_their_last_file_exists(tmp_path):
    run = RunDir(tmp_path)
    run.export_dir.mkdir()
    (run.export_dir / "adapter.gguf").write_bytes(b"GGUF")
    assert not run.is_complete("export")
    run.export_record.write_text("{}")
    assert run.is_complete("export")
    ev = run.eval_run("base")
    ev.root.mkdir(parents=True)
    ev.samples.write_text("")
    assert not ev.is_complete("eval")
    ev.summary.write_text("{}")
    assert ev.is_complete("eval") and not run.is_complete("eval")
