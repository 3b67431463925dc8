"""Optional "explain this code" pairs written by a bigger teacher model (``--teacher REF``).

For documented functions of the training files the teacher is asked to explain the code; its
answer becomes an instruct example (user: the code and the request, assistant: the explanation).
Answers are cached in ``RUN_DIR/teacher/explain.jsonl`` keyed by a hash of the prompt, so a rerun
or a resumed build asks the teacher nothing it has answered before; each answer is appended
and flushed as it arrives, so an interrupted run loses at most one. The code sent is the
redacted text: secrets never reach a teacher, local or remote.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from codehone.backends import load_backend
from codehone.backends.base import Request, SamplingParams
from codehone.core.chat import chat_text
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
    cache_path = RunDir(run_dir).teacher_explain
    cache = {row["key"]: row["answer"] for row in read_jsonl(cache_path)}
    backend = None
    out = []
    try:
        for split, path, language, code in _functions(files, opts.teacher_max):
            prompt = PROMPT.format(language=language, path=path, code=code.rstrip())
            key = hashlib.sha256(f"{opts.teacher}\0{prompt}".encode()).hexdigest()
            if key not in cache:
                if backend is None:
                    backend = load_backend(opts.teacher)
                answer = backend.generate(Request.chat(prompt), SamplingParams(max_tokens=384, temperature=0.0)).text
                append_jsonl(cache_path, {"key": key, "answer": answer})
                cache[key] = answer
            answer = cache[key].strip()
            if not answer:
                continue
            messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]
            n = counter.count([chat_text(tokenizer, messages)])[0]
            if n <= opts.seq_len:
                out.append((split, {"kind": "instruct", "messages": messages, "path": path, "language": language,
                                    "tokens": n}))
    finally:
        if backend is not None:
            backend.close()
    return out
