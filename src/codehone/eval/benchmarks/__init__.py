"""Benchmarks: tasks, prompts, and how a completion becomes a program to run.

One module per benchmark, each with a ``load() -> Benchmark``; the registry below is a plain dict
of those functions, so an editor can follow ``load_benchmark("mbpp")`` to its code.
"""

from __future__ import annotations

from typing import Callable

from codehone.eval.benchmarks.base import (  # noqa: F401 - the package's public names
    CHAT_TEMPLATE, RESPONSE_PREFIX, Benchmark, Task, chat_prompt, read_asset)
from codehone.eval.errors import EvalError


def _registry() -> dict[str, Callable[[], Benchmark]]:
    from codehone.eval.benchmarks import humaneval, humanevalplus, infill, mbpp

    return {
        "humaneval": humaneval.load,
        "humaneval+": humanevalplus.load,
        "mbpp": mbpp.load,
        "infill-single": infill.load_single,
        "infill-multi": infill.load_multi,
    }


BENCHMARKS = ("humaneval", "humaneval+", "mbpp", "infill-single", "infill-multi")
_cache: dict[str, Benchmark] = {}


def load_benchmark(name: str) -> Benchmark:
    registry = _registry()
    if name not in registry:
        raise EvalError(f"unknown benchmark {name!r}; choose one of: {', '.join(registry)}")
    if name not in _cache:
        _cache[name] = registry[name]()
    return _cache[name]
