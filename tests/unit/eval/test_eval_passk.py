import math
from itertools import combinations

import pytest

from codehone.eval.passk import mean_pass_at_k, pass_at_k


def brute(n: int, c: int, k: int) -> float:
    # Definition: fraction of k-subsets of the n samples that contain a correct one.
    samples = [True] * c + [False] * (n - c)
    subsets = list(combinations(range(n), k))
    return sum(any(samples[i] for i in s) for s in subsets) / len(subsets)


@pytest.mark.parametrize("n,c,k", [(5, 0, 1), (5, 1, 1), (5, 2, 3), (6, 3, 2), (7, 7, 4), (8, 1, 8), (10, 4, 5)])
def test_matches_definition(n, c, k):
    assert pass_at_k(n, c, k) == pytest.approx(brute(n, c, k), abs=1e-12)


def test_matches_closed_form_at_large_n():
    n, c, k = 200, 13, 100
    exact = 1 - math.comb(n - c, k) / math.comb(n, k)
    assert pass_at_k(n, c, k) == pytest.approx(exact, rel=1e-9)


def test_pass_at_1_is_the_fraction():
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)


def test_k_larger_than_n_is_an_error():
    with pytest.raises(ValueError, match="needs at least 10 samples"):
        pass_at_k(1, 1, 10)


@pytest.mark.parametrize("args", [(5, 6, 1), (5, -1, 1), (5, 1, 0)])
def test_bad_counts(args):
    with pytest.raises(ValueError):
        pass_at_k(*args)


def test_mean():
    assert mean_pass_at_k([(2, 1), (2, 2)], 1) == pytest.approx(0.75)
    with pytest.raises(ValueError):
        mean_pass_at_k([], 1)
