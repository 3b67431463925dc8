"""The data step: source in, ``RUN_DIR/data/*.jsonl`` + ``data_card.json`` out.

    load -> select -> exact dedup -> near dedup -> decontaminate -> redact -> split by file
         -> chunk -> FIM/LM + instruct examples -> count tokens -> write (atomically)

Atomic output: everything is written into ``RUN_DIR/.data.tmp-<pid>/`` and moved into place at
the end; ``data_card.json`` is deleted when a build starts and written last, so its presence is
the mark of a complete set, and a crash or Ctrl-C never leaves files that look finished.

Determinism: files are processed in path order, every random choice comes from a
``random.Random`` seeded with (seed, path), and the card holds no timings, so the same source,
options and seed give byte-identical files. Timings go to the manifest.

Token counts treat the template's special strings as one token each, split out before the
rest is tokenized: that is how the trainer must encode them (by id, as ``FimTemplate.infill_ids``
does), whether or not a given tokenizer happens to match them inside text.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from codehone.data import DataError
from codehone.data.card import Card, to_markdown
from codehone.data.progress import Steps
from codehone.data.select import EXTENSIONS, FILENAMES, SHEBANGS, SelectOptions, path_verdict
from codehone.data.source import load_source

_OVERHEAD_TOKENS = 8  # sentinels and end token around a FIM example
_CALIBRATION_CHARS = 200_000


@dataclass
class BuildOptions:
    languages: tuple[str, ...] | None = None  # None: every detected language
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fim_rate: float = 0.5  # share of chunks that become FIM examples (StarCoder: 0.5)
    spm_rate: float = 0.5  # share of FIM examples in SPM layout
    seq_len: int = 2048  # no example is longer than this many tokens
    split: tuple[float, float, float] = (0.9, 0.05, 0.05)
    seed: int = 0
    revision: str | None = None  # git revision to read instead of the work tree
    max_file_bytes: int = 1 << 20
    benchmarks: tuple[str, ...] = ("humaneval", "mbpp")  # bundled benchmarks to decontaminate against
    benchmark_files: tuple[str, ...] = ()  # more benchmark files (JSONL rows or plain text)
    near_dup_threshold: float = 0.7
    instruct: bool = True
    bench: bool = True  # build data/bench_repo.jsonl from the test files
    teacher: str | None = None  # model reference for "explain this code" pairs
    teacher_max: int = 200  # most explanations to ask the teacher for
    progress: bool = True
    workers: int = 0  # processes for the per-file passes; 0: one per core (up to 8)

    def validate(self) -> None:
        if not 0 <= self.fim_rate <= 1 or not 0 <= self.spm_rate <= 1:
            raise DataError(f"FIM rate and SPM rate must be between 0 and 1, got {self.fim_rate} and {self.spm_rate}")
        if self.seq_len < 64:
            raise DataError(f"sequence length {self.seq_len} is too short to hold any code; use 256 or more")
        if not 0 < self.near_dup_threshold <= 1:
            raise DataError(f"near-duplicate threshold must be in (0, 1], got {self.near_dup_threshold}")
        if self.languages:
            known = set(EXTENSIONS.values()) | set(FILENAMES.values()) | set(SHEBANGS.values())
            unknown = sorted(set(self.languages) - known)
            if unknown:
                raise DataError(f"unknown language(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def _specials(tokenizer, template) -> list[str]:
    """Strings that must be one token each: the template's sentinels and the tokenizer's
    special/added tokens that look like markup (``<|...|>``, ``<fim_prefix>``)."""
    found = set(template.stop_tokens if template else ())
    found.update(getattr(tokenizer, "all_special_tokens", []) or [])
    try:
        found.update(tokenizer.get_added_vocab())
    except AttributeError:
        pass
    return sorted((s for s in found if len(s) >= 3 and s.startswith("<") and s.endswith(">")), key=lambda s: (-len(s), s))


class TokenCounter:
    """Token counts of many texts, special strings counted as one token each (see module doc)."""

    def __init__(self, tokenizer, specials: list[str]):
        self.tokenizer = tokenizer
        self.split = re.compile("|".join(re.escape(s) for s in specials)) if specials else None
        self.backend = getattr(tokenizer, "backend_tokenizer", None)

    def _encode_lengths(self, pieces: list[str]) -> list[int]:
        if not pieces:
            return []
        if self.backend is not None:
            return [len(e) for e in self.backend.encode_batch(pieces, add_special_tokens=False)]
        return [len(ids) for ids in self.tokenizer(pieces, add_special_tokens=False)["input_ids"]]

    def count(self, texts: list[str]) -> list[int]:
        pieces, owner, totals = [], [], [0] * len(texts)
        for i, text in enumerate(texts):
            last = 0
            if self.split is not None:
                for m in self.split.finditer(text):
                    if m.start() > last:
                        pieces.append(text[last : m.start()])
                        owner.append(i)
                    totals[i] += 1
                    last = m.end()
            if last < len(text):
                pieces.append(text[last:])
                owner.append(i)
        for i, n in zip(owner, self._encode_lengths(pieces)):
            totals[i] += n
        return totals


def _chat_text(tokenizer, messages: list[dict]) -> str:
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False)
    if "<|im_start|>" in tokenizer.get_vocab():
        return "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return "\n\n".join(m["content"] for m in messages)


def _fail_empty(card: Card, what: str, source: str) -> None:
    reasons = ", ".join(f"{n} {r}" for r, n in sorted(card.dropped.items(), key=lambda kv: (-kv[1], kv[0])))
    raise DataError(f"no usable files in {source}: all {card.files_seen} files were {what} ({reasons})")


def build_dataset(source: str | os.PathLike, tokenizer, out_dir: str | os.PathLike, options: BuildOptions | None = None) -> dict:
    """Build the training set for ``source`` in ``out_dir`` (a run directory); returns the card."""
    from codehone.backends.fim import detect_fim, require_fim
    from codehone.runs import write_manifest

    opts = options or BuildOptions()
    opts.validate()
    vocab = tokenizer.get_vocab()
    name = getattr(tokenizer, "name_or_path", "") or type(tokenizer).__name__
    if opts.fim_rate > 0:
        try:
            template = require_fim(vocab, name or "the model")
        except ValueError as e:
            raise DataError(f"{e}; or pass --fim-rate 0 for plain next-token data") from None
    else:
        template = detect_fim(vocab)
    run_dir = Path(out_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise DataError(f"output {run_dir} exists and is not a directory")
    specials = _specials(tokenizer, template)
    sopts = SelectOptions(languages=frozenset(opts.languages) if opts.languages else None,
                          include=tuple(opts.include), exclude=tuple(opts.exclude), forbidden=tuple(specials))
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 2)
        clock = now

    # Fails (bad path, bad revision) before anything is written.
    src = load_source(source, opts.revision, opts.max_file_bytes, skip=lambda p: path_verdict(p, sopts))
    lap("read")
    if not src.files:
        raise DataError(f"source {source} has no files")
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "data_card.json").unlink(missing_ok=True)  # the completion mark goes first
    opts_json = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(opts).items()
                 if k not in ("progress", "workers")}
    inputs = {"source": str(source), "tokenizer": name, **opts_json}
    write_manifest(run_dir, "data", inputs)
    card = Card(
        source={"name": src.name, "kind": src.kind, "revision": src.revision},
        tokenizer={"name": name, "fim_template": template.family if template else None,
                   "repo_tokens": bool(template and template.repo_name and template.file_sep)},
        options=opts_json,
        files_seen=len(src.files),
    )
    from codehone.data import pipeline
    from codehone.data.decontaminate import build_decontaminator
    from codehone.data.split import assign_splits

    workers = opts.workers or min(os.cpu_count() or 1, 8)
    with Steps(opts.progress) as steps:
        decon = build_decontaminator(tuple(opts.benchmarks), tuple(opts.benchmark_files)) \
            if (opts.benchmarks or opts.benchmark_files) else None
        # Files already dropped by path or size never travel to a worker.
        card.dropped.update(f.error for f in src.files if f.error)
        items = [(f.path, f.data, None) for f in src.files if not f.error]
        src.files = []  # the texts live on in the scan results only
        scanned = pipeline.run_map(pipeline.scan_file, items, {"select": sopts, "decontaminator": decon},
                                   workers, steps, "select")
        del items
        lap("select")
        kept = [s for s in scanned if s["reason"] is None]
        card.dropped.update(s["reason"] for s in scanned if s["reason"])
        if not kept:
            _fail_empty(card, "filtered out", str(source))
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
        lap("dedup")
        if not kept:
            _fail_empty(card, "filtered out, duplicates or contaminated", str(source))
        splits = assign_splits([s["path"] for s in kept], opts.split, opts.seed)
        for s in kept:
            card.split_files[splits[s["path"]]] += 1
            card.languages[s["language"]] += 1
            card.language_bytes[s["language"]] += len(s["text"].encode("utf-8", "surrogatepass"))
        card.files_kept = len(kept)
        counter = TokenCounter(tokenizer, specials)
        ctx = {"opts": opts, "template": template, "repo": src.name, "tokenizer": tokenizer, "counter": counter,
               "ratio": chars_per_token([s["text"] for s in kept], counter),
               "eos": template.end[0] if template is not None and template.end else getattr(tokenizer, "eos_token", None),
               "keep_text": bool(opts.teacher)}
        items = [(s["path"], s["language"], s["text"], splits[s["path"]]) for s in kept]
        del scanned, kept, unique
        results = pipeline.run_map(pipeline.examples_for_file, items, ctx, workers, steps, "examples")
        lap("examples")
    rows: dict[str, list[dict]] = {"train": [], "valid": [], "test": []}
    bench: list[dict] = []
    for (path, language, _, split), r in zip(items, results):
        rows[split] += r["rows"]
        bench += r["bench"]
        if r["redactions"]:
            card.files_redacted += 1
            card.redactions.update(r["redactions"])
        card.fim_kinds.update(r["fim_kinds"])
        card.examples_over_length += r["over"]
    if opts.teacher:
        from codehone.data.teacher import explain_pairs

        files = [(path, language, r["text"], split) for (path, language, _, split), r in zip(items, results)]
        for split, row in explain_pairs(files, opts, run_dir, counter, tokenizer):
            rows[split].append(row)
    for split, split_rows in rows.items():
        for row in split_rows:
            card.add_example(split, row["kind"], row["tokens"])
    from codehone.data.repo_bench import number_tasks

    bench = number_tasks(bench, src.name)
    card.bench_tasks.update(Counter(t["kind"] for t in bench))
    if not any(rows.values()):
        raise DataError(f"no examples could be made from {source}: the kept files are too short or too long")
    card_json = card.to_json()
    _write(run_dir, rows, bench, card_json)
    lap("write")
    write_manifest(run_dir, "data", inputs, seconds=timings, workers=workers)
    return card_json


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


def _write(run_dir: Path, rows: dict[str, list[dict]], bench: list[dict], card: dict) -> None:
    from codehone.runs import publish_data_dir

    files = {f"{split}.jsonl": _jsonl(rows.get(split, [])) for split in ("train", "valid", "test")}
    publish_data_dir(run_dir, {**files, "bench_repo.jsonl": _jsonl(bench)}, card, to_markdown(card))
