"""The one exception type of the SPC engine."""

from __future__ import annotations

__all__ = ["SPCError"]


class SPCError(ValueError):
    """Bad input to :func:`champion.spc.analyze` and friends.

    The message says what is wrong and what to do about it, in words a
    person entering data can act on. It is a :class:`ValueError`, so code that
    already catches those keeps working.
    """
