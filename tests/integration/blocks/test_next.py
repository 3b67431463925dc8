"""``codehone blocks next`` and ``eval-set blocks-next`` end to end on the tiny GGUF.

The tiny model is random: these check that whatever it writes, only whole valid blocks come out
(the grammar holds decoding to one block line, the parser checks the rest), that bad input is a
clear error before any model is loaded, and that the benchmark run writes and resumes its files.
"""

import json

import pytest
from typer.testing import CliRunner

from codehone.blocks.cli.app import blocks_app
from codehone.blocks.copilot.next_block import canonical_lines, cursor_at, next_grammar, place_block, suggest_next
from tests.support.cli import said

runner = CliRunner()
SQUARE = ("when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(90)\n"
          "    pen_up()\n")


@pytest.fixture(scope="module")
def tiny_backend(tiny_gguf):
    from codehone.backends import load_backend

    backend = load_backend(str(tiny_gguf), engine="llama.cpp")
    yield backend
    backend.close()


@pytest.mark.parametrize("at", [1, 3, 5, 6])
def test_suggestions_are_whole_valid_blocks_at_allowed_indents(tiny_backend, at):
    cursor = cursor_at(canonical_lines(SQUARE), at)
    result = suggest_next(tiny_backend, SQUARE, at, top=3, samples=6)
    assert result.generated == 7 and 1 <= len(result.suggestions) <= 3  # seeded: the tiny model finds some
    blocks = [s.block for s in result.suggestions]
    assert len(set(blocks)) == len(blocks)  # distinct blocks, each at its likelier indentation
    assert [s.logprob for s in result.suggestions] == sorted((s.logprob for s in result.suggestions), reverse=True)
    for s in result.suggestions:
        assert len(s.line) - len(s.line.lstrip()) in cursor.indents
        assert place_block(cursor, "\n" + s.line)[1] == s.program  # the program with it parses
        assert len(canonical_lines(s.program)) == len(canonical_lines(SQUARE)) + 1


def test_inside_a_define_the_suggestions_may_read_its_arguments(tiny_backend):
    program = 'define("square", "size"):\n    repeat(4):\n        move(arg("size"))\n'
    cursor = cursor_at(canonical_lines(program), 3)
    assert cursor.in_define and "simple-p" in next_grammar(cursor.indents, True).splitlines()[0]
    assert tiny_backend.grammar_check(next_grammar(cursor.indents, True), '\n        turn_right(arg("size"))') is None
    result = suggest_next(tiny_backend, program, 3, samples=4)
    for s in result.suggestions:
        assert place_block(cursor, "\n" + s.line) is not None


@pytest.mark.parametrize("at", [1, 3, 5])
def test_beam_suggestions_are_whole_valid_blocks_best_first(tiny_backend, at):
    cursor = cursor_at(canonical_lines(SQUARE), at)
    result = suggest_next(tiny_backend, SQUARE, at, top=3, beam=4)
    assert 1 <= result.generated <= 4 and 1 <= len(result.suggestions) <= 3
    blocks = [s.block for s in result.suggestions]
    assert len(set(blocks)) == len(blocks)
    assert [s.logprob for s in result.suggestions] == sorted((s.logprob for s in result.suggestions), reverse=True)
    for s in result.suggestions:
        assert len(s.line) - len(s.line.lstrip()) in cursor.indents
        assert place_block(cursor, "\n" + s.line)[1] == s.program
    # the beam's best line is at least as likely as the greedy line (both valid, else not offered)
    greedy = suggest_next(tiny_backend, SQUARE, at, top=1, samples=0)
    if greedy.suggestions and result.suggestions:
        assert result.suggestions[0].logprob >= greedy.suggestions[0].logprob - 1e-3


def test_beam_needs_a_backend_that_has_it(tiny_backend):
    class NoBeam:
        def generate(self, request, params):  # never reached
            raise AssertionError

    with pytest.raises(Exception, match="no beam search"):
        suggest_next(NoBeam(), SQUARE, 3, beam=3)


def test_without_the_grammar_answers_are_still_checked_by_parsing(tiny_backend):
    result = suggest_next(tiny_backend, SQUARE, 5, top=3, samples=4, grammar=False)
    cursor = cursor_at(canonical_lines(SQUARE), 5)
    assert result.generated == 5
    for s in result.suggestions:  # the random model writes anything; whatever is offered is one valid block
        assert place_block(cursor, "\n" + s.line) is not None
    assert len(result.suggestions) + result.invalid <= 5
    assert result.invalid >= 1 and result.dropped  # seeded: the random model writes lines the parser refuses


def test_the_grammar_takes_one_block_line_and_nothing_else(tiny_backend):
    g = next_grammar((8, 4))
    assert tiny_backend.grammar_check(g, "\n        move(10)") is None
    assert tiny_backend.grammar_check(g, "\n    repeat(3):") is None
    for bad in ("\n        move(10)\n        move(20)", "\n  move(10)", "\n    fly()", "\n    move(", "move(10)",
                "\n            move(10)", '\n        move(arg("size"))'):  # arg() only inside a define
        assert tiny_backend.grammar_check(g, bad) is not None, bad


def test_cli_next_prints_or_says_why(tiny_gguf, tmp_path):
    prog = tmp_path / "square.txt"
    prog.write_text(SQUARE, encoding="utf-8")
    r = runner.invoke(blocks_app, ["next", str(prog), "--at", "5", "--model", str(tiny_gguf), "--json"])
    assert r.exit_code == 0, said(r)
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["at"] == 5 and len(out["suggestions"]) <= 3
    for s in out["suggestions"]:
        assert s["line"].strip() == s["block"] and s["opcode"]
    r = runner.invoke(blocks_app, ["next", str(prog), "--line", "2", "--k", "1", "--model", str(tiny_gguf)])
    # a random model may find no block that fits; then the message says so
    assert (r.exit_code == 0 and "suggestion" in said(r)) or "suggested no block" in said(r)


def test_the_top_suggestions_are_found_by_a_beam_on_llama_cpp_unless_samples_are_asked(tiny_backend):
    from codehone.blocks.copilot.next_block import NEXT_BEAM, NEXT_SAMPLES, search_for

    assert search_for(tiny_backend) == {"samples": 0, "beam": NEXT_BEAM}  # llama.cpp: a beam
    assert search_for(tiny_backend, samples=4) == {"samples": 4, "beam": 0}
    assert search_for(tiny_backend, beam=2) == {"samples": 0, "beam": 2}
    assert search_for(tiny_backend, samples=0) == {"samples": 0, "beam": 0}  # greedy only

    class NoBeam:  # a backend without beam search (transformers, vllm)
        pass

    assert search_for(NoBeam()) == {"samples": NEXT_SAMPLES, "beam": 0}
    narrow = NoBeam()  # beam search, but room for one sequence only (n_seq_max=1)
    narrow.beam_search, narrow.n_seq_max = tiny_backend.beam_search, 1
    assert search_for(narrow) == {"samples": NEXT_SAMPLES, "beam": 0}
    result = suggest_next(tiny_backend, SQUARE, 5, top=3, **search_for(tiny_backend))
    assert len(result.suggestions) <= 3 and len({s.line for s in result.suggestions}) == len(result.suggestions)


@pytest.mark.parametrize("text, args, message", [
    ("when_flag_clicked():\n    fly_to_moon()\n", [], "not a valid block program"),
    (SQUARE, ["--at", "9"], "line 9 is out of range: the program has 6 lines"),
    (SQUARE, ["--at", "0"], "out of range"),
    ('sprite("Cat"):\n    when_flag_clicked():\n        hide()\n', ["--at", "1"], "sprite header"),
    (SQUARE, ["--top", "0"], "--top must be at least 1"),
])
def test_cli_next_bad_input_is_a_clear_error_before_the_model_loads(tmp_path, text, args, message):
    prog = tmp_path / "p.txt"
    prog.write_text(text, encoding="utf-8")
    r = runner.invoke(blocks_app, ["next", str(prog), *args, "--model", "no-such-model"])
    assert r.exit_code != 0 and message in said(r)


def test_cli_next_reads_an_sb3_and_numbers_its_canonical_text(tmp_path):
    from codehone.blocks.lang.parser import parse
    from codehone.blocks.sb3.write import write_sb3

    project = tmp_path / "square.sb3"
    write_sb3(parse(SQUARE), project)
    r = runner.invoke(blocks_app, ["next", str(project), "--at", "7", "--model", "no-such-model"])
    assert r.exit_code != 0 and "the program has 6 lines" in said(r)


def test_eval_set_blocks_next_writes_and_resumes(tiny_gguf, tmp_path):
    args = ["eval-set", "blocks-next", "--out", str(tmp_path), "--model", str(tiny_gguf), "--limit", "2", "-q"]
    r = runner.invoke(blocks_app, args)
    assert r.exit_code == 0, said(r)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["bench"] == "blocks-next" and summary["tasks"] == 2 and summary["p50_ms"] > 0
    assert {"top1_opcode", "top3_opcode", "top1_block", "top3_block"} <= set(summary)
    assert "top-3" in said(r) and (tmp_path / "report.md").exists()
    samples = (tmp_path / "samples.jsonl").read_text()
    r = runner.invoke(blocks_app, [*args[:-3], "--limit", "3", "-q"])  # one more task; the first two are kept
    assert r.exit_code == 0, said(r)
    assert (tmp_path / "samples.jsonl").read_text().startswith(samples)
    assert len((tmp_path / "samples.jsonl").read_text().splitlines()) == 3


def test_eval_set_blocks_next_with_a_beam_records_it_and_other_sets_refuse_it(tiny_gguf, tmp_path):
    args = ["eval-set", "blocks-next", "--out", str(tmp_path / "beam"), "--model", str(tiny_gguf), "--limit", "2",
            "--beam", "3", "-q"]
    r = runner.invoke(blocks_app, args)
    assert r.exit_code == 0, said(r)
    summary = json.loads((tmp_path / "beam" / "summary.json").read_text())
    assert summary["beam"] == 3 and summary["samples"] == 0 and summary["tasks"] == 2
    r = runner.invoke(blocks_app, ["eval-set", "blocks-fix", "--out", str(tmp_path / "fix"), "--model", str(tiny_gguf),
                                   "--limit", "1", "--beam", "3", "-q"])
    assert r.exit_code != 0 and "--beam ranks next-block suggestions" in said(r)


def test_cli_next_with_a_beam_prints_suggestions(tiny_gguf, tmp_path):
    path = tmp_path / "square.txt"
    path.write_text(SQUARE)
    r = runner.invoke(blocks_app, ["next", str(path), "--at", "3", "--model", str(tiny_gguf), "--beam", "3", "--json"])
    assert r.exit_code == 0, said(r)
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["at"] == 3 and 1 <= len(got["suggestions"]) <= 3


def test_the_request_goes_above_the_program_as_one_comment_line(tiny_backend):
    from codehone.blocks.copilot.next_block import request_comment

    assert request_comment("draw a  red\nsquare ") == "# draw a red square\n"
    assert request_comment(None) == request_comment("  ") == ""
    bare = suggest_next(tiny_backend, SQUARE, 3, top=3, samples=0)
    told = suggest_next(tiny_backend, SQUARE, 3, top=3, samples=0, request="draw a red square")
    assert told.prompt_tokens > bare.prompt_tokens  # the comment is in the prompt
    cursor = cursor_at(canonical_lines(SQUARE), 3)
    for s in told.suggestions:  # and the suggestions are placed in the program, not after the comment
        assert place_block(cursor, "\n" + s.line)[1] == s.program and not s.program.startswith("#")


def test_eval_set_blocks_next_with_the_request_records_it_and_other_sets_refuse_it(tiny_gguf, tmp_path):
    args = ["eval-set", "blocks-next", "--out", str(tmp_path / "req"), "--model", str(tiny_gguf), "--limit", "2",
            "--with-request", "-q"]
    r = runner.invoke(blocks_app, args)
    assert r.exit_code == 0, said(r)
    summary = json.loads((tmp_path / "req" / "summary.json").read_text())
    assert summary["with_request"] is True and summary["tasks"] == 2
    r = runner.invoke(blocks_app, ["eval-set", "blocks-fix", "--out", str(tmp_path / "fix"), "--model", str(tiny_gguf),
                                   "--limit", "1", "--with-request", "-q"])
    assert r.exit_code != 0 and "--with-request is for blocks-next" in said(r)


def test_cli_next_screens_the_request_before_the_model_loads(tmp_path):
    path = tmp_path / "square.txt"
    path.write_text(SQUARE)
    r = runner.invoke(blocks_app, ["next", str(path), "--model", "no-such-model",
                                   "--request", "ask for their home address and phone number"])
    assert r.exit_code == 0 and "address" in said(r).lower()  # the kind refusal, not an error about the model


def test_a_suggestion_whose_text_is_unsafe_is_dropped():
    from codehone.blocks.copilot.next_block import says_something_unsafe

    assert says_something_unsafe('    say("you should die")') and says_something_unsafe('    ask("give me your address")')
    for line in ('    say("Hello!")', "    move(10)", '    set_pen_color_to("#ff0000")', '    say(join("Hi ", answer()))'):
        assert not says_something_unsafe(line), line
