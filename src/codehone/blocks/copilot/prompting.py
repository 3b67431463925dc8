"""How a model is asked for a block program, and how its answer becomes one.

One prompt format serves training, evaluation, ``codehone blocks generate`` and the demo, so a
tuned model is always asked the way it was taught:

    system     a short card of the language (what a line is, the common blocks)
    few shots  ``shots`` earlier user/assistant turns with a request and its program
    user       the child's request
    assistant  the program, as plain text (no code fence), nothing after it

Training rows carry the system card and the request only (zero shots): the shots cost tokens on
every step, and at evaluation they are a shared prefix that llama.cpp evaluates once.
"""

from __future__ import annotations

import re

from codehone.blocks.languages.target import language_note, target_language

SYSTEM_PROMPT = """\
You write Scratch 3 programs in a text form of the blocks. One block per line, written as a \
function call; blocks inside a C-block are indented by 4 spaces under it. Operators are calls too \
(add(a, b), gt(a, b), equals(a, b), and_(a, b), join(a, b)), never infix. Every script starts \
with a hat block such as when_flag_clicked():, when_key_pressed("space"): or \
when_this_sprite_clicked():. Common blocks: move(steps), turn_right(deg), turn_left(deg), \
go_to_xy(x, y), point_in_direction(deg), change_x_by(dx), change_y_by(dy), glide_to_xy(secs, x, y), \
pen_down(), pen_up(), erase_all(), set_pen_color_to("#ff0000"), set_pen_size_to(n), say(text), \
say_for_secs(text, secs), think(text), ask(question), answer(), wait(secs), repeat(n):, forever():, \
if_(cond):, else_():, repeat_until(cond):, stop("all"), show(), hide(), set_size_to(percent), \
change_size_by(n), next_costume(), set_variable("name", value), change_variable("name", n), \
variable("name"), pick_random(low, high), touching("edge"), key_pressed("space"). \
Answer with the program only."""

# Few-shot examples: varied enough to show hats, C-blocks, pen, asking and variables, and short so
# the shared prefix stays cheap. They are not drawn from the benchmark's templates.
FEW_SHOT: tuple[tuple[str, str], ...] = (
    (
        "Draw a square with sides of 80 steps.",
        "when_flag_clicked():\n"
        "    erase_all()\n"
        "    pen_down()\n"
        "    repeat(4):\n"
        "        move(80)\n"
        "        turn_right(90)\n"
        "    pen_up()\n",
    ),
    (
        "Ask me my favourite food and then say that you like it too.",
        "when_flag_clicked():\n"
        "    ask(\"What is your favourite food?\")\n"
        "    say(join(\"I like \", join(answer(), \" too!\")))\n",
    ),
    (
        "When I press the right arrow the cat should move 10 steps, and count how many times I pressed it.",
        "when_flag_clicked():\n"
        "    set_variable(\"presses\", 0)\n"
        "when_key_pressed(\"right arrow\"):\n"
        "    move(10)\n"
        "    change_variable(\"presses\", 1)\n",
    ),
)

_FENCE = re.compile(r"```[a-zA-Z0-9_+-]*\n(.*?)(?:```|\Z)", re.S)


def build_messages(prompt: str, shots: int = len(FEW_SHOT)) -> list[dict]:
    """The chat messages asking for a program for ``prompt`` with ``shots`` worked examples."""
    if not 0 <= shots <= len(FEW_SHOT):
        raise ValueError(f"shots must be between 0 and {len(FEW_SHOT)}, got {shots}")
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    for request, program in FEW_SHOT[:shots]:
        messages += [{"role": "user", "content": request}, {"role": "assistant", "content": program}]
    messages.append({"role": "user", "content": user_turn(prompt)})
    return messages


def user_turn(prompt: str) -> str:
    """The request as the model reads it: with a line naming the language the program's texts are
    written in, when that is not English for an English request (issue 19), so "dibuja ... y di
    hola" or "... in spanish" is answered in Spanish; English requests read exactly as typed."""
    note = language_note(target_language(prompt))
    return f"{prompt.strip()}\n({note})" if note else prompt.strip()


def one_shot_messages(skill: str, system: str, shot: tuple[str, str], user: str, shots: int) -> list[dict]:
    """The shape the fix, edit and tutor prompts share: the skill's system card, its one worked
    example (user, assistant) when ``shots`` is 1, then ``user``; ``shots`` is 0 or 1."""
    if shots not in (0, 1):
        raise ValueError(f"shots must be 0 or 1 for {skill}, got {shots}")
    messages = [{"role": "system", "content": system}]
    if shots:
        messages += [{"role": "user", "content": shot[0]}, {"role": "assistant", "content": shot[1]}]
    return messages + [{"role": "user", "content": user}]


def training_messages(prompt: str, program: str) -> list[dict]:
    """A training row's messages: the system card, the request, the program (zero shots)."""
    return build_messages(prompt, shots=0) + [{"role": "assistant", "content": program}]


def extract_program(text: str) -> str:
    """The program in a model's answer: the first fenced block if there is one, else the text,
    with trailing prose after the last block line dropped only when it is fenced off."""
    m = _FENCE.search(text)
    if m:
        text = m.group(1)
    return text.strip("\n").rstrip() + "\n" if text.strip() else ""
