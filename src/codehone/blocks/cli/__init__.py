"""``codehone blocks ...``: the commands, gathered on ``blocks_app`` in :mod:`codehone.blocks.cli.app`.

The only package in ``blocks`` with function-local imports: a command imports the rooms it calls
inside its body, because loading them all at start (about 130 ms of CPU here) would slow every
``codehone --help``.
"""
