"""The copilot behind the studio page: one model, one queue, each tab's conversation.

The routes (app.py, skills.py) ask it; it screens requests, runs generations on the queue's single
worker thread, streams each block the parser accepts to the page, and keeps a conversation's
program only when the model's answer is a good one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codehone.backends.base import Backend
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.stream import StreamParser
from codehone.blocks.studio.conversation import Conversations, PromptLog
from codehone.blocks.studio.next_ahead import NextAhead
from codehone.blocks.studio.playback import play
from codehone.blocks.studio.scratchblocks import block_count, program_to_scratchblocks
from codehone.errors import UserError
from codehone.serve.queue import GenerationQueue

__all__ = ["Studio", "StudioSettings"]


@dataclass(frozen=True)
class StudioSettings:
    safety: str = "standard"  # --safety: how requests and programs are screened (codehone.blocks.safety)
    max_tokens: int = 320
    shots: int = 3
    grammar: bool = True
    max_waiting: int = 4  # requests waiting for the model; more get the busy message
    samples: int = 1  # --samples: programs and changes chosen by behaviour vote of N (not streamed then)
    vote: str = "always"  # --vote: with samples > 1, vote on every request or only where greedy hesitated
    next_ahead: bool = True  # --next-ahead: work out next-block ideas while the child looks (next_ahead.py)
    log_dir: Path | None = None  # --log: prompts are written only when this is set


class Studio:
    """The copilot behind the page: one backend, one queue, the tabs' conversations."""

    def __init__(self, backend: Backend, settings: StudioSettings):
        from codehone.blocks.copilot.vote import check_vote_when
        from codehone.blocks.safety.check import LEVELS

        if settings.safety not in LEVELS:
            raise UserError(f"--safety must be one of {', '.join(LEVELS)}, got {settings.safety!r}")
        if settings.samples < 1:
            raise UserError(f"--samples must be at least 1, got {settings.samples}")
        check_vote_when(settings.vote)
        self.backend, self.settings = backend, settings
        self.queue = GenerationQueue(settings.max_waiting)
        self.ahead = NextAhead(self.queue, self.next_ideas, enabled=settings.next_ahead)
        self.conversations = Conversations()
        self.log = PromptLog(settings.log_dir)

    def screen(self, prompt: str):  # noqa: ANN201 - a safety Verdict
        """The safety and language screen of a child's request, at this studio's --safety level."""
        from codehone.blocks.safety.request_screen import screen as screen_request  # rules + classifier

        return screen_request(prompt, self.settings.safety)

    def warm_up(self) -> None:
        """Evaluate the prompt every new request starts with (system card and worked examples), so
        the first child's request finds it in the model's prompt cache like every later one does, and
        keep it aside where the backend can (llamacpp_kept.py); and load (or, the first time on this
        machine, train) the request classifier the screen uses."""
        from codehone.blocks.copilot.generate import generate_program
        from codehone.blocks.safety.classifier import model

        s = self.settings
        generate_program(self.backend, "draw a square", grammar=s.grammar, shots=s.shots, max_tokens=1)
        keep = getattr(self.backend, "keep_prompt", None)  # llama.cpp: kept aside, so next-block ideas
        if keep is not None:  # (another prompt layout) do not cost the next chat turn its evaluation
            keep()
        model()

    # ------------------------------------------------------------------ generation (worker thread)
    def next_ideas(self, program: str, request: str, check=None):  # noqa: ANN001, ANN201 - a NextResult
        """Up to 3 next blocks for the end of ``program``: a beam on llama.cpp (as accurate as samples,
        faster), samples elsewhere; what the child asked for above the program (blocks-next with the
        request: docs/benchmarks.md, Next block). ``check`` (a queue job's) may stop it between steps."""
        from codehone.blocks.copilot.next_block import search_for, suggest_next

        return suggest_next(self.backend, program, top=3, request=request, check=check, **search_for(self.backend))

    def generate(self, job, current: str | None, prompt: str):  # noqa: ANN001, ANN201 - a queue Job; GeneratedProgram
        """Ask the model; emit the program to the page each time a block completes."""
        from codehone.blocks.copilot.edit import edit_program
        from codehone.blocks.copilot.generate import generate_program

        stream, shown = StreamParser(), [-1]

        def on_text(delta: str) -> None:
            job.check()
            if stream.feed(delta):
                snapshot = stream.snapshot()
                count = block_count(snapshot)
                if count != shown[0]:
                    shown[0] = count
                    job.emit({"type": "blocks", "blocks": program_to_scratchblocks(snapshot), "count": count})

        s = self.settings
        if current is not None:
            return edit_program(self.backend, current, prompt, grammar=s.grammar, shots=min(s.shots, 1),
                                max_tokens=s.max_tokens, on_text=on_text, samples=s.samples, vote_when=s.vote)
        return generate_program(self.backend, prompt, grammar=s.grammar, shots=s.shots, max_tokens=s.max_tokens,
                                on_text=on_text, samples=s.samples, vote_when=s.vote)

    def finish(self, session: str, prompt: str, result) -> dict[str, Any]:  # noqa: ANN001 - GeneratedProgram
        """The last event of a chat turn; the conversation's program changes only for a good answer."""
        event = self._answer(session, prompt, result)
        self.log.write(session, "chat", prompt=prompt, **{k: event[k] for k in ("program", "message") if k in event})
        return event

    def _answer(self, session: str, prompt: str, result) -> dict[str, Any]:  # noqa: ANN001 - GeneratedProgram
        from codehone.blocks.safety.check import safe_program

        conv = self.conversations.get(session)
        if result.program is None:
            conv.turns.append({"prompt": prompt, "error": result.error})
            return {"type": "error", "message": "I got muddled and wrote blocks that don't fit together. "
                                                "Please try again, maybe with other words.", "detail": result.error}
        if result.refused:
            conv.turns.append({"prompt": prompt, "message": result.text.strip()})
            return {"type": "done", "message": _comment_text(result.text) or "I can't make that one. Try another idea!"}
        program, verdict = safe_program(result.program)
        if program is None:
            conv.turns.append({"prompt": prompt, "message": verdict.message})
            return {"type": "done", "message": verdict.message}
        conv.program, conv.answers = format_program(program), []
        conv.turns.append({"prompt": prompt, "program": conv.program})
        return {"type": "done", "program": conv.program, "blocks": program_to_scratchblocks(program),
                "count": block_count(program), "run": play(program),
                "message": verdict.message if verdict.action == "redirect" else "",
                "tokens": result.tokens, "seconds": round(result.seconds, 3)}


def _comment_text(text: str) -> str:
    return " ".join(line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip())
