"""Run programs through codehone's interpreter and through scratch-vm, and compare the traces.

The oracle is ``tools/scratch-oracle/oracle.js`` (scratch-vm, pinned by its package-lock.json);
it reads one job per line and writes one trace per line, so a whole set runs in one Node process.
What is compared, per program:

- ``segments``: every pen line, in order, each coordinate within 0.01 px (scratch-vm also draws
  zero-length lines when a sprite with its pen down "moves" on the spot; codehone does not record
  them, so they are dropped from scratch-vm's side first);
- ``speech``: the said, thought and asked texts with the sprite that spoke, in order;
- ``final``: each sprite's x, y, direction, size (within 0.01), visibility, costume and pen state,
  and every variable's value.

Used by ``test_scratch_vm.py``; also runnable as ``python -m tests.conformance.harness`` for the
report alone.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.runtime.values import compare
from codehone.blocks.sb3.write import write_sb3

ROOT = Path(__file__).resolve().parents[2]
ORACLE = ROOT / "tools" / "scratch-oracle"
PROBES = Path(__file__).with_name("probes.txt")
PROBES_EXTRA = Path(__file__).with_name("probes_extra.txt")  # written after tuning
BENCH = ROOT / "src" / "codehone" / "blocks" / "copilot" / "bench" / "blocks.jsonl"
TOL = 0.01
MAX_SECONDS = 60.0


@dataclass
class Program:
    id: str
    text: str
    answers: list = field(default_factory=list)
    events: list = field(default_factory=list)
    check: dict | None = None


def load_probes(path: Path = PROBES) -> list[Program]:
    """The probe set: "=== id" starts a probe; "answers:"/"events:" lines (JSON) may follow; the
    rest up to the next "===" is the program. Lines before the first probe are the header."""
    out: list[Program] = []
    for chunk in path.read_text(encoding="utf-8").split("\n=== ")[1:]:
        head, _, rest = chunk.partition("\n")
        p = Program(head.strip(), "")
        lines = rest.splitlines()
        while lines and lines[0].split(":", 1)[0] in ("answers", "events"):
            key, _, value = lines.pop(0).partition(":")
            setattr(p, key, json.loads(value))
        p.text = "\n".join(lines).strip("\n") + "\n"
        out.append(p)
    return out


def load_bench(path: Path = BENCH) -> list[Program]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [Program(r["task_id"], r["reference"], r.get("answers", []), r.get("events", []), r["check"]) for r in rows]


def oracle_available() -> bool:
    return shutil.which("node") is not None and (ORACLE / "node_modules" / "scratch-vm").is_dir()


def run_oracle(programs: list[Program], timeout: float = 600.0) -> dict[str, dict]:
    """scratch-vm's trace of each program, by id."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for p in programs:
            path = Path(tmp) / f"{len(jobs)}.sb3"
            write_sb3(parse(p.text), path)
            jobs.append(json.dumps({"id": p.id, "sb3": str(path), "answers": p.answers, "events": p.events,
                                    "max_seconds": MAX_SECONDS}))
        out = subprocess.run(["node", str(ORACLE / "oracle.js")], input="\n".join(jobs) + "\n", text=True,
                             capture_output=True, timeout=timeout, check=True)
    traces = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    return {t["id"]: t for t in traces}


def run_codehone(p: Program) -> dict:
    return run_program(p.text, answers=p.answers, events=p.events, max_seconds=MAX_SECONDS)


# ------------------------------------------------------------------------------ comparing

def _speech_codehone(trace: dict) -> list[tuple]:
    return [(e["sprite"], e["type"], e["text"]) for e in trace["log"] if e["type"] in ("say", "think", "ask")]


def _speech_oracle(trace: dict) -> list[tuple]:
    return [(e["sprite"], e["type"], e["text"]) for e in trace["log"] if e["type"] != "answer"]


def _oracle_segments(trace: dict) -> list[list[float]]:
    return [s for s in trace["segments"] if (s[0], s[1]) != (s[2], s[3])]


def diff_segments(ours: dict, theirs: dict) -> str | None:
    a, b = ours["segments"], _oracle_segments(theirs)
    if len(a) != len(b):
        return f"{len(a)} pen lines, scratch-vm {len(b)}"
    for i, (s, t) in enumerate(zip(a, b)):
        if any(not abs(u - v) <= TOL for u, v in zip(s, t)):
            return f"pen line {i}: {s} vs scratch-vm {t}"
    return None


def diff_speech(ours: dict, theirs: dict) -> str | None:
    a, b = _speech_codehone(ours), _speech_oracle(theirs)
    if a == b:
        return None
    for i, (s, t) in enumerate(zip(a, b)):
        if s != t:
            return f"speech {i}: {s} vs scratch-vm {t}"
    return f"{len(a)} speech events, scratch-vm {len(b)} (next: {(a + b)[min(len(a), len(b))]})"


def _same_value(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= TOL or (math.isnan(a) and math.isnan(b))
    return str(a) == str(b) or (not isinstance(a, str) and compare(a, b) == 0)


def diff_final(ours: dict, theirs: dict) -> str | None:
    for name, t in theirs["sprites"].items():
        s = ours["sprites"].get(name)
        if s is None:
            return f"no sprite {name}"
        for k in ("x", "y", "direction", "size"):
            if not abs(s[k] - t[k]) <= TOL:
                return f"{name}.{k} = {s[k]}, scratch-vm {t[k]}"
        for k in ("visible", "costume", "pen_down"):
            if s[k] != t[k]:
                return f"{name}.{k} = {s[k]}, scratch-vm {t[k]}"
    for k, v in theirs["variables"].items():
        if not _same_value(ours["variables"].get(k), v):
            return f"variable {k} = {ours['variables'].get(k)!r}, scratch-vm {v!r}"
    return None


def oracle_as_trace(theirs: dict, names: list[str]) -> dict:
    """scratch-vm's trace in the shape codehone's checks read (segments, speech, sprites, ...)."""
    log = theirs["log"]
    initial = {n: {"x": 0.0, "y": 0.0, "direction": 90.0, "size": 100.0, "visible": True} for n in names}
    return {
        "segments": _oracle_segments(theirs),
        "segment_pens": [[None, p[1], p[2]] for s, p in zip(theirs["segments"], theirs["segment_pens"])
                         if (s[0], s[1]) != (s[2], s[3])],
        "said": [e["text"] for e in log if e["type"] == "say"],
        "thought": [e["text"] for e in log if e["type"] == "think"],
        "asked": [e["text"] for e in log if e["type"] == "ask"],
        "log": [{**e, "t": e["frame"] / 30} for e in log],
        "initial": initial, "sprites": theirs["sprites"], "variables": theirs["variables"],
        "timeline": theirs.get("timeline", []), "stopped_by_cap": theirs["stopped_by_cap"], "notes": [],
        "answers_used": [e["text"] for e in log if e["type"] == "answer"], "dots": theirs["dots"], "stamps": theirs["stamps"],
    }


# ------------------------------------------------------------------------------ the report

# Differences from scratch-vm that are understood and accepted, by program id, with the reason.
# The suite fails on any difference not named here (and on a named one that went away, so the
# list stays true).
KNOWN: dict[str, str] = {}


@dataclass
class Report:
    programs: int = 0
    agree: dict = field(default_factory=lambda: {"segments": 0, "speech": 0, "final": 0})
    checks: dict = field(default_factory=lambda: {"total": 0, "scratch_vm": 0, "codehone": 0})
    differences: list = field(default_factory=list)  # (id, kind, detail)

    def rate(self, kind: str) -> float:
        return self.agree[kind] / self.programs if self.programs else 1.0

    def to_markdown(self, title: str) -> str:
        lines = [f"### {title}: {self.programs} programs", "",
                 "| compared | agree with scratch-vm |", "|---|---|"]
        lines += [f"| {k} | {v}/{self.programs} ({100 * self.rate(k):.1f}%) |" for k, v in self.agree.items()]
        if self.checks["total"]:
            lines += ["", f"Reference checks passing: {self.checks['scratch_vm']}/{self.checks['total']} on "
                      f"scratch-vm's trace, {self.checks['codehone']}/{self.checks['total']} on codehone's."]
        lines += ["", "Differences:" if self.differences else "Differences: none."]
        lines += [f"- `{i}` {k}: {d}" + (f" (known: {KNOWN[i]})" if i in KNOWN else "") for i, k, d in self.differences]
        return "\n".join(lines) + "\n"


def compare_all(programs: list[Program], theirs: dict[str, dict] | None = None) -> Report:
    """Run ``programs`` through both and count where they agree."""
    from codehone.blocks.runtime.checks import run_check

    theirs = theirs if theirs is not None else run_oracle(programs)
    rep = Report(programs=len(programs))
    for p in programs:
        t = theirs[p.id]
        if "error" in t:
            rep.differences.append((p.id, "oracle", t["error"].splitlines()[0]))
            continue
        ours = run_codehone(p)
        for kind, diff in (("segments", diff_segments), ("speech", diff_speech), ("final", diff_final)):
            d = diff(ours, t)
            if d is None:
                rep.agree[kind] += 1
            else:
                rep.differences.append((p.id, kind, d))
        if p.check is not None:
            names = [s.name for s in parse(p.text).sprites]
            on_vm = run_check(p.check, oracle_as_trace(t, names))
            rep.checks["total"] += 1
            rep.checks["scratch_vm"] += on_vm.ok
            rep.checks["codehone"] += run_check(p.check, ours).ok
            if not on_vm.ok:
                rep.differences.append((p.id, "check", f"fails its own check on scratch-vm's trace: {on_vm.detail}"))
    return rep


def main() -> None:
    """``python -m tests.conformance.harness``: print the report for the probes and the benchmark."""
    probes, extra, bench = load_probes(), load_probes(PROBES_EXTRA), load_bench()
    theirs = run_oracle(probes + extra + bench)
    print(compare_all(probes, theirs).to_markdown("Probe set"))
    print(compare_all(extra, theirs).to_markdown("Extra probes (after tuning)"))
    print(compare_all(bench, theirs).to_markdown("Benchmark references"))


if __name__ == "__main__":
    main()
