"""`champion content load` is idempotent and keeps learners' progress when lessons change."""

from __future__ import annotations

import pytest

from champion.learning.content.load import ContentError, load_content
from champion.learning.models import Lesson, LessonProgress, Question, Tier
from champion.learning.services import progress
from tests.learning.conftest import write_lesson


def test_loading_twice_changes_nothing(curriculum):
    counts = (Lesson.objects.count(), Question.objects.count())
    report = load_content(curriculum["root"])
    assert report.created == 0 and report.updated == 0 and report.unchanged == 3
    assert (Lesson.objects.count(), Question.objects.count()) == counts


def test_the_same_files_in_another_folder_are_unchanged(curriculum, tmp_path):
    """A deployment may keep content/ under another name (a release directory): no rewrite."""
    import shutil

    moved = tmp_path / "release-42" / "curriculum"
    shutil.copytree(curriculum["root"], moved)
    report = load_content(moved)
    assert report.created == report.updated == 0 and report.unchanged == 3
    assert Lesson.objects.get(slug="first").source_path.startswith("curriculum/")


def test_lessons_render_safely_with_lesson_links_resolved(curriculum):
    html = curriculum["second"].body_html
    assert 'href="/learn/lessons/first/"' in html
    assert '<h2 id="start">Start</h2>' in html
    assert list(curriculum["second"].prerequisites.all()) == [curriculum["first"]]


def test_raw_html_in_a_lesson_is_sanitised(curriculum):
    folder = curriculum["root"] / "foundation" / "01-basics"
    write_lesson(
        folder,
        "03-html",
        "html-lesson",
        body="<script>alert(1)</script> [x](javascript:alert(1)) " + "word " * 120,
    )
    load_content(curriculum["root"])
    html = Lesson.objects.get(slug="html-lesson").body_html
    assert "<script" not in html and 'href="javascript' not in html


def test_a_revised_lesson_keeps_progress_and_retires_answered_questions(curriculum, world):
    first = curriculum["first"]
    attempt = progress.start_attempt(world.member, first)
    answered = set(attempt.answers.values_list("question__key", flat=True))
    progress.mark_read(world.member, first)
    path = curriculum["root"] / "foundation" / "01-basics" / "01-first.quiz.yaml"
    # The authors replace the whole bank: questions anyone answered are retired, the rest deleted.
    path.write_text(path.read_text().replace("id: first-q", "id: new-q"))
    report = load_content(curriculum["root"])
    assert report.updated == 1
    first.refresh_from_db()
    assert LessonProgress.objects.get(user=world.member, lesson=first).read_at is not None
    retired = set(Question.objects.filter(lesson=first, retired=True).values_list("key", flat=True))
    assert retired == answered
    assert not Question.objects.filter(
        lesson=first, key__startswith="first-q", retired=False
    ).exists()
    assert first.live_questions().count() == 10


def test_a_removed_lesson_is_retired_not_deleted(curriculum, world):
    progress.record_view(world.member, curriculum["second"])
    for suffix in (".md", ".quiz.yaml"):
        (curriculum["root"] / "foundation" / "01-basics" / f"02-second{suffix}").unlink()
    report = load_content(curriculum["root"])
    assert "lesson second" in report.retired
    second = Lesson.objects.get(slug="second")
    assert second.retired and LessonProgress.objects.filter(lesson=second).exists()


def test_nothing_loads_while_the_content_has_problems(db, tree):
    write_lesson(tree / "foundation" / "01-basics", "03-bad", "bad", sources="[nobody]")
    with pytest.raises(ContentError):
        load_content(tree)
    assert not Tier.objects.exists()


def test_empty_tiers_are_not_offered(curriculum):
    assert [t.slug for t in Tier.objects.offered()] == ["foundation", "practitioner"]
    assert Tier.objects.filter(slug="leader").exists()
