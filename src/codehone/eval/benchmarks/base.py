"""What a benchmark is: tasks, prompts, and how a completion becomes a program to run (shared by
every benchmark module; the registry in ``codehone.eval.benchmarks`` loads them by name)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from importlib import resources


CHAT_TEMPLATE = (
    "Please provide a self-contained Python script that solves the following problem "
    "in a markdown code block:\n```\n{prompt}\n```\n"
)  # EvalPlus's instruction prompt, so scores compare with published instruct numbers
# EvalPlus also starts the assistant's answer for it (a response prefix the model continues), so the
# model writes the code block instead of deciding how to format its reply.
RESPONSE_PREFIX = (
    "Below is a Python script with a self-contained function that solves the problem and passes "
    "corresponding tests:\n```python\n"
)


@dataclass
class Task:
    task_id: str
    prompt: str  # what a base model continues (for infill: the prefix)
    entry_point: str
    reference: str  # canonical completion, in the same form a model's completion takes
    test: str = ""  # check(candidate) source (check mode)
    suffix: str = ""  # infill only
    inputs: list = field(default_factory=list)  # io mode (HumanEval+): argument lists
    atol: float = 0.0
    chat_prompt: str = ""  # the user message for instruct models


@dataclass
class Benchmark:
    name: str
    tasks: dict[str, Task]  # task_id -> Task, in file order
    mode: str  # "check": check(entry_point)'s asserts, judged outside (judge.py); "io": outputs vs the reference's
    request_mode: str  # how a base model is asked: "complete" or "infill"
    guard: bool = False  # reference check-mode runs: return values must be plain data (MBPP)
    few_shot: str = ""  # prepended to every base-model prompt (MBPP 3-shot)
    check_name: str = "check"  # the test function the harness calls with the entry point

    def program(self, task: Task, completion: str) -> str:
        """The program to execute for a human-eval style ``completion`` (continuation of the prompt,
        or for infill the middle)."""
        if self.request_mode == "infill":
            return task.prompt + completion + task.suffix
        return task.prompt + completion

    def reference_program(self, task: Task) -> str:
        return self.program(task, task.reference)

    def base_prompt(self, task: Task) -> str:
        return self.few_shot + task.prompt


def read_asset(filename: str) -> list[dict]:
    """Rows of a vendored .jsonl.gz (package data; never read from outside the package)."""
    path = resources.files("codehone").joinpath("assets", "benchmarks", filename)
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def chat_prompt(prompt: str) -> str:
    return CHAT_TEMPLATE.format(prompt=prompt.strip())
