"""Rerankers on hand-written execution results (no model, no sandbox): each picks the right sample."""

import json

import pytest

from codehone.eval.benchmarks import load_benchmark
from codehone.eval.gen_tests import calls_in, extract_tests, load_tests, request_for_tests
from codehone.eval.rerank import (CRASH, TIMEOUT, canon, cluster_pick, codet_pick, logprob_pick, mean_logprobs,
                                  parse_methods)


def test_codet_prefers_agreeing_samples_over_diverse_wrong_ones():
    # 3 correct samples (0, 4, 7) agree on tests {0,1,2,3}; 5 wrong ones each pass a different,
    # smaller or equal set: one even passes 4 tests, but alone.
    passed = {0: [0, 1, 2, 3], 4: [0, 1, 2, 3], 7: [3, 2, 1, 0],
              1: [0], 2: [1, 4], 3: [4, 5, 6, 7], 5: [], 6: [2, 5]}
    p = codet_pick(passed)
    assert p.choice == 0 and p.pool == (0, 4, 7) and not p.fallback
    assert p.score == pytest.approx(4 * 3 ** 0.5)  # tests passed x sqrt(samples), as microsoft/CodeT


def test_codet_weights_duplicated_tests_and_breaks_ties_deterministically():
    # Test 0 was written by three generations: passing it outweighs passing tests 1 and 2.
    assert codet_pick({5: [0], 3: [1, 2]}, weights=[3, 1, 1]).choice == 5
    # Equal scores: both groups pool (expected pass@1 over both); the larger group, then the
    # lower id, is picked, whatever order the samples come in.
    a = codet_pick({9: [0, 1], 2: [2, 3]})
    b = codet_pick({2: [2, 3], 9: [0, 1]})
    assert a == b and a.choice == 2 and a.pool == (2, 9)


def test_codet_falls_back_when_nothing_passes():
    p = codet_pick({3: [], 1: [], 2: []})
    assert p.fallback and p.choice == 1 and p.pool == (1, 2, 3)


def test_cluster_picks_the_largest_cluster_of_identical_outputs():
    right = ["i3", "[i1,i2]", "{i1,i2}"]
    outputs = {0: ["i4", "[i1]", "{i1}"], 1: right, 2: ["i0", "[]", "{}"], 3: right, 4: ["i3", "[i2,i1]", "{}"],
               5: right, 6: None, 7: None, 8: None}  # 6-8 do not even load: never a cluster
    p = cluster_pick(outputs)
    assert p.choice == 1 and p.pool == (1, 3, 5)


def test_cluster_ranks_all_exception_clusters_last():
    boom = ["raised:TypeError", "raised:TypeError"]
    outputs = {0: boom, 1: boom, 2: boom, 3: ["i1", TIMEOUT], 4: [CRASH, CRASH]}
    assert cluster_pick(outputs).choice == 3
    assert cluster_pick({0: None, 1: None}).fallback


def test_logprob_picks_the_most_likely_sample():
    assert logprob_pick({0: -1.5, 1: -0.2, 2: -0.9}).choice == 1
    tie = logprob_pick({4: -0.5, 2: -0.5, 3: -2.0})
    assert tie.choice == 2 and tie.pool == (2, 4)


def test_canon_is_order_free_and_type_exact():
    assert canon({3, 1, 2}) == canon({1, 2, 3}) and canon({"a": 1, "b": 2}) == canon({"b": 2, "a": 1})
    assert len({canon(1), canon(True), canon(1.0), canon("1"), canon([1]), canon((1,))}) == 6
    assert canon(float("nan")) == canon(float("nan"))
    assert canon(("<raised>", "ValueError")) == "raised:ValueError"
    huge = 7 ** 20000  # 16,902 decimal digits: str() refuses it, the canon must not
    assert canon(huge) == canon(7 ** 20000) != canon(huge + 1)


def test_parse_methods_suggests_the_nearest_name():
    assert parse_methods("codet, logprob,codet") == ["codet", "logprob"]
    assert parse_methods(None) == []
    with pytest.raises(ValueError, match="did you mean 'codet'"):
        parse_methods("codt")
    with pytest.raises(ValueError, match="did you mean 'cluster'"):
        parse_methods("codet,clusters")


def test_extract_tests_keeps_the_first_well_formed_asserts():
    text = ("```python\nassert add(1, 2) == 3\nassert add(2,\n    2) == 4\nassert other(1) == 2\n"
            "assert add(0, 0 == 0\nprint(add(1, 1))\n  assert add(-1, 1) == 0  # comment\nassert add(1, 1) == 2\n"
            "assert add(5, 5) == 10\nassert add(6, 6) == 12\n```\nThese tests check add.")
    tests = extract_tests(text, "add")
    assert tests == ["assert add(1, 2) == 3", "assert add(2, 2) == 4", "assert add(-1, 1) == 0",
                     "assert add(1, 1) == 2", "assert add(5, 5) == 10"]  # first 5, as CodeT
    assert calls_in(tests + ["assert add(1, 2) != add(2, 1)"], "add") == [
        "add(1, 2)", "add(2, 2)", "add(-1, 1)", "add(1, 1)", "add(5, 5)", "add(2, 1)"]


def test_prompts_for_tests_end_in_a_whole_assert_token():
    task = load_benchmark("humaneval").tasks["HumanEval/23"]
    req, start = request_for_tests(task, chat=True)
    assert req.mode == "chat" and req.messages[-1] == {"role": "assistant", "content": start}
    assert start.startswith("```python\n") and start.endswith("\nassert") and "assert statements" in req.messages[0]["content"]
    req, start = request_for_tests(task, chat=False)
    assert req.mode == "complete" and req.prompt.startswith(task.prompt.rstrip()) and start == "assert"
    assert req.prompt.endswith("# check the correctness of strlen\nassert")


def test_load_tests_weights_by_frequency_and_needs_every_task(tmp_path):
    bench = load_benchmark("humaneval")
    rows = [{"task_id": "HumanEval/23", "sample_id": 0, "tests": ["assert strlen('') == 0", "assert strlen('a') == 1"]},
            {"task_id": "HumanEval/23", "sample_id": 1, "tests": ["assert strlen('a') == 1"]}]
    (tmp_path / "tests.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    tt = load_tests(bench, tmp_path, ["HumanEval/23"])["HumanEval/23"]
    assert tt.tests == ("assert strlen('a') == 1", "assert strlen('') == 0") and tt.weights == (2, 1)
    assert tt.calls == ("strlen('a')", "strlen('')")
    with pytest.raises(FileNotFoundError, match="no generated tests for 1 task"):
        load_tests(bench, tmp_path, ["HumanEval/23", "HumanEval/0"])


def test_mean_logprobs_reads_rows_and_rejects_old_samples(tmp_path):
    p = tmp_path / "samples.jsonl"
    p.write_text(json.dumps({"task_id": "T", "completion_id": 0, "mean_logprob": -0.5}) + "\n"
                 + json.dumps({"task_id": "T", "completion_id": 1, "logprob": -3.0, "tokens": 2}) + "\n")
    assert mean_logprobs(p, ["T"]) == {("T", 0): -0.5, ("T", 1): -1.5}
    p.write_text(json.dumps({"task_id": "T", "completion_id": 0, "completion": "x"}) + "\n")
    with pytest.raises(ValueError, match="no logprob.*--rerank logprob"):
        mean_logprobs(p, ["T"])
