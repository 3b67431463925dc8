"""Rows longer than the trainer's sequence length are split between turns until they fit."""

from codehone.blocks.copilot.row_budget import fit_rows


def row(n_pairs: int, tag: str = "") -> dict:
    messages = [{"role": "system", "content": "card"}]
    for i in range(n_pairs):
        messages += [{"role": "user", "content": f"{tag}q{i}"}, {"role": "assistant", "content": f"{tag}a{i}"}]
    return {"kind": "instruct", "messages": messages, "families": [f"f{i}" for i in range(n_pairs)]}


def count(rows):  # 10 tokens for the card, 100 a pair
    return [10 + 100 * ((len(r["messages"]) - 1) // 2) for r in rows]


def test_rows_within_the_budget_are_kept_whole_with_their_counts():
    rows = [row(3), row(2)]
    out = fit_rows(rows, count, 400)
    assert [r["messages"] for r in out] == [r["messages"] for r in rows] and [r["tokens"] for r in out] == [310, 210]


def test_a_long_row_is_cut_between_turns_until_every_part_fits_and_order_is_kept():
    rows = [row(2, "a"), row(16, "b"), row(1, "c")]
    out = fit_rows(rows, count, 450)
    assert all(r["tokens"] <= 450 for r in out)
    assert [len(r["families"]) for r in out] == [2, 4, 4, 4, 4, 1]
    users = [m["content"] for r in out for m in r["messages"] if m["role"] == "user"]
    assert users == ["aq0", "aq1"] + [f"bq{i}" for i in range(16)] + ["cq0"]  # every turn once, in order
    for r in out:  # each part under the system card, pairs intact, families matching its pairs
        assert r["messages"][0]["role"] == "system" and len(r["messages"]) % 2 == 1
        assert r["families"] == [f"f{int(m['content'][2:])}" for m in r["messages"][1::2]]


def test_a_single_pair_over_the_budget_is_left_for_the_trainer_to_report():
    out = fit_rows([row(1)], count, 50)
    assert len(out) == 1 and out[0]["tokens"] == 110
