"""What a user sees from a Typer command run with CliRunner: its output, and a UserError's one line
(codehone's main() prints that line and exits 1; CliRunner hands the exception back instead)."""


def said(result) -> str:
    return result.output + (str(result.exception) if result.exception is not None else "")
