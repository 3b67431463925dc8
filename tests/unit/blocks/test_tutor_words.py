"""The tutor's step sentences (copilot/tutor_words.py): one table a language, the same blocks in each."""

from codehone.blocks.copilot.tutor_words import DEFAULT, STEP_WORD, WHY, why


def test_every_language_words_the_same_blocks_and_the_lookup_falls_back():
    assert set(WHY) == set(DEFAULT) == set(STEP_WORD) == {"en", "es", "fr", "de", "pt"}
    for lang, table in WHY.items():
        assert set(table) == set(WHY["en"]), lang
        assert all(s and not s.endswith(".") for s in table.values()), lang
    assert why("pen_down", "es") == WHY["es"]["pen_down"] + "."
    assert why("pen_down", "it") == why("pen_down", "en")  # a language not covered: English
    assert why("no_such_block", "de") == DEFAULT["de"] + "."
    assert len({why("move", lang) for lang in WHY}) == len(WHY)  # each language really has its own words
