"""Rebuild docs/benchmarks.md from the per-stage sections in docs/benchmarks.d/ (pipeline order)."""

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
STAGES = ["foundation", "eval", "data", "repo", "train", "serve", "blocks"]
HEAD = """# Benchmarks

Every figure the issues ask for, with the machine and the command that produced it. Each stage keeps
its section in `docs/benchmarks.d/<stage>.md` (edited next to its code); this page is those sections
in pipeline order — regenerate it with `make docs`. Raw results: `benchmarks/results/*.json`.

Timings were taken on a shared 2-core machine; where another job was running, the section says so
and gives the load average. Compare ratios measured in one run, not absolute numbers across runs.

"""

if __name__ == "__main__":
    sections = [(DOCS / "benchmarks.d" / f"{s}.md") for s in STAGES]
    body = "\n\n".join(p.read_text().strip() for p in sections if p.exists())
    (DOCS / "benchmarks.md").write_text(HEAD + body + "\n")
    print(f"wrote {DOCS / 'benchmarks.md'}")
