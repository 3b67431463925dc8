"""Scratch 3 block programs: catalogue, text language, .sb3 conversion, interpreter, checks.

The model-free core of the block-coding copilot. A program is written in a Python-like text
language (:mod:`codehone.blocks.language`), converts to and from a Scratch project
(:mod:`codehone.blocks.sb3`), runs headless (:mod:`codehone.blocks.interpreter`) and is judged by
behaviour checks on its trace (:mod:`codehone.blocks.checks`). Import the submodules; this
package imports nothing heavy at import time.
"""
