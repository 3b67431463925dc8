"""Copilot defaults that the command line shows in its help.

This module imports nothing, so a command's options can name these defaults without loading the
copilot (its grammar, parser and runner) when ``codehone --help`` is only printing text.
"""

ECHO_BEAM = 4  # beams asked for when the greedy answer is an echo: the echo itself is usually one of them
