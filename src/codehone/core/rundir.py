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
SPLITS = ("train", "valid", "test")


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

    # ----- every stage ---------------------------------------------------------------------------

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    # ----- data ------------------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def split(self, name: str) -> Path:
        """``data/<name>.jsonl`` for a split (train, valid, test)."""
        if name not in SPLITS:
            raise ValueError(f"unknown split {name!r}; one of {', '.join(SPLITS)}")
        return self.data_dir / f"{name}.jsonl"

    @property
    def bench_repo(self) -> Path:
        return self.data_dir / "bench_repo.jsonl"

    @property
    def data_card(self) -> Path:
        return self.root / "data_card.json"

    @property
    def data_card_md(self) -> Path:
        return self.root / "data_card.md"

    @property
    def teacher_dir(self) -> Path:
        return self.root / "teacher"

    @property
    def teacher_explain(self) -> Path:
        """The ``data --teacher`` answers, one JSON row per prompt hash."""
        return self.teacher_dir / "explain.jsonl"

    # ----- train -----------------------------------------------------------------------------------

    @property
    def adapter(self) -> Path:
        return self.root / "adapter"

    @property
    def checkpoints(self) -> Path:
        return self.root / "checkpoints"

    @property
    def best_checkpoint(self) -> Path:
        return self.checkpoints / "best"

    def step_checkpoint(self, step: int) -> Path:
        return self.checkpoints / f"step-{step}"

    @property
    def train_log(self) -> Path:
        return self.root / "train_log.jsonl"

    @property
    def train_state(self) -> Path:
        return self.root / "train_state.json"

    @property
    def train_report(self) -> Path:
        return self.root / "train_report.md"

    @property
    def loss_chart(self) -> Path:
        return self.root / "loss.png"

    @property
    def tensorboard(self) -> Path:
        return self.root / "tensorboard"

    @property
    def bench_train(self) -> Path:
        return self.root / "bench_train.json"

    def train_outputs(self) -> tuple[Path, ...]:
        """Everything a training run writes (what ``train --force`` removes); never the data."""
        return (self.adapter, self.checkpoints, self.train_log, self.train_state, self.train_report,
                self.loss_chart, self.tensorboard, self.bench_train)

    def read_train_state(self) -> dict:
        """``train_state.json``, or {} when there is none."""
        return json.loads(self.train_state.read_text()) if self.train_state.exists() else {}

    # ----- export ----------------------------------------------------------------------------------

    @property
    def export_dir(self) -> Path:
        return self.root / "export"

    @property
    def export_record(self) -> Path:
        """``export/export.json``: what was exported, written last."""
        return self.export_dir / "export.json"

    # ----- eval ------------------------------------------------------------------------------------
    # An evaluation's own directory (``codehone eval --out``) holds these at its root.

    @property
    def samples(self) -> Path:
        return self.root / "samples.jsonl"

    @property
    def results(self) -> Path:
        return self.root / "results.jsonl"

    @property
    def summary(self) -> Path:
        return self.root / "summary.json"

    @property
    def report_md(self) -> Path:
        return self.root / "report.md"

    @property
    def report_html(self) -> Path:
        return self.root / "report.html"

    def eval_run(self, label: str) -> RunDir:
        """``eval/<label>/``: an evaluation kept inside this run, a run directory of its own."""
        if not label or "/" in label or "\\" in label or label in (".", ".."):
            raise ValueError(f"an evaluation label is one folder name, got {label!r}")
        return RunDir(self.root / "eval" / label)

    # ----- demo ------------------------------------------------------------------------------------

    @property
    def demo_options(self) -> Path:
        return self.root / "demo_options.json"

    @property
    def demo_summary(self) -> Path:
        return self.root / "demo_summary.json"

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
