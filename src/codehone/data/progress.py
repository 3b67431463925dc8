"""Progress for the data step: one bar per stage (core.progress), or nothing when asked for quiet.

In a terminal each stage is a rich bar; in a log (CI, ``nohup``, a pipe) a stage prints a plain
``[data select] 120/400 files ...`` line every CODEHONE_PROGRESS_SECONDS and one when it ends,
where a rich bar printed nothing until the end. Stage bars show counts only (files, examples),
never a path or text: a path can be private and progress output ends up in CI logs.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

from codehone.core.progress import ProgressBar

T = TypeVar("T")


class Steps:
    """The data step's stages, one after another; ``enabled=False`` shows nothing."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled

    def __enter__(self) -> "Steps":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def _bar(self, description: str, total: int, unit: str) -> ProgressBar:
        return ProgressBar(f"data {description}", total=total, unit=unit, enabled=self.enabled)

    def track(self, items: Iterable[T], description: str, total: int | None = None, unit: str = "files") -> Iterator[T]:
        """``items`` as they come, one bar step each (``total``: len(items) when not given)."""
        if total is None:
            total = len(items) if hasattr(items, "__len__") else 0
        with self._bar(description, total, unit) as bar:
            for item in items:
                yield item
                bar.advance()

    @contextmanager
    def stage(self, description: str, total: int, unit: str = ""):
        """A bar advanced by hand: ``with steps.stage("tokens", n) as advance: advance(k)``."""
        with self._bar(description, total, unit) as bar:
            yield lambda n=1: bar.advance(n)
            bar.update(total)
