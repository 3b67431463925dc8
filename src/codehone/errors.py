"""The one base class for mistakes a user can fix.

The CLI prints these as a single line naming the problem and the fix, with exit code 1 and no
traceback (``--debug`` shows it). Anything else is a bug and keeps its traceback.
"""


class UserError(Exception):
    """Bad input or environment: the message says what was wrong and how to fix it."""
