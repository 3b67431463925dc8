"""Editor-style clean-up of infill suggestions: each rule, and the streaming filter's guarantees."""

import pytest

from codehone.serve.postprocess import InfillFilter, postprocess

FUNC_PREFIX = "def area(r):\n    "
NEXT_FUNC = "\n\ndef perimeter(r):\n    return 2 * pi * r\n"


def test_single_line_when_text_follows_the_cursor():
    # Inside "print(|)": one line, and the echoed ")" is cut.
    assert postprocess("print(", ")\nx = 1\n", "a + b)\nprint(c)\n") == "a + b"
    assert postprocess("x = foo(", ", y)\n", "1\n") == "1"


def test_single_line_drops_what_already_follows():
    assert postprocess("print(", ")\n", ")") == ""


def test_block_ends_at_lower_indentation():
    text = "return pi * r * r\n\ndef perimeter(r):\n    return 2 * pi * r\n"
    assert postprocess(FUNC_PREFIX, "", text) == "return pi * r * r"


def test_deeper_and_equal_indentation_stays():
    prefix = "def f(xs):\n    "
    text = "for x in xs:\n        if x:\n            yield x\n    return None\n"
    assert postprocess(prefix, "", text) == text.rstrip()


def test_closing_brace_at_lower_indentation_is_cut():
    prefix = "function f() {\n    "
    assert postprocess(prefix, "\n}\n", "return 1;\n}\n") == "return 1;"


def test_stops_where_the_suffix_starts_repeating():
    prefix = "def area(r):\n"
    suffix = "\ndef perimeter(r):\n    return 2 * pi * r\n"
    # Cursor at column 0: indentation cannot end it, repetition of the suffix does.
    text = "    return pi * r * r\n\ndef perimeter(r):\n    return 2 * pi * r\n"
    assert postprocess(prefix, suffix, text) == "    return pi * r * r"


def test_drops_a_first_line_that_repeats_the_line_above_or_below():
    assert postprocess("x = compute(1)\n", "\ny = 2\n", "x = compute(1)\n") == ""
    assert postprocess("x = 1\n", "\ny = compute(2)\n", "y = compute(2)") == ""


def test_drops_empty_suggestions_and_trims_trailing_whitespace():
    assert postprocess(FUNC_PREFIX, "", "   \n\n  ") == ""
    assert postprocess(FUNC_PREFIX, "", "return 1\n\n\n") == "return 1"


def test_disabled_filter_passes_everything():
    f = InfillFilter("print(", ")", enabled=False)
    assert f.feed("a)\nb") == "a)\nb" and f.finish() == "" and not f.stopped


@pytest.mark.parametrize("prefix,suffix,text", [
    (FUNC_PREFIX, NEXT_FUNC, "return pi * r * r\n\ndef perimeter(r):\n    return 2 * pi * r\n"),
    ("def f(xs):\n    ", "", "for x in xs:\n        if x:\n            yield x\n    return None\n\n"),
    ("print(", ")\n", "a + b)\nprint(c)"),
    ("class A:\n", "", "    def f(self):\n        return 1\n\n    def g(self):\n        pass\nx = A()\n"),
])
def test_streaming_releases_only_final_text_and_matches_the_whole(prefix, suffix, text):
    whole = postprocess(prefix, suffix, text)
    for step in (1, 3, 7):
        f = InfillFilter(prefix, suffix)
        out = ""
        for i in range(0, len(text), step):
            out += f.feed(text[i:i + step])
            assert whole.startswith(out), "released text must never be taken back"
        out += f.finish()
        assert out == whole


def test_stops_early_as_soon_as_indentation_leaves_the_block():
    f = InfillFilter(FUNC_PREFIX, "")
    f.feed("return pi * r * r\n")
    assert not f.stopped
    f.feed("\nd")  # the first character of a line at column 0 is enough
    assert f.stopped
    assert f.feed("ef perimeter(r):") == ""
    assert f.finish() == "" and f.text == "return pi * r * r"
