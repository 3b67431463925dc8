"""The shipped `blocks` benchmark: what the builder makes, held out from training, all references pass."""

from __future__ import annotations

from collections import Counter

from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.bench.build import build_benchmark, shipped_path, to_jsonl
from codehone.blocks.copilot.evaluate import score
from codehone.blocks.runtime.checks import validate
from codehone.blocks.synth import pairs as synth


def test_shipped_file_equals_the_builder():
    assert shipped_path().read_text(encoding="utf-8") == to_jsonl(build_benchmark())


def test_size_families_and_fields():
    tasks = load_benchmark()
    assert len(tasks) >= 150
    assert len({t["task_id"] for t in tasks}) == len(tasks)
    assert len({synth.prompt_key(t["prompt"]) for t in tasks}) == len(tasks)
    fams = Counter(t["family"] for t in tasks)
    assert set(fams) == set(synth.FAMILY_NAMES) and fams["impossible"] >= 4
    for t in tasks:
        assert set(t) == {"task_id", "family", "prompt", "check", "answers", "events", "reference"}
        validate(t["check"])


def test_every_reference_passes_its_check():
    for t in load_benchmark():
        row, _ = score(t, t["reference"])
        assert row["status"] == "passed", (t["task_id"], row["detail"])


def test_impossible_requests_accept_a_plain_refusal():
    for t in load_benchmark():
        if t["family"] == "impossible":
            assert score(t, "# Sorry, Scratch blocks cannot do that.\n")[0]["status"] == "passed"
            assert score(t, "Sorry, I can't.")[0]["status"] == "invalid"


def test_no_bench_prompt_or_wording_in_training_output():
    bench = load_benchmark()
    pairs = list(synth.generate_pairs(3000, seed=0, verify_pairs=False))
    train_prompts = {synth.prompt_key(p.prompt) for p in pairs}
    assert not train_prompts & {synth.prompt_key(t["prompt"]) for t in bench}
    bench_wordings = {w for kinds in synth.WORDINGS.values() for _, be in kinds.values() for w in be}
    assert not {p.wording for p in pairs} & bench_wordings


def test_load_subsets():
    assert [t["task_id"] for t in load_benchmark(limit=2)] == ["polygon-00", "polygon-01"]
    assert [t["task_id"] for t in load_benchmark(tasks=["star-01", "polygon-00"])] == ["polygon-00", "star-01"]
    try:
        load_benchmark(tasks=["nope"])
    except ValueError as e:
        assert "nope" in str(e)
    else:
        raise AssertionError("unknown task id accepted")
