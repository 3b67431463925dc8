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
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from codehone.data import DataError
from codehone.data.card import Card, to_markdown
from codehone.data.progress import Steps
from codehone.data.select import EXTENSIONS, FILENAMES, SHEBANGS
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


@dataclass
class Kept:
    path: str
    language: str
    text: str
    split: str = "train"
    meta: dict = field(default_factory=dict)


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
    src = load_source(source, opts.revision, opts.max_file_bytes)  # fails before anything is written
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "data_card.json").unlink(missing_ok=True)  # the completion mark goes first
    opts_json = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(opts).items() if k != "progress"}
    write_manifest(run_dir, "data", {"source": str(source), "tokenizer": name, **opts_json})
    started = time.perf_counter()
    card = Card(
        source={"name": src.name, "kind": src.kind, "revision": src.revision},
        tokenizer={"name": name, "fim_template": template.family if template else None,
                   "repo_tokens": bool(template and template.repo_name and template.file_sep)},
        options=opts_json,
        files_seen=len(src.files),
    )
    if not src.files:
        raise DataError(f"source {source} has no files")
    from codehone.data import pipeline

    with Steps(opts.progress) as steps:
        kept = pipeline.select(src.files, opts, _specials(tokenizer, template), card, steps)
        if not kept:
            _fail_empty(card, "filtered out", str(source))
        kept = pipeline.deduplicate(kept, opts, card, steps)
        kept = pipeline.decontaminate(kept, opts, card, steps)
        if not kept:
            _fail_empty(card, "filtered out, duplicates or contaminated", str(source))
        pipeline.redact_all(kept, card, steps)
        pipeline.assign(kept, opts, card)
        counter = TokenCounter(tokenizer, _specials(tokenizer, template))
        rows, bench = pipeline.examples(kept, src.name, template, tokenizer, counter, opts, card, steps)
        if opts.teacher:
            from codehone.data.teacher import explain_pairs

            rows += explain_pairs(kept, opts, run_dir, steps)
        pipeline.count_tokens(rows, tokenizer, counter, opts, card, steps)
    if not any(rows.values()):
        raise DataError(f"no examples could be made from {source}: the kept files are too short or too long")
    card_json = card.to_json()
    _write(run_dir, rows, bench, card_json)
    write_manifest(run_dir, "data", {"source": str(source), "tokenizer": name, **opts_json},
                   seconds=round(time.perf_counter() - started, 2), files=card.files_seen)
    return card_json


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows)


def _write(run_dir: Path, rows: dict[str, list[dict]], bench: list[dict], card: dict) -> None:
    tmp = run_dir / f".data.tmp-{os.getpid()}"
    old = run_dir / f".data.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        (tmp / "data").mkdir(parents=True)
        for split in ("train", "valid", "test"):
            (tmp / "data" / f"{split}.jsonl").write_text(_jsonl(rows.get(split, [])), encoding="utf-8")
        (tmp / "data" / "bench_repo.jsonl").write_text(_jsonl(bench), encoding="utf-8")
        (tmp / "data_card.md").write_text(to_markdown(card), encoding="utf-8")
        (tmp / "data_card.json").write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        for f in (tmp / "data").iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        if (run_dir / "data").exists():
            os.replace(run_dir / "data", old)
        os.replace(tmp / "data", run_dir / "data")
        os.replace(tmp / "data_card.md", run_dir / "data_card.md")
        os.replace(tmp / "data_card.json", run_dir / "data_card.json")  # last: the set is complete
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
