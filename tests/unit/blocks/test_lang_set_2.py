"""`blocks-lang-2` (issue 19): the second hand-written five-language set (lang_2.md), written blind
by another author than the first set and the training wordings. Its shape and that it shares no
prompt with any other set (its references run in test_lang_set.py, with the first set's).

Only counts are asserted where prompts are compared, so a failure prints no held-out prompt."""

from __future__ import annotations

import re
from collections import Counter

from codehone.blocks.copilot.bench import BENCH_FILES, HELD_OUT_REQUESTS, LANG_BENCHES, load_benchmark
from codehone.blocks.copilot.skill_eval import SETS
from codehone.blocks.languages.detect import COVERED
from codehone.blocks.safety.bench import SAFETY_SET, load_safety_set, safety_lang_sets

TASKS = load_benchmark(bench="blocks-lang-2")
KEYS = {"answers", "check", "concept", "events", "family", "language", "prompt", "reference", "task_id"}


def test_the_set_is_registered_held_out_and_scored_on_the_language():
    assert BENCH_FILES["blocks-lang-2"] == "lang_2.jsonl"
    assert "blocks-lang-2" in LANG_BENCHES and "blocks-lang-2" in HELD_OUT_REQUESTS and "blocks-lang-2" in SETS


def test_forty_tasks_each_in_all_five_languages_in_task_order():
    assert all(set(t) == KEYS for t in TASKS)
    per = Counter(t["family"] for t in TASKS)
    assert set(per) == set(COVERED) and min(per.values()) >= 40
    concepts = Counter(t["concept"] for t in TASKS)
    assert len(concepts) >= 40 and set(concepts.values()) == {5}
    for i, t in enumerate(TASKS):  # lang2-en-00, lang2-es-00, ... : --per-language N takes the first N of each
        assert re.fullmatch(rf"lang2-{t['family']}-\d\d", t["task_id"]), t["task_id"]
        assert t["family"] == ("en", "es", "fr", "de", "pt")[i % 5], t["task_id"]
        assert t["concept"] == TASKS[i - i % 5]["concept"]
    assert len({t["prompt"] for t in TASKS}) == len(TASKS) and len({t["task_id"] for t in TASKS}) == len(TASKS)
    naming_another = sum(t["language"] != t["family"] for t in TASKS)
    assert naming_another <= 3 * 5  # at most three tasks ask for another language than they are written in


def test_no_prompt_is_shared_with_another_set():
    mine = {t["prompt"].strip().lower() for t in TASKS}
    others = {t["prompt"].strip().lower() for name in BENCH_FILES if name != "blocks-lang-2"
              for t in load_benchmark(bench=name) if "prompt" in t}
    safety = {r["prompt"].strip().lower() for path in (SAFETY_SET, *safety_lang_sets().values()) if path.exists()
              for r in load_safety_set(path)}
    assert len(mine & others) == 0 and len(mine & safety) == 0
