"""The data stage's one user error. A module of its own, below every other module of the
package, so that they import it without importing the package's ``__init__`` back."""

from __future__ import annotations

from codehone.errors import UserError


class DataError(UserError, ValueError):
    """A data build that cannot go on; the message is one line saying what and how to fix it."""
