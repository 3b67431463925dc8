"""The stages of the data step over in-memory files, in the order build.py calls them.

Each stage takes the surviving files, records in the card what it dropped or changed, and
returns what survives; build.py owns options checking, the run directory and writing.
"""

from __future__ import annotations

import random
from collections import Counter

from codehone.data.build import BuildOptions, Kept, TokenCounter, _chat_text, _OVERHEAD_TOKENS, _CALIBRATION_CHARS
from codehone.data.card import Card
from codehone.data.progress import Steps
from codehone.data.select import SelectOptions, select_file


def split_lines(text: str) -> list[str]:
    """Lines with their "\\n" (only "\\n": tree-sitter's rows count nothing else)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def select(files, opts: BuildOptions, specials: list[str], card: Card, steps: Steps) -> list[Kept]:
    sopts = SelectOptions(
        languages=frozenset(opts.languages) if opts.languages else None,
        include=tuple(opts.include), exclude=tuple(opts.exclude), forbidden=tuple(specials),
    )
    kept = []
    for f in steps.track(files, "select"):
        if f.error:
            card.dropped[f.error] += 1
            continue
        verdict = select_file(f.path, f.data, sopts)
        if verdict.reason:
            card.dropped[verdict.reason] += 1
        else:
            kept.append(Kept(f.path, verdict.language, verdict.text))
    return kept


def deduplicate(kept: list[Kept], opts: BuildOptions, card: Card, steps: Steps) -> list[Kept]:
    from codehone.data.dedup import exact_duplicates, near_duplicates

    items = [(k.path, k.text) for k in kept]
    exact = exact_duplicates(items)
    card.dropped["exact_duplicate"] += len(exact)
    items = [it for it in items if it[0] not in exact]
    with steps.stage("near-dedup", 1) as advance:
        near = near_duplicates(items, opts.near_dup_threshold)
        advance()
    card.dropped["near_duplicate"] += len(near.dropped)
    card.near_duplicate_clusters = near.clusters
    gone = set(exact) | set(near.dropped)
    return [k for k in kept if k.path not in gone]


def decontaminate(kept: list[Kept], opts: BuildOptions, card: Card, steps: Steps) -> list[Kept]:
    from codehone.data.decontaminate import build_decontaminator

    if not opts.benchmarks and not opts.benchmark_files:
        return kept
    d = build_decontaminator(tuple(opts.benchmarks), tuple(opts.benchmark_files))
    out = []
    for k in steps.track(kept, "decontaminate"):
        hit = d.match(k.text)
        if hit:
            card.dropped["contaminated"] += 1
            card.contaminated[hit] += 1
        else:
            out.append(k)
    return out


def redact_all(kept: list[Kept], card: Card, steps: Steps) -> None:
    from codehone.data.redact import redact

    for k in steps.track(kept, "redact"):
        k.text, counts = redact(k.text, k.path)
        if counts:
            card.files_redacted += 1
            card.redactions.update(counts)


def assign(kept: list[Kept], opts: BuildOptions, card: Card) -> None:
    from codehone.data.split import assign_splits

    splits = assign_splits([k.path for k in kept], opts.split, opts.seed)
    for k in kept:
        k.split = splits[k.path]
        card.split_files[k.split] += 1
        card.languages[k.language] += 1
        card.language_bytes[k.language] += len(k.text.encode("utf-8", "surrogatepass"))
    card.files_kept = len(kept)


def chars_per_token(kept: list[Kept], counter: TokenCounter) -> float:
    """Characters per token on a sample of the kept code, to size chunks without tokenizing
    every file twice (tokenizing is the most expensive step of the build)."""
    sample, size = [], 0
    per_file = max(2000, _CALIBRATION_CHARS // max(1, len(kept)))
    for k in kept:
        piece = k.text[:per_file]
        sample.append(piece)
        size += len(piece)
        if size >= _CALIBRATION_CHARS:
            break
    tokens = sum(counter.count(sample))
    return max(1.0, size / max(1, tokens))


def examples(kept: list[Kept], repo: str, template, tokenizer, counter: TokenCounter, opts: BuildOptions,
             card: Card, steps: Steps) -> tuple[dict[str, list[dict]], list[dict]]:
    from codehone.data.chunk import analyse, chunk_lines
    from codehone.data.fim import file_context, make_example
    from codehone.data.instruct import instruction_pairs
    from codehone.data.repo_bench import number_tasks, tasks_for_file

    ratio = chars_per_token(kept, counter)
    eos = template.end[0] if template is not None and template.end else getattr(tokenizer, "eos_token", None)
    rows: dict[str, list[dict]] = {"train": [], "valid": [], "test": []}
    bench: list[dict] = []
    for k in steps.track(kept, "examples"):
        lines = split_lines(k.text)
        st = analyse(k.language, k.text, lines)
        context = file_context(template, repo, k.path)
        budget = opts.seq_len - _OVERHEAD_TOKENS - int(len(context) / ratio) - 1
        # 0.85: chunks are sized by the average ratio; denser code must still fit.
        budget_chars = max(200, int(budget * ratio * 0.85))
        rng = random.Random(f"{opts.seed}:{k.path}")
        for chunk in chunk_lines(lines, st, budget_chars):
            kind, text, fim_kind = make_example(chunk.text, chunk.boundaries, template, context, eos,
                                                opts.fim_rate, opts.spm_rate, rng)
            if fim_kind:
                card.fim_kinds[fim_kind] += 1
            rows[k.split].append({"kind": kind, "text": text, "path": k.path, "language": k.language})
        if opts.instruct:
            for messages in instruction_pairs(st.definitions, lines, k.language, k.path, repo, budget_chars):
                rows[k.split].append({"kind": "instruct", "messages": messages, "path": k.path, "language": k.language})
        if opts.bench and k.split == "test":
            bench += tasks_for_file(k.path, k.language, lines, st.boundaries, opts.seed)
    bench = number_tasks(bench, repo)
    card.bench_tasks.update(Counter(t["kind"] for t in bench))
    return rows, bench


def count_tokens(rows: dict[str, list[dict]], tokenizer, counter: TokenCounter, opts: BuildOptions,
                 card: Card, steps: Steps, batch: int = 512) -> None:
    """Fill each row's "tokens"; drop (and count) the rare example over ``seq_len``."""
    total = sum(len(r) for r in rows.values())
    with steps.stage("tokenize", total) as advance:
        for split, split_rows in rows.items():
            keep = []
            for i in range(0, len(split_rows), batch):
                part = split_rows[i : i + batch]
                texts = [r["text"] if "text" in r else _chat_text(tokenizer, r["messages"]) for r in part]
                for row, n in zip(part, counter.count(texts)):
                    if n > opts.seq_len:
                        card.examples_over_length += 1
                        continue
                    row["tokens"] = n
                    keep.append(row)
                    card.add_example(split, row["kind"], n)
                advance(len(part))
            rows[split] = keep
