"""Completions for other systems: CSV for spreadsheets and HR systems, xAPI for a learning record store.

Only the learners the requesting person may see are exported. xAPI statements follow xAPI
1.0.3: the actor is identified by `mbox`, verbs are ADL's `completed` and `passed`, and
activity ids live under SITE_URL so they are stable and resolvable.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.urls import reverse

from champion.core.csv import write_csv
from champion.learning.models import Certificate, LessonProgress, QuizAttempt
from champion.learning.services.team import learners

VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
}
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
ASSESSMENT_TYPE = "http://adlnet.gov/expapi/activities/assessment"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
#: A fixed namespace makes statement ids stable: exporting twice yields the same ids.
NAMESPACE = uuid.UUID("5b0c1a44-7f43-4c4f-9d7f-0e7d4a3b2c10")


def _records(leader: Any) -> Iterator[dict[str, Any]]:
    visible = learners(leader)
    for progress in (
        LessonProgress.objects.filter(user__in=visible, completed_at__isnull=False)
        .select_related("user", "lesson__module__tier")
        .order_by("completed_at")
    ):
        yield {
            "when": progress.completed_at,
            "user": progress.user,
            "verb": "completed",
            "kind": "lesson",
            "slug": progress.lesson.slug,
            "title": progress.lesson.title,
            "tier": progress.lesson.module.tier.slug,
            "score": progress.best_score,
            "path": reverse("learning:lesson", args=[progress.lesson.slug]),
        }
    for attempt in (
        QuizAttempt.objects.filter(user__in=visible, passed=True)
        .select_related("user", "lesson__module__tier")
        .order_by("submitted_at")
    ):
        yield {
            "when": attempt.submitted_at,
            "user": attempt.user,
            "verb": "passed",
            "kind": "quiz",
            "slug": attempt.lesson.slug,
            "title": f"Quiz: {attempt.lesson.title}",
            "tier": attempt.lesson.module.tier.slug,
            "score": attempt.score,
            "path": reverse("learning:lesson", args=[attempt.lesson.slug]) + "quiz/",
        }
    for cert in Certificate.objects.filter(user__in=visible).select_related("user", "tier"):
        yield {
            "when": cert.issued_at,
            "user": cert.user,
            "verb": "completed",
            "kind": "credential",
            "slug": cert.tier.slug,
            "title": cert.credential,
            "tier": cert.tier.slug,
            "score": None,
            "path": reverse("learning:tier", args=[cert.tier.slug]),
        }


def completions_csv(leader: Any) -> str:
    header = ["email", "name", "tier", "kind", "item", "title", "verb", "score", "date"]
    return write_csv(
        header,
        (
            [
                r["user"].email,
                r["user"].full_name,
                r["tier"],
                r["kind"],
                r["slug"],
                r["title"],
                r["verb"],
                None if r["score"] is None else f"{r['score']:.2f}",
                r["when"].isoformat(),
            ]
            for r in sorted(_records(leader), key=lambda r: (r["user"].email, r["when"]))
        ),
    )


def xapi_statements(leader: Any) -> list[dict[str, Any]]:
    statements = []
    for r in _records(leader):
        activity = f"{settings.SITE_URL}{r['path']}"
        statement: dict[str, Any] = {
            "id": str(uuid.uuid5(NAMESPACE, f"{r['user'].pk}|{r['verb']}|{activity}")),
            "actor": {
                "objectType": "Agent",
                "name": r["user"].full_name,
                "mbox": f"mailto:{r['user'].email}",
            },
            "verb": {"id": VERBS[r["verb"]], "display": {"en": r["verb"]}},
            "object": {
                "objectType": "Activity",
                "id": activity,
                "definition": {
                    "name": {"en": r["title"]},
                    "type": {"lesson": LESSON_TYPE, "quiz": ASSESSMENT_TYPE}.get(
                        r["kind"], COURSE_TYPE
                    ),
                },
            },
            "timestamp": r["when"].isoformat(),
        }
        if r["score"] is not None:
            statement["result"] = {
                "score": {"scaled": round(r["score"], 4)},
                "success": r["verb"] == "passed" or None,
                "completion": True,
            }
            if statement["result"]["success"] is None:
                del statement["result"]["success"]
        statements.append(statement)
    return statements
