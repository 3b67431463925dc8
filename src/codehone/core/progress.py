"""Progress of long steps, in a terminal and in a log.

In a terminal a rich bar redraws in place. When stderr is not a terminal (CI, ``nohup``, a pipe
into ``tee``) rich draws nothing until the step ends, so a 20-minute evaluation looked dead; there
the same bar prints one plain line every ``CODEHONE_PROGRESS_SECONDS`` (default 30) and one at
the end::

    [repo eval] 12/130 tasks  9%  0.4/s  elapsed 0:00:31  eta 0:04:55  em 0.42

Lines carry counts and figures only, never a path or a piece of code: progress output ends up in
CI logs, and a path or a line of a private repository must not.

    with ProgressBar("repo eval", total=len(rows), completed=len(done), unit="tasks") as bar:
        for row in todo:
            ...
            bar.advance(stats=f"em {em:.2f}")
"""

from __future__ import annotations

import os
import sys
import time
from typing import IO

ENV_SECONDS = "CODEHONE_PROGRESS_SECONDS"
DEFAULT_SECONDS = 30.0


def _interval() -> float:
    raw = os.environ.get(ENV_SECONDS, "")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_SECONDS
    except ValueError:
        return DEFAULT_SECONDS


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


class ProgressBar:
    """One long step's progress: a rich bar on a terminal, periodic plain lines otherwise, nothing
    when ``enabled`` is false. ``completed`` is work already done before this process (a resumed
    run), counted in the bar but not in the rate."""

    def __init__(self, description: str, total: int, *, completed: int = 0, unit: str = "",
                 enabled: bool = True, stream: IO[str] | None = None, interval: float | None = None,
                 terminal: bool | None = None):
        self.description, self.total, self.unit = description, max(0, total), unit
        self.completed = self._start = completed
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.interval = _interval() if interval is None else interval
        self.terminal = (self.stream.isatty() if hasattr(self.stream, "isatty") else False) \
            if terminal is None else terminal
        self.stats = ""
        self._rich = None
        self._t0 = self._last = 0.0

    def __enter__(self) -> "ProgressBar":
        self._t0 = self._last = time.monotonic()
        if self.enabled and self.terminal:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self._rich = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), TextColumn("eta"),
                                  TimeRemainingColumn(), console=Console(file=self.stream))
            self._rich.__enter__()
            self._task = self._rich.add_task(self.description, total=self.total, completed=self.completed, stats="")
        return self

    def advance(self, n: int = 1, *, stats: str | None = None) -> None:
        self.update(self.completed + n, stats=stats)

    def update(self, completed: int, *, stats: str | None = None) -> None:
        self.completed = completed
        if stats is not None:
            self.stats = stats
        if not self.enabled:
            return
        if self._rich is not None:
            self._rich.update(self._task, completed=completed, stats=self.stats)
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._print(now)

    def line(self, now: float | None = None) -> str:
        """The plain progress line as it stands (what a log gets)."""
        now = time.monotonic() if now is None else now
        elapsed = now - self._t0
        parts = [f"[{self.description}] {self.completed}/{self.total}" + (f" {self.unit}" if self.unit else "")]
        if self.total:
            parts.append(f"{100 * self.completed / self.total:.0f}%")
        done_here = self.completed - self._start
        if done_here > 0 and elapsed > 0:
            rate = done_here / elapsed
            parts.append(f"{rate:.2f}/s" if rate < 10 else f"{rate:.0f}/s")
            parts.append(f"elapsed {_clock(elapsed)}")
            if self.total and self.completed < self.total:
                parts.append(f"eta {_clock((self.total - self.completed) / rate)}")
        else:
            parts.append(f"elapsed {_clock(elapsed)}")
        if self.stats:
            parts.append(self.stats)
        return "  ".join(parts)

    def _print(self, now: float | None = None) -> None:
        print(self.line(now), file=self.stream, flush=True)

    def __exit__(self, *exc) -> bool:
        if self._rich is not None:
            self._rich.__exit__(*exc)
        elif self.enabled:
            self._print()
        return False
