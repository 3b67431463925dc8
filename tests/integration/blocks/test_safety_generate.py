"""``codehone blocks generate --safety`` end to end on the tiny GGUF (issue 19): a steered request
still ends in a valid program (or a clear error when the random model is cut off)."""

from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from codehone.blocks.lang.parser import parse
from codehone.blocks.safety.check import check_program
from tests.support.cli import said

runner = CliRunner()


def test_cli_generate_with_a_redirect_still_writes_a_program(tiny_gguf, tmp_path):
    out = tmp_path / "p.txt"
    r = runner.invoke(blocks_app, ["generate", "a monster with blood dripping", "-o", str(out), "--model",
                                   str(tiny_gguf), "--max-tokens", "40", "--shots", "0", "--safety", "strict"])
    assert "friendly version" in said(r)
    if r.exit_code == 0 and out.exists():  # a random model may be cut off (a UserError, nothing written)
        assert check_program(parse(out.read_text())).allowed
