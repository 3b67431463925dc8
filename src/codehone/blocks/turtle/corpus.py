"""The bundled turtle programs (``turtle_examples/``) as verified training pairs."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

from codehone.blocks.turtle.check import verify_turtle

__all__ = ["EXAMPLES_DIR", "bundled_examples", "example_prompt", "turtle_pairs"]

EXAMPLES_DIR = Path(__file__).with_name("examples")

def bundled_examples() -> list[tuple[str, str]]:
    """``(file name, source)`` of the bundled turtle programs, sorted by name."""
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES_DIR.glob("*.py"))]


def example_prompt(source: str) -> str:
    """The one-line module docstring: what the program draws, in a child's words."""
    doc = ast.get_docstring(ast.parse(source)) or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


@lru_cache(maxsize=1)
def _verified_pairs() -> tuple[tuple[str, str], ...]:
    pairs = []
    for name, source in bundled_examples():
        v = verify_turtle(source)
        if not v.ok:
            raise RuntimeError(f"bundled turtle example {name} does not verify: {v.detail}")
        pairs.append((example_prompt(source), v.blocks_text))
    return tuple(pairs)


def turtle_pairs() -> list[tuple[str, str]]:
    """Verified ``(prompt, blocks_text)`` pairs from the bundled examples, for the data builder.
    Each example runs once in the sandbox per process (cached)."""
    return list(_verified_pairs())
