"""The stages of the data step over in-memory files, run per file in worker processes.

Two passes over the files, each embarrassingly parallel, with the global decisions between:

    per file (workers):  select -> shingle hashes + MinHash -> benchmark match
    main:                exact dedup, near-dup clusters (LSH), contamination, split
    per file (workers):  redact -> chunk -> FIM/LM/instruct examples -> token counts

Tokenizing is most of the cost (Qwen2.5's pre-tokenizer runs ~1 MB/s a core), and the HF
tokenizer does not parallelise across our many small batches, so the parallelism is ours: a
process pool (fork where available; the context dict, tokenizer included, is handed to each
worker once by the pool initializer). Results come back in input order and every random choice
is seeded by (seed, path), so the output does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from codehone.core.chat import chat_text
from codehone.data.chunk import analyse, chunk_lines
from codehone.data.dedup import cluster_signatures, minhash, normalised_hash, shingle_hashes
from codehone.data.fim import file_context, make_example
from codehone.data.instruct import instruction_pairs
from codehone.data.progress import Steps
from codehone.data.redact import redact
from codehone.data.bench_tasks import file_candidates
from codehone.data.select import select_file

OVERHEAD_TOKENS = 8  # sentinels and end token around a FIM example
_CTX: dict = {}
_INLINE_BELOW = 64  # files; a pool costs more than it saves on a small repository


def _init(ctx: dict) -> None:
    """Pool initializer: runs once in each worker process."""
    global _CTX
    # The parent may have used the tokenizer's own thread pool; in a forked child it must not.
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    _CTX = ctx


def run_map(fn, items: list, ctx: dict, workers: int, steps: Steps, label: str) -> list:
    global _CTX
    if workers <= 1 or len(items) < _INLINE_BELOW:
        _CTX = ctx  # in-process: leave the caller's environment alone
        return [fn(x) for x in steps.track(items, label)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=_init, initargs=(ctx,)) as pool:
        return list(steps.track(pool.map(fn, items, chunksize=4), label, total=len(items)))


def split_lines(text: str) -> list[str]:
    """Lines with their "\\n" (only "\\n": tree-sitter's rows count nothing else)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


# ----- pass 1: select, fingerprint, benchmark match --------------------------------------------


def scan_file(item: tuple[str, bytes | None, str | None]) -> dict:
    """Verdict for one file; for a kept one its text, normalised hash, MinHash and benchmark hit."""
    path, data, error = item
    if error:
        return {"path": path, "reason": error}
    verdict = select_file(path, data, _CTX["select"])
    if verdict.reason:
        return {"path": path, "reason": verdict.reason}
    text = verdict.text
    hashes = shingle_hashes(text)
    decon = _CTX.get("decontaminator")
    return {
        "path": path, "reason": None, "language": verdict.language, "text": text,
        "hash": normalised_hash(text),
        "minhash": minhash(hashes) if len(hashes) else None,
        "contaminated": decon.match(text) if decon is not None else None,
    }


# ----- pass 2: redact and make examples --------------------------------------------------------


def examples_for_file(item: tuple[str, str, str, str]) -> dict:
    path, language, text, split = item
    c = _CTX
    opts, template, repo, ratio = c["opts"], c["template"], c["repo"], c["ratio"]
    text, redactions = redact(text, path)
    lines = split_lines(text)
    st = analyse(language, text, lines)
    context = file_context(template, repo, path)
    budget = opts.seq_len - OVERHEAD_TOKENS - int(len(context) / ratio) - 1
    # 0.85: chunks are sized by the average characters per token; denser code must still fit.
    budget_chars = max(200, int(budget * ratio * 0.85))
    rng = random.Random(f"{opts.seed}:{path}")
    rows, fim_kinds = [], Counter()
    for chunk in chunk_lines(lines, st, budget_chars):
        kind, example, fim_kind = make_example(chunk.text, chunk.boundaries, template, context, c["eos"],
                                               opts.fim_rate, opts.spm_rate, rng)
        if fim_kind:
            fim_kinds[fim_kind] += 1
        rows.append({"kind": kind, "text": example, "path": path, "language": language})
    if opts.instruct:
        for messages in instruction_pairs(st.definitions, lines, language, path, repo, budget_chars):
            rows.append({"kind": "instruct", "messages": messages, "path": path, "language": language})
    texts = [r["text"] if "text" in r else chat_text(c["tokenizer"], r["messages"]) for r in rows]
    kept, over = [], 0
    for row, n in zip(rows, c["counter"].count(texts)):
        if n > opts.seq_len:
            over += 1
        else:
            row["tokens"] = n
            kept.append(row)
    bench = file_candidates(path, language, text, opts.seed, c["bench_per_kind"]) \
        if opts.bench and split == "test" else None
    return {"rows": kept, "bench": bench, "redactions": redactions, "fim_kinds": fim_kinds, "over": over,
            "text": text if c.get("keep_text") else None}


def near_duplicates(scanned: list[dict], threshold: float) -> tuple[dict[str, str], int]:
    """Clusters over MinHashes computed in pass 1 (see dedup.near_duplicates for the rules)."""
    sigs = {s["path"]: s["minhash"] for s in scanned if s["minhash"] is not None}
    sizes = {s["path"]: len(s["text"]) for s in scanned}
    result = cluster_signatures(sigs, sizes, threshold)
    return result.dropped, result.clusters
