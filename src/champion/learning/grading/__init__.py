"""Graders for every exercise kind in docs/content-format.md.

`grade(kind, data, answer)` returns a `Grade`: a score from 0 to 1, whether it passes, and
feedback that teaches (per item: right or not, the right answer and why). Where a tool can
compute the answer (`champion.spc`), the grader asks the tool, never a stored answer.
"""

from champion.learning.grading.base import Grade, GradingError
from champion.learning.grading.kinds import GRADERS, grade, read_answer

__all__ = ["GRADERS", "Grade", "GradingError", "grade", "read_answer"]
