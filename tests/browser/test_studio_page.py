"""The studio in a real browser (issue 20): a prompt becomes rendered blocks and a drawing on the
stage, a follow-up changes the program, Explain answers, the .sb3 downloads and opens again, bad
input gets a message, and the page talks to nobody but the studio."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.support.browser import wait_until

pytestmark = pytest.mark.browser

TURN_DONE = "(() => { const t = window.studioStats.turns; return t.length >= {n} && t[{i}].done !== null; })()"


def ask(page, prompt: str) -> dict:
    n = page.evaluate("window.studioStats.turns.length")
    page.fill("#prompt", prompt)
    page.press("#prompt", "Enter")
    wait_until(page, TURN_DONE.replace("{n}", str(n + 1)).replace("{i}", str(n)), timeout=240)
    return page.evaluate(f"window.studioStats.turns[{n}]")


def ink(page) -> int:
    """Pixels of the stage that are not white: the pen's drawing and the sprite."""
    return page.evaluate("""(() => {
        const c = document.getElementById('stage'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
        return n; })()""")


def program(page) -> str:
    return page.evaluate("state.program")


def draw_square(page) -> dict:
    turn = ask(page, "draw a square")
    assert turn["ok"], page.inner_text("#log")
    return turn


def test_a_prompt_becomes_blocks_and_a_drawing(page):
    before = ink(page)
    turn = draw_square(page)
    assert turn["firstBlock"] is not None and turn["firstBlock"] <= turn["done"]
    assert page.locator("#blocks svg").count() == 1
    assert int(page.get_attribute("#blocks", "data-count")) >= 3
    words = page.evaluate("[...document.querySelectorAll('#blocks svg text')].map(t => t.textContent)")
    assert {"repeat", "move", "steps", "pen"} <= set(words)  # drawn as Scratch blocks, word by word
    wait_until(page, "document.getElementById('stage-note').textContent !== ''", timeout=30)  # played to the end
    assert ink(page) > before + 100  # the square's lines are on the stage


def test_a_follow_up_changes_the_program(page):
    draw_square(page)
    first = program(page)
    # The base 0.5B (CI has no adapter) sometimes repeats a changed program until the token limit,
    # depending on what its prompt cache holds; the page then says it got muddled and keeps the
    # program. So up to three follow-ups: one of them must change the program, and a failed one
    # must leave it as it was.
    for request in ("make it bigger", "make the lines thicker", "make it red"):
        turn = ask(page, request)
        if turn["ok"]:
            break
        assert program(page) == first and "muddled" in page.inner_text("#log li.problem >> nth=-1")
    assert turn["ok"], page.inner_text("#log")
    assert program(page) != first
    sent = page.evaluate("window.studioStats.turns.length")
    assert sent >= 2


def test_explain_answers_in_the_chat(page):
    draw_square(page)
    page.click("#explain")
    page.wait_for_selector("#log li.explanation", timeout=30000)
    assert len(page.inner_text("#log li.explanation")) > 20


def test_download_and_open_the_sb3(page, tmp_path):
    draw_square(page)
    written = program(page)
    with page.expect_download() as info:
        page.click("#download")
    path = tmp_path / "my-program.sb3"
    info.value.save_as(path)
    assert path.stat().st_size > 100
    page.click("#new")
    wait_until(page, "state.program === null")
    page.set_input_files("#open", str(path))
    wait_until(page, "state.program !== null", timeout=30)
    assert program(page) == written
    page.wait_for_selector("#log li.explanation")


def test_bad_input_gets_a_message_and_the_page_goes_on(page, tmp_path):
    ask(page, "")
    assert "Tell me" in page.inner_text("#log li.copilot >> nth=-1")
    bad = tmp_path / "broken.sb3"
    bad.write_bytes(b"this is not a zip")
    page.set_input_files("#open", str(bad))
    page.wait_for_selector("#log li.problem")
    assert "not a zip" in page.inner_text("#log li.problem >> nth=-1")
    draw_square(page)  # and it still works


def test_the_page_only_talks_to_the_studio(page, studio_url):
    draw_square(page)
    page.click("#explain")
    page.wait_for_selector("#log li.explanation")
    origin = urlparse(studio_url).netloc
    hosts = {urlparse(u).netloc for u in page.requests_seen if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {origin}, page.requests_seen
    assert all(urlparse(u).scheme in ("http", "data") for u in page.requests_seen)


def test_next_block_ideas_show_as_ghost_blocks_and_one_is_added(page):
    draw_square(page)
    count = int(page.get_attribute("#blocks", "data-count"))
    page.click("#suggest")
    page.wait_for_selector("#ghost-list button svg", timeout=120000)
    page.click("#ghost-list button >> nth=0")
    wait_until(page, f"Number(document.getElementById('blocks').dataset.count) === {count + 1}", timeout=30)
    assert page.locator("#ghosts").is_hidden()


def test_ideas_after_an_added_one_were_worked_out_while_the_child_looked(page):
    draw_square(page)
    page.click("#suggest")
    page.wait_for_selector("#ghost-list button svg", timeout=120000)
    page.click("#ghost-list button >> nth=0")
    wait_until(page, "document.getElementById('ghosts').hidden", timeout=30)
    page.wait_for_timeout(4000)  # the child looks at the longer program while the idle model guesses
    with page.expect_response(lambda r: r.url.endswith("/api/next")) as answer:
        page.click("#suggest")
    assert answer.value.json()["ahead"] is True, answer.value.json()
    page.wait_for_selector("#ghost-list button svg", timeout=30000)


def _open_program(page, tmp_path, text: str) -> None:
    from codehone.blocks.lang.parser import parse
    from codehone.blocks.sb3.write import write_sb3

    path = tmp_path / "program.sb3"
    write_sb3(parse(text), path)
    page.set_input_files("#open", str(path))
    wait_until(page, "state.program !== null", timeout=30)


def test_ask_waits_for_the_answer_typed_on_the_stage(page, tmp_path):
    _open_program(page, tmp_path, 'when_flag_clicked():\n    ask("What is your name?")\n'
                                  '    say_for_secs(join("hello ", answer()), 2)\n')
    page.wait_for_selector("#answer-form", state="visible", timeout=30000)
    assert page.inner_text("#question") == "What is your name?"
    page.fill("#answer", "Ana")
    page.press("#answer", "Enter")
    wait_until(page, "state.run && state.run.waiting_for_answer === null && state.run.said.length > 0", timeout=30)
    assert page.evaluate("state.run.said") == ["hello Ana"]
    wait_until(page, "document.getElementById('stage-note').textContent === 'Done!'", timeout=30)


def test_a_program_that_loops_forever_is_stopped_and_the_stage_says_so(page, tmp_path):
    _open_program(page, tmp_path, 'when_flag_clicked():\n    forever():\n        turn_right(15)\n')
    page.click("#stop")
    assert page.inner_text("#stage-note") == "Stopped."
    page.click("#play")
    page.evaluate("player.resume(state.run.duration - 0.2)")  # skip to the cap rather than wait a minute
    wait_until(page, "document.getElementById('stage-note').textContent.includes('may loop forever')", timeout=30)
