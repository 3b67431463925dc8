"""Running block programs headless, and judging the trace: interpreter, ops, values, stage, checks."""
