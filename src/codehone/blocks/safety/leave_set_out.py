"""How the request classifier does on requests written apart from its training rows: leave one set out (issue 19).

Rows of one hand-written set share their writer's style (the same words, the same kinds of edgy
play), so a row-level cross-validation, whose training folds hold the same writer's other rows,
flatters the classifier: on the fresh set 3 the row-level estimate of 1.9% safe refused became
10.8%. Here each development set (``classifier.DEV_SETS``: sets 1, 2, 3, since session 15 4, since session 16 5, since session 17 6, since session 18 7 and 8, since session 19 9, since session 20 10, since session 21 11) is scored in turn by a
classifier trained on everything else (the hand-written ``request_rows``, the other development
sets, the plain requests) and judged as the copilot judges it: the whole screen
(:func:`codehone.blocks.languages.screen.screen_request`, the rules: ``classifier.rules_actions``), then the classifier's second
look at what the rules allow, which can only add a refusal. The thresholds are chosen from these
out-of-set figures (:func:`choose_threshold`), and :func:`screen_figures` reports them per set,
per language and per category.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

LEVELS = ("standard", "strict")


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
                  langs: Sequence[str] | None = None) -> list[str]:
    """The screen's action with the classifier behind the rules: what the rules allow is refused when
    P(unsafe) reaches the threshold (one for all, or one a language with ``langs``)."""
    out = []
    for i, (action, p) in enumerate(zip(actions, probs)):
        t = threshold[langs[i]] if isinstance(threshold, dict) else threshold
        out.append("refuse" if action == "allow" and p >= t else action)
    return out


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
