"""Exact and near-duplicate removal, as in the BigCode pipeline.

Duplicates hurt twice: the model memorises what it sees many times, and a file copied between
train and test makes the held-out numbers lie. Two passes:

1. exact: SHA-256 of the text with all whitespace runs collapsed, so a re-indented or
   re-line-ended copy is still a copy; the first path in sorted order is kept.
2. near: MinHash over 5-grams of identifier/number tokens (BigCode's shingles), 256
   permutations, LSH at Jaccard 0.7 (datasketch). LSH only proposes candidates; an edge is kept
   when the two signatures' estimated Jaccard really is >= the threshold, and clusters are the
   connected components of those edges. Per cluster the longest file is kept (ties: the first
   path), so the choice does not depend on the order files were listed in.

Shingles are hashed without Python's ``hash`` (randomised per process): token hashes are CRC-32
(cached per distinct token) combined position-wise in uint64 arithmetic, which is deterministic
and vectorised; datasketch then applies its permutations.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

NGRAM = 5
NUM_PERM = 256
THRESHOLD = 0.7
SEED = 1
_TOKEN = re.compile(r"[A-Za-z_0-9]+")
_BATCH = 4096  # shingles per update: datasketch makes a (batch x num_perm) uint64 matrix


def normalised_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


def exact_duplicates(items: list[tuple[str, str]]) -> dict[str, str]:
    """``{dropped path: kept path}`` for files whose normalised text equals an earlier one's.
    ``items`` are (path, text) in the order that decides which copy is kept."""
    seen: dict[str, str] = {}
    dropped: dict[str, str] = {}
    for path, text in items:
        h = normalised_hash(text)
        if h in seen:
            dropped[path] = seen[h]
        else:
            seen[h] = path
    return dropped


def _identity(x):  # module level so MinHash objects stay picklable
    return x


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0xFF51AFD7ED558CCD], dtype=np.uint64)


def shingle_hashes(text: str, cache: dict[str, int] | None = None) -> np.ndarray:
    """Distinct 32-bit hashes of the text's token 5-grams (empty for fewer than 5 tokens)."""
    tokens = _TOKEN.findall(text)
    if len(tokens) < NGRAM:
        return np.empty(0, dtype=np.uint64)
    cache = {} if cache is None else cache
    get = cache.get
    ids = []
    for t in tokens:
        h = get(t)
        if h is None:
            h = cache[t] = zlib.crc32(t.encode("utf-8", "surrogatepass"))
        ids.append(h)
    th = np.array(ids, dtype=np.uint64)
    n = len(th) - NGRAM + 1
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(NGRAM):  # order-sensitive mix; wraps mod 2**64 by design
            acc = (acc ^ (th[k : k + n] * _MIX[k])) * np.uint64(0x100000001B3)
    return np.unique(acc >> np.uint64(32))


def minhash(hashes: np.ndarray):
    from datasketch import LeanMinHash, MinHash

    m = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_identity)
    for i in range(0, len(hashes), _BATCH):
        m.update_batch(hashes[i : i + _BATCH])
    return LeanMinHash(m)


@dataclass
class NearDupResult:
    dropped: dict[str, str]  # dropped path -> kept path of its cluster
    clusters: int  # clusters with more than one member


def near_duplicates(items: list[tuple[str, str]], threshold: float = THRESHOLD) -> NearDupResult:
    """Near-duplicate clusters among (path, text) items; all but one file per cluster dropped."""
    cache: dict[str, int] = {}
    sigs, sizes = {}, {}
    for path, text in items:
        h = shingle_hashes(text, cache)
        if len(h):
            sigs[path] = minhash(h)
            sizes[path] = len(text)
    return cluster_signatures(sigs, sizes, threshold)


def cluster_signatures(sigs: dict, sizes: dict[str, int], threshold: float = THRESHOLD) -> NearDupResult:
    """Clusters of MinHash signatures ``{path: LeanMinHash}``; keeps the longest file of each."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for path in sorted(sigs):
        lsh.insert(path, sigs[path])
    parent = {p: p for p in sigs}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for path in sorted(sigs):
        m = sigs[path]
        for other in lsh.query(m):
            if other <= path:
                continue  # each pair once
            if m.jaccard(sigs[other]) >= threshold:
                a, b = find(path), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for p in sorted(sigs):
        members.setdefault(find(p), []).append(p)
    dropped = {}
    clusters = 0
    for group in members.values():
        if len(group) < 2:
            continue
        clusters += 1
        keep = min(group, key=lambda p: (-sizes[p], p))
        for p in group:
            if p != keep:
                dropped[p] = keep
    return NearDupResult(dropped=dropped, clusters=clusters)
