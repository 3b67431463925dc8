"""``codehone blocks generate`` and ``codehone blocks explain``.

Generate asks a model for a program (the shared prompt, grammar-constrained unless
``--no-grammar``), shows it growing block by block through the streaming parser, and writes it
as text or ``.sb3`` by the extension. An answer that is not a program (possible only without the
grammar) is reported with the parser's message naming the line, and nothing is written.

Explain describes a program in plain words from its blocks and from a run; with ``--model`` a
model retells that description simply (it is given the program and the description, so it has
less room to invent).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.blocks.cli.options import AdapterOption, EngineOption, ModelOption, ShotsOption, VoteOption
from codehone.blocks.cli.programs import load_program  # typer only at load, like this module
from codehone.blocks.cli.safety import SafetyOption, check_level, screen_program, screen_request
from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL


def _backend(model: str, adapter: Optional[Path], engine: str):
    from codehone.backends import load_backend

    return load_backend(model, adapter=adapter, engine=engine)


def _current_program(path: Path) -> str:
    """The program a follow-up changes, as canonical text."""
    from codehone.blocks.lang.printer import format_program
    from codehone.blocks.lang.tokens import BlockSyntaxError
    from codehone.blocks.sb3.validate import Sb3Error

    try:
        return format_program(load_program(path))
    except (BlockSyntaxError, Sb3Error, OSError, UnicodeDecodeError) as e:
        raise UserError(f"--program {path}: cannot read it as blocks: {e}") from None


def generate_command(
    prompt: Annotated[str, typer.Argument(help="What the program should do, in plain words.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the program here: .txt (text) or .sb3 (Scratch).")],
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    no_grammar: Annotated[bool, typer.Option("--no-grammar", help="Do not constrain decoding with the block grammar.")] = False,
    shots: ShotsOption = 3,
    temperature: Annotated[float, typer.Option(help="0 is greedy.")] = 0.0,
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens to generate at most.")] = 320,
    seed: Annotated[Optional[int], typer.Option()] = None,
    samples: Annotated[int, typer.Option("--samples", help="Programs sampled, decoded as one batch and run; the "
                                         "answer is the one whose behaviour most of them share (1: greedy).")] = 1,
    vote: VoteOption = "always",
    program: Annotated[Optional[Path], typer.Option("--program", help="The current program (.txt or .sb3): PROMPT "
                                                    "is a change to it (\"now make it red\"), answered with the whole "
                                                    "changed program.", exists=True, dir_okay=False)] = None,
    safety: SafetyOption = "standard",
) -> None:
    """Write a block program for PROMPT with a model (or change --program as PROMPT says)."""
    from codehone.backends.base import GenerationError
    from codehone.blocks.copilot.edit import edit_program
    from codehone.blocks.copilot.generate import generate_program
    from codehone.blocks.lang.printer import format_program
    from codehone.blocks.lang.nodes import walk
    from codehone.blocks.lang.stream import StreamParser

    if out.suffix.lower() not in (".sb3", ".txt", ".py", ""):
        raise UserError(f"--out {out}: use a .txt file for text or .sb3 for a Scratch project")
    if not prompt.strip():
        raise UserError("the prompt is empty: say what the program should do")
    if not 0 <= shots <= 3:
        raise UserError(f"--shots must be between 0 and 3, got {shots}")
    prompt = screen_request(prompt, safety)  # issue 19: refused with a kind message, or steered, before the model
    current = _current_program(program) if program is not None else None
    stream = StreamParser()
    live = _Display(stream)
    try:
        backend = _backend(model, adapter, engine)
        try:
            with live:
                if current is not None:
                    result = edit_program(backend, current, prompt, grammar=not no_grammar, shots=min(shots, 1),
                                          max_tokens=max_tokens, temperature=temperature, seed=seed, on_text=live.feed,
                                          samples=samples, vote_when=vote)
                else:
                    result = generate_program(backend, prompt, grammar=not no_grammar, shots=shots,
                                              max_tokens=max_tokens, temperature=temperature, seed=seed,
                                              on_text=live.feed, samples=samples, vote_when=vote)
        finally:
            backend.close()
    except GenerationError as e:
        raise UserError(str(e)) from None
        return
    how = "without the grammar" if no_grammar else "with the grammar"
    if result.program is None:
        raise UserError(f"the model's answer is not a valid block program ({how}); nothing was written.\n{result.error}")
        return
    if result.refused:
        raise UserError(f"the model declined instead of writing blocks: {result.text.strip()}; nothing was written")
        return
    result.program = screen_program(result.program)  # issue 19: unsafe texts replaced, or a kind refusal
    try:
        if out.suffix.lower() == ".sb3":
            from codehone.blocks.sb3.write import write_sb3

            write_sb3(result.program, out)
        else:
            out.write_text(format_program(result.program), encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write {out}: {e.strerror}")
        return
    scripts = sum(len(s.scripts) for s in result.program.sprites)
    blocks = sum(1 + sum(1 for _ in walk(sc.body)) for sp in result.program.sprites for sc in sp.scripts)
    typer.echo(f"wrote {out}: {scripts} script{'s' * (scripts != 1)}, {blocks} blocks; {result.tokens} tokens in "
               f"{result.seconds:.1f} s {how}")
    _say_vote(result.votes, samples)


def _say_vote(votes: dict | None, samples: int) -> None:
    """One line on how the behaviour vote went (nothing without --samples)."""
    if votes is not None:
        groups, bad = votes["groups"], len(votes["invalid"])
        typer.echo(f"vote: {len(groups[0]) if groups else 0} of {samples} samples behave like the one written; "
                   f"{len(groups)} different behaviours, {bad} invalid")
    elif samples > 1:  # --vote unsure, and the greedy answer was sure of every token
        typer.echo("vote: none needed, the greedy answer was sure (every token at even odds or better)")


class _Display:
    """Shows the program as it grows: a live panel on a terminal, plain completed lines otherwise."""

    def __init__(self, stream):  # noqa: ANN001 - a StreamParser
        self.stream, self.live = stream, None

    def __enter__(self):
        from rich.console import Console

        console = Console(stderr=True)
        if console.is_terminal:
            from rich.live import Live

            self.live = Live(self._render(), console=console, refresh_per_second=8, transient=False)
            self.live.__enter__()
        return self

    def _render(self):
        from rich.panel import Panel
        from rich.syntax import Syntax

        from codehone.blocks.lang.printer import format_program

        text = format_program(self.stream.snapshot()).rstrip("\n") or "..."
        return Panel(Syntax(text, "python", theme="ansi_dark"), title=f"{self.stream.lines} lines")

    def feed(self, delta: str) -> None:
        lines = self.stream.feed(delta)
        if not lines:
            return
        if self.live is not None:
            self.live.update(self._render())
        else:
            for line in lines:
                if line.strip():
                    sys.stderr.write(f"  {line}\n")
            sys.stderr.flush()

    def __exit__(self, *exc):  # noqa: ANN002
        if self.live is not None:
            self.live.__exit__(*exc)
        return False


def explain_command(
    project: Annotated[Path, typer.Argument(help="PROGRAM.txt or PROJECT.sb3", exists=True, dir_okay=False)],
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="Also ask this model to explain it simply.")] = None,
    adapter: Annotated[Optional[Path], typer.Option(help="LoRA adapter for --model.")] = None,
    engine: EngineOption = "auto",
    answers: Annotated[Optional[list[str]], typer.Option("--answers", help="answer for ask(); repeat for more")] = None,
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens for the model's explanation.")] = 200,
    safety: SafetyOption = "standard",
) -> None:
    """Describe what a program does, in plain words (from its blocks and a run)."""
    from codehone.backends.base import GenerationError
    from codehone.blocks.copilot.explain import explain_messages, explain_program
    from codehone.blocks.lang.printer import format_program
    from codehone.blocks.lang.tokens import BlockSyntaxError
    from codehone.blocks.sb3.validate import Sb3Error

    try:
        program = load_program(project)
    except (BlockSyntaxError, Sb3Error, OSError, UnicodeDecodeError) as e:
        raise UserError(str(e)) from None
        return
    check_level(safety)
    program = screen_program(program)  # issue 19: unsafe texts replaced before they are explained, or a refusal
    description = explain_program(program, answers=list(answers) if answers else None)
    typer.echo(description)
    if model is None:
        return
    from codehone.backends.base import Request, SamplingParams

    typer.echo("")
    try:
        backend = _backend(model, adapter, engine)
        try:
            backend.generate(Request.chat(explain_messages(format_program(program), description)),
                             SamplingParams(max_tokens=max_tokens), on_text=lambda _i, t: typer.echo(t, nl=False))
        finally:
            backend.close()
    except GenerationError as e:
        raise UserError(str(e)) from None
        return
    typer.echo("")


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add this module's commands to ``app``."""
    app.command("generate")(generate_command)
    app.command("explain")(explain_command)
