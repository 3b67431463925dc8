"""``codehone blocks data``: verified synthetic pairs -> a data run directory ``codehone train`` reads.

Rows are ``kind: "instruct"`` (schema in :mod:`codehone.data`) with several turns each::

    system     prompting.SYSTEM_PROMPT (once per row: ~300 tokens paid once for ``turns`` pairs)
    user       a request                      \\
    assistant  its program (plain text)        } ``turns`` times
    ...                                       /

This is the shape of the few-shot evaluation prompt (system card, worked turns, request), so
the tuned model is asked exactly the way it was taught; the trainer puts loss on every
assistant turn. ``examples`` counts request/program pairs, not rows: 2000 pairs at 8 turns
make 250 rows.

Files (the contract with :mod:`codehone.train.dataset`)::

    data/train.jsonl, data/valid.jsonl, data/test.jsonl (empty)
    data_card.json   tokenizer name + FIM template (the trainer checks them), examples and
                     tokens per split, pairs per family, "round trip N/N", drops; no timings,
                     so the same options give the same bytes
    data_card.md     the same for people
    manifest.json    inputs and timings

Written into a temporary folder and moved into place, ``data_card.json`` last; a rerun whose
card already says the same options and tokenizer returns at once (the build is deterministic).
Every pair is verified by :func:`codehone.blocks.synth.pairs.verify`, and no prompt of the ``blocks``
benchmark is ever used.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from codehone.core.rundir import RunDir
from codehone.core.fim import FimTemplate, detect_fim
from codehone.blocks.copilot import prompting
from codehone.blocks.copilot.bench import HELD_OUT_REQUESTS, load_benchmark
from codehone.blocks.copilot.row_budget import fit_rows
from codehone.blocks.copilot.skill_pairs import next_rows, skill_rows
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.sb3.read import sb3_to_program
from codehone.blocks.sb3.write import program_to_sb3
from codehone.blocks.synth.pairs import Pair, Stats, generate_pairs, interleave
from codehone.blocks.synth.languages import with_language_pairs
from codehone.blocks.synth.safety import with_safety_pairs
from codehone.blocks.turtle.corpus import bundled_examples, turtle_pairs
from codehone.core.chat import TokenCounter, special_strings
from codehone.data.errors import DataError
from codehone.runs import publish_data_dir, write_manifest

CARD_SCHEMA = "codehone.blocks_data_card/1"


@dataclass
class BlocksDataOptions:
    examples: int = 2000  # request/program pairs
    turns: int = 8  # pairs per row
    valid: float = 0.05  # share of rows held out for validation loss
    seed: int = 0
    # include the bundled Python turtle programs, transpiled and verified (blocks/turtle/corpus.py), as up
    # to 5% of the pairs: real programs in another style, not a large share of a small set
    turtle: bool = True
    # share of the pairs that teach the Fix, Change and Teach skills (skill_pairs.py): a buggy program
    # and a complaint -> the fixed program, a program and a change -> the changed program, a request
    # -> steps. 0.18 since session 15 (was 0.15): at 0.15 the demo taught each bug kind 4-21 times
    skills: float = 0.18
    # share of the pairs in Spanish, French, German and Portuguese (synth/languages.py, issue 19):
    # requests in each language, or naming one, answered by programs that speak it (verified by
    # running them and by the language check). 0.16 since session 15 (was 0.15): the extra pairs are
    # German's (synth/languages.TRAIN_ORDER), the others keep theirs
    languages: float = 0.16
    # rows longer than this many tokens are cut in two between turns until they fit: the trainer's
    # seq_len (the demo trains at 2048), which 16 turns of fix/tutor pairs used to pass
    max_row_tokens: int = 2048

    def validate(self) -> None:
        if self.examples < 1:
            raise DataError(f"--examples must be at least 1, got {self.examples}")
        if not 1 <= self.turns <= 64:
            raise DataError(f"--turns must be between 1 and 64, got {self.turns}")
        if self.max_row_tokens < 256:
            raise DataError(f"max_row_tokens must be at least 256 (a system card and a turn), got {self.max_row_tokens}")
        if not 0 <= self.valid < 1:
            raise DataError(f"--valid must be in [0, 1), got {self.valid}")
        if not 0 <= self.skills < 1:
            raise DataError(f"--skills must be in [0, 1), got {self.skills}")
        if not 0 <= self.languages < 1 or self.skills + self.languages >= 1:
            raise DataError(f"--languages must be in [0, 1) and leave room beside --skills, got {self.languages}")


def row_messages(pairs: list[Pair]) -> list[dict]:
    """One training row: the system card once, then each pair as a user/assistant turn."""
    messages = prompting.training_messages(pairs[0].prompt, pairs[0].program)
    for p in pairs[1:]:
        messages += [{"role": "user", "content": prompting.user_turn(p.prompt)}, {"role": "assistant", "content": p.program}]
    return messages


def _token_counter(tokenizer):
    """(count(list of message lists) -> token counts, tokenizer info for the card)."""
    template = detect_fim(tokenizer.get_vocab())
    counter = TokenCounter(tokenizer, special_strings(tokenizer, template))
    name = getattr(tokenizer, "name_or_path", "") or type(tokenizer).__name__
    info = {"name": name, "fim_template": template.family if template else None,
            "repo_tokens": bool(template and template.repo_name and template.file_sep)}

    def count(rows: list[dict]) -> list[int]:  # chat rows by their messages, fill-in-the-middle rows by their text
        chats = iter(counter.count_chats([r["messages"] for r in rows if r["kind"] == "instruct"]))
        texts = iter(counter.count([r["text"] for r in rows if r["kind"] != "instruct"]))
        return [next(chats) if r["kind"] == "instruct" else next(texts) for r in rows]

    return count, info


def _n_turtle_examples() -> int:
    return len(bundled_examples())


def _with_turtle_pairs(pairs: list[Pair], stats: Stats, limit: int) -> list[Pair]:
    """Spread up to ``limit`` transpiled turtle examples (each verified by drawing the same as the
    Python program) evenly through the synthetic pairs, so they land in different rows."""
    extra = []
    for prompt, program in turtle_pairs()[:limit]:
        stats.generated += 1
        if format_program(sb3_to_program(program_to_sb3(parse(program)))) != program:
            stats.dropped["round_trip"] = stats.dropped.get("round_trip", 0) + 1
            continue
        stats.round_trip += 1
        stats.kept += 1
        stats.by_family["turtle"] = stats.by_family.get("turtle", 0) + 1
        extra.append(Pair(family="turtle", prompt=prompt, program=program, check={}, wording="turtle"))
    return interleave(pairs, extra)


def _safety_prompts() -> set[str]:
    """The prompts of every safety set (``blocks-safety``: ``safety.jsonl``; ``blocks-safety-lang-N``:
    ``safety_lang_N.jsonl``, each found on disk by ``safety_lang_sets``), kept out of the training data."""
    from codehone.blocks.safety.bench import SAFETY_SET, load_safety_set, safety_lang_sets

    paths = (SAFETY_SET, *safety_lang_sets().values())
    return {row["prompt"] for path in paths if path.exists() for row in load_safety_set(path)}


def build_rows(opts: BlocksDataOptions, stats: Stats, fim: FimTemplate | None = None) -> tuple[list[dict], list[dict]]:
    """(train rows, valid rows) without token counts; ``fim`` (the tokenizer's FIM template, if
    known) adds the next-block rows."""
    # every held-out set's prompts stay out of every kind of pair (the English families now write
    # children's wordings too, which could meet a blocks-kids request word for word)
    held_out = {t["prompt"] for name in HELD_OUT_REQUESTS for t in load_benchmark(bench=name)}
    held_out |= _safety_prompts()
    bench = frozenset(held_out)
    n_turtle = opts.examples // 20 if opts.turtle else 0
    n_skills = round(opts.examples * opts.skills)
    n_safety = opts.examples // 50  # 2%: refusals, redirects and rough-sounding play (issue 19)
    n_languages = round(opts.examples * opts.languages)
    pairs = list(generate_pairs(opts.examples - n_skills - n_safety - n_languages - min(n_turtle, _n_turtle_examples()),
                                opts.seed, "train", stats, exclude_prompts=bench))
    if n_turtle:
        pairs = _with_turtle_pairs(pairs, stats, n_turtle)
    pairs = with_safety_pairs(pairs, stats, n_safety, opts.seed)
    pairs = with_language_pairs(pairs, stats, n_languages, opts.seed, bench)
    rows = []
    for i in range(0, len(pairs), opts.turns):
        group = pairs[i : i + opts.turns]
        rows.append({"kind": "instruct", "messages": row_messages(group), "path": "blocks/synth",
                     "language": "scratch-blocks", "families": [p.family for p in group]})
    rows = interleave(rows, _skill_rows(opts, n_skills, stats))
    n_valid = round(len(rows) * opts.valid)
    if opts.valid > 0 and len(rows) >= 2:
        n_valid = max(1, n_valid)
    n_valid = min(n_valid, len(rows) - 1)
    return _with_next_rows(rows[: len(rows) - n_valid], rows[len(rows) - n_valid :], opts, n_skills, fim, stats)


def _with_next_rows(train: list[dict], valid: list[dict], opts: BlocksDataOptions, n_skills: int,
                    fim: FimTemplate | None, stats: Stats) -> tuple[list[dict], list[dict]]:
    """The splits with next-block rows (skill_pairs.next_rows) spread through them: as many as each
    other skill gets, split like the rest. They are fill-in-the-middle text in the tokenizer's own
    template, so there are none without a tokenizer; the chat rows stay exactly as they were."""
    if fim is None or n_skills <= 0:
        return train, valid
    rows, made = next_rows(max(1, round(n_skills / 3)), opts.seed, fim)
    for kind, count in made.items():
        stats.by_family[kind] = stats.by_family.get(kind, 0) + count
    n_valid = round(len(rows) * opts.valid)
    return interleave(train, rows[: len(rows) - n_valid]), interleave(valid, rows[len(rows) - n_valid :])


def _skill_rows(opts: BlocksDataOptions, n: int, stats: Stats) -> list[dict]:
    rows, made = skill_rows(n, opts.seed, opts.turns)
    for kind, count in made.by_kind.items():
        stats.by_family[kind] = stats.by_family.get(kind, 0) + count
    total = made.fix + made.edit + made.tutor
    stats.kept += total
    stats.generated += total
    stats.round_trip += total  # each answer is printed from a parsed program
    return rows


def build_blocks_data(out_dir: str | os.PathLike, tokenizer=None, options: BlocksDataOptions | None = None,
                      on_progress=None) -> dict:
    """Write the block-language training set to ``out_dir``; returns the card.

    ``tokenizer`` (a Hugging Face tokenizer) counts tokens the way the trainer will and names the
    FIM template the trainer checks; without one the rows carry no token counts (tests, previews).
    """
    opts = options or BlocksDataOptions()
    opts.validate()
    run_dir = Path(out_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise DataError(f"output {run_dir} exists and is not a directory")
    count, tok_info = _token_counter(tokenizer) if tokenizer is not None else (None, {"name": None, "fim_template": None})
    card_path = RunDir(run_dir).data_card
    if card_path.exists():
        old = json.loads(card_path.read_text(encoding="utf-8"))
        if old.get("schema") == CARD_SCHEMA and old.get("options") == asdict(opts) and old.get("tokenizer") == tok_info:
            return old  # already built with these options (the build is deterministic)
    run_dir.mkdir(parents=True, exist_ok=True)
    card_path.unlink(missing_ok=True)  # the completion mark goes first
    inputs = {"tokenizer": tok_info["name"], **asdict(opts)}
    write_manifest(run_dir, "blocks_data", inputs)
    t0 = time.perf_counter()
    stats = Stats()
    train, valid = build_rows(opts, stats, detect_fim(tokenizer.get_vocab()) if tokenizer is not None else None)
    t_pairs = time.perf_counter() - t0
    if on_progress:
        on_progress(f"{stats.kept} pairs verified in {t_pairs:.1f} s")
    if count is not None:  # rows the trainer would refuse are split between turns (row_budget.py)
        train, valid = (fit_rows(rows, count, opts.max_row_tokens) for rows in (train, valid))
    card = make_card(opts, tok_info, stats, train, valid)
    _write(run_dir, {"train": train, "valid": valid, "test": []}, card)
    seconds = time.perf_counter() - t0
    write_manifest(run_dir, "blocks_data", inputs, seconds={"pairs": round(t_pairs, 2), "total": round(seconds, 2)},
                   pairs_per_second=round(stats.kept / max(t_pairs, 1e-9), 1))
    return card


def make_card(opts: BlocksDataOptions, tok_info: dict, stats: Stats, train: list[dict], valid: list[dict]) -> dict:
    def pairs(rows):
        return sum(len(r["families"]) for r in rows)

    def by_kind(rows, value):  # "instruct" always; "fim" only when there are next-block rows
        out = {"instruct": 0}
        for r in rows:
            out[r["kind"]] = out.get(r["kind"], 0) + value(r)
        return out

    return {
        "schema": CARD_SCHEMA,
        "source": {"name": "blocks-synth", "kind": "synthetic", "revision": None},
        "tokenizer": tok_info,
        "options": asdict(opts),
        "examples": {"train": by_kind(train, lambda r: 1), "valid": by_kind(valid, lambda r: 1), "test": {}},
        "tokens": {"train": by_kind(train, lambda r: r.get("tokens", 0)),
                   "valid": by_kind(valid, lambda r: r.get("tokens", 0)), "test": {}},
        "pairs": {"train": pairs(train), "valid": pairs(valid)},
        "pairs_by_family": {k: stats.by_family[k] for k in sorted(stats.by_family)},
        "round_trip": {"passed": stats.round_trip, "total": stats.generated},
        "verified": {"generated": stats.generated, "kept": stats.kept, "dropped_by_reason": dict(sorted(stats.dropped.items())),
                     "duplicates_skipped": stats.duplicates},
        "turns_per_row": opts.turns,
    }


def to_markdown(card: dict) -> str:
    rt = card["round_trip"]
    lines = [
        "# Data card: block programs (synthetic, verified)",
        "",
        f"Tokenizer: {card['tokenizer'].get('name') or 'none (no token counts)'}",
        f"Pairs: {card['pairs']['train']} train, {card['pairs']['valid']} valid, in rows of up to "
        f"{card['turns_per_row']} turns under one system card",
        f"Rows: {card['examples']['train']['instruct']} train, {card['examples']['valid']['instruct']} valid; "
        f"tokens: {card['tokens']['train']['instruct']:,} train, {card['tokens']['valid']['instruct']:,} valid",
        f"Round trip (text -> sb3 -> text unchanged): {rt['passed']}/{rt['total']}",
        f"Verified: {card['verified']['kept']} kept of {card['verified']['generated']} generated; dropped "
        f"{sum(card['verified']['dropped_by_reason'].values())}"
        + "".join(f", {k} {v}" for k, v in card["verified"]["dropped_by_reason"].items()),
        "",
        "| family | pairs |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in card["pairs_by_family"].items()],
        "",
    ]
    return "\n".join(lines)


def _jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def _write(run_dir: Path, rows: dict[str, list[dict]], card: dict) -> None:
    publish_data_dir(run_dir, {f"{split}.jsonl": _jsonl(r) for split, r in rows.items()}, card, to_markdown(card))
