"""The run directory: the contract between stages, as code.

Stages hand off through files (litgpt's checkpoint directory is the model): ``codehone data``
writes a data set that ``train`` reads, ``train`` publishes an adapter that ``export`` and
``eval`` read, and so on. ``RunDir`` names every one of those files once, so a stage writes
``run.data_card`` and the next reads ``run.data_card``; and it says when a stage's output is
complete, by the same rule every consumer applied before there was a class for it: each stage
writes one file last, and that file's presence (for training, its status) is the mark.

Paths only: a ``RunDir`` reads nothing when it is made and writes nothing ever; the stages write
(atomically, see ``codehone.runs``). The names are fixed: renaming one would orphan every run
already on disk.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

STAGES = ("data", "train", "export", "eval")
EXPORT_RECORD = "export.json"  # in whatever folder an export writes to (RUN/export by default)
SPLITS = ("train", "valid", "test")


class _At:
    """A named place in the run directory: ``RunDir.data_card`` is ``root / "data_card.json"``."""

    def __init__(self, *parts: str):
        self.parts = parts

    def __get__(self, run: RunDir | None, owner=None) -> Path:
        if run is None:
            return self  # the class attribute itself, for introspection
        return run.root.joinpath(*self.parts)


class RunDir:
    """One run directory and the files the stages keep in it::

        RUN/
          manifest.json            every stage: its inputs, versions and command line (runs.write_manifest)
          data/                    codehone data (or blocks data)
            train.jsonl valid.jsonl test.jsonl
            bench_repo.jsonl       held-out infill tasks from the test files (data/repo_bench.py)
          data_card.json           written last: the data set is complete
          data_card.md
          teacher/                 teacher answers, cached: explain.jsonl (data --teacher),
                                   sequence.jsonl + sequence-data/ (distill, sequence level), the
                                   token-level top-k cache (distill)
          checkpoints/
            step-N/                adapter/, optimizer, scheduler, RNG, state.json (train/checkpoint.py)
            best/                  the adapter with the lowest validation loss so far
          adapter/                 the published PEFT adapter: adapter_config.json + adapter_model.safetensors
          train_log.jsonl          one row per optimizer step
          train_report.md  loss.png  tensorboard/  bench_train.json
          train_state.json         {"status": "running"|"interrupted"|"finished", ...}, written last:
                                   training is complete when its status is "finished"
          export/                  codehone export: adapter.gguf or <name>-f16.gguf + <name>-<quant>.gguf,
                                   Modelfile, verify.json, bench.json,
            export.json            written last: the export is complete
          samples.jsonl            codehone eval --out RUN (or RUN/eval/<label>, see ``eval_run``)
          results.jsonl
          executions.jsonl         --execute: one row per test run of a repo benchmark (eval/repo_exec.py)
          summary.json             written last: the evaluation is complete
          report.md  report.html
          eval/<label>/            an evaluation kept inside a larger run (the demo's): a RunDir of its own
          demo_options.json  demo_summary.json

    A stage need not use every part: a data run holds data/ and the cards, a training run
    adapter/ and its logs (it may share the data run's directory or not), an evaluation its
    samples, results and summary.
    """

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"RunDir({str(self.root)!r})"

    def __fspath__(self) -> str:
        return os.fspath(self.root)

    def __eq__(self, other) -> bool:
        return isinstance(other, RunDir) and other.root == self.root

    def __hash__(self) -> int:
        return hash(self.root)

    # ----- every stage -----------------------------------------------------------------------------
    manifest = _At("manifest.json")
    # ----- data --------------------------------------------------------------------------------------
    data_dir = _At("data")
    bench_repo = _At("data", "bench_repo.jsonl")
    data_card = _At("data_card.json")
    data_card_md = _At("data_card.md")
    teacher_dir = _At("teacher")
    teacher_explain = _At("teacher", "explain.jsonl")  # data --teacher: one answer a prompt hash
    teacher_sequence = _At("teacher", "sequence.jsonl")  # distill, sequence level: checked answers
    # ----- train -------------------------------------------------------------------------------------
    adapter = _At("adapter")
    checkpoints = _At("checkpoints")
    best_checkpoint = _At("checkpoints", "best")
    train_log = _At("train_log.jsonl")
    train_state = _At("train_state.json")
    train_report = _At("train_report.md")
    loss_chart = _At("loss.png")
    tensorboard = _At("tensorboard")
    bench_train = _At("bench_train.json")
    # ----- export ------------------------------------------------------------------------------------
    export_dir = _At("export")
    export_record = _At("export", EXPORT_RECORD)
    # ----- eval: an evaluation's own directory (codehone eval --out) holds these at its root -----------
    samples = _At("samples.jsonl")
    results = _At("results.jsonl")
    summary = _At("summary.json")
    executions = _At("executions.jsonl")  # repo benchmarks scored by the repository's tests (eval/repo_exec.py)
    report_md = _At("report.md")
    report_html = _At("report.html")
    # ----- demo --------------------------------------------------------------------------------------
    demo_options = _At("demo_options.json")
    demo_summary = _At("demo_summary.json")

    def split(self, name: str) -> Path:
        """``data/<name>.jsonl`` for a split (train, valid, test)."""
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; one of {', '.join(SPLITS)}")
        return self.data_dir / f"{name}.jsonl"

    @property
    def sequence_data(self) -> RunDir:
        """``teacher/sequence-data/``: the data set rebuilt from the teacher's answers (a data run of its own)."""
        return RunDir(self.teacher_dir / "sequence-data")

    def step_checkpoint(self, step: int) -> Path:
        return self.checkpoints / f"step-{step}"

    def train_outputs(self) -> tuple[Path, ...]:
        """Everything a training run writes (what ``train --force`` removes); never the data."""
        return (self.adapter, self.checkpoints, self.train_log, self.train_state, self.train_report,
                self.loss_chart, self.tensorboard, self.bench_train)

    def read_train_state(self) -> dict:
        """``train_state.json``, or {} when there is none."""
        return json.loads(self.train_state.read_text()) if self.train_state.exists() else {}

    def eval_run(self, label: str) -> RunDir:
        """``eval/<label>/``: an evaluation kept inside this run, a run directory of its own."""
        if not label or "/" in label or "\\" in label or label in (".", ".."):
            raise ValueError(f"an evaluation label is one folder name, got {label!r}")
        return RunDir(self.root / "eval" / label)

    # ----- completeness ----------------------------------------------------------------------------

    def is_complete(self, stage: str) -> bool:
        """Whether ``stage``'s output here is complete, judged by the file it writes last:

        * data: ``data_card.json`` exists (deleted when a build starts, moved in after the data);
        * train: ``train_state.json`` says ``"status": "finished"`` (written after adapter/ is
          published and the report written);
        * export: ``export/export.json`` exists (written after every file was loaded back);
        * eval: ``summary.json`` exists (written after every result).
        """
        if stage == "data":
            return self.data_card.is_file()
        if stage == "train":
            try:
                return self.read_train_state().get("status") == "finished"
            except (OSError, ValueError):
                return False
        if stage == "export":
            return self.export_record.is_file()
        if stage == "eval":
            return self.summary.is_file()
        raise ValueError(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
