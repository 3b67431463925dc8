"""The ``blocks`` benchmark: held-out requests for block programs, judged by behaviour checks.

``blocks.jsonl`` (shipped in the package) has one task per line::

    {"task_id": "polygon-03", "family": "polygon", "prompt": "show me a hexagon in red",
     "check": {...checks.py spec...}, "answers": ["Ana"], "events": [{"time": 0.3, "key": "space"}],
     "reference": "when_flag_clicked():\\n    ..."}

It is made by :func:`codehone.blocks.copilot.bench.build.build_benchmark` from the synthesizer's bench-only
wordings and held-out values (``python -m codehone.blocks.copilot.bench.build`` rewrites it); a test checks
the shipped file equals what the builder makes and that every reference passes its check.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

BENCH_FILE = "blocks.jsonl"
# The task sets by name: ``blocks-kids`` is hand-written and frozen (kids.md says why); ``blocks-fix``
# is made by fix_bench.py from this benchmark's references, one planted bug each; ``blocks-edit`` by
# edit_bench.py from the same references, one follow-up change each; ``blocks-tutor`` by tutor_bench.py
# (the same requests, to be taught step by step); ``blocks-next`` by next_bench.py (a reference with one
# block taken out, to be suggested back).
BENCH_FILES = {"blocks": BENCH_FILE, "blocks-kids": "kids.jsonl", "blocks-fix": "fix.jsonl", "blocks-edit": "edit.jsonl",
               "blocks-tutor": "tutor.jsonl", "blocks-next": "next.jsonl"}


@cache
def _load(bench: str = "blocks") -> tuple[dict, ...]:
    if bench not in BENCH_FILES:
        raise ValueError(f"unknown blocks benchmark {bench!r}; choose one of {', '.join(BENCH_FILES)}")
    text = resources.files(__package__).joinpath(BENCH_FILES[bench]).read_text(encoding="utf-8")
    return tuple(json.loads(line) for line in text.splitlines() if line.strip())


def load_benchmark(tasks: list[str] | None = None, limit: int | None = None, bench: str = "blocks") -> list[dict]:
    """The tasks (copies) of ``bench`` (a name in BENCH_FILES), optionally only ``tasks`` (ids, in file
    order) and the first ``limit``."""
    rows = [json.loads(json.dumps(r)) for r in _load(bench)]
    if tasks:
        known = {r["task_id"] for r in rows}
        unknown = [t for t in tasks if t not in known]
        if unknown:
            raise ValueError(f"unknown task id(s) {', '.join(unknown)}; ids look like {rows[0]['task_id']!r}")
        wanted = set(tasks)
        rows = [r for r in rows if r["task_id"] in wanted]
    return rows[:limit] if limit is not None else rows


# ``blocks-lang`` is hand-written and frozen (lang.md): the same tasks in English, Spanish, French,
# German and Portuguese, plus the seed's example (issue 19).
BENCH_FILES["blocks-lang"] = "lang.jsonl"
# ``blocks-lang-2`` is a second such set of 40 tasks, written by another author who saw neither the
# first set nor the training wordings (lang_2.md): the first was held out by procedure only.
BENCH_FILES["blocks-lang-2"] = "lang_2.jsonl"
# The sets judged on the language of what is said as well as on behaviour (lang_bench.py).
LANG_BENCHES = ("blocks-lang", "blocks-lang-2")
# The hand-written sets of requests: none of their prompts may appear in any training pair.
HELD_OUT_REQUESTS = ("blocks", "blocks-kids", *LANG_BENCHES)

__all__ = ["load_benchmark", "BENCH_FILE", "BENCH_FILES", "HELD_OUT_REQUESTS", "LANG_BENCHES"]
