"""Each person's standing per tier (`learning.services.status`) is kept up to date on every kind
of write, matches a count from scratch, and the rebuild command fixes a table that drifted."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from champion.accounts.models import Membership
from champion.learning.content.load import load_content
from champion.learning.models import (
    Certificate,
    Lesson,
    LessonProgress,
    Module,
    Tier,
    TierStatus,
)
from champion.learning.services import progress, status, team
from tests.conftest import make_person
from tests.learning.conftest import write_lesson
from tests.learning.test_certificates import complete, submit_practical


def stored() -> dict[tuple[int, int], tuple[int, int, bool]]:
    return {
        (r.user_id, r.tier_id): (r.started, r.completed, r.certified)
        for r in TierStatus.objects.all()
    }


def by_hand() -> dict[tuple[int, int], tuple[bool, bool, bool]]:
    """The rule, counted person by person in Python from the raw records (no `status` code):
    started (a live lesson opened), completed (every live lesson, at least one), certified."""
    live: dict[int, set[int]] = {t.pk: set(t.live_lessons().values_list("pk", flat=True)) for t in Tier.objects.all()}  # fmt: skip
    tier_of = {pk: tier for tier, pks in live.items() for pk in pks}
    opened: dict[tuple[int, int], set[int]] = {}
    done: dict[tuple[int, int], set[int]] = {}
    for p in LessonProgress.objects.all():
        if p.lesson_id in tier_of:
            key = (p.user_id, tier_of[p.lesson_id])
            opened.setdefault(key, set()).add(p.lesson_id)
            if p.completed_at:
                done.setdefault(key, set()).add(p.lesson_id)
    certified = set(Certificate.objects.values_list("user_id", "tier_id"))
    return {
        key: (
            bool(opened.get(key)),
            bool(live[key[1]]) and done.get(key, set()) == live[key[1]],
            key in certified,
        )
        for key in set(opened) | certified
    }


def read_back() -> dict[tuple[int, int], tuple[bool, bool, bool]]:
    """What the readers (`status.started`, `completed`, `certified`) say for each person."""
    tiers = list(Tier.objects.all())
    live = team.live_lesson_counts(tiers)
    result: dict[tuple[int, int], list[bool]] = {}
    for tier in tiers:
        for i, who in enumerate(
            (status.started(tier), status.completed(tier, live[tier.pk]), status.certified(tier))
        ):
            for user_id in who.values_list("user_id", flat=True):
                result.setdefault((user_id, tier.pk), [False, False, False])[i] = True
    return {key: (s, c, cert) for key, (s, c, cert) in result.items()}


def assert_kept() -> None:
    """The kept table equals a from-scratch count, and reads back as the rule by hand says."""
    assert stored() == status.computed()
    assert read_back() == {k: v for k, v in by_hand().items() if any(v)}


def test_opening_passing_and_completing_lessons_keep_the_standing(curriculum, world):
    first, second = curriculum["first"], curriculum["second"]
    foundation = curriculum["foundation"]
    progress.record_view(world.member, first)  # opened: started
    assert stored() == {(world.member.pk, foundation.pk): (1, 0, False)}
    assert_kept()
    progress.record_view(world.member, first)  # viewed again: nothing changes
    attempt = progress.start_attempt(world.member, second)
    assert stored()[world.member.pk, foundation.pk] == (2, 0, False)
    chosen = {
        a.pk: list(a.question.choices.filter(correct=True).values_list("pk", flat=True))
        for a in attempt.answers.select_related("question")
    }
    progress.submit_attempt(attempt, chosen)  # the quiz passed: read, so completed
    assert stored()[world.member.pk, foundation.pk] == (2, 1, False)
    assert_kept()
    complete(world.member, [first])  # the other lesson too: the tier is completed
    assert world.member.pk in set(status.completed(foundation, 2).values_list("user_id", flat=True))
    assert_kept()


def test_a_certificate_issued_and_removed(curriculum, world):
    foundation = curriculum["foundation"]
    complete(world.member, [curriculum["first"], curriculum["second"]])
    assert submit_practical(world.member, foundation) == []  # issues the certificate
    assert stored()[world.member.pk, foundation.pk] == (2, 2, True)
    assert_kept()
    Certificate.objects.filter(user=world.member).delete()  # a queryset delete: one refresh
    assert stored()[world.member.pk, foundation.pk] == (2, 2, False)
    Certificate.objects.create(
        user=world.colleague, tier=foundation, recipient_name="x", credential="x",
        organisation_name="x",
    )  # fmt: skip
    assert stored()[world.colleague.pk, foundation.pk] == (0, 0, True)  # certified only
    Certificate.objects.get(user=world.colleague).delete()
    assert (world.colleague.pk, foundation.pk) not in stored()
    assert_kept()


def test_bulk_writes_keep_the_standing(curriculum, world):
    first, second, charter = curriculum["first"], curriculum["second"], curriculum["charter"]
    people = [world.member, world.colleague, world.leader]
    LessonProgress.objects.bulk_create(LessonProgress(user=p, lesson=first) for p in people)
    assert_kept()
    assert len(stored()) == 3
    LessonProgress.objects.filter(user=world.member).update(completed_at=timezone.now())
    assert stored()[world.member.pk, first.module.tier_id] == (1, 1, False)
    rows = list(LessonProgress.objects.filter(user=world.colleague))
    for row in rows:
        row.completed_at = timezone.now()
    LessonProgress.objects.bulk_update(rows, ["completed_at"])
    assert stored()[world.colleague.pk, first.module.tier_id] == (1, 1, False)
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=world.leader, lesson=second), LessonProgress(user=world.leader, lesson=charter)]
    )  # fmt: skip
    assert_kept()
    LessonProgress.objects.filter(user=world.leader, lesson=first).delete()
    LessonProgress.objects.get(user=world.leader, lesson=charter).delete()
    assert stored()[world.leader.pk, first.module.tier_id] == (1, 0, False)
    assert (world.leader.pk, charter.module.tier_id) not in stored()
    assert_kept()


def test_a_lesson_view_or_a_certificate_date_costs_no_upkeep(curriculum, world):
    progress.record_view(world.member, curriculum["first"])
    with CaptureQueriesContext(connection) as captured:
        progress.record_view(world.member, curriculum["first"])
        Certificate.objects.filter(user=world.member).update(issued_at=timezone.now())
    assert not any("learning_tierstatus" in q["sql"] for q in captured.captured_queries)


def test_a_person_deleted_takes_their_standing_with_them(curriculum, world):
    person = make_person("gone@test.example", world.org, world.ward_a)
    progress.record_view(person, curriculum["first"])
    assert TierStatus.objects.filter(user=person).exists()
    person.delete()
    assert not TierStatus.objects.exists()
    assert_kept()


def test_moving_a_person_to_another_ward_moves_their_standing(curriculum, world):
    """Memberships are not in the table: the coverage of each ward follows the move at once."""
    foundation = curriculum["foundation"]
    complete(world.member, [curriculum["first"], curriculum["second"]])
    groups = [(world.ward_a.path, False), (world.ward_b.path, False)]
    people = team.learners(world.admin)

    def completed_per_ward() -> list[int]:
        _, per_group = team.coverage(world.admin, people, groups, [foundation])
        return [g.completed[foundation.pk] for g in per_group]

    assert completed_per_ward() == [1, 0]  # Mia is in Ward A
    Membership.objects.filter(user=world.member, unit=world.ward_a).update(unit=world.ward_b)
    assert completed_per_ward() == [0, 1]


def test_a_new_lesson_means_the_tier_is_no_longer_completed(curriculum, world):
    foundation = curriculum["foundation"]
    complete(world.member, [curriculum["first"], curriculum["second"]])
    write_lesson(curriculum["root"] / "foundation" / "01-basics", "03-third", "third")
    load_content(curriculum["root"])
    assert status.after_content_change(status.live_lessons()) is False  # nothing to redo
    assert team.live_lesson_counts([foundation]) == {foundation.pk: 3}
    assert not status.completed(foundation, 3).exists()
    assert_kept()


def test_a_retired_lesson_is_counted_out_by_the_content_load(curriculum, world):
    foundation = curriculum["foundation"]
    complete(world.member, [curriculum["first"]])
    progress.record_view(world.member, curriculum["second"])
    for suffix in (".md", ".quiz.yaml"):
        (curriculum["root"] / "foundation" / "01-basics" / f"02-second{suffix}").unlink()
    load_content(curriculum["root"])  # "second" retired: Mia has completed all that is left
    assert stored()[world.member.pk, foundation.pk] == (1, 1, False)
    assert world.member.pk in set(status.completed(foundation, 1).values_list("user_id", flat=True))
    assert_kept()


def test_a_retired_module_outside_a_content_load_is_fixed_by_the_rebuild(curriculum, world):
    complete(world.member, [curriculum["charter"]])
    before = status.live_lessons()
    Module.objects.filter(slug="projects").update(retired=True)
    assert stored() != status.computed()  # the table cannot see this write by itself
    assert status.after_content_change(before) is True
    assert (world.member.pk, curriculum["practitioner"].pk) not in stored()
    assert_kept()


def test_the_rebuild_command_fixes_a_drifted_table(curriculum, world):
    foundation, practitioner = curriculum["foundation"], curriculum["practitioner"]
    complete(world.member, [curriculum["first"], curriculum["second"]])
    progress.record_view(world.colleague, curriculum["charter"])
    progress.record_view(world.leader, curriculum["first"])
    kept = stored()
    # Drift: a wrong count, a missing row and a row for a standing nobody has.
    TierStatus.objects.filter(user=world.member).update(completed=1)
    TierStatus.objects.filter(user=world.colleague).delete()
    TierStatus.objects.create(user=world.coach, tier=practitioner, started=3, certified=True)
    assert stored() != kept
    out = io.StringIO()
    call_command("rebuild_learning_status", stdout=out)
    assert "3 row(s) corrected" in out.getvalue()
    assert stored() == kept
    assert_kept()
    out = io.StringIO()
    call_command("rebuild_learning_status", stdout=out)
    assert "0 row(s) corrected" in out.getvalue()
    assert foundation.pk in {t for (_, t) in stored()}


def test_nothing_is_kept_while_suspended_and_the_rebuild_catches_up(curriculum, world):
    with status.suspended():
        LessonProgress.objects.bulk_create(
            LessonProgress(user=p, lesson=curriculum["first"]) for p in (world.member, world.coach)
        )
        assert not TierStatus.objects.exists()
    assert status.rebuild() == 2
    assert_kept()


def test_team_progress_counts_read_the_kept_standing(curriculum, world):
    foundation = curriculum["foundation"]
    complete(world.member, [curriculum["first"], curriculum["second"]])
    progress.record_view(world.colleague, curriculum["first"])
    assert submit_practical(world.member, foundation) == []
    people = team.team_queryset(world.admin, foundation)
    summary = team.team_summary(world.admin, foundation, people)
    assert (summary["started"], summary["certified"]) == (2, 1)
    rows = {r.person: r for r in team.rows_for(world.admin, foundation, people)}
    assert (rows[world.member].started, rows[world.member].completed) == (2, 2)
    assert rows[world.member].stage == "Certified"
    assert (rows[world.colleague].started, rows[world.colleague].stage) == (1, "In progress")
    assert rows[world.colleague].last_active is not None
    unit_only = team.team_queryset(world.admin, foundation, unit=world.ward_a)
    assert world.member in list(unit_only) and world.colleague not in list(unit_only)
    Lesson.objects.filter(slug="second").update(retired=True)  # outside a load: nightly fixes
    status.rebuild()
    people = team.team_queryset(world.admin, foundation)
    rows = {r.person: r for r in team.rows_for(world.admin, foundation, people)}
    assert (rows[world.member].started, rows[world.member].total) == (1, 1)
