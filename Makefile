# The README's two commands, and their setup. Everything installs into .venv from pinned versions.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
CH     := $(VENV)/bin/codehone

.PHONY: setup demo test test-slow bench docs

setup: $(VENV)/.installed

# Reinstall when the pins change. The llama-cpp-python build is the slow part (about 6 minutes on
# 2 cores); pip caches the built wheel, so later setups take seconds.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[dev]'
	touch $@

# The main job: the whole loop on the default model (fetch, block data, base scores, LoRA, GGUF
# adapter, tuned scores, report). Rerunning resumes; runs/demo/report.html is the result.
demo: setup
	$(CH) demo --out runs/demo

# Fast unit and integration tests on a tiny model built in-process (slow and gpu tests excluded).
test: setup
	$(PY) -m pytest -q

# Tests on the real default model (fetches ~491 MB once, then llama.cpp on the CPU).
test-slow: setup
	$(PY) -m pytest -q -m slow

bench: setup
	$(PY) benchmarks/bench_llamacpp_overhead.py
	$(PY) benchmarks/bench_llamacpp_batch.py

# docs/benchmarks.md is the stage sections of docs/benchmarks.d/, in pipeline order.
docs: setup
	$(PY) benchmarks/assemble_docs.py
