"""Moved to ``codehone.core.fim`` (the bottom layer, so ``models`` need not import ``backends``).

This name stays only for importers not yet switched (train/dataset.py, train/distill/loss.py,
blocks/copilot/dataset.py); new code imports ``codehone.core.fim``. Delete it once they have.
"""

from codehone.core.fim import FimTemplate, NoFimError, detect_fim, require_fim, stop_tokens_for, token_ids

__all__ = ["FimTemplate", "NoFimError", "detect_fim", "require_fim", "stop_tokens_for", "token_ids"]
