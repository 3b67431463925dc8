"""Evaluation's user errors. They are ``UserError``s (the CLI prints one line and exits 1) and, for
callers that catch the built-in kinds, also ``ValueError`` / ``FileNotFoundError``."""

from __future__ import annotations

from codehone.errors import UserError


class EvalError(UserError, ValueError):
    """Bad evaluation input: a samples file, a benchmark name, task ids, k, reranking options."""


class EvalFileMissing(UserError, FileNotFoundError):
    """A file the evaluation needs does not exist yet (samples, tests, a scored run)."""
