"""Turning generated tokens into text: whole UTF-8 characters, stop strings cut cleanly.

A token can end in the middle of a multi-byte character, and a stop string can span tokens. The
assembler keeps undecoded bytes and holds back any tail of the text that could still become a stop
string, so what it releases is final: safe to print or stream, never containing a stop string.
"""

from __future__ import annotations

import codecs
from typing import Sequence


class TextAssembler:
    def __init__(self, stop: Sequence[str] = ()):
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._stop = [s for s in stop if s]
        self._hold = max((len(s) - 1 for s in self._stop), default=0)
        self.text = ""  # everything decoded so far, cut at a stop string once one is seen
        self._released = 0
        self.stopped = False

    def feed(self, piece: bytes) -> str:
        """Add a token's bytes; return the newly releasable text ('' if none)."""
        if self.stopped:
            return ""
        self.text += self._decoder.decode(piece)
        # Released text holds no stop string, and any stop string starts at or after the release
        # point (we hold back len(stop) - 1 characters), so only the unreleased tail is searched.
        hits = [i for s in self._stop if (i := self.text.find(s, self._released)) != -1]
        if hits:
            self.text = self.text[: min(hits)]
            self.stopped = True
        end = len(self.text) if self.stopped else max(self._released, len(self.text) - self._hold)
        out, self._released = self.text[self._released:end], end
        return out

    def finish(self) -> str:
        """Flush held-back text at the end of generation."""
        if not self.stopped:
            self.text += self._decoder.decode(b"", final=True)
        out, self._released = self.text[self._released:], len(self.text)
        return out
