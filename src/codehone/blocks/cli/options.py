"""Options the block commands share (one wording, one default, wherever a command takes them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

ModelOption = Annotated[str, typer.Option("--model", "-m", help="Model reference.")]
AdapterOption = Annotated[Optional[Path], typer.Option(help="LoRA adapter: GGUF for llama.cpp, PEFT dir for transformers.")]
EngineOption = Annotated[str, typer.Option(help="auto, llama.cpp, transformers, or vllm (GPU, the vllm extra).")]
ShotsOption = Annotated[int, typer.Option(help="Worked examples in the prompt (0-3).")]
VoteOption = Annotated[str, typer.Option("--vote", help="With --samples N: vote on every request (always), or only "
                                         "where the greedy answer hesitated (unsure: the greedy answer first, then "
                                         "N-1 samples beside it if one of its tokens was under even odds or it "
                                         "does not run).")]
