"""The data step: source in, ``RUN_DIR/data/*.jsonl`` + ``data_card.json`` out.

    load -> select -> exact dedup -> near dedup -> decontaminate -> redact -> split by file
         -> chunk -> FIM/LM + instruct examples -> count tokens -> write (atomically)

Atomic output: everything is written into ``RUN_DIR/.data.tmp-<pid>/`` and moved into place at
the end; ``data_card.json`` is deleted when a build starts and written last, so its presence is
the mark of a complete set, and a crash or Ctrl-C never leaves files that look finished.

Determinism: files are processed in path order, every random choice comes from a
``random.Random`` seeded with (seed, path), and the card holds no timings, so the same source,
options and seed give byte-identical files. Timings go to the manifest.

Token counts treat the template's special strings as one token each (``core/chat.py``).

``build_dataset`` runs the phases in order: the template and options, ``_select_files`` (pass 1
and the dedup decisions), ``_assign_splits``, pass 2 (``pipeline.examples_for_file``),
``_collect`` (rows by split, teacher pairs, the benchmark tasks), ``_write``.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass

from codehone.core.concurrent import refuse_before_loading
from codehone.core.fim import detect_fim, require_fim
from codehone.core.chat import TokenCounter, special_strings
from codehone.core.rundir import RunDir
import codehone.data.pipeline as pipeline
from codehone.data.card import Card, to_markdown
from codehone.data.decontaminate import build_decontaminator
from codehone.data.errors import DataError
from codehone.data.limits import DEFAULT_SEQ_LEN
from codehone.data.progress import Steps
from codehone.data.bench_tasks import NOT_CODE, number_tasks, per_kind_budget, select_tasks
from codehone.data.select import EXTENSIONS, FILENAMES, SHEBANGS, SelectOptions, path_verdict
from codehone.data.source import Source, load_source
from codehone.data.split import assign_splits
from codehone.data.teacher import explain_pairs
from codehone.runs import publish_data_dir, write_manifest

_CALIBRATION_CHARS = 200_000


@dataclass
class BuildOptions:
    languages: tuple[str, ...] | None = None  # None: every detected language
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fim_rate: float = 0.5  # share of chunks that become FIM examples (StarCoder: 0.5)
    spm_rate: float = 0.5  # share of FIM examples in SPM layout
    seq_len: int = DEFAULT_SEQ_LEN  # no example is longer than this many tokens; the card records it for train
    split: tuple[float, float, float] = (0.9, 0.05, 0.05)
    seed: int = 0
    revision: str | None = None  # git revision to read instead of the work tree
    max_file_bytes: int = 1 << 20
    benchmarks: tuple[str, ...] = ("humaneval", "mbpp")  # bundled benchmarks to decontaminate against
    benchmark_files: tuple[str, ...] = ()  # more benchmark files (JSONL rows or plain text)
    near_dup_threshold: float = 0.7
    instruct: bool = True
    bench: bool = True  # build data/bench_repo.jsonl from the test files
    bench_target: int = 120  # benchmark tasks to aim for (data/bench_tasks.py)
    bench_per_file: int = 60  # most tasks from one test file
    teacher: str | None = None  # model reference for "explain this code" pairs
    teacher_max: int = 200  # most explanations to ask the teacher for
    teacher_concurrency: int | None = None  # teacher requests in flight (core.concurrent); None: 1 in process, 8 over HTTP
    progress: bool = True
    workers: int = 0  # processes for the per-file passes; 0: one per core (up to 8)

    def validate(self) -> None:
        if not 0 <= self.fim_rate <= 1 or not 0 <= self.spm_rate <= 1:
            raise DataError(f"FIM rate and SPM rate must be between 0 and 1, got {self.fim_rate} and {self.spm_rate}")
        if self.bench_target < 1 or self.bench_per_file < 1:
            raise DataError(f"benchmark target and per-file cap must be at least 1, got {self.bench_target} and {self.bench_per_file}")
        if self.seq_len < 64:
            raise DataError(f"sequence length {self.seq_len} is too short to hold any code; use 256 or more")
        if not 0 < self.near_dup_threshold <= 1:
            raise DataError(f"near-duplicate threshold must be in (0, 1], got {self.near_dup_threshold}")
        if self.teacher_concurrency is not None:
            if not self.teacher:
                raise DataError("--concurrency is for --teacher (the requests to the teacher); give --teacher REF")
            refuse_before_loading(self.teacher, self.teacher_concurrency)
        if self.languages:
            known = set(EXTENSIONS.values()) | set(FILENAMES.values()) | set(SHEBANGS.values())
            unknown = sorted(set(self.languages) - known)
            if unknown:
                raise DataError(f"unknown language(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")

    def to_json(self) -> dict:
        """The options that decide the output (for the card and the manifest): not progress, workers or
        the teacher's concurrency."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()
                if k not in ("progress", "workers", "teacher_concurrency")}


class _Laps:
    """Seconds per phase of the build, for the manifest (never the card: it must not vary)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._clock = time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = round(now - self._clock, 2)
        self._clock = now


def _fail_empty(card: Card, what: str, source: str) -> None:
    reasons = ", ".join(f"{n} {r}" for r, n in sorted(card.dropped.items(), key=lambda kv: (-kv[1], kv[0])))
    raise DataError(f"no usable files in {source}: all {card.files_seen} files were {what} ({reasons})")


def _template(tokenizer, opts: BuildOptions, name: str):
    """The model's FIM template: required when FIM examples are asked for, else whatever is found."""
    vocab = tokenizer.get_vocab()
    if opts.fim_rate <= 0:
        return detect_fim(vocab)
    try:
        return require_fim(vocab, name or "the model")
    except ValueError as e:
        raise DataError(f"{e}; or pass --fim-rate 0 for plain next-token data") from None


def build_dataset(source: str | os.PathLike, tokenizer, out_dir: str | os.PathLike, options: BuildOptions | None = None) -> dict:
    """Build the training set for ``source`` in ``out_dir`` (a run directory); returns the card."""
    opts = options or BuildOptions()
    opts.validate()
    name = getattr(tokenizer, "name_or_path", "") or type(tokenizer).__name__
    template = _template(tokenizer, opts, name)
    run = RunDir(out_dir)
    if run.root.exists() and not run.root.is_dir():
        raise DataError(f"output {run.root} exists and is not a directory")
    specials = special_strings(tokenizer, template)
    sopts = SelectOptions(languages=frozenset(opts.languages) if opts.languages else None,
                          include=tuple(opts.include), exclude=tuple(opts.exclude), forbidden=tuple(specials))
    laps = _Laps()
    # Fails (bad path, bad revision) before anything is written.
    src = load_source(source, opts.revision, opts.max_file_bytes, skip=lambda p: path_verdict(p, sopts))
    laps("read")
    if not src.files:
        raise DataError(f"source {source} has no files")
    run.root.mkdir(parents=True, exist_ok=True)
    run.data_card.unlink(missing_ok=True)  # the completion mark goes first
    inputs = {"source": str(source), "tokenizer": name, **opts.to_json()}
    write_manifest(run.root, "data", inputs)
    card = Card(
        source={"name": src.name, "kind": src.kind, "revision": src.revision},
        tokenizer={"name": name, "fim_template": template.family if template else None,
                   "repo_tokens": bool(template and template.repo_name and template.file_sep)},
        options=opts.to_json(),
        files_seen=len(src.files),
    )
    workers = opts.workers or min(os.cpu_count() or 1, 8)
    counter = TokenCounter(tokenizer, specials)
    with Steps(opts.progress) as steps:
        kept = _select_files(src, card, opts, sopts, workers, steps, laps, str(source))
        items = _assign_splits(kept, card, opts)
        ctx = {"opts": opts, "template": template, "repo": src.name, "tokenizer": tokenizer, "counter": counter,
               "ratio": chars_per_token([s["text"] for s in kept], counter),
               "eos": template.end[0] if template is not None and template.end else getattr(tokenizer, "eos_token", None),
               "keep_text": bool(opts.teacher),
               "bench_per_kind": per_kind_budget(sum(1 for i in items if i[3] == "test" and i[1] not in NOT_CODE),
                                                 opts.bench_target, opts.bench_per_file)}
        del kept
        results = pipeline.run_map(pipeline.examples_for_file, items, ctx, workers, steps, "examples")
        laps("examples")
    rows, bench = _collect(items, results, card, opts, run, counter, tokenizer, src.name)
    if not any(rows.values()):
        raise DataError(f"no examples could be made from {source}: the kept files are too short or too long")
    card_json = card.to_json()
    _write(run, rows, bench, card_json)
    laps("write")
    write_manifest(run.root, "data", inputs, seconds=laps.seconds, workers=workers)
    return card_json


def _select_files(src: Source, card: Card, opts: BuildOptions, sopts: SelectOptions, workers: int,
                  steps: Steps, laps: _Laps, source: str) -> list[dict]:
    """Pass 1 (select, fingerprint, benchmark match) over every file, then the global decisions:
    exact duplicates, near duplicates, contamination. Each dropped file is counted once, under
    its first reason. Returns the scan results of the kept files, in path order."""
    decon = build_decontaminator(tuple(opts.benchmarks), tuple(opts.benchmark_files)) \
        if (opts.benchmarks or opts.benchmark_files) else None
    # Files already dropped by path or size never travel to a worker.
    card.dropped.update(f.error for f in src.files if f.error)
    items = [(f.path, f.data, None) for f in src.files if not f.error]
    src.files = []  # the texts live on in the scan results only
    scanned = pipeline.run_map(pipeline.scan_file, items, {"select": sopts, "decontaminator": decon},
                               workers, steps, "select")
    del items
    laps("select")
    kept = [s for s in scanned if s["reason"] is None]
    card.dropped.update(s["reason"] for s in scanned if s["reason"])
    if not kept:
        _fail_empty(card, "filtered out", source)
    # Exact, then near duplicates, then contamination: each file counted once, first reason.
    seen_hash: set[str] = set()
    unique = []
    for s in kept:
        if s["hash"] in seen_hash:
            card.dropped["exact_duplicate"] += 1
        else:
            seen_hash.add(s["hash"])
            unique.append(s)
    near, card.near_duplicate_clusters = pipeline.near_duplicates(unique, opts.near_dup_threshold)
    card.dropped["near_duplicate"] += len(near)
    kept = []
    for s in unique:
        if s["path"] in near:
            continue
        if s["contaminated"]:
            card.dropped["contaminated"] += 1
            card.contaminated[s["contaminated"]] += 1
            continue
        kept.append(s)
    laps("dedup")
    if not kept:
        _fail_empty(card, "filtered out, duplicates or contaminated", source)
    return kept


def _assign_splits(kept: list[dict], card: Card, opts: BuildOptions) -> list[tuple[str, str, str, str]]:
    """Each kept file's split (by file, seeded); the card counts them. Returns the items of pass 2:
    (path, language, text, split)."""
    splits = assign_splits([s["path"] for s in kept], opts.split, opts.seed)
    for s in kept:
        card.split_files[splits[s["path"]]] += 1
        card.languages[s["language"]] += 1
        card.language_bytes[s["language"]] += len(s["text"].encode("utf-8", "surrogatepass"))
    card.files_kept = len(kept)
    return [(s["path"], s["language"], s["text"], splits[s["path"]]) for s in kept]


def _collect(items: list[tuple], results: list[dict], card: Card, opts: BuildOptions, run: RunDir,
             counter: TokenCounter, tokenizer, repo: str) -> tuple[dict[str, list[dict]], list[dict]]:
    """Pass 2's results gathered by split (plus the teacher's pairs), counted on the card; and the
    numbered repository benchmark tasks."""
    rows: dict[str, list[dict]] = {"train": [], "valid": [], "test": []}
    bench_files: list[tuple[str, dict | None]] = []
    for (path, _, _, split), r in zip(items, results):
        rows[split] += r["rows"]
        bench_files.append((path, r["bench"]))
        if r["redactions"]:
            card.files_redacted += 1
            card.redactions.update(r["redactions"])
        card.fim_kinds.update(r["fim_kinds"])
        card.examples_over_length += r["over"]
    if opts.teacher:
        files = [(path, language, r["text"], split) for (path, language, _, split), r in zip(items, results)]
        for split, row in explain_pairs(files, opts, run.root, counter, tokenizer):
            rows[split].append(row)
    for split, split_rows in rows.items():
        for row in split_rows:
            card.add_example(split, row["kind"], row["tokens"])
    bench, card.bench_note = select_tasks(bench_files, opts.bench_target, opts.bench_per_file) if opts.bench else ([], {})
    bench = number_tasks(bench, repo)
    card.bench_tasks.update(Counter(t["kind"] for t in bench))
    return rows, bench


def chars_per_token(texts: list[str], counter: TokenCounter) -> float:
    """Characters per token on a sample of the kept code, to size chunks without tokenizing
    every file twice (tokenizing is the most expensive step of the build)."""
    sample, size = [], 0
    per_file = max(2000, _CALIBRATION_CHARS // max(1, len(texts)))
    for text in texts:
        sample.append(text[:per_file])
        size += len(sample[-1])
        if size >= _CALIBRATION_CHARS:
            break
    return max(1.0, size / max(1, sum(counter.count(sample))))


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)


def _write(run: RunDir, rows: dict[str, list[dict]], bench: list[dict], card: dict) -> None:
    files = {run.split(split).name: _jsonl(rows.get(split, [])) for split in ("train", "valid", "test")}
    publish_data_dir(run.root, {**files, run.bench_repo.name: _jsonl(bench)}, card, to_markdown(card))
