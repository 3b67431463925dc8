"""The Teach skill: a request -> ordered steps, each one sentence for the child and the few blocks to add.

A tutorial is plain text, one step after another::

    Step 1: We start with the green flag block, so the program runs when you click the flag.
    when_flag_clicked():
        pen_down()
    Step 2: A square has 4 sides, so we repeat 4 times.
        repeat(4):
            move(80)
            turn_right(90)

A step's block lines keep their place in the whole program (their indentation), so the program
after step k is the block lines of steps 1..k in order: a child adds them at the bottom, under the
block they are indented under. How a tutorial is judged (:func:`score_tutorial`, the
``blocks-tutor`` benchmark), all mechanically: every step has a sentence and 1 to ``MAX_BLOCKS``
blocks (a line is one block, or one C-block header); the program up to every step parses and
runs; the last one passes the task's check. The wording is not judged.

Training tutorials are made from verified programs by :func:`make_tutorial`: cut at the largest
chunk of at most 4 lines whose program still parses, with a sentence that says what the step's
first block does and why (:mod:`codehone.blocks.copilot.tutor_words`), in words a 9-year-old reads.

How :func:`tutor` asks a model (two ways, ``direct`` chooses):

- **program** (the default): the model writes the program the way ``blocks generate`` asks for
  one (few-shot, constrained by the block grammar), and the steps are cut from it as for training
  (:func:`make_tutorial`), with each step's sentence in the child's language
  (:mod:`codehone.blocks.copilot.tutor_words`). The model does what it does well under the grammar;
  the rules a child's tutorial must keep (at most 4 blocks a step, every step runnable) hold by
  construction instead of by the model's discipline. Its sentences are the ones the tuned model is
  trained to write anyway (training tutorials use the same table).
- **direct**: the model writes the whole tutorial as free text (steps, sentences and blocks, no
  grammar: one grammar cannot mix sentences and blocks), the way it is trained on tutor rows.
  Kept to compare and for backends without a grammar; it breaks the rules more often (a hat block
  indented into a script, a step of 5 blocks).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from codehone.backends.base import Backend, Request, SamplingParams
from codehone.blocks.copilot.generate import generate_program
from codehone.blocks.copilot.prompting import FEW_SHOT, SYSTEM_PROMPT, one_shot_messages, user_turn
from codehone.blocks.copilot.tutor_words import why
from codehone.blocks.languages.detect import COVERED
from codehone.blocks.languages.target import target_language
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.errors import UserError

__all__ = ["MAX_BLOCKS", "TUTOR_SYSTEM_PROMPT", "Step", "Tutorial", "child_language", "make_tutorial", "parse_tutorial",
           "score_tutorial", "tutor", "tutor_messages", "validate_steps"]

MAX_BLOCKS = 4  # blocks a step may add
TUTOR_SYSTEM_PROMPT = SYSTEM_PROMPT.replace("Answer with the program only.", "") + (
    "When you are asked to teach, do not give the whole program at once. Write steps: each step is a line "
    "'Step N: ' with one short sentence for a 9-year-old that says what to add and why, then the 1 to 4 "
    "block lines to add, indented where they go in the whole program.")

_STEP = re.compile(r"^Step\s+(\d+)\s*[:.]\s*(.*)$")

TUTOR_SHOT = (
    "Draw a triangle with sides of 60.",
    "Step 1: We start with the green flag block and put the pen down, so the sprite draws when it moves.\n"
    "when_flag_clicked():\n    pen_down()\n"
    "Step 2: A triangle has 3 sides, so we repeat 3 times: walk one side, then turn 120 degrees for the corner.\n"
    "    repeat(3):\n        move(60)\n        turn_right(120)\n",
)


@dataclass
class Step:
    number: int
    sentence: str
    lines: list[str]


def parse_tutorial(text: str) -> list[Step]:
    """The steps of a tutorial text; block lines before the first step header are dropped."""
    steps: list[Step] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        m = _STEP.match(raw.strip())
        if m:
            steps.append(Step(int(m.group(1)), m.group(2).strip(), []))
        elif steps and raw.strip() and not raw.strip().startswith("```"):
            steps[-1].lines.append(raw.rstrip())
    return steps


def program_after(steps: list[Step], k: int) -> str:
    return "".join(line + "\n" for s in steps[:k] for line in s.lines)


# --------------------------------------------------------------------------- making tutorials

def _name(line: str) -> str:
    m = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", line)
    return m.group(1) if m else ""


def _sentence(lines: list[str], lang: str = "en") -> str:
    return why(_name(lines[0]), lang)


def _parses(text: str) -> bool:
    try:
        parse(text)
    except (BlockSyntaxError, ValueError, RecursionError):
        return False
    return True


def make_tutorial(program: str, lang: str = "en") -> str | None:
    """A tutorial for a verified ``program`` (module doc), or None when it cannot be cut in steps
    of at most MAX_BLOCKS lines that each leave a program that parses; sentences in ``lang``."""
    lines = [ln for ln in format_program(parse(program)).split("\n") if ln.strip()]
    out, i, n = [], 0, 1
    while i < len(lines):
        # A step ends before a new script or sprite, and before a C-block (it starts the next
        # step with its first blocks), so each step is one idea with one sentence.
        most = min(MAX_BLOCKS, len(lines) - i)
        cut = next((k for k in range(1, most) if not lines[i + k].startswith(" ")
                    or lines[i + k].rstrip().endswith(":")), most)
        size = next((k for k in range(cut, 0, -1) if _parses("\n".join(lines[: i + k]) + "\n")), 0)
        size = size or next((k for k in range(most, cut, -1) if _parses("\n".join(lines[: i + k]) + "\n")), 0)
        if size == 0:
            return None
        chunk = lines[i: i + size]
        out.append(f"Step {n}: {_sentence(chunk, lang)}\n" + "".join(ln + "\n" for ln in chunk))
        i, n = i + size, n + 1
    return "".join(out)


# --------------------------------------------------------------------------- asking a model

def tutor_messages(prompt: str, shots: int = 1) -> list[dict]:
    return one_shot_messages("tutor", TUTOR_SYSTEM_PROMPT, (f"Teach me: {TUTOR_SHOT[0]}", TUTOR_SHOT[1]),
                             f"Teach me: {user_turn(prompt)}", shots)


@dataclass
class Tutorial:
    text: str
    steps: list[Step]
    tokens: int
    seconds: float
    finish_reason: str
    prompt_tokens: int = 0
    program: str = ""  # program mode: the program the steps were cut from ("" in direct mode)
    problem: str = ""  # program mode: why there are no steps (no valid program, nothing to teach)


def child_language(prompt: str) -> str:
    """The language the child wrote ``prompt`` in (the one to explain in), English when unclear.
    Not the language of the program's texts: "say hello in spanish" is explained in English."""
    own = target_language(prompt).request_language
    return own if own in COVERED else "en"


def tutor(backend: Backend, prompt: str, *, shots: int | None = None, max_tokens: int = 400, temperature: float = 0.0,
          seed: int | None = None, direct: bool = False, grammar: bool = True) -> Tutorial:
    """Ask ``backend`` for a tutorial (module doc: program mode, or ``direct``); never raises for a
    bad answer, only for a bad request."""
    if not prompt.strip():
        raise UserError("the request is empty: say what the program should do")
    t0 = time.perf_counter()
    if direct:
        result = backend.generate(Request.chat(tutor_messages(prompt, 1 if shots is None else shots)),
                                  SamplingParams(max_tokens=max_tokens, temperature=temperature, seed=seed))
        c = result.completions[0]
        return Tutorial(c.text, parse_tutorial(c.text), c.tokens, time.perf_counter() - t0, c.finish_reason,
                        result.prompt_tokens)
    made = generate_program(backend, prompt, grammar=grammar, shots=len(FEW_SHOT) if shots is None else shots,
                            max_tokens=max_tokens, temperature=temperature, seed=seed)
    text, problem = "", ""
    if not made.ok:
        problem = f"the model's program is not valid: {made.error}"
    elif made.refused:
        problem = f"the model wrote no blocks: {made.raw.strip()[:200]}"
    else:
        text = make_tutorial(made.text, child_language(prompt)) or ""
        problem = "" if text else f"the program cannot be cut in steps of at most {MAX_BLOCKS} blocks that each parse"
    return Tutorial(text, parse_tutorial(text), made.tokens, time.perf_counter() - t0, made.finish_reason,
                    made.prompt_tokens, made.text, problem)


# --------------------------------------------------------------------------- judging a tutorial

def validate_steps(steps: list[Step]) -> tuple[str, str] | None:
    """(fault, detail) for the first rule of the module doc ``steps`` break, or None: order,
    sentences, sizes, and that the program after every step parses (running it is the caller's)."""
    if not steps:
        return "no_steps", "no 'Step N:' lines"
    if [s.number for s in steps] != list(range(1, len(steps) + 1)):
        return "step_order", f"steps numbered {[s.number for s in steps]}"
    for k, step in enumerate(steps, 1):
        if not step.sentence:
            return "no_sentence", f"step {k} has no sentence"
        if not 1 <= len(step.lines) <= MAX_BLOCKS:
            return "step_size", f"step {k} adds {len(step.lines)} blocks (1 to {MAX_BLOCKS} allowed)"
        try:
            parse(program_after(steps, k))
        except (BlockSyntaxError, ValueError, RecursionError) as e:
            return "step_parse", f"after step {k}: {str(e).splitlines()[0]}"
    return None


def score_tutorial(task: dict, text: str, finish_reason: str = "stop") -> tuple[dict, dict | None]:
    """(result row, the last step's trace or None) for a tutorial ``text`` of a ``blocks-tutor`` task.

    Status ``passed`` or ``failed``; ``fault`` names the first rule broken: no_steps, step_order,
    no_sentence, step_size, step_parse, step_run, check."""
    from codehone.blocks.runtime.checks import run_check
    from codehone.blocks.runtime.interpreter import run_program
    from codehone.blocks.synth.pairs import RUN_LIMITS

    steps = parse_tutorial(text)
    row = {"task_id": task["task_id"], "family": task["family"], "prompt": task["prompt"], "steps": len(steps),
           "truncated": finish_reason == "length", "program": program_after(steps, len(steps))}
    broken = validate_steps(steps)
    if broken:
        return {**row, "status": "failed", "fault": broken[0], "detail": broken[1]}, None
    trace = None
    for k in range(1, len(steps) + 1):
        try:
            trace = run_program(parse(program_after(steps, k)), answers=list(task.get("answers", [])),
                                events=list(task.get("events", [])), **RUN_LIMITS)
        except Exception as e:  # noqa: BLE001 - a step the interpreter cannot run fails the tutorial
            return {**row, "status": "failed", "fault": "step_run", "detail": f"after step {k}: {type(e).__name__}: {e}"}, None
    result = run_check(task["check"], trace)
    if not result.ok:
        return {**row, "status": "failed", "fault": "check", "detail": result.detail}, trace
    return {**row, "status": "passed", "fault": None, "detail": result.detail}, trace
