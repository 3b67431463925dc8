"""Split by file, so nothing of a test file was ever seen in training.

Splitting examples instead of files would put neighbouring chunks of one file on both sides and
the held-out numbers would measure memory. Each path gets a score from SHA-256(seed, path);
files are ranked by score and the lowest ``test`` fraction goes to test, the next ``valid``
fraction to valid, the rest to train. The ranking depends only on the seed and the paths, not on
listing order or file contents, so an edit to a file never moves it between splits. With three or
more files, a non-zero fraction always gets at least one file.
"""

from __future__ import annotations

import hashlib

from codehone.data.errors import DataError

SPLITS = ("train", "valid", "test")


def parse_ratios(spec: str | tuple[float, float, float]) -> tuple[float, float, float]:
    """"0.9,0.05,0.05" (or "90/5/5") -> fractions that sum to 1."""
    if isinstance(spec, str):
        try:
            parts = [float(p) for p in spec.replace("/", ",").split(",")]
        except ValueError:
            parts = []
        if len(parts) != 3:
            raise DataError(f"split {spec!r} must be three numbers train,valid,test such as 0.9,0.05,0.05")
    else:
        parts = list(spec)
    if any(p < 0 for p in parts) or sum(parts) <= 0 or parts[0] <= 0:
        raise DataError(f"split {spec!r} must be non-negative with a positive train share")
    total = sum(parts)
    return tuple(p / total for p in parts)  # type: ignore[return-value]


def _score(path: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}\0{path}".encode("utf-8", "surrogatepass")).hexdigest()


def assign_splits(paths: list[str], ratios: tuple[float, float, float], seed: int) -> dict[str, str]:
    ranked = sorted(paths, key=lambda p: (_score(p, seed), p))
    n = len(ranked)
    _, valid, test = ratios
    n_test, n_valid = round(n * test), round(n * valid)
    if n >= 3:
        n_test = max(n_test, 1 if test > 0 else 0)
        n_valid = max(n_valid, 1 if valid > 0 else 0)
    n_test = min(n_test, max(0, n - 1))
    n_valid = min(n_valid, max(0, n - 1 - n_test))
    out = {}
    for i, p in enumerate(ranked):
        out[p] = "test" if i < n_test else "valid" if i < n_test + n_valid else "train"
    return out
