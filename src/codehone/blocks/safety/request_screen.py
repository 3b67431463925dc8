"""The request screen the copilot runs before any model (issue 19): the rules, then the request
classifier's second look at what they allow.

The rules (:func:`codehone.blocks.languages.screen.screen_request`: bad input, the English rules
and the four other languages' rules) answer first; what they steer stays as they said, and so does
what they refuse, except (at standard, since session 22) a refusal for a harm that the classifier
finds very unlikely to be unsafe (:func:`codehone.blocks.safety.classifier.lift`, under the level's
veto): on sets nobody had read, most such refusals were play that used the rules' words. A request
they allow is then read by the classifier (:func:`codehone.blocks.safety.classifier.second_look`),
which can add a refusal, in the child's language. On set 4 when it was held out (session 14:
300 requests in five languages, written apart from both) the rules alone caught 48.7% of the
unsafe requests at standard and the two together 82.0%, with the same 4.0% of safe ones refused
(docs/benchmarks.d/blocks.md): the classifier adds catches without refusing more play. Set 4 is a
development set since session 15 (its out-of-set figures: benchmarks/bench_safety_leave_set_out.py). Set 5,
scored blind once in session 15 (88.7% caught, 4.0% of the safe requests refused at standard), is a
development set since session 16; set 6, scored blind once in session 16 (92.0% caught, 2.7% refused),
is a development set since session 17; set 7, scored blind once in session 17 (96.7% caught, 16.0%
refused: safe requests of everyday life the classifier read as unsafe), is a development set since
session 18, and so is set 8, scored blind once in session 18 (88.0% caught, 15.3% refused); set 9,
scored blind once in session 18 (94.7% caught, 11.3% refused), is a development set since session 19;
set 10, scored blind once in session 20 (88.0% caught, 10.7% refused), is a development set since
then, and so is set 11, scored blind once in session 21 (95.3% caught, 11.3% refused), and set 12
(scored blind once in session 21: 92.7% caught, 11.3% refused; a development set since session 22).
The blind set is set 13.

``generate``, ``fix``, ``tutor`` (:mod:`codehone.blocks.cli.safety`) and the studio call
:func:`screen`; benchmarks that score the rules alone call ``screen_request`` directly.
"""

from __future__ import annotations

from codehone.blocks.languages.screen import answer_language, screen_request
from codehone.blocks.safety.check import Verdict

__all__ = ["screen"]


def screen(text: str, level: str = "standard") -> Verdict:
    """The verdict on a child's request: the rules' own unless they allow it and the classifier
    finds it unsafe at ``level``'s threshold (then a kind refusal in the request's language), or
    they refuse it for a harm and the classifier finds it safe below ``level``'s veto (standard
    only: then it is allowed)."""
    from codehone.blocks.safety.classifier import lift, second_look  # scikit-learn loads only when a request is screened

    verdict = screen_request(text, level)
    if verdict.action == "refuse":
        return lift(text, verdict, level) or verdict
    if not verdict.allowed:
        return verdict
    return second_look(text, answer_language(text), level) or verdict
