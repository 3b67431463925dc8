"""issue 16, defect 6: the data step's stages report progress in a log (output not a terminal)
while they run, in counts only: no path and no code of the (possibly private) repository."""

from __future__ import annotations

import io
import re

import codehone.data.pipeline as pipeline
from codehone.data.build import BuildOptions, build_dataset


def test_data_stages_print_lines_while_running(planted_repo, tiny_tokenizer, tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setenv("CODEHONE_PROGRESS_SECONDS", "0")
    seen: list[str] = []
    real = pipeline.examples_for_file

    def examples_for_file(item):
        seen.append(log.getvalue())
        return real(item)

    monkeypatch.setattr(pipeline, "examples_for_file", examples_for_file)
    card = build_dataset(planted_repo, tiny_tokenizer, tmp_path / "run",
                         BuildOptions(progress=True, seq_len=512, workers=1))
    assert len(seen) >= 3
    # While pass 2 ran: pass 1 had finished with its line, pass 2's lines were coming out.
    assert "[data select] " in seen[2] and "[data examples] 2/" in seen[2]
    out = log.getvalue()
    lines = out.splitlines()
    assert lines and all(x.startswith("[data ") for x in lines)
    assert f"[data examples] {card['files']['kept']}/{card['files']['kept']} files  100%" in out
    # Counts, rates and times only: no repository name, path, file name or code.
    assert planted_repo.name not in out and "/" not in re.sub(r"\d+/\d+|/s", "", out)
    assert ".py" not in out and "def " not in out


def test_quiet_prints_nothing(planted_repo, tiny_tokenizer, tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    monkeypatch.setenv("CODEHONE_PROGRESS_SECONDS", "0")
    build_dataset(planted_repo, tiny_tokenizer, tmp_path / "run", BuildOptions(progress=False, seq_len=512, workers=1))
    assert log.getvalue() == ""
