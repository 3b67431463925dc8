"""A second look at a child's request, behind the rules: a small text classifier (issue 19).

The rules (:func:`codehone.blocks.safety.check.check_request` for English,
:mod:`codehone.blocks.languages.harms` for Spanish, French, German and Portuguese) are word lists:
they catch every request of the set they were fitted to and miss harm said without their words on a
fresh one ("pills to not wake up", a ranking of groups, "hurt X in real life"). Word lists fitted
to one set generalise poorly, so this module learns from labelled rows instead: a TF-IDF union of
character n-grams (2-5, inside word boundaries: typos, chat spellings and inflections share most of
their n-grams) and words (1-2) over folded text (lower case, no accents), into a logistic regression
with balanced classes. One binary model says how likely a request is unsafe; a second one, fitted
on the unsafe rows only, says which of the seven categories it is, so the child is told the right
kind message.

It sits behind the rules: :func:`second_look` is asked only about requests the rules allow, and can
only add a refusal. Since session 22 it may also lift a refusal the rules made for a harm, at
standard only, when it finds the request very unlikely to be unsafe (:func:`lift`, under the level's
veto): word rules fire on play that uses their words, and on sets nobody had read most of their
refusals of play scored low here.

Training rows: the hand-written ``request_rows/*.jsonl`` (see ``request_rows/README.md``; never a
benchmark), the twelve development sets :data:`DEV_SETS` (``safety_lang.jsonl``, ``safety_lang_2.jsonl``,
``safety_lang_3.jsonl``, ``safety_lang_4.jsonl`` (since session 15), ``safety_lang_5.jsonl`` (since
session 16), ``safety_lang_6.jsonl`` (since session 17), ``safety_lang_7.jsonl`` and ``safety_lang_8.jsonl``
(since session 18), ``safety_lang_9.jsonl`` (since session 19), ``safety_lang_10.jsonl`` (since session
20), ``safety_lang_11.jsonl`` (since session 21), ``safety_lang_12.jsonl`` (since session 22), named one by
one: the blind set 13 and the English
``safety.jsonl`` are never read here), and, as safe rows, plain requests of the copilot's own training data
(:func:`ordinary_rows`: hand-written rows are mostly edgy, and without these, ordinary requests
worded unlike them read as unsafe), each language's safe and unsafe rows weighed alike
(:func:`language_weights`). The decision threshold of each level is chosen leaving one set
out (:mod:`~codehone.blocks.safety.leave_set_out`): each development set is scored by a regression
trained on every other row, behind the rules, and the threshold is the lowest that keeps the safe
rows the classifier refuses on top of the rules, in the worst set, within :data:`SAFE_REFUSED_TARGET`
(since session 18: before, the rules' own refusals counted too, and set 8, whose safe rows the rules
alone refuse 6% of, left no threshold but one above every row). Since session 22, standard's
threshold and veto are chosen together behind the rules' *blind* verdicts (what the rules did to each
set before it was read: :func:`~codehone.blocks.safety.leave_set_out.blind_rule_verdicts`), bounding
all the safe rows refused, the rules' included, by :data:`TOTAL_REFUSED_TARGET`. (A row-level cross-validation
promised 1.9% safe refused on rows whose set-mates it had trained on, and a fresh set gave 10.8%.)
:func:`report` gives the thresholds and the out-of-set figures.

Training is deterministic (fixed seed and solver) and takes seconds on an idle CPU (minutes on a
busy one), so the model is trained lazily on first use, kept in the process, and persisted with
joblib under ``~/.cache/codehone/safety`` (``$CODEHONE_HOME``), keyed by a hash of the training
rows, the settings and the scikit-learn version; a request then costs a few milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from codehone.blocks.safety.check import CATEGORIES, LEVELS
from codehone.blocks.safety import text_model
from codehone.blocks.safety.text_model import ORDINARY_SHARE, SEED, fold, is_plain_request, language_weights, read

__all__ = ["ROWS_DIR", "SAFE_REFUSED_TARGET", "TOTAL_REFUSED_TARGET", "RequestModel", "fold",
           "labelled_rows", "lift", "liftable_refusal", "load_rows", "model", "ordinary_rows", "read", "report", "rules_verdicts",
           "second_look", "train", "training_rows", "using"]

ROWS_DIR = Path(__file__).with_name("request_rows")
BENCH_DIR = Path(__file__).resolve().parents[1] / "copilot" / "bench"
# The development sets (all read, all scored once): training rows too, each tagged ``dev_set`` with its
# number for the leave-one-set-out estimate. Set 4 was scored blind once (session 14) and is a
# development set since session 15; set 5 was scored blind once (session 15) and is a development
# set since session 16; set 6 was scored blind once (session 16) and is a development set since
# session 17; set 7 was scored blind once (session 17) and set 8 once (session 18), and both are
# development sets since session 18; set 9 was scored blind once (session 18) and is a development set
# since session 19; set 10 was scored blind once (session 20) and is a development set since then;
# set 11 likewise (scored blind once in session 21, a development set since); set 12 was scored blind once
# in session 21 and is a development set since session 22. Listed by name: the blind set 13
# (safety_lang_13.jsonl) and the English benchmark (safety.jsonl) are never read here.
DEV_SETS = {1: "safety_lang.jsonl", 2: "safety_lang_2.jsonl", 3: "safety_lang_3.jsonl", 4: "safety_lang_4.jsonl",
            5: "safety_lang_5.jsonl", 6: "safety_lang_6.jsonl", 7: "safety_lang_7.jsonl", 8: "safety_lang_8.jsonl",
            9: "safety_lang_9.jsonl", 10: "safety_lang_10.jsonl", 11: "safety_lang_11.jsonl", 12: "safety_lang_12.jsonl"}
LANGUAGES = ("en", "es", "fr", "de", "pt")
# The most out-of-set safe rows the classifier may refuse on top of the rules, a level (standard: issue
# 19 allows 3% in all on a fresh set).
SAFE_REFUSED_TARGET = {"standard": 0.02, "strict": 0.05}
# The most out-of-set safe rows a level may refuse in all, the rules' refusals included, judged behind the
# rules' blind verdicts (``leave_set_out.blind_rule_verdicts``); such a level also gets a veto: a refusal the rules
# make for a harm is lifted when P(unsafe) is under it (:func:`lift`). Since session 22, standard: behind
# the blind verdicts of sets 3-12 the rules alone refused 4.7% of the safe rows, and 57 of their 69 false
# refusals had P(unsafe) under 0.5 out of set, against 21 of their 635 catches.
TOTAL_REFUSED_TARGET = {"standard": 0.03}
# The fewest words a request needs for its refusal to be lifted (liftable_refusal).
LIFT_MIN_WORDS = 4
# Whether the target bounds the safe rows refused over all development sets (True) or in the worst one.
# Pooled since session 20: with ten sets the worst-set bound pushed standard to 0.88 and its out-of-set
# catch to 77.6% (0.9% of safe rows refused in all, the rules alone 0.7%), while pooled gives 92.3% caught
# and 2.7% refused in all, the issue's own reading (a share of all safe prompts, target 3%). Each blind set
# so far refused more than its estimate (set 11: 11.3% against 2.7%, set 12: 11.3% against 2.8%): the
# estimate priced the rules' refusals of play on a fresh set as nothing (TOTAL_REFUSED_TARGET's reason).
POOLED = True
# No threshold below this: a request the model is unsure about is left to the rules.
MIN_THRESHOLD = 0.5
FOLDS = 5
# How many of the copilot's own training requests join the safe rows: (English, other languages).
ORDINARY = (1200, 60)
# Bump when the features or the model change, so a persisted model is not reused.
VERSION = 11


def load_rows(path: Path) -> list[dict]:
    """The rows of one jsonl file (``category``, ``id``, ``label``, ``language``, ``prompt``)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled_rows() -> list[dict]:
    """The labelled rows, in a fixed order: the hand-written rows of each language, then the
    development sets (those present)."""
    rows = [r for lang in LANGUAGES if (ROWS_DIR / f"{lang}.jsonl").exists() for r in load_rows(ROWS_DIR / f"{lang}.jsonl")]
    for k, name in DEV_SETS.items():
        if (BENCH_DIR / name).exists():
            rows += [{**r, "dev_set": k} for r in load_rows(BENCH_DIR / name)]
    return rows


@lru_cache(maxsize=1)
def ordinary_rows() -> tuple[dict, ...]:
    """Safe rows of the kind children ask for most: the copilot's own training requests (the
    synthesizer's ``train`` split, English, and its requests in the four other languages; the
    benchmarks' prompts are excluded as the copilot's dataset excludes them). Hand-written rows
    alone are mostly edgy, so without these a plain request written another way ("show me a
    hexagon in red") could read as unsafe."""
    from codehone.blocks.copilot.bench import BENCH_FILES, load_benchmark
    from codehone.blocks.synth.languages import OLD_KINDS, language_pairs
    from codehone.blocks.synth.pairs import generate_pairs

    bench = frozenset(t.get("prompt", "") for name in BENCH_FILES for t in load_benchmark(bench=name))
    english = [p.prompt for p in generate_pairs(ORDINARY[0], SEED, "train", exclude_prompts=bench, verify_pairs=False)]
    # the deck of kinds as it was when the thresholds were chosen and set 5 was scored (session 15): the
    # asking kinds added after it would change these rows, the model and its thresholds
    others = [p.prompt for p in language_pairs(ORDINARY[1], SEED, exclude_prompts=bench, kinds=OLD_KINDS)]
    rows = [("en", text) for text in english]
    rows += [(LANGUAGES[1 + i % 4], text) for i, text in enumerate(others)]  # language_pairs takes es/fr/de/pt in turn
    return tuple({"category": "none", "id": f"ordinary-{i:04d}", "label": "safe", "language": lang, "prompt": text}
                 for i, (lang, text) in enumerate(rows))


def training_rows() -> list[dict]:
    """Every training row: :func:`labelled_rows` then :func:`ordinary_rows`."""
    return [*labelled_rows(), *ordinary_rows()]


def _fit_unsafe(x, rows: list[dict]):  # noqa: ANN001, ANN202 - a fitted LogisticRegression
    """The binary model fitted on ``x`` (the matrix of ``rows``), each language's classes balanced."""
    return text_model.regression(balanced=False).fit(x, [int(r["label"] == "unsafe") for r in rows], sample_weight=language_weights(rows))


@dataclass
class RequestModel:
    """The fitted models, the threshold of each level and the out-of-fold figures that chose them."""

    features: object
    unsafe: object
    category: object
    thresholds: dict[str, float]
    figures: dict = field(default_factory=dict)
    vetoes: dict[str, float] = field(default_factory=dict)  # a level's P(unsafe) under which a rules' refusal is lifted

    def p_unsafe(self, text: str) -> float:
        """How likely ``text`` is an unsafe request (0-1)."""
        return float(self.unsafe.predict_proba(self.features.transform([text]))[0, 1])

    def judge(self, text: str) -> tuple[float, str]:
        """(P(unsafe), the most likely unsafe category)."""
        x = self.features.transform([text])
        p = float(self.unsafe.predict_proba(x)[0, 1])
        return p, str(self.category.predict(x)[0])


def _fit(rows: list[dict], categories: bool = True, fitted: tuple | None = None) -> tuple[object, object, object | None]:
    """(features, binary model, category model) fitted on ``rows``; the category model (one
    binary regression a category, the fastest deterministic fit) only when ``categories``.
    ``fitted``: (features, matrix) already fitted on ``rows``' texts."""
    from sklearn.multiclass import OneVsRestClassifier

    features, x = fitted or _vectorise(rows)
    unsafe = _fit_unsafe(x, rows)
    if not categories:
        return features, unsafe, None
    picked = [i for i, r in enumerate(rows) if r["label"] == "unsafe"]
    category = OneVsRestClassifier(text_model.regression()).fit(x[picked], [rows[i]["category"] for i in picked])
    return features, unsafe, category


def _vectorise(rows: list[dict]) -> tuple[object, object]:
    """(features fitted on ``rows``' texts, their matrix)."""
    fitted = text_model.features()
    return fitted, fitted.fit_transform([r["prompt"] for r in rows])


def out_of_fold(rows: list[dict], folds: int = FOLDS) -> list[float]:
    """P(unsafe) of each row from a regression trained on the other folds (folds stratified by
    language and label, fixed seed). The TF-IDF vocabulary is fitted once on all of ``rows`` (no
    labels: it only says which n-grams exist), which makes choosing a threshold a fifth of the
    cost; the benchmark's outer folds never share it."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    x = text_model.features().fit_transform([r["prompt"] for r in rows])
    probs = np.zeros(len(rows))
    strata = [f"{r['language']}-{r['label']}" for r in rows]
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(rows, strata):
        probs[test_idx] = _fit_unsafe(x[train_idx], [rows[i] for i in train_idx]).predict_proba(x[test_idx])[:, 1]
    return [float(p) for p in probs]


def choose_threshold(probs: list[float], labels: list[str], target: float) -> float:
    """The lowest threshold (never under :data:`MIN_THRESHOLD`) at which at most ``target`` of
    the safe rows score at or above it: the k+1-th highest safe score, nudged up, where k is the
    number of safe rows the target allows to be refused."""
    safe = sorted((p for p, label in zip(probs, labels) if label == "safe"), reverse=True)
    allowed = int(target * len(safe))
    cut = safe[allowed] + 1e-6 if allowed < len(safe) else 0.0
    return round(max(MIN_THRESHOLD, cut), 6)


def _figures(rows: list[dict], probs: list[float], threshold: float) -> dict:
    """Out-of-fold unsafe caught and safe refused (%) by the classifier alone, per language and overall."""
    out = {}
    for lang in ("all", *LANGUAGES):
        part = [(r["label"], p) for r, p in zip(rows, probs) if lang in ("all", r["language"])]
        unsafe = [p for label, p in part if label == "unsafe"]
        safe = [p for label, p in part if label == "safe"]
        out[lang] = {"unsafe": len(unsafe), "safe": len(safe),
                     "unsafe_caught_pct": round(100 * sum(p >= threshold for p in unsafe) / max(1, len(unsafe)), 1),
                     "safe_refused_pct": round(100 * sum(p >= threshold for p in safe) / max(1, len(safe)), 1)}
    return out


def train(rows: list[dict] | None = None, folds: int = FOLDS) -> RequestModel:
    """The model trained on ``rows`` (the shipped training rows by default), with each level's
    threshold chosen out of set (:mod:`~codehone.blocks.safety.leave_set_out`: each development set
    scored by a model trained without it, behind the rules). Without development sets in ``rows``,
    out of fold (``folds`` stratified folds of the labelled rows) instead."""
    import time

    from codehone.blocks.safety import leave_set_out as lso

    rows = training_rows() if rows is None else rows
    t0 = time.perf_counter()
    vetoes = {level: 0.0 for level in LEVELS}
    if lso.sets_of(rows):
        # the n-grams are counted once over every row (no labels: which n-grams exist and how rare),
        # each set's regression is fitted without that set's rows
        vectorised = _vectorise(rows)
        thresholds, vetoes, estimate, scored = _choose_out_of_set(rows, vectorised[1])
        how = "leave_one_set_out"
    else:
        vectorised, scored = None, {}
        probs = out_of_fold(rows, folds)
        # thresholds and figures over the labelled rows: the ordinary ones are easy and would dilute them
        picked = [i for i, r in enumerate(rows) if not is_plain_request(r)]
        labelled, labelled_probs = [rows[i] for i in picked], [probs[i] for i in picked]
        labels = [r["label"] for r in labelled]
        thresholds = {level: choose_threshold(labelled_probs, labels, SAFE_REFUSED_TARGET[level]) for level in LEVELS}
        estimate = {level: _figures(labelled, labelled_probs, t) for level, t in thresholds.items()}
        how = "out_of_fold"
    features, unsafe, category = _fit(rows, fitted=vectorised)
    figures = {"rows": len(rows), "labelled_rows": sum(not is_plain_request(r) for r in rows),
               "train_seconds": round(time.perf_counter() - t0, 2), "thresholds": thresholds, "vetoes": vetoes,
               how: estimate, "scored": scored}
    return RequestModel(features, unsafe, category, thresholds, figures, vetoes)


def _choose_out_of_set(rows: list[dict], x) -> tuple[dict, dict, dict, dict]:  # noqa: ANN001 - x: the rows' matrix
    """(thresholds, vetoes, out-of-set figures, what they were made of) of each level, from each
    development set scored by a regression trained without it. A level in :data:`TOTAL_REFUSED_TARGET`
    (standard) is judged on the sets whose blind verdicts are known, behind those verdicts (what the
    rules did to each before it was read: :func:`~codehone.blocks.safety.leave_set_out.blind_rule_verdicts`),
    and gets a veto; the others on every set, behind today's rules, with none."""
    from codehone.blocks.safety import leave_set_out as lso

    dev = [r for r in rows if r.get("dev_set")]
    probs = [p for p in lso.out_of_set_probs(rows, lambda tr, te: _fit_unsafe(x[tr], [rows[i] for i in tr]).predict_proba(x[te])[:, 1])
             if p is not None]
    today, blind = rules_verdicts(dev), lso.blind_rule_verdicts()
    thresholds, vetoes, estimate, actions = {}, {}, {}, {}
    for level in LEVELS:
        verdicts, judged = today[level], list(range(len(dev)))
        if level in TOTAL_REFUSED_TARGET:
            verdicts = [blind.get((r["dev_set"], r["id"]), {}).get(level, v) for r, v in zip(dev, verdicts)]
            # only the sets with blind verdicts: today's rules on a set that was read refuse almost none of its play
            judged = [i for i, r in enumerate(dev) if (r["dev_set"], r["id"]) in blind] or judged
        actions[level] = [action for action, _ in verdicts]
        liftable = [liftable_refusal(r["prompt"], action, cat) for r, (action, cat) in zip(dev, verdicts)]
        d, a, lift_, p = ([seq[i] for i in judged] for seq in (dev, actions[level], liftable, probs))
        if level in TOTAL_REFUSED_TARGET:
            thresholds[level], vetoes[level] = lso.choose_threshold_and_veto(d, a, lift_, p, TOTAL_REFUSED_TARGET[level],
                                                                             MIN_THRESHOLD)
        else:
            thresholds[level], vetoes[level] = lso.choose_threshold(d, a, p, SAFE_REFUSED_TARGET[level], MIN_THRESHOLD,
                                                                    POOLED), 0.0
        estimate[level] = lso.screen_figures(d, lso.final_actions(a, p, thresholds[level], veto=vetoes[level], liftable=lift_))
    # what the estimate was made of, so a benchmark can score other thresholds without refitting
    scored = {"ids": [r["id"] for r in dev], "probs": [round(p, 6) for p in probs], "rules": actions}
    return thresholds, vetoes, estimate, scored


def rules_actions(rows: list[dict]) -> dict[str, list[str]]:
    """Per level, the screen's action on each row with the rules alone (no classifier)."""
    return {level: [action for action, _ in verdicts] for level, verdicts in rules_verdicts(rows).items()}


def rules_verdicts(rows: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """Per level, the rules' (action, category) on each row (no classifier)."""
    from codehone.blocks.languages.screen import screen_request

    out: dict[str, list[tuple[str, str]]] = {}
    with using(None):
        for level in LEVELS:
            verdicts = [screen_request(r["prompt"], level) for r in rows]
            out[level] = [(v.action, v.category) for v in verdicts]
    return out


# The rules' source (relative to the blocks package): the thresholds are chosen behind the rules'
# actions, so a model persisted before a rule changed would keep thresholds chosen for other rules.
RULE_SOURCES = ("safety/rules.py", "safety/check.py", "safety/text.py", "safety/harmless_phrases.py", "languages/harms.py",
                "languages/screen.py", "languages/detect.py", "languages/words.py", "languages/harm_lexicon")


def _rules_fingerprint() -> str:
    """A hash of the rules' source files (a fraction of a millisecond to read)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in RULE_SOURCES:
        path = root / name
        for f in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            if f.exists():
                digest.update(f.name.encode() + f.read_bytes())
    return digest.hexdigest()[:16]


def _key(rows: list[dict]) -> str:
    """What a persisted model depends on: every training row (the ordinary ones come from the
    synthesizer, whose code changes: keying on them retrains when it does), the rules' source
    (the thresholds are chosen behind them), this module's settings, scikit-learn's version."""
    import sklearn

    from codehone.blocks.safety import leave_set_out as lso

    settings = [VERSION, FOLDS, SEED, ORDINARY, ORDINARY_SHARE, MIN_THRESHOLD, SAFE_REFUSED_TARGET, TOTAL_REFUSED_TARGET, LIFT_MIN_WORDS, POOLED,
                sklearn.__version__, _rules_fingerprint(), lso.blind_verdicts_fingerprint()]
    blob = json.dumps([settings, rows], sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _cache_dir() -> Path:
    """``$CODEHONE_SAFETY_CACHE`` when set (the test suite shares one across its isolated homes and
    subprocesses, so the model is trained once a run), else ``$CODEHONE_HOME/safety``."""
    if os.environ.get("CODEHONE_SAFETY_CACHE"):
        return Path(os.environ["CODEHONE_SAFETY_CACHE"])
    return Path(os.environ.get("CODEHONE_HOME") or Path.home() / ".cache" / "codehone") / "safety"


@lru_cache(maxsize=1)
def model() -> RequestModel | None:
    """The shipped model: loaded from the cache when the same rows trained it before, trained
    (and persisted) otherwise; None when no training rows ship (the rules then stand alone)."""
    rows = labelled_rows()
    if not any(r["label"] == "unsafe" for r in rows):
        return None
    import joblib

    path = _cache_dir() / f"request_classifier-{_key(training_rows())}.joblib"
    if path.exists():
        try:
            return joblib.load(path)
        except Exception:  # noqa: BLE001 - a broken or foreign cache file is retrained over
            pass
    fitted = train()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        joblib.dump(fitted, tmp)
        tmp.replace(path)
    except OSError:  # a read-only home: the model stays in this process only
        pass
    return fitted


def report() -> dict:
    """The thresholds and out-of-fold figures of the shipped model, for benchmarks and logs."""
    fitted = model()
    return dict(fitted.figures) if fitted is not None else {"rows": 0}


# The model :func:`second_look` uses instead of the shipped one while :func:`using` is in effect.
_OVERRIDE: list = []


def _in_use():  # noqa: ANN202 - a RequestModel or None
    """The model the screen uses now: the one :func:`using` put in place, else the shipped one."""
    return _OVERRIDE[-1] if _OVERRIDE else model()


@contextmanager
def using(fitted: RequestModel | None) -> Iterator[None]:
    """Within the block, the screen uses ``fitted`` (a fold's model, for cross-validation) or,
    with None, the rules alone (to compare)."""
    _OVERRIDE.append(fitted)
    try:
        yield
    finally:
        _OVERRIDE.pop()


def second_look(text: str, lang: str, level: str = "standard"):  # noqa: ANN201 - a Verdict or None
    """A refusal (Verdict) of a request the rules allowed, when the classifier finds it unsafe at
    ``level``'s threshold; None otherwise. ``lang`` is the language the child is answered in."""
    from codehone.blocks.languages.harms import MESSAGES as HARM_MESSAGES
    from codehone.blocks.safety.check import MESSAGES, Verdict

    fitted = _in_use()
    if fitted is None or not text.strip():
        return None
    p, category = fitted.judge(text)
    if p < fitted.thresholds[level] or category not in CATEGORIES:
        return None
    message = HARM_MESSAGES[category].get(lang) or MESSAGES[category]
    return Verdict("refuse", category, message, terms=("classifier", f"{p:.2f}"))


def liftable_refusal(text: str, action: str, category: str) -> bool:
    """Whether the classifier may lift the rules' ``action`` on ``text``: a refusal for a harm (not
    for bad input), in a request of at least :data:`LIFT_MIN_WORDS` words (in "muérete" or "kill
    him" the harm word is all there is, and a few n-grams give the classifier little to go on)."""
    return action == "refuse" and category in CATEGORIES and len(text.split()) >= LIFT_MIN_WORDS


def lift(text: str, verdict, level: str = "standard"):  # noqa: ANN001, ANN201 - Verdicts
    """An allow (Verdict) in place of ``verdict``, a refusal the rules made for a harm, when the
    classifier finds ``text`` unlikely to be unsafe (P(unsafe) under ``level``'s veto); None otherwise.
    Word rules fire on play that uses the words ("a pretend phone with a made-up number", "my brother
    kills me at Mario Kart"), and the veto was chosen where such refusals, on sets nobody had read,
    were mostly play (:func:`_choose_out_of_set`)."""
    from codehone.blocks.safety.check import Verdict

    fitted = _in_use()
    if fitted is None or not liftable_refusal(text, verdict.action, verdict.category):
        return None
    veto = getattr(fitted, "vetoes", {}).get(level, 0.0)
    p = fitted.p_unsafe(text) if veto > 0 else 1.0
    if p >= veto:
        return None
    return Verdict("allow", request=text.strip(), terms=("classifier", f"{p:.2f}", "lifted", verdict.category))
