"""Scoring repository fills by execution: the repository's own pytest tests, run in the sandbox.

Exact match undercounts (``x + 1`` for ``1 + x``) and edit similarity cannot tell a harmless
difference from a bug; the repository's tests can, for the Python files they cover. For one task:

1. **Which tests.** A test file itself (``test_*.py``, ``*_test.py``) runs its own tests; a module
   ``pkg/_make.py`` (or ``pkg/make/__init__.py``) runs ``test_make.py``, ``test__make.py`` or
   ``make_test.py`` wherever they are in the checkout. Nothing found: the task is ``untested``.
2. **Is the task testable.** The file as it is must pass those tests (``reference``: once a file),
   and the file with its middle taken out must fail them (``mutant``: statements become ``pass``,
   an expression ``None``). A task whose tests cannot tell its middle is missing says nothing
   about a fill, so it is counted apart (``not_covered``), not as a pass.
3. **The fill.** The file with the model's middle spliced in, checked for syntax here first (a
   ``SyntaxError`` fails without a sandbox), then run against the same tests. A fill equal to the
   reference middle is the reference file: it passes without a run.

Every run is a fresh sandbox (``core.sandbox``: no network, a read-only file system, its own
tmpfs): the checkout's Python files and test configuration travel in with the program, which
writes them into its work dir and calls ``pytest.main``, with the checkout's ``src/`` (if any),
its root, and this interpreter's site-packages on ``sys.path``. So the repository's test
dependencies must be installed where codehone runs (``pip install`` them beside it), as with
any test run. The repository's ``addopts`` are cleared (they often name plugins, e.g. coverage).

Trust: the verdict is pytest's exit code inside the sandbox. Unlike the benchmarks' verdicts
(judged outside the program: ``core.sandbox.judge``), a fill that patches pytest from inside the
repository's code could fake a pass; exact match stays the headline figure, execution beside it.

Results go to ``executions.jsonl`` in the eval directory, one row per run, keyed by the content
hash of (file, tests); a rerun (or the next chunk of a larger pass) runs only what is new.
"""

from __future__ import annotations

import hashlib
import os
import site
import sys
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from codehone.core.progress import ProgressBar
from codehone.core.sandbox.run import run_program
from codehone.core.sandbox.values import Limits
from codehone.data.source import load_source
from codehone.errors import UserError
from codehone.runs import append_jsonl, read_jsonl

# What travels into the sandbox: Python sources and the files that configure or feed tests.
SHIP_SUFFIXES = frozenset({".py", ".pyi", ".typed", ".toml", ".cfg", ".ini", ".json", ".txt", ".yml", ".yaml"})
SKIP_DIRS = frozenset({".git", ".hg", ".tox", ".nox", ".venv", "venv", "env", "node_modules", "build", "dist",
                       "__pycache__", ".mypy_cache", ".pytest_cache", "site-packages", ".eggs"})
MAX_FILE_BYTES = 1 << 20
MAX_SHIP_BYTES = 16 << 20  # more than this is not a checkout we can copy into a sandbox per run
TEST_CPU_S = 60.0  # CPU seconds for one pytest run (interpreter start, imports and the tests)
MIN_RUN_CPU_S = 3.0  # with less time than this left before a deadline, a run is not started
SANDBOX = Limits(memory_mb=3072, nproc=64, fsize_mb=64, nofile=512, tmpfs_mb=256, output_bytes=16 * 1024,
                 max_cpu_s=TEST_CPU_S + 5)
STATUSES = ("passed", "failed", "untested", "not_covered", "reference_fails", "not_run")


@dataclass
class Checkout:
    """A repository checkout as the sandbox receives it."""

    root: Path
    files: dict[str, str]  # relative path -> text
    tests: list[str] = field(default_factory=list)  # relative paths of test files

    @classmethod
    def load(cls, source: str | os.PathLike) -> "Checkout":
        """The shippable files of a folder, git repository or .tar/.zip archive (read as the data
        stage reads it: an sdist's top folder is dropped, so paths match the benchmark's)."""
        if not Path(source).exists():
            raise UserError(f"--execute {source}: does not exist; give the checkout (or archive) the data set "
                            "was built from")
        src = load_source(source, max_bytes=MAX_FILE_BYTES, skip=_not_shipped)
        files: dict[str, str] = {}
        total = 0
        for f in src.files:
            if f.data is None or f.error:
                continue
            try:
                text = f.data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            total += len(text)
            if total > MAX_SHIP_BYTES:
                raise UserError(f"--execute {source}: more than {MAX_SHIP_BYTES >> 20} MB of Python and test files; "
                                "point it at the package's own checkout (not a monorepo or a virtualenv)")
            files[f.path] = text
        tests = sorted(p for p in files if _is_test_file(p))
        return cls(Path(source), files, tests)

    def tests_for(self, path: str) -> list[str]:
        """The test files that cover ``path`` (module doc, step 1); [] when none."""
        if _is_test_file(path):
            return [path] if path in self.files else []
        p = Path(path)
        if p.suffix != ".py":
            return []
        stem = p.parent.name if p.stem == "__init__" else p.stem
        bare = stem.lstrip("_")
        names = {f"test_{bare}.py", f"test_{stem}.py", f"{bare}_test.py"}
        return [t for t in self.tests if Path(t).name in names]

    def import_paths(self) -> list[str]:
        return (["src"] if any(p.startswith("src/") for p in self.files) else []) + ["."]


def _not_shipped(path: str) -> str | None:
    parts = path.split("/")
    if any(p in SKIP_DIRS or p.endswith(".egg-info") for p in parts[:-1]):
        return "not shipped: tool or build folder"
    return None if Path(path).suffix in SHIP_SUFFIXES else "not shipped: not Python or test configuration"


def _is_test_file(path: str) -> bool:
    name = Path(path).name
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def mutants(middle: str, kind: str) -> list[str]:
    """Middles that take the task's code out and keep the file valid, best first (module doc)."""
    if kind == "random_span":
        return ["None", ""]
    indent = middle[: len(middle) - len(middle.lstrip(" \t"))]
    return [f"{indent}pass\n", ""]


def compiles(text: str, path: str) -> bool:
    with warnings.catch_warnings():  # a fill's "x is not callable" SyntaxWarning is the tests' business
        warnings.simplefilter("ignore")
        try:
            compile(text, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            return False
    return True


def _program(checkout: Checkout, path: str, text: str, tests: list[str]) -> str:
    files = dict(checkout.files)
    files[path] = text
    paths = checkout.import_paths()
    return (
        "import os, sys\n"
        f"files = {files!r}\n"
        "for rel, body in files.items():\n"
        "    os.makedirs(os.path.dirname(rel) or '.', exist_ok=True)\n"
        "    with open(rel, 'w', encoding='utf-8') as f:\n"
        "        f.write(body)\n"
        f"sys.path[:0] = [os.path.abspath(p) for p in {paths!r}] + {_site_packages()!r}\n"
        "import pytest\n"
        f"code = pytest.main(['-x', '-q', '--no-header', '-p', 'no:cacheprovider', '-o', 'addopts=', "
        f"'--tb=line', '-rf', '--rootdir', '.', *{tests!r}])\n"
        "sys.stdout.flush()  # the harness leaves with os._exit: unflushed output would be lost\n"
        "assert code == 0, f'pytest exit code {int(code)}'\n")


def _site_packages() -> list[str]:
    """This interpreter's package directories: the harness starts Python without ``site``."""
    dirs = list(site.getsitepackages()) if hasattr(site, "getsitepackages") else []
    dirs += [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    return list(dict.fromkeys(d for d in dirs if os.path.isdir(d)))


def _tail(text: str, lines: int = 2) -> str:
    """pytest's last words (the failing test and the counts), without its ruler lines."""
    kept = [ln for ln in text.strip().splitlines() if ln.strip() and ln.strip()[0] not in "=!_"]
    return " | ".join(kept[-lines:])[:300]


class OutOfTime(Exception):
    """No time left before ``stop_at`` for another test run."""


class Runner:
    """Runs (file, tests) pairs once each: cached in ``executions.jsonl`` by content hash. With
    ``stop_at`` (monotonic) a run's own limits are cut to end by then, so a fill that hangs cannot
    carry a budgeted caller past it; a run cut short that times out is not cached (it may pass
    with its full time) but reported as out of time."""

    def __init__(self, checkout: Checkout, log: Path, stop_at: float | None = None) -> None:
        self.checkout, self.log, self.stop_at = checkout, log, stop_at
        self.cache = {r["key"]: r for r in read_jsonl(log)} if log.exists() else {}

    def key(self, path: str, text: str, tests: list[str]) -> str:
        h = hashlib.sha256(path.encode())
        h.update(b"\0" + text.encode("utf-8", "surrogatepass"))
        for t in tests:
            h.update(b"\0" + self.checkout.files.get(t, "").encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:24]

    def passes(self, path: str, text: str, tests: list[str], what: str) -> tuple[bool, str]:
        key = self.key(path, text, tests)
        if key not in self.cache:
            if not compiles(text, path):
                row = {"key": key, "what": what, "passed": False, "detail": "SyntaxError (not run)", "seconds": 0.0}
            else:
                cpu_s = self._cpu_limit()
                out = run_program(_program(self.checkout, path, text, tests), limits=cpu_s,
                                  sandbox=replace(SANDBOX, max_cpu_s=cpu_s + 5))
                if out.status == "timeout" and cpu_s < TEST_CPU_S:
                    raise OutOfTime()
                detail = "" if out.passed else f"{out.status}: {_tail(out.stdout) or out.detail}"
                row = {"key": key, "what": what, "passed": out.passed, "detail": detail, "seconds": round(out.runtime, 2)}
            append_jsonl(self.log, row)
            self.cache[key] = row
        return self.cache[key]["passed"], self.cache[key]["detail"]

    def _cpu_limit(self) -> float:
        """CPU seconds for the next run: TEST_CPU_S, or what still ends (wall deadline included)
        before ``stop_at``."""
        if self.stop_at is None:
            return TEST_CPU_S
        left = self.stop_at - time.monotonic()
        cpu_s = (left - SANDBOX.wall_base_s) / SANDBOX.wall_factor - SANDBOX.startup_s - 5
        if cpu_s < MIN_RUN_CPU_S:
            raise OutOfTime()
        return min(TEST_CPU_S, cpu_s)


def execute(rows: Iterable[dict], predictions: dict[str, str], checkout: Checkout, log: Path,
            progress: bool = True, stop_at: float | None = None) -> dict[str, dict]:
    """Per task id: {"exec": status (STATUSES), "exec_detail": why}; the module doc says how.
    Past ``stop_at`` (time.monotonic) the tasks left are ``not_run``."""
    rows = list(rows)
    runner = Runner(checkout, log, stop_at)
    out: dict[str, dict] = {}
    with ProgressBar("repo tests", total=len(rows), unit="tasks", enabled=progress) as bar:
        for row in rows:
            try:
                if stop_at is not None and time.monotonic() > stop_at:
                    raise OutOfTime()
                verdict = _one(row, predictions.get(row["task_id"], ""), checkout, runner)
            except OutOfTime:
                verdict = ("not_run", "out of time")
            out[row["task_id"]] = {"exec": verdict[0], "exec_detail": verdict[1]}
            bar.advance()
    return out


def _one(row: dict, prediction: str, checkout: Checkout, runner: Runner) -> tuple[str, str]:
    path = row["path"]
    tests = checkout.tests_for(path) if row.get("language", "python") == "python" else []
    if not tests:
        return "untested", "no test file for this module"
    original = checkout.files.get(path)
    window = row["prefix"] + row["middle"] + row["suffix"]
    at = original.find(window) if original is not None else -1
    if at < 0:
        return "untested", "the checkout's file differs from the one the task was cut from"

    def spliced(middle: str) -> str:
        return original[:at] + row["prefix"] + middle + row["suffix"] + original[at + len(window):]

    ok, why = runner.passes(path, original, tests, "reference")
    if not ok:
        return "reference_fails", f"the repository's own tests fail on the file as it is: {why}"
    mutant = next((m for m in mutants(row["middle"], row["kind"]) if compiles(spliced(m), path)), None)
    if mutant is None or runner.passes(path, spliced(mutant), tests, "mutant")[0]:
        return "not_covered", f"{', '.join(tests)} pass with the middle taken out"
    if prediction == row["middle"]:
        return "passed", "the reference middle"
    ok, why = runner.passes(path, spliced(prediction), tests, "fill")
    return ("passed", "") if ok else ("failed", why)


def summarize(results: list[dict]) -> dict:
    """Counts by status, and the pass rate over the tasks the tests cover, overall and per kind."""
    by: dict[str, dict] = {}
    for r in results:
        for key in ("all", r["kind"]):
            b = by.setdefault(key, {s: 0 for s in STATUSES})
            b[r["exec"]] += 1
    for b in by.values():
        covered = b["passed"] + b["failed"]
        b["covered"] = covered
        b["pass_rate"] = b["passed"] / covered if covered else None
    return by


def execution_line(counts: dict) -> str:
    """One line for a terminal: the pass rate over covered tasks and where the rest went."""
    rate = "-" if counts["pass_rate"] is None else f"{100 * counts['pass_rate']:.1f}%"
    return (f"repository tests: {counts['passed']}/{counts['covered']} covered fills pass ({rate}); "
            f"{counts['not_covered']} not covered by their tests, {counts['untested']} without tests, "
            f"{counts['reference_fails']} where the tests fail on the original file"
            + (f", {counts['not_run']} not run (out of time)" if counts["not_run"] else ""))
