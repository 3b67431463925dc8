"""``codehone blocks fix`` and ``codehone blocks eval-set``.

Fix gives a model a program (text or ``.sb3``, as ``blocks run`` reads it) and what is wrong in
the child's words, grammar-constrained like ``blocks generate``, and writes the fixed program
(``--out``: text or ``.sb3`` by the extension; without it, the text is printed). It says how many
block lines changed and whether the fix still only says what the program says.

Eval-set scores a model on ``blocks-kids`` (held-out requests in children's words) or
``blocks-fix`` (planted bugs) with :func:`codehone.blocks.copilot.skill_eval.evaluate_set`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.blocks.cli.options import AdapterOption, EngineOption, ModelOption, VoteOption
from codehone.blocks.cli.safety import SafetyOption, screen_program, screen_request
from codehone.blocks.cli.programs import load_program
from codehone.blocks.copilot.defaults import ECHO_BEAM
from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL


def fix_command(
    program: Annotated[Path, typer.Argument(help="PROGRAM.txt or PROJECT.sb3 to fix.", exists=True, dir_okay=False)],
    complaint: Annotated[str, typer.Argument(help="What is wrong, in the child's words.")],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the fixed program here: .txt or .sb3 "
                                                "(printed if not given).")] = None,
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    no_grammar: Annotated[bool, typer.Option("--no-grammar", help="Do not constrain decoding with the block grammar.")] = False,
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens to generate at most.")] = 320,
    samples: Annotated[int, typer.Option("--samples", help="Fixes sampled, decoded as one batch and run: those that "
                                         "behave exactly as PROGRAM go last, then the behaviour most share wins "
                                         "(1: greedy).")] = 1,
    echo_beam: Annotated[int, typer.Option("--echo-beam", help="A greedy fix that behaves exactly as PROGRAM is asked "
                                           "again by a beam of this width; the likeliest other behaviour answers "
                                           "(llama.cpp; 0: not).")] = ECHO_BEAM,
    vote: VoteOption = "always",
    safety: SafetyOption = "standard",
) -> None:
    """Fix PROGRAM given what is wrong with it, with a model."""
    from codehone.backends import load_backend
    from codehone.backends.base import GenerationError
    from codehone.blocks.copilot.fix import block_distance, fix_program
    from codehone.blocks.lang.printer import format_program
    from codehone.blocks.lang.tokens import BlockSyntaxError
    from codehone.blocks.sb3.validate import Sb3Error

    if out is not None and out.suffix.lower() not in (".sb3", ".txt", ".py", ""):
        raise UserError(f"--out {out}: use a .txt file for text or .sb3 for a Scratch project")
    if not complaint.strip():
        raise UserError("say what is wrong with the program, e.g. \"my square has a gap\"")
    complaint = screen_request(complaint, safety)  # issue 19: refused with a kind message, or steered
    try:
        text = format_program(load_program(program))
    except (BlockSyntaxError, Sb3Error, OSError, UnicodeDecodeError) as e:
        raise UserError(f"cannot read {program}: {e}") from None
    try:
        backend = load_backend(model, adapter=adapter, engine=engine)
        try:
            result = fix_program(backend, text, complaint, grammar=not no_grammar, max_tokens=max_tokens, samples=samples,
                                 echo_beam=echo_beam, vote_when=vote)
        finally:
            backend.close()
    except GenerationError as e:
        raise UserError(str(e)) from None
    if result.program is None:
        raise UserError(f"the model's answer is not a valid block program; nothing was written.\n{result.error}")
    result.program = screen_program(result.program)  # issue 19: unsafe texts replaced, or a kind refusal
    fixed = format_program(result.program)
    changed = block_distance(result.program, text)
    try:
        if out is None:
            typer.echo(fixed, nl=False)
        elif out.suffix.lower() == ".sb3":
            from codehone.blocks.sb3.write import write_sb3

            write_sb3(result.program, out)
        else:
            out.write_text(fixed, encoding="utf-8")
    except OSError as e:
        raise UserError(f"cannot write {out}: {e.strerror}") from None
    where = f"wrote {out}: " if out is not None else ""
    typer.echo(f"{where}{changed} block line{'s' * (changed != 1)} changed; {result.tokens} tokens in "
               f"{result.seconds:.1f} s", err=out is None)
    if result.votes is not None:
        same = len(result.votes.get("avoided", []))
        typer.echo(f"vote: {same} of {samples} samples behave exactly as the program given; "
                   f"{len(result.votes['groups'])} different behaviours, {len(result.votes['invalid'])} invalid",
                   err=out is None)


def eval_set_command(
    bench: Annotated[str, typer.Argument(help="blocks-kids, blocks-fix, blocks-edit, blocks-tutor, blocks-lang, blocks-lang-2 or blocks-next")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory for samples, results, summary and report.")],
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    grammar: Annotated[bool, typer.Option("--grammar/--no-grammar", help="Constrain decoding to the block language.")] = True,
    shots: Annotated[Optional[int], typer.Option(help="Worked examples (kids 0-3, default 3; fix and edit 0-1, default 1).")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N tasks.")] = None,
    tasks: Annotated[Optional[list[str]], typer.Option("--tasks", help="Task ids (repeat or comma-separate).")] = None,
    max_tokens: Annotated[Optional[int], typer.Option("--max-tokens", help="Tokens per answer (default 160; fix and edit 240).")] = None,
    samples: Annotated[int, typer.Option("--samples", help="Programs sampled per task, decoded as one batch; the "
                                         "answer is the one whose behaviour most samples share (1: greedy).")] = 1,
    vote: VoteOption = "always",
    beam: Annotated[int, typer.Option("--beam", help="blocks-next: the top 3 by a beam search of this width instead "
                                      "of greedy + samples (llama.cpp engine; 0: samples).")] = 0,
    echo_beam: Annotated[int, typer.Option("--echo-beam", help="blocks-fix, blocks-edit: an answer that behaves "
                                           "exactly as the program given is asked again by a beam of this width, and "
                                           "the likeliest other behaviour answers (llama.cpp; 0: not).")] = ECHO_BEAM,
    direct: Annotated[bool, typer.Option("--direct", help="blocks-tutor: the model writes the whole tutorial as free "
                                         "text, instead of the program under the grammar cut in steps.")] = False,
    with_request: Annotated[bool, typer.Option("--with-request", help="blocks-next: give the suggester the request "
                                               "the program was written for, as the studio does (another "
                                               "benchmark condition: report it apart).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score a model on a named block task set (behaviour checks; fixes must also stay small)."""
    from codehone.backends import load_backend
    from codehone.blocks.copilot.skill_eval import SETS, evaluate_set

    if bench not in SETS:
        raise UserError(f"unknown task set {bench!r}: choose {' or '.join(SETS)}")
    if with_request and bench != "blocks-next":
        raise UserError(f"--with-request is for blocks-next (the request above the program); {bench}'s tasks are "
                        "requests already: leave it out")
    ids = [p.strip() for v in tasks or [] for p in v.split(",") if p.strip()]
    backend = load_backend(model, adapter=adapter, engine=engine)
    try:
        s = evaluate_set(backend, out, bench, grammar=grammar, shots=shots, limit=limit, tasks=ids or None,
                         adapter=str(adapter) if adapter else None, max_tokens=max_tokens, progress=not quiet,
                         samples=samples, tutor_direct=direct, beam=beam, echo_beam=echo_beam, vote_when=vote,
                         next_request=with_request)
    except ValueError as e:  # an unknown task id or shots out of range
        raise UserError(str(e)) from None
    finally:
        backend.close()
    if bench == "blocks-next":  # ranked suggestions, not programs that pass a check
        from codehone.blocks.copilot.next_bench import summary_line

        typer.echo(f"{summary_line(s)}. Report: {out}/report.md")
        return
    extra = (f", rewrites {s['rewrite']} (with them {100 * s['pass_rate_with_rewrites']:.1f}%)"
             if "rewrite" in s else "")
    typer.echo(f"{s['label']} on {bench}: passed {s['passed']}/{s['tasks']} ({100 * s['pass_rate']:.1f}%), "
               f"invalid {s['invalid']}, failed {s['failed']}{extra}; {s['tokens']:,} tokens in {s['seconds']:.0f} s. "
               f"Report: {out}/report.html")
    for lang, e in s.get("languages", {}).items():  # blocks-lang (issue 19): each language against English
        behind = f", {e['points_behind_english']:+.1f} points behind English" if "points_behind_english" in e else ""
        if "points_behind_english_95" in e:
            behind += " (95%: {:+.1f} to {:+.1f})".format(*e["points_behind_english_95"])
        typer.echo(f"  {lang}: {e['passed']}/{e['tasks']} ({100 * e['pass_rate']:.1f}%){behind}")
    if "seed" in s:
        typer.echo(f"  the seed's example: {s['seed']['status']} ({s['seed']['detail']})")


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add ``fix`` and ``eval-set`` to the ``codehone blocks`` app."""
    app.command("fix")(fix_command)
    app.command("eval-set")(eval_set_command)
