"""The copilot's safety layer (issue 19): rules (:mod:`~codehone.blocks.safety.rules`) that
check a child's request before generation and the program after it
(:mod:`~codehone.blocks.safety.check`), offline and in well under a millisecond, no model involved."""
