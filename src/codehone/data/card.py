"""The data card: where every file went and what the training set holds, in counts only.

``data_card.json`` is for machines (the train and eval stages read it); ``data_card.md`` is the
same numbers for people. Neither holds any text from the source: redactions are counted by kind,
never shown, and dropped files are counted by reason, not listed (a path can itself be private).
No timings either: the card of a rebuild with the same inputs is byte-identical.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Card:
    source: dict = field(default_factory=dict)
    tokenizer: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    files_seen: int = 0
    files_kept: int = 0
    dropped: Counter = field(default_factory=Counter)  # reason -> files
    contaminated: Counter = field(default_factory=Counter)  # benchmark -> files
    near_duplicate_clusters: int = 0
    redactions: Counter = field(default_factory=Counter)  # kind -> occurrences
    files_redacted: int = 0
    languages: Counter = field(default_factory=Counter)  # language -> kept files
    language_bytes: Counter = field(default_factory=Counter)
    split_files: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)  # split -> kind -> count
    tokens: dict = field(default_factory=dict)  # split -> kind -> tokens
    fim_kinds: Counter = field(default_factory=Counter)
    examples_over_length: int = 0
    bench_tasks: Counter = field(default_factory=Counter)  # kind -> tasks
    bench_note: dict = field(default_factory=dict)  # target, files used, why not more (bench_tasks.py)

    def add_example(self, split: str, kind: str, tokens: int) -> None:
        self.examples.setdefault(split, Counter())[kind] += 1
        self.tokens.setdefault(split, Counter())[kind] += tokens

    def to_json(self) -> dict:
        def plain(c):
            return {k: c[k] for k in sorted(c)}

        return {
            "schema": "codehone.data_card/1",
            "source": self.source,
            "tokenizer": self.tokenizer,
            "options": self.options,
            "files": {
                "seen": self.files_seen,
                "kept": self.files_kept,
                "dropped": sum(self.dropped.values()),
                "dropped_by_reason": plain(self.dropped),
                "contaminated_by_benchmark": plain(self.contaminated),
                "near_duplicate_clusters": self.near_duplicate_clusters,
                "by_language": plain(self.languages),
                "bytes_by_language": plain(self.language_bytes),
                "by_split": plain(self.split_files),
            },
            "redactions": {"files": self.files_redacted, "by_kind": plain(self.redactions)},
            "examples": {s: plain(self.examples.get(s, Counter())) for s in ("train", "valid", "test")},
            "tokens": {s: plain(self.tokens.get(s, Counter())) for s in ("train", "valid", "test")},
            "fim_split_kinds": plain(self.fim_kinds),
            "examples_over_length": self.examples_over_length,
            "bench_repo_tasks": plain(self.bench_tasks),
            "bench_repo": self.bench_note,
        }


def _table(header: tuple[str, ...], rows: list[tuple]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def _bench_note(note: dict) -> str:
    if not note:
        return ""
    text = f" (target {note['target']}, from {note['eligible_files']} of {note['test_files']} test files"
    return text + (f"; {note['why_not_more']})" if note.get("why_not_more") else ")")


def to_markdown(card: dict) -> str:
    f, r = card["files"], card["redactions"]
    lines = [
        f"# Data card: {card['source'].get('name', '?')}",
        "",
        f"Source: {card['source'].get('kind')} `{card['source'].get('name')}`"
        + (f" at `{card['source']['revision']}`" if card["source"].get("revision") else ""),
        f"Tokenizer: {card['tokenizer'].get('name')} (FIM template: {card['tokenizer'].get('fim_template') or 'none'})",
        "",
        f"## Files: {f['seen']} seen, {f['kept']} kept, {f['dropped']} dropped",
        "",
        *_table(("reason", "files"), sorted(f["dropped_by_reason"].items(), key=lambda kv: (-kv[1], kv[0]))),
        "",
        f"Near-duplicate clusters: {f['near_duplicate_clusters']}. "
        f"Contaminated: {', '.join(f'{k} {v}' for k, v in f['contaminated_by_benchmark'].items()) or 'none'}.",
        "",
        "## Languages (kept files)",
        "",
        *_table(("language", "files", "bytes"), [(k, v, f["bytes_by_language"].get(k, 0)) for k, v in
                                                 sorted(f["by_language"].items(), key=lambda kv: (-kv[1], kv[0]))]),
        "",
        f"## Redactions: {sum(r['by_kind'].values())} in {r['files']} files (counts only)",
        "",
        *_table(("kind", "count"), sorted(r["by_kind"].items(), key=lambda kv: (-kv[1], kv[0]))),
        "",
        "## Examples and tokens",
        "",
    ]
    rows = []
    for split in ("train", "valid", "test"):
        for kind in sorted(card["examples"][split]):
            rows.append((split, kind, card["examples"][split][kind], card["tokens"][split][kind]))
    lines += _table(("split", "kind", "examples", "tokens"), rows)
    lines += ["", f"Files per split: {', '.join(f'{k} {v}' for k, v in f['by_split'].items())}. "
              f"FIM middles: {', '.join(f'{k} {v}' for k, v in card['fim_split_kinds'].items()) or 'none'}. "
              f"Dropped as longer than the sequence length: {card['examples_over_length']}.",
              f"Held-out repository infill tasks: {', '.join(f'{k} {v}' for k, v in card['bench_repo_tasks'].items()) or 'none'}"
              + _bench_note(card.get("bench_repo") or {}) + ".",
              ""]
    return "\n".join(lines)
