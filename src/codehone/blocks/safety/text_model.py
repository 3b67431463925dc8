"""What the request classifier reads and how it weighs what it learns from (issue 19): the text
features (character and word n-grams over folded text, harmless phrases left out), the logistic
regression, and the weight of each training row. :mod:`~codehone.blocks.safety.classifier` trains,
persists and applies the model; this module is only its parts, so a change here is a change of the
model (``classifier.VERSION``)."""

from __future__ import annotations

import unicodedata

__all__ = ["ORDINARY_SHARE", "SEED", "features", "fold", "is_plain_request", "language_weights", "read", "regression"]

SEED = 0
# The share of its (language, safe) group's weight the plain requests have together (language_weights).
ORDINARY_SHARE = 0.3


def fold(text: str) -> str:
    """Lower case without accents ("Muérete" and "muerete" are one request; ß is ss), so the
    n-grams of a word typed with or without its accents are the same."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def read(text: str) -> str:
    """What the classifier reads of a request: the request without its harmless phrases
    (:mod:`~codehone.blocks.safety.harmless_phrases`: "my mom will kill me if I'm late", read by the
    rules the same way), folded. Training rows are read the same way as requests."""
    from codehone.blocks.safety.harmless_phrases import without_harmless_phrases

    return fold(without_harmless_phrases(text))


def features():  # noqa: ANN202 - a FeatureUnion
    """Character n-grams for spelling (typos, chat spellings, endings), words and word pairs for
    meaning ("not wake up", "in real life"), both over folded text."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=read, sublinear_tf=True,
                                  min_df=1, dtype=_float32())),
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=read, sublinear_tf=True,
                                  token_pattern=r"(?u)\b\w+\b", dtype=_float32())),
    ])


def _float32():  # noqa: ANN202 - numpy's float32 (imported late: numpy is only needed once trained)
    import numpy as np

    return np.float32


def regression(balanced: bool = True):  # noqa: ANN202 - a LogisticRegression
    """Balanced classes (fewer unsafe rows than safe ones in use does not mean a lower prior here;
    ``balanced=False`` where :func:`language_weights` balance them instead) and a fixed solver, so
    training twice gives the same model. C=3 (was 30): leave one set out, C of 1, 3, 10 and 30 and an
    average of a character and a word model were within a row of each other; 3 was as good as any
    and fits fastest."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=3.0, class_weight="balanced" if balanced else None, max_iter=5000, solver="liblinear",
                              random_state=SEED)


def is_plain_request(row: dict) -> bool:
    """Whether a training row is one of the copilot's own plain requests (``classifier.ordinary_rows``),
    not a hand-written row."""
    return row["id"].startswith("ordinary-")


def language_weights(rows: list[dict]):  # noqa: ANN201 - a numpy array
    """A weight per row so that each language's safe rows and its unsafe rows weigh the same in all
    (every (language, label) group the same total). Class balance over all rows left the plain
    English requests (1,200 of them) to make English safe and every other language's words a little
    unsafe: "make me a game" read 0.35, "mach mir ein Spiel" 0.44, "ich bin im Hort, mach mir ein
    Spiel" 0.68. Leave one set out over sets 1-9 (session 19), at the threshold each set would get
    from the other eight: 88.0% caught for 1.0% added refusals, against 86.3 / 0.8.

    Within a group, the plain requests (:func:`ordinary_rows`) together weigh :data:`ORDINARY_SHARE` of
    it and the hand-written rows the rest (since session 22). Before, every row of a group weighed the
    same, so English's 1,200 plain requests left its hand-written play (the edgy rows that teach what
    is safe) a fraction of the weight the other languages' play had, and English play was refused the
    most: 16.7% of set 13's English safe rows, blind, against 0-10% in the other languages. Leave one
    set out behind the blind verdicts (sets 3-12, 3% refused in all): English safe refused 5.2% -> 2.6%,
    all caught 90.4% -> 90.7% (shares of 0.15 and 0.5: 90.7 and 89.7)."""
    import numpy as np

    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault((r.get("language") or "en", r["label"]), []).append(i)
    weights = np.ones(len(rows))
    for members in groups.values():
        total = len(rows) / len(groups)
        plain = [i for i in members if is_plain_request(rows[i])]
        written = [i for i in members if not is_plain_request(rows[i])]
        if plain and written:
            weights[plain] = total * ORDINARY_SHARE / len(plain)
            weights[written] = total * (1 - ORDINARY_SHARE) / len(written)
        else:
            weights[members] = total / len(members)
    return weights
