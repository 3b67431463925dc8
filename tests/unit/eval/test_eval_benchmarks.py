import pytest

from codehone.eval.benchmarks import BENCHMARKS, load_benchmark
from codehone.eval.benchmarks.humanevalplus import judge


def test_counts():
    sizes = {name: len(load_benchmark(name).tasks) for name in BENCHMARKS}
    assert sizes == {"humaneval": 164, "humaneval+": 164, "mbpp": 257, "infill-single": 1033, "infill-multi": 5815}


def test_unknown_benchmark():
    with pytest.raises(ValueError, match="unknown benchmark 'nope'.*humaneval"):
        load_benchmark("nope")


def test_mbpp_is_the_test_split_with_three_shots():
    b = load_benchmark("mbpp")
    ids = [int(t.split("/")[1]) for t in b.tasks]
    assert min(ids) >= 11 and max(ids) <= 510
    assert b.few_shot.count("def ") >= 3 and "similar_elements" in b.few_shot
    assert b.base_prompt(b.tasks["MbppEval/11"]).startswith(b.few_shot)


def test_mbpp_chat_prompt_is_evalplus_mbpp_plus():
    """Instruct models see EvalPlus's MBPP+ prompt: the sentence and the first test assert in a
    docstring, without the signature (the assert names the function and its arguments)."""
    from codehone.eval.benchmarks.base import chat_prompt
    from codehone.eval.benchmarks.mbpp import evalplus_prompt

    t = load_benchmark("mbpp").tasks["MbppEval/11"]
    want = ('"""\nWrite a python function to remove first and last occurrence of a given character from the string.\n'
            'assert remove_Occ("hello","l") == "heo"\n"""\n')
    assert t.chat_prompt == chat_prompt(want)
    assert "def remove_Occ" not in t.chat_prompt and "def remove_Occ" in t.prompt  # base prompts keep it
    with pytest.raises(ValueError, match="without a docstring"):
        evalplus_prompt("def f(x):\n    pass\n", "def check(candidate):\n    assert f(1) == 1\n")


def test_mbpp_entry_point_is_the_function_the_tests_call():
    """The CodeT conversion names the reference's first function; for 4 tasks that is a helper the
    tests never call, and a chat answer that defines only the asked function would fail on it."""
    from codehone.eval.benchmarks.mbpp import tested_function

    b = load_benchmark("mbpp")
    assert {t: b.tasks[t].entry_point for t in ("MbppEval/18", "MbppEval/56", "MbppEval/70", "MbppEval/164")} == {
        "MbppEval/18": "remove_dirty_chars", "MbppEval/56": "check", "MbppEval/70": "get_equal",
        "MbppEval/164": "are_equivalent"}
    assert b.tasks["MbppEval/11"].entry_point == "remove_Occ"  # the tests call it: kept
    assert tested_function("def check(candidate):\n    assert set(f(1)) == set((2,))\n", "helper") == "f"
    assert tested_function("def check(candidate):\n    assert math.isclose(area(2), 4.0)\n", "h") == "area"


def test_programs_and_prompts():
    he = load_benchmark("humaneval")
    t = he.tasks["HumanEval/0"]
    assert he.program(t, "    return 1\n") == t.prompt + "    return 1\n"
    assert t.prompt.strip() in t.chat_prompt and "```" in t.chat_prompt
    inf = load_benchmark("infill-single")
    t = next(iter(inf.tasks.values()))
    assert inf.program(t, "MID") == t.prompt + "MID" + t.suffix


def test_humanevalplus_inputs_and_judge():
    t = load_benchmark("humaneval+").tasks["HumanEval/0"]
    assert len(t.inputs) > 7
    assert judge(t, [], True, True) and not judge(t, [], False, True)
    assert not judge(t, [], "True", True)  # no == across types
    fl = load_benchmark("humaneval+").tasks["HumanEval/2"]  # truncate_number: floats
    assert judge(fl, [], 0.5 + 1e-9, 0.5) and not judge(fl, [], 0.51, 0.5)
    fz = load_benchmark("humaneval+").tasks["HumanEval/32"]  # find_zero: any root will do
    assert judge(fz, [[-6, 11, -6, 1]], 1.0, 3.0) and not judge(fz, [[-6, 11, -6, 1]], 1.5, 1.0)
