"""copilot/overlap.py: the closeness of held-out requests to training requests, by word sets."""

import json

import pytest

from codehone.blocks.copilot.bench import HELD_OUT_REQUESTS, load_benchmark
from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
from codehone.blocks.copilot.overlap import nearest, summarise, training_requests, words
from codehone.errors import UserError


def test_words_ignore_case_accents_and_punctuation():
    assert words("¡Dí HOLA, gato!") == words("di hola gato") == frozenset({"di", "hola", "gato"})
    assert words("  ") == frozenset()


def test_nearest_is_the_exact_jaccard_and_ties_go_first():
    training = ["make the dog say hello", "make the cat say hello please", "draw a square"]
    got = nearest(["Make the cat say hello!", "draw a big square", "zzz"], training)
    # {make the cat say hello}: 5 shared of 6 words in the union with the second request
    assert (got[0].training, got[0].jaccard) == ("make the cat say hello please", round(5 / 6, 4))
    assert (got[1].training, got[1].jaccard) == ("draw a square", 0.75)
    assert (got[2].training, got[2].jaccard) == ("", 0.0)
    tie = nearest(["a b"], ["a c", "b c"])[0]
    assert tie.training == "a c"
    s = summarise(got)
    assert (s["requests"], s["at_least_1.0"], s["at_least_0.8"], s["at_least_0.6"]) == (3, 0, 1, 2)


def test_training_requests_reads_every_user_turn(tmp_path):
    (tmp_path / "data").mkdir()
    rows = [{"kind": "instruct", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "a"},
                                              {"role": "assistant", "content": "x"}, {"role": "user", "content": "b"}]},
            {"kind": "fim", "text": "no turns"}]
    (tmp_path / "data" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert training_requests(tmp_path) == ["a", "b"]
    with pytest.raises(UserError, match="blocks data --out"):
        training_requests(tmp_path / "nowhere")


def test_no_held_out_request_has_a_training_request_with_the_same_words(tmp_path):
    """The data builder keeps held-out prompts out by exact text; a training request with the same
    words in another case or punctuation would slip past that. None does, in every kind of pair
    (English, skills, safety, the four other languages)."""
    build_blocks_data(tmp_path, None, BlocksDataOptions(examples=400, turns=8, valid=0.05, seed=3, languages=0.25))
    training = training_requests(tmp_path)
    held_out = [t["prompt"] for name in HELD_OUT_REQUESTS for t in load_benchmark(bench=name)]
    same = [m for m in nearest(held_out, training) if m.jaccard == 1.0]
    assert len(training) > 300 and not same, f"{len(same)} held-out request(s) have a training twin"
