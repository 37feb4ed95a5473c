"""Learning models: the curriculum (loaded from content/), progress, credentials and assignments."""

from champion.learning.models.assignments import Assignment, ReminderSent
from champion.learning.models.content import (
    Choice,
    Exercise,
    Lesson,
    Module,
    Question,
    QuestionType,
    Tier,
)
from champion.learning.models.credentials import (
    Certificate,
    EvidenceFile,
    Review,
    Submission,
    SubmissionKind,
    SubmissionStatus,
)
from champion.learning.models.progress import (
    ExerciseAttempt,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    TierStatus,
)

__all__ = [
    "Assignment",
    "Certificate",
    "Choice",
    "EvidenceFile",
    "Exercise",
    "ExerciseAttempt",
    "Lesson",
    "LessonProgress",
    "Module",
    "Question",
    "QuestionType",
    "QuizAnswer",
    "QuizAttempt",
    "ReminderSent",
    "Review",
    "Submission",
    "SubmissionKind",
    "SubmissionStatus",
    "Tier",
    "TierStatus",
]
