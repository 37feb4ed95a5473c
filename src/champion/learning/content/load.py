"""`champion content load`: write the checked curriculum into the database, idempotently.

Rows are matched by their stable keys (tier, module and lesson slugs; question ids within a
lesson), so revising a lesson keeps every learner's progress. Lessons, modules and
questions that disappear from the files are retired, never deleted: attempts point at them.
A lesson whose files did not change is skipped, so a second load is fast.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from champion.learning.content.markdown import render, render_text
from champion.learning.content.parse import (
    Curriculum,
    LessonSpec,
    Problem,
    read_curriculum,
    tier_counts,
)
from champion.learning.models import Choice, Exercise, Lesson, Module, Question, Tier
from champion.learning.services import status


class ContentError(Exception):
    """The content has problems; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.created} lessons added, {self.updated} updated, {self.unchanged} unchanged"
        return text + (f", retired: {', '.join(self.retired)}" if self.retired else "")


def content_dir() -> Path:
    return Path(settings.CONTENT_DIR)


def _plain(value: Any) -> Any:
    """JSON-safe copy (YAML gives dates for unquoted ISO dates)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _hash(lesson: LessonSpec, sources: dict[str, str]) -> str:
    payload = {
        # Where the files sit (the content folder's name, a release directory) is not content.
        "spec": _plain(
            {k: v for k, v in lesson.__dict__.items() if k not in ("body_line", "path")}
        ),
        "sources": [sources.get(key, "") for key in lesson.sources],
        "version": 4,  # bump when rendering changes, so every lesson is re-rendered
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def load_content(root: Path | None = None) -> LoadReport:
    """Check and load; raises ContentError (and changes nothing) when there are problems."""
    curriculum, problems = read_curriculum(root or content_dir())
    if problems:
        raise ContentError(problems)
    with transaction.atomic():
        live = status.live_lessons()
        report = _write(curriculum)
        status.after_content_change(live)
        return report


def _lesson_url(slug: str) -> str:
    return reverse("learning:lesson", args=[slug])


def _tier_url(slug: str) -> str:
    return reverse("learning:tier", args=[slug])


def _write(curriculum: Curriculum) -> LoadReport:
    report = LoadReport()
    live_modules: set[str] = set()
    live_lessons: set[str] = set()
    for tier_spec in curriculum.tiers:
        tier, _ = Tier.objects.update_or_create(
            slug=tier_spec.slug,
            defaults={
                "title": tier_spec.title,
                "summary": tier_spec.summary,
                "order": tier_spec.order,
                "credential": tier_spec.credential,
            },
        )
        for module_spec in tier_spec.modules:
            live_modules.add(module_spec.slug)
            module, _ = Module.objects.update_or_create(
                slug=module_spec.slug,
                defaults={
                    "tier": tier,
                    "title": module_spec.title,
                    "summary": module_spec.summary,
                    "order": module_spec.order,
                    "retired": False,
                },
            )
            for spec in module_spec.lessons:
                live_lessons.add(spec.slug)
                _write_lesson(module, spec, curriculum.sources, report)
    # Prerequisites once every lesson exists.
    by_slug = {lesson.slug: lesson for lesson in Lesson.objects.all()}
    for spec in curriculum.lessons():
        lesson = by_slug[spec.slug]
        wanted = {by_slug[s].pk for s in spec.prerequisites}
        if set(lesson.prerequisites.values_list("pk", flat=True)) != wanted:
            lesson.prerequisites.set(wanted)
    for lesson in Lesson.objects.filter(retired=False).exclude(slug__in=live_lessons):
        lesson.retired = True
        lesson.save(update_fields=["retired"])
        report.retired.append(f"lesson {lesson.slug}")
    for module in Module.objects.filter(retired=False).exclude(slug__in=live_modules):
        module.retired = True
        module.save(update_fields=["retired"])
        report.retired.append(f"module {module.slug}")
    return report


def _write_lesson(
    module: Module, spec: LessonSpec, sources: dict[str, str], report: LoadReport
) -> None:
    digest = _hash(spec, sources)
    lesson = Lesson.objects.filter(slug=spec.slug).first()
    if (
        lesson is not None
        and lesson.content_hash == digest
        and lesson.module_id == module.pk
        and not lesson.retired
    ):
        if lesson.source_path != spec.path:
            Lesson.objects.filter(pk=lesson.pk).update(source_path=spec.path)
        report.unchanged += 1
        return
    html, _outline = render(spec.body, _lesson_url, spec.figures, tier_url=_tier_url)
    values = {
        "module": module,
        "title": spec.title,
        "order": spec.order,
        "minutes": spec.minutes,
        "objectives": spec.objectives,
        "sources": [[key, sources[key]] for key in spec.sources],
        "body": spec.body,
        "body_html": html,
        "source_path": spec.path,
        "content_hash": digest,
        "retired": False,
    }
    if lesson is None:
        lesson = Lesson.objects.create(slug=spec.slug, **values)
        report.created += 1
    else:
        for name, value in values.items():
            setattr(lesson, name, value)
        lesson.save()
        report.updated += 1
    _write_questions(lesson, spec.questions)
    _write_exercise(lesson, spec.exercise)


def _write_questions(lesson: Lesson, questions: list[dict[str, Any]]) -> None:
    keep = set()
    for order, data in enumerate(questions):
        question, _ = Question.objects.update_or_create(
            lesson=lesson,
            key=data["id"],
            defaults={
                "type": data["type"],
                "prompt": data["prompt"],
                "order": order,
                "retired": False,
            },
        )
        keep.add(question.pk)
        existing = {c.order: c for c in question.choices.all()}
        for index, choice in enumerate(data["choices"]):
            row = existing.pop(index, None) or Choice(question=question, order=index)
            row.text, row.correct, row.explanation = (
                choice["text"],
                choice["correct"],
                choice["explanation"],
            )
            row.save()
        for stale in existing.values():
            stale.delete()
    for question in lesson.questions.exclude(pk__in=keep):
        if question.answers.exists():
            question.retired = True
            question.save(update_fields=["retired"])
        else:
            question.delete()


def _write_exercise(lesson: Lesson, data: dict[str, Any] | None) -> None:
    existing = Exercise.objects.filter(lesson=lesson).first()
    if data is None:
        if existing is not None and not existing.retired:
            existing.retired = True
            existing.save(update_fields=["retired"])
        return
    payload = _plain({k: v for k, v in data.items() if k not in ("kind", "title", "instructions")})
    Exercise.objects.update_or_create(
        lesson=lesson,
        defaults={
            "kind": data["kind"],
            "title": str(data["title"]).strip(),
            "instructions_html": render_text(str(data["instructions"])),
            "data": payload,
            "retired": False,
        },
    )


def stats(root: Path | None = None) -> dict[str, Any]:
    """Counts per tier, straight from the files (what `content stats --json` prints)."""
    curriculum, _problems = read_curriculum(root or content_dir())
    return tier_counts(curriculum)
