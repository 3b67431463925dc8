"""codehone's interpreter against the official Scratch 3 VM (issue 17).

Every probe (``probes.txt``) and every benchmark reference runs through both
(``tools/scratch-oracle``, scratch-vm pinned by its lockfile, installed with ``npm ci``); pen
lines, speech in order and the final sprite state must agree, and every benchmark reference must
pass its own check on scratch-vm's trace. Marked ``conformance``: not in the default run (it needs
Node and the oracle's node_modules); ``.ci/run`` runs it. The report is written to
``runs/conformance/report.md``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import harness as h

pytestmark = [pytest.mark.conformance,
              pytest.mark.skipif(not h.oracle_available(), reason="needs node and tools/scratch-oracle/node_modules "
                                 "(cd tools/scratch-oracle && npm ci)")]

FINAL_STATE_MIN = 0.98


@pytest.fixture(scope="module")
def reports() -> dict[str, h.Report]:
    probes, extra, bench = h.load_probes(), h.load_probes(h.PROBES_EXTRA), h.load_bench()
    theirs = h.run_oracle(probes + extra + bench)
    out = {"Probe set": h.compare_all(probes, theirs), "Extra probes (after tuning)": h.compare_all(extra, theirs),
           "Benchmark references": h.compare_all(bench, theirs)}
    path = h.ROOT / "runs" / "conformance" / "report.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(r.to_markdown(title) + "\n" for title, r in out.items()), encoding="utf-8")
    print(path.read_text(encoding="utf-8"))
    return out


def test_probe_set_is_large_and_covers_the_catalogue():
    from codehone.blocks.lang.catalog import load_catalog
    from codehone.blocks.lang.nodes import walk
    from codehone.blocks.lang.parser import parse

    probes = h.load_probes()
    assert len(probes) >= 80 and len({p.id for p in probes}) == len(probes)
    used: set[str] = set()
    for p in probes:
        for sprite in parse(p.text).sprites:
            for script in sprite.scripts:
                hat = getattr(script, "hat", None)
                used |= {c.opcode for c in walk(script.body + ((hat,) if hat else ()))}
    never = {"procedures_definition", "procedures_prototype"}  # written as define(), not as calls
    missing = set(load_catalog().blocks) - used - never
    assert not missing, f"blocks no probe uses: {sorted(missing)}"


@pytest.mark.parametrize("title", ["Probe set", "Extra probes (after tuning)", "Benchmark references"])
def test_pen_lines_and_speech_agree_everywhere(reports, title):
    r = reports[title]
    assert r.agree["segments"] == r.programs, r.to_markdown(title)
    assert r.agree["speech"] == r.programs, r.to_markdown(title)


@pytest.mark.parametrize("title", ["Probe set", "Extra probes (after tuning)", "Benchmark references"])
def test_final_state_agrees_and_every_difference_is_named(reports, title):
    r = reports[title]
    assert r.rate("final") >= FINAL_STATE_MIN, r.to_markdown(title)
    unnamed = [d for d in r.differences if d[0] not in h.KNOWN]
    assert not unnamed, r.to_markdown(title)


def test_known_differences_still_happen(reports):
    seen = {d[0] for r in reports.values() for d in r.differences}
    assert set(h.KNOWN) <= seen, f"no longer different, drop from KNOWN: {sorted(set(h.KNOWN) - seen)}"


def test_every_reference_passes_its_check_on_scratch_vm(reports):
    c = reports["Benchmark references"].checks
    assert c["total"] == 184 and c["scratch_vm"] == c["total"] and c["codehone"] == c["total"]


def test_report_is_written(reports):
    assert (h.ROOT / "runs" / "conformance" / "report.md").is_file()
    assert Path(h.ORACLE / "package-lock.json").is_file()
