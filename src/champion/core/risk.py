"""The FMEA risk-priority rule, shared by Improve's FMEA tool and Learn's FMEA exercise.

Pure functions, no Django: one rule, so what a lesson teaches and what the tool computes
cannot drift apart.
"""

from __future__ import annotations

#: Severity, occurrence and detection are each scored 1 (best) to 10 (worst).
SCORE_MIN, SCORE_MAX = 1, 10
#: A failure this severe is acted on whatever its RPN (the limit of ranking by RPN).
SEVERE = 9


def valid_score(value: object) -> bool:
    """A whole number from 1 to 10 (booleans are not scores)."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX
    )


def rpn(severity: object, occurrence: object, detection: object) -> int | None:
    """Risk priority number = severity × occurrence × detection; None unless all are whole numbers."""
    if all(
        isinstance(v, int) and not isinstance(v, bool) for v in (severity, occurrence, detection)
    ):
        return severity * occurrence * detection  # type: ignore[operator]
    return None
