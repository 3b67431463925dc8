"""Editor-style clean-up of infill suggestions, applied while the tokens stream in.

Editors (llama.vscode, llama.vim, Continue) trim what a FIM model writes before showing it, because
a small model given a hole happily writes past it: it finishes the line, then the function, then
starts repeating the code that already follows the cursor. The rules, in the order they apply:

1. Single line: when non-whitespace text follows the cursor on its line, the suggestion is one
   line (we are completing inside a line); if it ends with exactly that text, the overlap is cut.
2. End of block by indentation: a later line indented less than the cursor's line has left the
   block being written (llama.cpp's ``n_indent`` rule); the suggestion ends before it.
3. Repeating the suffix: a later line equal to the first non-blank line after the cursor means
   the model has started rewriting what is already there; the suggestion ends before it.
4. Drop: an empty suggestion, one whose first line is the line just above the cursor or the next
   line below it, or (single line) what already follows the cursor, becomes "".

``InfillFilter`` works on a stream: it releases text only once the lines it belongs to have
passed every rule, so what it has released is final (a stream never has to take text back), and
it says ``stopped`` as soon as the suggestion is decided, so the server can stop generating early
(often long before the token limit: that is most of its latency benefit).
"""

from __future__ import annotations


def _indent(line: str) -> int:
    s = line.expandtabs(4)
    return len(s) - len(s.lstrip(" "))


def _first_nonblank(lines) -> str | None:
    for line in lines:
        if line.strip():
            return line.strip()
    return None


class InfillFilter:
    def __init__(self, prefix: str, suffix: str, enabled: bool = True):
        self.enabled = enabled
        before = prefix.split("\n")
        after = suffix.split("\n")
        self.line_before = before[-1]  # text left of the cursor on its line
        self.line_after = after[0]  # text right of the cursor on its line
        self.prev_line = _first_nonblank(reversed(before[:-1]))
        self.next_line = _first_nonblank(after[1:]) if not self.line_after.strip() else self.line_after.strip()
        self.single_line = bool(self.line_after.strip())
        self.text = ""  # raw generated text, cut once the end is decided
        self.stopped = False
        self._released = 0
        self._checked = 0  # complete lines that passed every rule
        self._base: int | None = None  # indentation of the cursor's line, once known

    # ----- streaming -------------------------------------------------------------------------

    def feed(self, delta: str) -> str:
        """Add generated text; return what is now final ('' while undecided)."""
        if not self.enabled:
            self.text += delta
            return delta
        if self.stopped:
            return ""
        self.text += delta
        self._scan(final=False)
        return self._release(final=False)

    def finish(self) -> str:
        """Generation ended: decide the last line and release the rest."""
        if not self.enabled:
            return ""
        if not self.stopped:
            self._scan(final=True)
        self.stopped = True
        return self._release(final=True)

    # ----- rules -----------------------------------------------------------------------------

    def _cut(self, at: int) -> None:
        self.text = self.text[:at]
        self.stopped = True

    def _drop(self) -> None:
        self.text = ""
        self.stopped = True

    def _scan(self, final: bool) -> None:
        lines = self.text.split("\n")
        complete = len(lines) if final else len(lines) - 1
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        while self._checked < complete and not self.stopped:
            i = self._checked
            if i == 0:
                self._check_first(lines[0], final)
                if self.stopped:
                    return
            elif self._leaves_block(lines[i]) or (lines[i].strip() and lines[i].strip() == self.next_line):
                self._cut(starts[i])
                return
            self._checked += 1
        # Indentation is known before the line ends: stop at once rather than a line later.
        if not final and not self.stopped and complete >= 1 and self._leaves_block(lines[-1]):
            self._cut(starts[-1])

    def _check_first(self, first: str, final: bool) -> None:
        whole = (self.line_before + first).strip()
        if self.single_line:
            if not final:  # a newline arrived: the suggestion is this one line
                self._cut(len(first))
            rest = self.line_after.strip()
            if rest and self.text.rstrip("\r").endswith(rest):
                self.text = self.text.rstrip("\r")[: -len(rest)]
            if not self.text.strip() or rest.startswith(self.text.strip()):
                self._drop()
            self.stopped = True
            return
        if first.strip() and any(ch.isalnum() for ch in whole) and whole in (self.prev_line, self.next_line):
            self._drop()
            return
        if self.line_before.strip():
            self._base = _indent(self.line_before)
        elif first.strip():
            self._base = _indent(self.line_before + first)
        else:
            self._base = _indent(self.line_before)

    def _leaves_block(self, line: str) -> bool:
        return self._base is not None and bool(line.strip()) and _indent(line) < self._base

    def _release(self, final: bool) -> str:
        if final:
            end = len(self.text) if self.single_line else len(self.text.rstrip())
            if not self.single_line:
                self.text = self.text[:end]
            elif self.text.endswith(("\n", "\r")):
                self.text = self.text.rstrip("\r\n")
                end = len(self.text)
            if not self.text.strip():
                self.text, end = "", 0
        elif self._checked == 0:
            return ""
        else:
            # Everything up to the last checked line, less trailing whitespace (which the end may trim).
            upto = sum(len(line) + 1 for line in self.text.split("\n")[: self._checked])
            end = len(self.text[:upto].rstrip())
        end = max(end, self._released)
        out, self._released = self.text[self._released:end], end
        return out


def postprocess(prefix: str, suffix: str, completion: str) -> str:
    """The whole clean-up on a finished completion (the streaming filter, fed at once)."""
    f = InfillFilter(prefix, suffix)
    return f.feed(completion) + f.finish()
