"""Hostile programs: each must be contained, classified, never counted as passed, and leave the
machine as it was. Limits are tight (nproc 8, 256 MB, ~1 s CPU) so the suite stays quick and a
fork or memory bomb cannot hurt a shared 2-core machine."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import threading
from pathlib import Path

import pytest

from codehone.core.sandbox import run as sandbox
from codehone.eval.benchmarks import load_benchmark
from codehone.eval.score import TimeLimits, judge_sample, references

BOX = sandbox.Limits(memory_mb=256, nproc=8, startup_s=0.5, wall_factor=1.0, wall_base_s=1.5, tmpfs_mb=8)
NAMESPACED = sandbox.isolation() in sandbox.FULL
needs_ns = pytest.mark.skipif(not NAMESPACED, reason=f"needs namespaces; isolation here: {sandbox.isolation()}")
TOKEN = secrets.token_hex(6)
VERDICTS: dict[str, object] = {}  # name -> status(es), written to $CODEHONE_HOSTILE_VERDICTS at the end


@pytest.fixture(scope="module", autouse=True)
def _write_verdicts():
    # The suite runs as root and as an unprivileged user; the two verdict files must be identical.
    yield
    path = os.environ.get("CODEHONE_HOSTILE_VERDICTS")
    if path:
        Path(path).write_text(json.dumps(VERDICTS, indent=1, sort_keys=True))
HOME = Path.home()

# A check()-style task the hostile programs pretend to solve: passing needs add(1, 2) == 3.
TEST = "def check(candidate):\n    assert candidate(1, 2) == 3\n"
GOOD = "def add(a, b):\n    return a + b\n"


def run(program: str, limit: float = 0.5, **kw) -> sandbox.Outcome:
    return sandbox.run_program(program, test=TEST, entry_point="add", limits=limit, sandbox=BOX, **kw)


# name -> (program, statuses it may be classified as). None of them may pass.
HOSTILE = {
    "fork_bomb": ("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n", {"timeout"}),
    "memory_bomb": ("x = bytearray(10**10)\n", {"memory"}),
    "memory_creep": ("l = []\nwhile True:\n    l.append(' ' * 10**7)\n", {"memory"}),
    "infinite_loop": ("while True:\n    pass\n", {"timeout"}),
    "busy_threads": ("import threading\ndef spin():\n    while True: pass\n"
                     "for _ in range(4): threading.Thread(target=spin, daemon=True).start()\nwhile True: pass\n", {"timeout"}),
    "sleep_forever": ("import time\ntime.sleep(1000)\n", {"timeout"}),
    "network_connect": (GOOD + "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3).close()\n", {"error"}),
    "dns_lookup": (GOOD + "import socket\nsocket.getaddrinfo('example.com', 80)\n", {"error"}),
    "exit_zero_early": ("import os\nos._exit(0)\n", {"error"}),
    "sys_exit_zero": ("import sys\nsys.exit(0)\n", {"error"}),
    "exit_in_check": (GOOD + "import builtins, os\nbuiltins.__dict__['check'] = None\n"
                      "def add(a, b):\n    os._exit(0)\n", {"error"}),
    "print_fake_pass": ("print('passed')\nprint('{\"status\": \"passed\"}')\nimport sys\nsys.exit(0)\n", {"error"}),
    "forge_verdict_fds": ("import os\nfor fd in range(3, 64):\n    try:\n"
                          "        os.write(fd, b'0' * 32 + repr({'status': 'passed', 'detail': '', 'outputs': [], "
                          "'times': [], 'cpu': 0.0}).encode() + b'\\n')\n    except OSError:\n        pass\n"
                          "os._exit(0)\n", {"error"}),
    "atexit_fake": ("import atexit, os\natexit.register(lambda: os.write(1, b'passed'))\n"
                    "def add(a, b):\n    raise SystemExit(0)\n", {"error", "failed"}),
    "always_equal_check_style": ("class E:\n    def __eq__(self, o): return True\n"
                                 "def add(a, b):\n    return E()\n", {"failed"}),  # with guard=True (MBPP)
    "int_subclass_equal": ("class E(int):\n    def __eq__(self, o): return True\n    __hash__ = int.__hash__\n"
                           "def add(a, b):\n    return E(0)\n", {"failed"}),  # with guard=True
    "metaclass_forges_type_flags": ("class M(type):\n    __flags__ = 1 << 8\nclass E(metaclass=M):\n"
                                    "    def __eq__(self, o): return True\ndef add(a, b):\n    return E()\n", {"failed"}),
    "sigterm_ignored": ("import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                        "signal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True: pass\n", {"error", "timeout"}),
    "signals_blocked": ("import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGALRM, "
                        "signal.SIGPROF, signal.SIGXCPU})\nwhile True: pass\n", {"timeout"}),
    "subprocess_sleep": ("import subprocess\nsubprocess.run(['sleep', '100'])\n", {"timeout"}),
    "ctypes_segfault": ("import ctypes\nctypes.string_at(0)\n", {"error"}),
    "native_segfault": ("import faulthandler\nfaulthandler._read_null()\n", {"error"}),
    "deep_recursion": ("import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1) + 1\nf(0)\n",
                       {"error", "memory", "timeout"}),
    "recursion_error": ("def add(a, b):\n    return add(a, b)\n", {"error"}),
    "gc_walk_for_nonce": ("import gc\nfor o in gc.get_objects():\n    pass\n", {"error"}),
    "foreign_frames": ("import sys\nsys._current_frames()\n", {"error"}),
    "trace_hook": ("import sys\nsys.settrace(lambda *a: None)\n", {"error"}),
    "proc_self_mem": ("open('/proc/self/mem', 'rb').read(1)\n", {"error"}),
    "file_size_bomb": ("with open('big', 'wb') as f:\n    f.write(b'0' * (64 << 20))\n", {"error"}),
    "too_many_files": ("fs = [open('/dev/null') for _ in range(10000)]\n", {"error"}),
    "setuid_root": ("import os\nos.setuid(0)\n", {"error"}),
    "kill_everything": ("import os, signal\nos.kill(-1, signal.SIGKILL)\nwhile True: pass\n", {"error", "timeout"}),
}

# CPU limits other than the default 0.5 s. memory_creep races its 256 MB against the CPU limit
# (its page faults count as CPU time) and once, in CI, ran out of 0.5 s first (classified
# timeout); it reaches the memory limit in about 0.2 s, so 3 s keeps the test about memory.
CPU_LIMITS = {"memory_creep": 3.0}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_program_is_contained(name: str) -> None:
    if name in ("kill_everything", "fork_bomb", "setuid_root") and not NAMESPACED:
        pytest.skip("only safe with a pid namespace and a uid of its own")
    program, allowed = HOSTILE[name]
    out = run(program, limit=CPU_LIMITS.get(name, 0.5), guard=name in ("always_equal_check_style", "int_subclass_equal", "metaclass_forges_type_flags"))
    assert not out.passed
    assert out.status in allowed, (out.status, out.detail, out.stderr[-300:])
    assert out.runtime < 10
    VERDICTS[name] = out.status


def test_reference_program_passes_under_the_same_limits() -> None:
    # The test above means something only if a correct program passes with these limits.
    assert run(GOOD).passed


def test_always_equal_object_fails_humanevalplus() -> None:
    bench = load_benchmark("humaneval+")
    task = bench.tasks["HumanEval/0"]
    refs = references(bench, [task.task_id], Path(os.environ.get("TMPDIR", "/tmp")) / f"cx-{TOKEN}", 1)
    cheat = "class E:\n    def __eq__(self, o): return True\n    def __bool__(self): return True\n" \
            "def has_close_elements(numbers, threshold):\n    return E()\n"
    res = judge_sample(bench, task, cheat, refs[task.task_id], TimeLimits(), BOX)
    assert res["status"] == "failed" and "E" in res["detail"]
    bool_cheat = "class B(int):\n    def __eq__(self, o): return True\n" \
                 "def has_close_elements(numbers, threshold):\n    return B(1)\n"
    assert judge_sample(bench, task, bool_cheat, refs[task.task_id], TimeLimits(), BOX)["status"] == "failed"


def test_huge_output_is_capped_and_does_not_change_the_verdict() -> None:
    out = run("import sys\nsys.stdout.write('x' * (50 << 20))\nsys.stdout.flush()\n" + GOOD, limit=2.0)
    assert out.passed and len(out.stdout) <= BOX.output_bytes


@needs_ns
def test_writes_outside_the_work_dir_leave_nothing_behind() -> None:
    targets = [f"/tmp/evil-{TOKEN}", f"/var/tmp/evil-{TOKEN}", f"/dev/shm/evil-{TOKEN}",
               str(Path.cwd() / f"evil-{TOKEN}"), str(HOME / f"evil-{TOKEN}"), f"/evil-{TOKEN}"]
    prog = "import os\n" + "".join(
        f"try:\n    open({t!r}, 'w').write('x')\nexcept OSError:\n    pass\n" for t in targets) + GOOD
    out = run(prog)
    assert out.passed  # the program may try; it just cannot leave a trace
    for t in targets:
        assert not os.path.exists(t), t


@needs_ns
def test_home_is_hidden() -> None:
    secret = HOME / f".codehone-secret-{TOKEN}"
    secret.write_text("s3cret")
    try:
        prog = f"def add(a, b):\n    return a + b if open({str(secret)!r}).read() == 's3cret' else 0\n"
        out = run(prog)
        assert not out.passed and "FileNotFoundError" in out.detail
    finally:
        secret.unlink()


def test_cannot_signal_the_parent() -> None:
    got = []
    old = signal.signal(signal.SIGUSR1, lambda *a: got.append(1))
    try:
        prog = f"import os, signal\ntry:\n    os.kill({os.getpid()}, signal.SIGUSR1)\nexcept OSError:\n    pass\n" + GOOD
        run(prog)
    finally:
        signal.signal(signal.SIGUSR1, old)
    assert got == [] or not NAMESPACED


@needs_ns
def test_loopback_service_is_unreachable() -> None:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    try:
        prog = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2).close()\n" + GOOD
        out = run(prog)
        assert out.status == "error" and "Error" in out.detail
    finally:
        srv.close()


@needs_ns
def test_leftover_processes_are_killed() -> None:
    marker = f"7{int(TOKEN[:6], 16) % 10**6}.5"
    prog = f"import subprocess\nsubprocess.Popen(['sleep', '{marker}'])\n" + GOOD
    assert run(prog).passed
    alive = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                alive.append(pid)
        except OSError:
            pass
    assert alive == []


def test_verdicts_do_not_depend_on_worker_count() -> None:
    names = ["exit_zero_early", "always_equal_check_style", "recursion_error", "infinite_loop", "memory_bomb"]
    programs = [HOSTILE[n][0] for n in names] + [GOOD, GOOD.replace("a + b", "a - b")]

    def jobs():
        return [lambda p=p: run(p, guard=True) for p in programs]

    one = [o.status for o in sandbox.run_many(jobs(), 1)]
    two = [o.status for o in sandbox.run_many(jobs(), 2)]
    assert one == two
    assert one[-2:] == ["passed", "failed"]


def test_threads_in_parallel_runs_do_not_share_slots() -> None:
    # Two fork-capped programs at once: each has its own uid, so one's nproc use cannot fail the other.
    prog = "import threading\nts = [threading.Thread(target=lambda: None) for _ in range(4)]\n" \
           "[t.start() for t in ts]\n[t.join() for t in ts]\n" + GOOD
    results = []
    threads = [threading.Thread(target=lambda: results.append(run(prog).status)) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results == ["passed", "passed"]


# --- forgeries: wrong answers that try to be counted as passed --------------------------------
# Each is judged the way score_samples judges a sample (judge_sample: the sample answers the
# test's calls, the verdict is reached outside its interpreter), on real tasks: HumanEval/0 and
# /2 (static plans: asserts rewritten into calls + checks), HumanEval/53 (a replayed test: random
# inputs in a loop) and MBPP/11 (MBPP's tests call the function by name). {fn} is the entry
# point, {args} its parameters; every body returns a wrong value.

WRONG = "def {fn}({args}):\n    return 0\n"
FORGERIES = {
    "eq_ne_bool_overridden": "class E:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
                             "    def __bool__(self): return True\n    __hash__ = object.__hash__\n"
                             "def {fn}({args}):\n    return E()\n",
    "int_subclass_always_equal": "class E(int):\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\n"
                                 "    __hash__ = int.__hash__\ndef {fn}({args}):\n    return E(0)\n",
    "float_subclass_always_equal": "class E(float):\n    def __eq__(self, o): return True\n    __hash__ = float.__hash__\n"
                                   "    def __sub__(self, o): return 0.0\ndef {fn}({args}):\n    return E(0)\n",
    "str_subclass_always_equal": "class E(str):\n    def __eq__(self, o): return True\n    __hash__ = str.__hash__\n"
                                 "def {fn}({args}):\n    return E('x')\n",
    "dict_subclass_always_equal": "class E(dict):\n    def __eq__(self, o): return True\n"
                                  "def {fn}({args}):\n    return E()\n",
    "exec_replaced_by_noop": "import builtins\nbuiltins.exec = lambda *a, **k: None\n" + WRONG,
    "eval_replaced": "import builtins\nbuiltins.eval = lambda *a, **k: True\n" + WRONG,
    "compile_optimize_2": "import builtins\n_c = builtins.compile\n"
                          "builtins.compile = lambda *a, **k: _c(*a, **{{**k, 'optimize': 2}})\n" + WRONG,
    "os_write_rewrites_failed": "import os\n_w = os.write\n"
                                "os.write = lambda fd, b: _w(fd, b.replace(b'failed', b'passed').replace(b'error', b'passed'))\n"
                                + WRONG,
    "repr_forges_verdict": "import builtins\n_r = builtins.repr\n"
                           "builtins.repr = lambda o: _r(o).replace('failed', 'passed').replace('done', 'passed')\n" + WRONG,
    "classify_patched_from_frame": "import sys\n"
                                   "def {fn}({args}):\n    f = sys._getframe(1)\n    while f is not None:\n"
                                   "        f.f_globals['_classify'] = lambda *a: ('passed', '')\n"
                                   "        f.f_globals['_encode'] = lambda *a, **k: 'True'\n        f = f.f_back\n    return 0\n",
    "done_lock_released_at_load": "import sys, time\nf = sys._getframe(0)\nwhile f is not None:\n"
                                  "    d = f.f_locals.get('done')\n    if d is not None:\n        try:\n            d.release()\n"
                                  "        except Exception:\n            pass\n    f = f.f_back\ntime.sleep(0.2)\n" + WRONG,
    "done_lock_released_at_call": "import sys, time\ndef {fn}({args}):\n    f = sys._getframe(0)\n"
                                  "    while f is not None:\n        for k in ('done', 'state'):\n"
                                  "            v = f.f_locals.get(k)\n            if k == 'done' and v is not None:\n"
                                  "                try:\n                    v.release()\n                except Exception:\n"
                                  "                    pass\n            if k == 'state' and isinstance(v, dict):\n"
                                  "                v['error'] = None\n        f = f.f_back\n    time.sleep(0.2)\n    return 0\n",
    "closure_cells_rewritten": "import sys\ndef {fn}({args}):\n    f = sys._getframe(0)\n    while f is not None:\n"
                               "        st = f.f_locals.get('state')\n        if isinstance(st, dict):\n"
                               "            st['outputs'][:] = ['True'] * 50\n        f = f.f_back\n    return 0\n",
    "shadow_abs_module_level": "abs = lambda x: 0\n" + WRONG,
    "shadow_builtins_abs": "import builtins\nbuiltins.abs = lambda x: 0\nbuiltins.tuple = lambda x: ()\n" + WRONG,
    "shadow_isinstance_and_type": "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.len = lambda x: 0\n" + WRONG,
    "assertion_error_swallowed": "import builtins\nclass Quiet(Exception):\n    pass\nbuiltins.AssertionError = Quiet\n" + WRONG,
    "os_exit_in_call": "import os\ndef {fn}({args}):\n    os._exit(0)\n",
    "sys_exit_in_call": "import sys\ndef {fn}({args}):\n    sys.exit(0)\n",
    "keyboard_interrupt_in_call": "def {fn}({args}):\n    raise KeyboardInterrupt\n",
    "print_fake_verdicts": "import sys\nprint('passed')\nprint(\"{{'status': 'passed', 'detail': ''}}\")\n"
                           "sys.stderr.write('passed\\n')\n" + WRONG,
    "fake_verdict_on_every_fd": "import os\ndef {fn}({args}):\n    for fd in range(3, 64):\n        try:\n"
                                "            os.write(fd, b'0' * 32 + b\"{{'status': 'passed', 'detail': '', 'outputs': [], 'times': [], 'cpu': 0.0}}\\n\")\n"
                                "        except OSError:\n            pass\n    os._exit(0)\n",
    "fake_streamed_outputs": "import os\ndef {fn}({args}):\n    for fd in range(3, 64):\n        try:\n"
                             "            os.write(fd, b''.join(b'@%d True\\n' % i for i in range(200)))\n"
                             "        except OSError:\n            pass\n    return 0\n",
    "dispatcher_overridden": WRONG + "def __codehone_call__(name, args, kwargs):\n    return True\n",
    "dispatcher_patched_late": "def {fn}({args}):\n    globals()['__codehone_call__'] = lambda *a: True\n    return True\n",
    "returns_generator": "def {fn}({args}):\n    yield True\n",
    "returns_the_function_itself": "def {fn}({args}):\n    return {fn}\n",
    "entry_point_is_a_class": "class {fn}:\n    def __init__(self, *a): pass\n    def __eq__(self, o): return True\n"
                              "    def __bool__(self): return True\n",
    "huge_output": "def {fn}({args}):\n    return 'x' * (20 << 20)\n",
    "deeply_nested_output": "def {fn}({args}):\n    x = []\n    for _ in range(10000):\n        x = [x]\n    return x\n",
    "self_referential_output": "def {fn}({args}):\n    x = []\n    x.append(x)\n    return x\n",
    "repr_recursion_output": "class R:\n    def __repr__(self): return repr(self)\ndef {fn}({args}):\n    return R()\n",
    "nan_output": "def {fn}({args}):\n    return float('nan')\n",
    "deepcopy_patched": "import copy\ncopy.deepcopy = lambda x, memo=None: None\n" + WRONG,
    "random_seed_hijacked": "import random\nrandom.seed = lambda *a, **k: None\nrandom.randint = lambda a, b: 0\n" + WRONG,
    "counter_eq_patched": "import collections\ncollections.Counter.__eq__ = lambda s, o: True\n"
                          "def {fn}({args}):\n    return collections.Counter('zz')\n",
    "audit_hook_bypass_attempt": "import sys\ntry:\n    sys.addaudithook(lambda *a: None)\nexcept Exception:\n    pass\n" + WRONG,
}
# (task, parameters): a static HumanEval task, one whose asserts use abs(), a replayed test, MBPP.
FORGERY_TASKS = {"humaneval": [("HumanEval/0", "numbers, threshold"), ("HumanEval/2", "number"),
                               ("HumanEval/53", "x, y")],
                 "mbpp": [("MbppEval/11", "s, ch")]}


@pytest.fixture(scope="module")
def forgery_refs(tmp_path_factory):
    from codehone.eval.score import LazyReferences

    out = tmp_path_factory.mktemp("forgery")
    return {name: LazyReferences(load_benchmark(name), out / name.replace("+", "p"), TimeLimits(), BOX)
            for name in FORGERY_TASKS}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_forged_pass_is_never_counted(name: str, forgery_refs) -> None:
    statuses = []
    for bench_name, tasks in FORGERY_TASKS.items():
        bench = load_benchmark(bench_name)
        for task_id, params in tasks:
            task = bench.tasks[task_id]
            program = FORGERIES[name].format(fn=task.entry_point, args=params)
            (forgery_refs[bench_name].path.parent).mkdir(parents=True, exist_ok=True)
            res = judge_sample(bench, task, program, forgery_refs[bench_name], TimeLimits(), BOX)
            assert not res["passed"], (task_id, res)
            assert res["status"] in ("failed", "error", "timeout", "memory"), (task_id, res)
            statuses.append(f"{task_id}:{res['status']}")
    VERDICTS[f"forgery:{name}"] = statuses


def test_forgery_suite_can_tell_a_right_answer(forgery_refs) -> None:
    # The forgeries fail because they are judged, not because every program fails here.
    right = {"HumanEval/0": "def has_close_elements(numbers, threshold):\n    return any(abs(a - b) < threshold "
                            "for i, a in enumerate(numbers) for b in numbers[i + 1:])\n",
             "HumanEval/2": "def truncate_number(number):\n    return number % 1.0\n",
             "HumanEval/53": "def add(x, y):\n    return x + y\n",
             "MbppEval/11": "def remove_Occ(s, ch):\n    i = s.find(ch)\n    s = s[:i] + s[i + 1:] if i >= 0 else s\n"
                            "    j = s.rfind(ch)\n    return s[:j] + s[j + 1:] if j >= 0 else s\n"}
    for bench_name, tasks in FORGERY_TASKS.items():
        bench = load_benchmark(bench_name)
        for task_id, _ in tasks:
            (forgery_refs[bench_name].path.parent).mkdir(parents=True, exist_ok=True)
            res = judge_sample(bench, bench.tasks[task_id], right[task_id], forgery_refs[bench_name], TimeLimits(), BOX)
            assert res["passed"], (task_id, res)


def test_forged_message_fails_humanevalplus_too() -> None:
    # repr() patched so the harness's own "done" message reads "passed": io runs never pass by status.
    bench = load_benchmark("humaneval+")
    task = bench.tasks["HumanEval/0"]
    refs = references(bench, [task.task_id], Path(os.environ.get("TMPDIR", "/tmp")) / f"cx-{TOKEN}", 1)
    program = FORGERIES["repr_forges_verdict"].format(fn=task.entry_point, args="numbers, threshold")
    res = judge_sample(bench, task, program, refs[task.task_id], TimeLimits(), BOX)
    assert not res["passed"] and res["status"] in ("failed", "error"), res
    VERDICTS["forgery:repr_forges_verdict:humaneval+"] = res["status"]


def test_data_row_tests_are_judged_outside_the_answer() -> None:
    # Distillation keeps a teacher answer only if it passes the row's test: the same rule applies.
    from codehone.core.sandbox.judge import judge_test_source

    test = "assert answer(3) == 6\nassert answer(0) == 0\n"
    assert judge_test_source("def answer(x):\n    return 2 * x\n", test, box=BOX).passed
    forged = FORGERIES["exec_replaced_by_noop"].format(fn="answer", args="x")
    assert not judge_test_source(forged, test, box=BOX).passed
    loop = "for i in range(3):\n    assert answer(i) == 2 * i\n"  # not splittable: replayed on the reference
    ref = "def answer(x):\n    return x + x\n"
    assert judge_test_source("def answer(x):\n    return 2 * x\n", loop, reference=ref, box=BOX).passed
    assert not judge_test_source(forged, loop, reference=ref, box=BOX).passed
    assert judge_test_source("def answer(x):\n    return 2 * x\n", loop, box=BOX).status == "error"  # no reference
