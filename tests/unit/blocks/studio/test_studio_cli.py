"""``codehone blocks studio`` refuses bad options with one clear line, before any model loads."""

import pytest
from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from tests.support.cli import said

runner = CliRunner()


@pytest.mark.parametrize("args, words", [
    (["--safety", "loose"], "--safety must be one of"),
    (["--port", "0"], "--port must be between"),
    (["--samples", "0"], "--samples must be at least 1"),
    (["--shots", "5"], "--shots must be between 0 and 3"),
    (["--max-queue", "-1"], "--max-queue must be >= 0"),
])
def test_bad_options_are_refused_before_the_model_loads(args, words):
    r = runner.invoke(blocks_app, ["studio", "--model", "no-such-model.gguf", *args])
    assert r.exit_code != 0 and words in said(r)


def test_the_demo_prints_the_command_that_opens_its_adapter_in_the_studio():
    from codehone.demo.cli import studio_command

    assert studio_command("qwen2.5-coder-0.5b-instruct", "/runs/my demo/adapter.gguf") == (
        "codehone blocks studio --model qwen2.5-coder-0.5b-instruct --adapter '/runs/my demo/adapter.gguf'")
