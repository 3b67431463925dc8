"""The data stage: one body of code in, a clean training set out.

    source -> select -> exact dedup -> near dedup -> decontaminate -> redact
           -> split by file -> chunk along syntax -> FIM / LM / instruct examples -> files

Each step is a plain function in its own module (``select.py``, ``dedup.py`` ...); ``build.py``
(``build_dataset``, ``BuildOptions``) strings them together and writes the run directory;
``cli.py`` is the ``codehone data`` command; ``errors.py`` holds ``DataError``.
Importing this package is cheap: the heavy libraries (tree-sitter, datasketch, detect-secrets,
transformers) load inside the steps that use them.

Files written under ``RUN_DIR`` (each named once, in ``codehone.core.rundir.RunDir``):

``data/train.jsonl``, ``data/valid.jsonl``, ``data/test.jsonl`` -- one example per line::

    {"kind": "fim",      "text": "<|repo_name|>r\\n<|file_sep|>a.py\\n<|fim_prefix|>...<|endoftext|>",
     "path": "a.py", "language": "python", "tokens": 412}
    {"kind": "lm",       "text": "<|repo_name|>r\\n<|file_sep|>a.py\\ndef f(): ...<|endoftext|>", ...}
    {"kind": "instruct", "messages": [{"role": "user", "content": "..."},
                                      {"role": "assistant", "content": "```python\\n...```"}], ...}

    kind      "fim" (fill-in-the-middle in the model's own template, PSM or SPM), "lm" (plain
              next-token text) or "instruct" (chat messages; the trainer applies the chat template)
    text      fim/lm only: the exact training string, special tokens spelled out, ending with the
              template's end-of-document token
    messages  instruct only: [{"role": "user"|"assistant", "content": str}, ...]
    path      the source file (repository-relative, POSIX separators) the example came from
    language  detected language ("python", "javascript", ...)
    tokens    the example's length in the given tokenizer's tokens

``data/bench_repo.jsonl`` -- held-out infill tasks from the test files (see ``repo_bench.py``).
``data_card.json`` and ``data_card.md`` -- what was kept, dropped and why (counts only, never text).
``data_card.json`` is written last: its presence is the mark of a complete build.
"""

from __future__ import annotations

# The package imports no step: ``codehone.data.build`` holds ``build_dataset`` and ``BuildOptions``.
# DataError is re-exported from its leaf module (which imports nothing of the package).
from codehone.data.errors import DataError

__all__ = ["DataError"]
