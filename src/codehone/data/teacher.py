"""Optional "explain this code" pairs written by a bigger teacher model (``--teacher REF``).

For documented functions of the training files the teacher is asked to explain the code; its
answer becomes an instruct example (user: the code and the request, assistant: the explanation).
Answers are cached in ``RUN_DIR/teacher/explain.jsonl`` keyed by a hash of the prompt, so a rerun
or a resumed build asks the teacher nothing it has answered before; each answer is appended
and flushed as it arrives, so an interrupted run loses at most the answers in flight. Against an
HTTP endpoint several prompts are in flight at once (``--concurrency``, core.concurrent). The code sent is the
redacted text: secrets never reach a teacher, local or remote.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from codehone.backends import load_backend
from codehone.backends.base import Request, SamplingParams
from codehone.core.chat import chat_text
from codehone.core.concurrent import check_concurrency, map_concurrent
from codehone.core.progress import ProgressBar
from codehone.core.rundir import RunDir
from codehone.data.chunk import analyse
from codehone.data.pipeline import split_lines
from codehone.runs import append_jsonl, read_jsonl

PROMPT = ("Explain what the following {language} code from `{path}` does, for a developer new to this "
          "repository. Be concise: purpose, inputs, outputs, notable details.\n\n```{language}\n{code}\n```")
MAX_CODE_CHARS = 4000


def _functions(files, limit: int):
    """(split, path, language, code) of documented functions in train files, in path order."""
    out = []
    for path, language, text, split in files:
        if split != "train" or text is None:
            continue
        lines = split_lines(text)
        for d in analyse(language, text, lines).definitions:
            code = "".join(lines[d.start_row : d.end_row + 1])
            if d.doc and 3 <= d.end_row - d.start_row + 1 and len(code) <= MAX_CODE_CHARS:
                out.append((split, path, language, code))
                if len(out) >= limit:
                    return out
    return out


def explain_pairs(files, opts, run_dir: Path, counter, tokenizer) -> list[tuple[str, dict]]:
    """The teacher's explanations as instruct rows, in the functions' order whatever order the
    answers arrived in (the data set must not depend on the server's timing)."""
    cache_path = RunDir(run_dir).teacher_explain
    cache = {row["key"]: row["answer"] for row in read_jsonl(cache_path)}
    asks = []  # (split, path, language, prompt, key)
    for split, path, language, code in _functions(files, opts.teacher_max):
        prompt = PROMPT.format(language=language, path=path, code=code.rstrip())
        asks.append((split, path, language, prompt, hashlib.sha256(f"{opts.teacher}\0{prompt}".encode()).hexdigest()))
    missing = list({key: prompt for *_, prompt, key in asks if key not in cache}.items())
    if missing:
        _ask_teacher(missing, opts, cache, cache_path)
    out = []
    for split, path, language, prompt, key in asks:
        answer = cache[key].strip()
        if not answer:
            continue
        messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]
        n = counter.count([chat_text(tokenizer, messages)])[0]
        if n <= opts.seq_len:
            out.append((split, {"kind": "instruct", "messages": messages, "path": path, "language": language,
                                "tokens": n}))
    return out


def _ask_teacher(missing: list[tuple[str, str]], opts, cache: dict, cache_path: Path) -> None:
    """Ask for each (key, prompt), ``opts.teacher_concurrency`` in flight (core.concurrent: None is 1
    in process, 8 for an HTTP endpoint); each answer is appended to the cache as it lands."""
    backend = load_backend(opts.teacher)
    try:
        concurrency = check_concurrency(backend, opts.teacher_concurrency)
        params = SamplingParams(max_tokens=384, temperature=0.0)

        def ask(item: tuple[str, str]) -> str:
            return backend.generate(Request.chat(item[1]), params).text

        with ProgressBar("teacher explain", total=len(missing), unit="answers", enabled=opts.progress) as bar:
            for (key, _), answer in map_concurrent(ask, missing, concurrency):
                append_jsonl(cache_path, {"key": key, "answer": answer})
                cache[key] = answer
                bar.advance()
    finally:
        backend.close()
