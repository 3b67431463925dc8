"""core.textmatch and core.chat: the scoring and token counting every stage shares."""

from codehone.core.chat import TokenCounter, chat_text, special_strings
from codehone.core.textmatch import edit_similarity, exact_match, levenshtein, normalise


def test_text_match():
    assert normalise("\n  x = 1  \n\n") == "  x = 1"
    assert exact_match("  return x  \n", "  return x\n") == 1.0
    assert exact_match("return y", "return x") == 0.0
    assert levenshtein("kitten", "sitting") == 3 and levenshtein("", "abc") == 3
    assert edit_similarity("", "\n") == 1.0
    assert edit_similarity("abcd", "abcf") == 0.75


def test_chat_text_and_counts_treat_specials_as_one_token(tiny_tokenizer):
    messages = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "ok"}]
    text = chat_text(tiny_tokenizer, messages)
    assert "hi" in text and "ok" in text
    specials = special_strings(tiny_tokenizer)
    assert specials == sorted(specials, key=lambda s: (-len(s), s))
    counter = TokenCounter(tiny_tokenizer, specials)
    assert counter.count_chats([messages]) == counter.count([text])
    if specials:
        assert counter.count([specials[0]]) == [1]
