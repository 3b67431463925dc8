"""docs/scale.md runs as written: every ``codehone`` line of its code blocks parses with the real
CLI (options, their types, required ones) and every ``accelerate launch`` line with accelerate's own
launch parser and checks. Nothing is run: the commands need GPUs, other hosts and a vLLM server."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "scale.md"


def doc_commands(prefix: str) -> list[str]:
    blocks = re.findall(r"^```\n(.*?)^```", DOC.read_text(), re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith(prefix)]


def parse_codehone(argv: list[str]):
    """Parse ``codehone ARGS`` down to the leaf command without invoking it; returns its context."""
    from typer.main import get_command

    from codehone.cli import app

    cmd, name, ctx = get_command(app), "codehone", None
    while True:
        ctx = cmd.make_context(name, argv, parent=ctx)
        if not hasattr(cmd, "resolve_command"):  # a leaf command (typer's groups resolve subcommands)
            return ctx
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
        name, cmd, argv = cmd.resolve_command(ctx, rest)


def test_the_doc_has_the_worked_examples():
    assert len(doc_commands("codehone ")) >= 10 and len(doc_commands("accelerate launch ")) >= 3


@pytest.mark.parametrize("line", doc_commands("codehone "))
def test_each_codehone_command_parses(line, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samples.jsonl").write_text("")  # the scored file of the last section
    argv = shlex.split(line)[1:]
    assert parse_codehone(argv).command.name in argv[:2]  # parsed down to the command the line names


@pytest.mark.parametrize("line", doc_commands("accelerate launch "))
def test_each_accelerate_launch_parses_with_accelerates_checks(line):
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser

    argv = shlex.split(line)[2:]
    args = launch_command_parser().parse_args(argv)
    args, _, _ = _validate_launch_command(args)
    assert args.module and args.training_script == "codehone.train.cli"
    assert args.num_processes in (8, 16)
