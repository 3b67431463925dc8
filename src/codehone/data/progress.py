"""Progress for the data step: one rich bar per stage, or nothing when asked for quiet.

Stage bars show counts only (files, examples), never a path or text: a path can be private and
progress output ends up in CI logs.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


class Steps:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._progress = None

    def __enter__(self) -> "Steps":
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), transient=False)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        if self._progress is None:
            yield from items
            return
        yield from self._progress.track(items, total=total, description=description)

    @contextmanager
    def stage(self, description: str, total: int):
        """A bar advanced by hand: ``with steps.stage("tokens", n) as advance: advance(k)``."""
        if self._progress is None:
            yield lambda n=1: None
            return
        task = self._progress.add_task(description, total=total)
        yield lambda n=1: self._progress.advance(task, n)
        self._progress.update(task, completed=total)
