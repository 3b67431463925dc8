"""Each browser tab's conversation, held in memory, and the opt-in prompt log.

A tab makes up its own id (kept in the tab's sessionStorage, so two tabs never share one) and
sends it with every request. The server keeps the current program and the turns of each id, the
most recent ``max_sessions`` only: a studio on a classroom machine stays small however many tabs
come and go. Nothing here touches the disk unless the studio was started with ``--log DIR``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from codehone.errors import UserError

__all__ = ["Conversation", "Conversations", "PromptLog", "check_session_id"]

_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def check_session_id(value: object) -> str:
    if not isinstance(value, str) or not _SESSION_ID.fullmatch(value):
        raise UserError("the page sent no valid session id (8 to 64 letters, digits, '-' or '_'); reload the page")
    return value


@dataclass
class Conversation:
    program: str | None = None  # the current program, canonical text; follow-ups change it
    answers: list[str] = field(default_factory=list)  # answers typed on the stage for the current program
    turns: list[dict] = field(default_factory=list)  # {"prompt", "program" or "message"}, for the log and tests
    suggestions: list[str] = field(default_factory=list)  # programs with a suggested next block, by the page's index


class Conversations:
    """Thread-safe: the event loop reads them, the generation worker's results are stored from it too."""

    def __init__(self, max_sessions: int = 256):
        self.max_sessions = max_sessions
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: str) -> Conversation:
        with self._lock:
            conv = self._items.pop(session, None) or Conversation()
            self._items[session] = conv  # most recent last
            while len(self._items) > self.max_sessions:
                self._items.popitem(last=False)
            return conv

    def reset(self, session: str) -> None:
        with self._lock:
            self._items.pop(session, None)

    def __len__(self) -> int:
        return len(self._items)


class PromptLog:
    """Appends each turn to DIR/studio.jsonl when the studio runs with ``--log DIR``; else does nothing."""

    def __init__(self, directory: Path | None):
        self.path = None
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise UserError(f"--log {directory}: cannot create the folder ({e.strerror})") from None
            self.path = directory / "studio.jsonl"
        self._lock = threading.Lock()

    def write(self, session: str, kind: str, **fields: object) -> None:
        if self.path is None:
            return
        row = {"time": round(time.time(), 3), "session": session, "kind": kind, **fields}
        with self._lock, self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
