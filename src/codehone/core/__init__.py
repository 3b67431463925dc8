"""The bottom layer: what more than one stage needs, owned by none of them.

Any package may import ``core``; ``core`` imports nothing of codehone but ``errors`` (and within
itself). Its modules:

* ``fim``: fill-in-the-middle templates and stop tokens, detected from a vocabulary;
* ``chat``: chat text rendering and token counting (the data stage's and the blocks data's rows);
* ``sandbox``: running untrusted programs (``sandbox.run``) and judging their answers outside
  them (``sandbox.judge``, ``sandbox.testplan``);
* ``textmatch``: exact match and edit similarity of predicted text;
* ``rundir``: the run directory, the contract between stages: every file a stage writes or reads,
  and when a stage is complete.
"""
