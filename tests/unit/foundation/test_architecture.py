"""The structure docs/architecture.md describes, held at zero: no import against the layers or the
pipeline, no file-level import cycle, no module over 500 lines, no function over 80 lines
(scripts/architecture.py measures them from the imports, function-local ones included)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _measure() -> dict:
    spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts" / "architecture.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.measure()


def test_the_structure_holds():
    m = _measure()
    assert m["against_the_grain"] == []
    assert m["cycles"] == []
    assert m["long_modules"] == []
    assert m["long_functions"] == []


def test_the_checker_sees_a_wrong_way_arrow():
    # The rule itself: a stage importing a later stage, or the foundation importing a stage, is wrong.
    spec = importlib.util.spec_from_file_location("architecture", ROOT / "scripts" / "architecture.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.against_the_grain("data", "eval") and mod.against_the_grain("core", "data")
    assert not mod.against_the_grain("eval", "data") and not mod.against_the_grain("cli", "serve")
    assert mod.cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
