"""Scratch 3 block programs and the block-coding copilot, one room per job.

The rooms, lower ones first (a room imports only the rooms above it in this list):

- ``lang/``: what a program is and how it is written: the block catalogue (``catalog.json``),
  the parsed nodes, the text language (tokens, parser, printer), its GBNF grammar, the streaming
  parser.
- ``runtime/``: running a program headless (interpreter, what each block does, Scratch's values
  and stage) and judging what it did (behaviour checks, drawings as shapes and as SVG).
- ``sb3/``: Scratch 3 project files: writing, reading, the vendored project schema.
- ``synth/``: synthetic request -> program pairs, each verified by running it (families, wordings).
- ``turtle/``: simple Python turtle programs -> blocks, checked by drawing both.
- ``copilot/``: the model-facing skills: prompt format, generate, explain, the ``blocks`` benchmark
  and its evaluation, the training set. New skills (fix, edit, next-block, tutor, safety) go here,
  one module each.
- ``studio/`` (to come): the web page and its routes, over ``copilot`` and ``runtime``.
- ``cli/``: ``codehone blocks ...``: thin commands over the rooms above.

Import the modules themselves (``from codehone.blocks.lang.parser import parse``); the packages
hold no code, so importing one loads nothing heavy.
"""
