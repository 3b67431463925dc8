"""Asking kinds for the language pairs of :mod:`codehone.blocks.synth.languages` (issue 19): the
child asks for a question to be put to them, then a reaction to the answer, in Spanish, French,
German or Portuguese ("frag mich, wie es mir geht, und sag dann ...", "pregúntame ...",
"demande-moi ...", "pergunta ..."). Session 15's tuned model answered German "frag ..." requests
with a plain ``say_for_secs`` and no ``ask`` block: its German pairs barely asked.

- ``ask_then_say``: ask a question, then say a fixed text after the answer;
- ``ask_echo``: ask (food, animal, age, a pet's name, a game) and say the answer inside a sentence;
- ``ask_repeat``: ask, then say the answer inside a sentence N times;
- ``ask_yes_no``: ask a yes/no question and react with if/else on the answer;
- ``ask_two``: ask two questions in a row (the first answer kept in a variable) and say both.

The wordings were written by hand in each language, the way children of 8-12 type; the words are
in :mod:`codehone.blocks.synth.languages_ask_words`.
"""

from __future__ import annotations

from typing import Callable

from codehone.blocks.synth.languages_ask_words import ASK_WORDS
from codehone.blocks.synth.languages_more import Ask
from codehone.blocks.synth.program import Pair, c_block, program, q, script

__all__ = ["ASK_KINDS", "make_ask"]

# Kind, weight in the deck of :func:`codehone.blocks.synth.languages.language_pairs`.
ASK_KINDS = (("ask_then_say", 2), ("ask_echo", 2), ("ask_repeat", 2), ("ask_yes_no", 2), ("ask_two", 2))


def _both(*checks: dict) -> dict:
    return {"check": "all_of", "checks": list(checks)}


def _words(a: Ask, kind: str) -> tuple:
    return a.rng.choice(ASK_WORDS[a.lang][kind])


def _reply(before: str, after: str) -> str:
    return f"join({q(before)}, join(answer(), {q(after)}))"


def _said(a: Ask, expr: str) -> str:
    return a.rng.choice((f"say({expr})", f"say_for_secs({expr}, 2)"))


def _ask_then_say(a: Ask) -> Pair:
    template, question = _words(a, "ask_then_say")
    text = a.rng.choice(ASK_WORDS[a.lang]["replies"])
    prompt = a.fill(template, text=a.dictated(text))
    body = [f"ask({q(question)})", _said(a, q(text))]
    check = _both({"check": "asks"}, {"check": "says", "text": text})
    answer = a.rng.choice(ASK_WORDS[a.lang]["any_answers"])
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "ask_then_say", (answer,))


def _ask_echo(a: Ask) -> Pair:
    template, question, before, after, answers = _words(a, "ask_echo")
    body = [f"ask({q(question)})", _said(a, _reply(before, after))]
    check = _both({"check": "asks"}, {"check": "says_answer"})
    return a.pair(a.fill(template), program(script("when_flag_clicked()", body)), check, "ask_echo",
                  (a.rng.choice(answers),))


def _ask_repeat(a: Ask) -> Pair:
    template, question, before, after, answers = _words(a, "ask_repeat")
    n = a.rng.choice((2, 3, 4, 5))
    inner = [f"say_for_secs({_reply(before, after)}, {a.rng.choice(('1', '0.5'))})"]
    body = [f"ask({q(question)})"] + c_block(f"repeat({n})", inner)
    check = _both({"check": "asks"}, {"check": "says_answer"}, {"check": "says_count", "min": n})
    return a.pair(a.fill(template, n=n), program(script("when_flag_clicked()", body)), check, "ask_repeat",
                  (a.rng.choice(answers),))


def _ask_yes_no(a: Ask) -> Pair:
    template, question, yes_text, no_text = _words(a, "ask_yes_no")
    yes, no = ASK_WORDS[a.lang]["yes_no"]
    prompt = a.fill(template, yes=a.dictated(yes_text), no=a.dictated(no_text))
    body = [f"ask({q(question)})"] + c_block(f"if_(equals(answer(), {q(yes)}))", [_said(a, q(yes_text))]) + \
        c_block("else_()", [_said(a, q(no_text))])
    good = a.rng.random() < 0.5
    said, other = (yes_text, no_text) if good else (no_text, yes_text)
    check = _both({"check": "asks"}, {"check": "says", "text": said},
                  {"check": "not", "of": {"check": "says", "text": other}})
    return a.pair(prompt, program(script("when_flag_clicked()", body)), check, "ask_yes_no", (yes if good else no,))


def _ask_two(a: Ask) -> Pair:
    template, first, second, before, middle, after, answers_1, answers_2 = _words(a, "ask_two")
    var = ASK_WORDS[a.lang]["var"]
    said = f"join({q(before)}, join(variable({q(var)}), join({q(middle)}, join(answer(), {q(after)}))))"
    body = [f"ask({q(first)})", f"set_variable({q(var)}, answer())", f"ask({q(second)})", _said(a, said)]
    one, two = a.rng.choice(answers_1), a.rng.choice(answers_2)
    check = _both({"check": "asks"}, {"check": "says", "text": one}, {"check": "says", "text": two})
    return a.pair(a.fill(template), program(script("when_flag_clicked()", body)), check, "ask_two", (one, two))


_MAKERS: dict[str, Callable[[Ask], Pair]] = {
    "ask_then_say": _ask_then_say, "ask_echo": _ask_echo, "ask_repeat": _ask_repeat, "ask_yes_no": _ask_yes_no,
    "ask_two": _ask_two,
}


def make_ask(a: Ask, kind: str) -> Pair:
    """One pair of ``kind`` (one of :data:`ASK_KINDS`) in ``a.lang``."""
    return _MAKERS[kind](a)
