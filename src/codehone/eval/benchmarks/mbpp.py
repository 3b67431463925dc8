"""MBPP sanitized, test split (task ids 11..510), in HumanEval format.

The tests call the function by its own name; the judge (``core/sandbox/judge.py``) treats such names as
the candidate's functions, so every assert is judged outside the sample's interpreter on plain
data (an always-equal object cannot satisfy ``assert f(x) == y``). ``guard`` is kept for the
reference solutions' own check-mode runs (time limits). Base models get the usual 3-shot prompt
built from tasks 2, 3, 4 (prompt + canonical solution each). Instruct models get EvalPlus's MBPP+
prompt: the task's sentence and its first test assert in a docstring, no signature (see
``evalplus_prompt``), so the score compares with EvalPlus's published instruct figures."""

from __future__ import annotations

import ast
import warnings

from codehone.eval.benchmarks.base import Benchmark, Task, chat_prompt, read_asset

FEW_SHOT_IDS = ("MbppEval/2", "MbppEval/3", "MbppEval/4")


# Two references lost their nesting in the CodeT conversion (the body was flattened to one level)
# and no longer parse; restored here from google-research/mbpp's sanitized file. They only set time
# limits and feed the agreement check; model samples are judged by the tests alone.
_REPAIRED = {
    "MbppEval/227": ("    if (a <= b) and (a <= c):\n        smallest = a\n    elif (b <= a) and (b <= c):\n"
                     "        smallest = b\n    else:\n        smallest = c\n    return smallest\n"),
    "MbppEval/431": ("    result = False\n    for x in list1:\n        for y in list2:\n            if x == y:\n"
                     "                result = True\n                return result\n"),
}


def _reindent(body: str) -> str:
    """Canonical MBPP bodies are indented with tabs or 2 spaces under a 4-space docstring;
    re-indent them to 4-space units so prompt + body parses."""
    lines = []
    for ln in body.splitlines(keepends=True):
        stripped = ln.lstrip(" \t")
        lines.append((ln[: len(ln) - len(stripped)].replace("\t", "    "), stripped))
    indents = [len(ws) for ws, rest in lines if rest.strip()]
    unit = min((i for i in indents if i > 0), default=4)
    return "".join((" " * (len(ws) // unit * 4) if rest.strip() else ws) + rest for ws, rest in lines)


def _reference(task_id: str, prompt: str, body: str) -> str:
    if task_id in _REPAIRED:
        return _REPAIRED[task_id]
    for candidate in (body, _reindent(body)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # invalid escapes in some references
                ast.parse(prompt + candidate)
            return candidate
        except SyntaxError:
            pass
    return body


def _test(test: str) -> str:
    # MBPP's float tests use math.isclose without importing math (its original test_imports did);
    # and MbppEval/56's entry point is itself called check, so the test's check gets its own name.
    return "import math\n" + test.replace("def check(candidate):", "def _codehone_check(candidate):", 1)


def tested_function(test: str, entry_point: str) -> str:
    """The function the task's tests call: ``entry_point`` when they call it, else the first
    non-builtin function the first assert calls. The CodeT conversion names the reference's first
    function as the entry point, which for 4 tasks is a helper the tests never call (MbppEval/18's
    ``str_to_list`` beside ``remove_dirty_chars``); EvalPlus's MBPP+ uses the tested function."""
    import builtins

    tree = ast.parse(test)
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    if entry_point in calls:
        return entry_point
    first = next((n for n in ast.walk(tree) if isinstance(n, ast.Assert)), None)
    called = [n for n in ast.walk(first) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)] if first else []
    named = [n.func.id for n in sorted(called, key=lambda n: (n.lineno, n.col_offset))
             if not hasattr(builtins, n.func.id)]
    return named[0] if named else entry_point


def evalplus_prompt(prompt: str, test: str) -> str:
    """EvalPlus's MBPP+ prompt for one task: ``\"\"\"\\n<sentence>\\n<first assert>\\n\"\"\"\\n``.

    The HumanEval-format conversion keeps only the signature and the sentence, which says nothing
    of the expected return type (a tuple or a list, True or "Yes"); EvalPlus and the original MBPP
    paper both show the model a test, and published instruct scores are measured with one.
    The assert is the task's first, as EvalPlus's base inputs start with it."""
    docstring = ast.get_docstring(ast.parse(prompt).body[-1]) if prompt.strip() else None
    first = next((ln.strip() for ln in test.splitlines() if ln.strip().startswith("assert ")), None)
    if not docstring or first is None:
        raise ValueError(f"an MBPP prompt without a docstring or a test without an assert: {prompt[:80]!r}")
    return f'"""\n{docstring.strip()}\n{first}\n"""\n'


def load() -> Benchmark:
    tasks, shots = {}, {}
    for r in read_asset("mbpp-sanitized-humaneval-format.jsonl.gz"):
        n = int(r["task_id"].split("/")[1])
        entry_point = tested_function(r["test"], r["entry_point"].strip())
        t = Task(task_id=r["task_id"], prompt=r["prompt"], entry_point=entry_point,
                 reference=_reference(r["task_id"], r["prompt"], r["canonical_solution"]), test=_test(r["test"]),
                 chat_prompt=chat_prompt(evalplus_prompt(r["prompt"], r["test"])))
        if r["task_id"] in FEW_SHOT_IDS:
            shots[r["task_id"]] = t
        if 11 <= n <= 510:
            tasks[t.task_id] = t
    few_shot = "".join(shots[i].prompt + shots[i].reference.rstrip() + "\n\n\n" for i in FEW_SHOT_IDS)
    return Benchmark(name="mbpp", tasks=tasks, mode="check", request_mode="complete", guard=True,
                     few_shot=few_shot, check_name="_codehone_check")
