"""The result of grading an exercise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class GradingError(ValueError):
    """The answer cannot be graded as given (say which part to fix); nothing is recorded."""


@dataclass
class Grade:
    score: float
    passed: bool
    feedback: dict[str, Any] = field(default_factory=dict)
