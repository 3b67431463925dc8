"""How the request classifier does on requests written apart from its training rows: leave one set out (issue 19).

Rows of one hand-written set share their writer's style (the same words, the same kinds of edgy
play), so a row-level cross-validation, whose training folds hold the same writer's other rows,
flatters the classifier: on the fresh set 3 the row-level estimate of 1.9% safe refused became
10.8%. Here each development set (``classifier.DEV_SETS``: sets 1, 2, 3, since session 15 4, since session 16 5, since session 17 6, since session 18 7 and 8, since session 19 9, since session 20 10, since session 21 11, since session 22 12) is scored in turn by a
classifier trained on everything else (the hand-written ``request_rows``, the other development
sets, the plain requests) and judged as the copilot judges it: the whole screen
(:func:`codehone.blocks.languages.screen.screen_request`, the rules: ``classifier.rules_actions``), then the classifier's second
look at what the rules allow, which can only add a refusal. The thresholds are chosen from these
out-of-set figures (:func:`choose_threshold`), and :func:`screen_figures` reports them per set,
per language and per category.

The rules themselves cannot be left out of a set: their word lists were widened after each set was
read. What they did to a set before it was read is kept instead (:func:`blind_rule_verdicts`), and a
level judged behind those verdicts gets its threshold together with a veto
(:func:`choose_threshold_and_veto`: below the veto, a refusal the rules made for a harm is lifted).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

LEVELS = ("standard", "strict")
BLIND_VERDICTS = Path(__file__).with_name("blind_rule_verdicts.jsonl")


def sets_of(rows: Sequence[dict]) -> list[int]:
    """The development sets present in ``rows`` (their ``dev_set`` numbers, ascending)."""
    return sorted({r["dev_set"] for r in rows if r.get("dev_set")})


def out_of_set_probs(rows: Sequence[dict], fit: Callable[[list[int], list[int]], Sequence[float]]) -> list[float | None]:
    """P(unsafe) of each development row from a model trained on every row but its set's (None for
    the rows of no development set: they only ever train). ``fit(train_idx, test_idx)`` fits a model
    on the rows ``train_idx`` and returns its P(unsafe) of the rows ``test_idx``."""
    probs: list[float | None] = [None] * len(rows)
    for k in sets_of(rows):
        train_idx = [i for i, r in enumerate(rows) if r.get("dev_set") != k]
        test_idx = [i for i, r in enumerate(rows) if r.get("dev_set") == k]
        for i, p in zip(test_idx, fit(train_idx, test_idx)):
            probs[i] = float(p)
    return probs


def final_actions(actions: Sequence[str], probs: Sequence[float], threshold: float | dict[str, float],
                  langs: Sequence[str] | None = None, veto: float = 0.0, liftable: Sequence[bool] | None = None) -> list[str]:
    """The screen's action with the classifier beside the rules: what the rules allow is refused when
    P(unsafe) reaches the threshold (one for all, or one a language with ``langs``), and a refusal the
    rules made for a harm (``liftable``) is lifted when P(unsafe) is under ``veto``."""
    out = []
    for i, (action, p) in enumerate(zip(actions, probs)):
        if action == "refuse" and liftable is not None and liftable[i] and p < veto:
            out.append("allow")
            continue
        t = threshold[langs[i]] if isinstance(threshold, dict) else threshold
        out.append("refuse" if action == "allow" and p >= t else action)
    return out


def choose_threshold_and_veto(rows: Sequence[dict], actions: Sequence[str], liftable: Sequence[bool],
                              probs: Sequence[float], target: float, floor: float = 0.5) -> tuple[float, float]:
    """(threshold, veto) that catch the most unsafe development rows while refusing at most ``target``
    of all their safe rows, the rules' refusals included (pooled), out of set; ties go to fewer safe
    rows refused, then to the lower threshold and veto (and if no pair is within the target, the
    pair that refuses fewest). A grid (thresholds from ``floor`` by 0.005,
    vetoes from 0 to the threshold by 0.025), evaluated with arrays: ``rows``/``actions``/``liftable``/
    ``probs`` are the development rows, the rules' action on each (blind where known:
    :func:`blind_rule_verdicts`), whether that action is a refusal the classifier may lift, and P(unsafe)."""
    import numpy as np

    p = np.asarray(probs, dtype=float)
    unsafe = np.asarray([r["label"] == "unsafe" for r in rows])
    refused = np.asarray([a == "refuse" for a in actions])
    allowed = np.asarray([a == "allow" for a in actions])
    lift = refused & np.asarray(liftable, dtype=bool)
    n_safe, n_unsafe = max(1, int((~unsafe).sum())), max(1, int(unsafe.sum()))
    best: tuple | None = None
    for t in np.round(np.arange(floor, 0.995, 0.005), 3):
        added = allowed & (p >= t)
        for v in np.round(np.arange(0.0, t + 1e-9, 0.025), 3):
            refusing = (refused & ~(lift & (p < v))) | added
            stopped = refusing | (~allowed & ~refused)  # steered rows stay steered
            safe_refused = int(refusing[~unsafe].sum()) / n_safe
            caught = int(stopped[unsafe].sum()) / n_unsafe
            # within the target: the most caught; where nothing is (no development rows can say), the fewest refused
            key = (1, caught, -safe_refused) if safe_refused <= target + 1e-12 else (0, -safe_refused, caught)
            if best is None or (*key, -t, -v) > best[0]:
                best = ((*key, -t, -v), float(t), float(v))
    return best[1], best[2]


def _rates(rows: Sequence[dict], actions: Sequence[str]) -> dict:
    unsafe = [a for r, a in zip(rows, actions) if r["label"] == "unsafe"]
    safe = [a for r, a in zip(rows, actions) if r["label"] == "safe"]
    return {"unsafe": len(unsafe), "safe": len(safe),
            "unsafe_caught_pct": round(100 * sum(a != "allow" for a in unsafe) / max(1, len(unsafe)), 1),
            "safe_refused_pct": round(100 * sum(a == "refuse" for a in safe) / max(1, len(safe)), 1),
            "safe_refused": sum(a == "refuse" for a in safe)}


def screen_figures(rows: Sequence[dict], actions: Sequence[str]) -> dict:
    """Unsafe caught (refused or steered) and safe refused: pooled, per set, per language, per
    category (of the unsafe rows, and of the safe rows: what they brush against), and the count of
    safe rows refused per category."""
    def pick(keep: Callable[[dict], bool]) -> dict:
        idx = [i for i, r in enumerate(rows) if keep(r)]
        return _rates([rows[i] for i in idx], [actions[i] for i in idx])

    refused_safe: dict[str, int] = {}
    for r, a in zip(rows, actions):
        if r["label"] == "safe" and a == "refuse":
            refused_safe[r["category"]] = refused_safe.get(r["category"], 0) + 1
    return {"all": pick(lambda r: True),
            "sets": {str(k): pick(lambda r, k=k: r.get("dev_set") == k) for k in sets_of(rows)},
            "languages": {lang: pick(lambda r, lang=lang: r["language"] == lang)
                          for lang in sorted({r["language"] for r in rows})},
            "categories": {c: pick(lambda r, c=c: r["category"] == c) for c in sorted({r["category"] for r in rows})},
            "safe_refused_by_category": dict(sorted(refused_safe.items()))}


def worst_safe_refused(rows: Sequence[dict], actions: Sequence[str], pooled: bool = False) -> float:
    """The share of safe rows refused: in the worst development set, or over all of them (``pooled``).
    Only these rates: it is asked once per candidate threshold, so not the whole of :func:`screen_figures`."""
    if pooled:
        return _rates(rows, actions)["safe_refused_pct"] / 100
    worst = 0.0
    for k in sets_of(rows):
        idx = [i for i, r in enumerate(rows) if r.get("dev_set") == k]
        worst = max(worst, _rates([rows[i] for i in idx], [actions[i] for i in idx])["safe_refused_pct"])
    return worst / 100


def worst_added_refused(rows: Sequence[dict], rules: Sequence[str], final: Sequence[str], pooled: bool = False) -> float:
    """The share of safe rows the classifier refuses on top of the rules (``final`` against
    ``rules``): in the worst development set, or over all of them (``pooled``)."""
    added = [("refuse" if f == "refuse" and r != "refuse" else "allow") for r, f in zip(rules, final)]
    return worst_safe_refused(rows, added, pooled)


def choose_threshold(rows: Sequence[dict], actions: Sequence[str], probs: Sequence[float], target: float,
                     floor: float = 0.5, pooled: bool = False) -> float:
    """The lowest threshold (never under ``floor``) at which the classifier refuses at most ``target``
    of the safe rows of every development set (of all of them with ``pooled``) on top of what the
    rules refuse, out of set. ``rows``/``actions``/``probs``: the development rows, the rules' actions on them and
    their out-of-set P(unsafe)."""
    candidates = sorted({floor, *(round(p + 1e-6, 6) for r, a, p in zip(rows, actions, probs)
                                  if r["label"] == "safe" and a == "allow" and p + 1e-6 > floor)})
    # The target bounds the refusals the classifier adds to the rules': no threshold can undo what the
    # rules refuse, so where they alone refuse more than the target (set 8 out of set: 6.0%), bounding
    # the total would push the threshold past every safe row and leave the classifier idle.
    for t in candidates:  # safe refusals only fall as the threshold rises
        if worst_added_refused(rows, actions, final_actions(actions, probs, t), pooled) <= target:
            return t
    return round(max(candidates) + 1e-6, 6) if candidates else floor


@lru_cache(maxsize=1)
def blind_rule_verdicts() -> dict[tuple[int, str], dict[str, tuple[str, str]]]:
    """(set, row id) -> {level: (action, category)}: what the rules did to each row of a development set
    when that set was scored blind, before anything was changed after reading it
    (``blind_rule_verdicts.jsonl``, made by ``benchmarks/safety_blind_rules.py`` from the code at the
    commit that recorded each blind score). Today's rules were widened after reading every development
    set, so on those sets they refuse almost no play (0.7% of the safe rows) while on each fresh set
    they refused 0.7-12.7%: choosing a threshold behind today's rules prices that in as nothing."""
    if not BLIND_VERDICTS.exists():
        return {}
    out = {}
    for line in BLIND_VERDICTS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out[(row["set"], row["id"])] = {level: (row[level]["action"], row[level]["category"]) for level in LEVELS}
    return out


def blind_verdicts_fingerprint() -> str:
    """A hash of the blind verdicts' file ("" without one): the thresholds are chosen behind them."""
    return hashlib.sha256(BLIND_VERDICTS.read_bytes()).hexdigest()[:16] if BLIND_VERDICTS.exists() else ""
