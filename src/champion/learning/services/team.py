"""Leaders' views of learning: team progress, assignments, reminders and exports.

Everything here starts from `User.objects.visible_to(leader)`: a leader, coach or admin sees
the people of the subtrees they oversee, and nobody else.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from champion.accounts.models import Membership, User
from champion.learning.models import (
    Assignment,
    Certificate,
    Lesson,
    LessonProgress,
    Module,
    ReminderSent,
    Tier,
    TierStatus,
)
from champion.learning.services import status
from champion.learning.services.overview import (
    AssignmentState,
    assignment_lessons,
    assignment_state,
)

#: Days before the due date when the "due soon" reminder goes out.
DUE_SOON_DAYS = 7


@dataclass
class LearnerRow:
    person: Any
    started: int
    completed: int
    total: int
    last_active: datetime.datetime | None
    certificates: list[Certificate]
    overdue: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def stage(self) -> str:
        if self.certificates:
            return "Certified"
        if self.completed == self.total and self.total:
            return "Lessons done"
        if self.started:
            return "In progress"
        return "Not started"


def learners(leader: Any) -> Any:
    return User.objects.visible_to(leader).filter(is_active=True).exclude(pk=leader.pk)


def team_people(leader: Any, unit: Any = None, query: str = "") -> QuerySet[Any]:
    """Everyone the leader oversees (optionally within `unit`, matching `query` by name or
    e-mail), each once: what `team_queryset` annotates, and what `team_summary` counts."""
    people_qs = learners(leader)
    if unit is not None:
        members = Membership.objects.filter(unit__path__startswith=unit.path)
        people_qs = people_qs.filter(pk__in=members.values("user_id"))
    if query:
        people_qs = people_qs.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return people_qs


def team_queryset(leader: Any, tier: Tier, unit: Any = None, query: str = "") -> QuerySet[Any]:
    """Everyone the leader oversees (optionally within `unit`, matching `query` by name or
    e-mail), ordered by name, annotated with their progress on `tier`: `started` and `done`
    (live lessons opened and completed, from `status`) and `last` (their latest lesson view).

    Lazy: page it (`Paginator`) and pass the page to `rows_for`. The annotations are
    subqueries of one person each, so the database works them out for the page's rows only.
    """
    people_qs = team_people(leader, unit, query)
    stored = TierStatus.objects.filter(user=OuterRef("pk"), tier=tier)
    last = (
        LessonProgress.objects.filter(user=OuterRef("pk"))
        .order_by("-last_viewed_at")
        .values("last_viewed_at")[:1]
    )
    return people_qs.annotate(
        started=Coalesce(Subquery(stored.values("started")), 0),
        done=Coalesce(Subquery(stored.values("completed")), 0),
        last=Subquery(last),
    ).order_by("full_name", "pk")


def team_summary(leader: Any, tier: Tier, people: QuerySet[Any]) -> dict[str, int]:
    """Head counts over all of `people` (`team_people`, or a `team_queryset`): one aggregate
    over the kept standing (`status`), plus the overdue learning's few queries."""
    return summary_and_overdue(leader, tier, people)[0]


def summary_and_overdue(
    leader: Any, tier: Tier, people: QuerySet[Any]
) -> tuple[dict[str, int], dict[int, list[str]]]:
    """`team_summary`, and what each of `people` has overdue (`overdue_by_person`), for the
    page to take its rows' from (`rows_for`) rather than working it out twice.

    With `team_people`, the aggregate reads the people as they are (no second pass over
    everyone the leader oversees to find them again)."""
    plain = people.order_by()
    if plain.query.annotations:  # a `team_queryset`: its per-person subqueries left out
        plain = User.objects.filter(pk__in=plain.values("pk"))
    counts = plain.aggregate(
        people=Count("pk"),
        started=Count("pk", filter=Q(pk__in=status.started(tier))),
        certified=Count("pk", filter=Q(pk__in=status.certified(tier))),
    )
    overdue = overdue_by_person(leader, people)
    return {**counts, "overdue": len(overdue)}, overdue


def rows_for(
    leader: Any, tier: Tier, people: Any, overdue: dict[int, list[str]] | None = None
) -> list[LearnerRow]:
    """Rows for one page of a `team_queryset`: certificates and overdue learning of those
    people only (or read from `overdue`, everyone's, when given), in a fixed number of
    queries."""
    people = list(people)
    total = tier.live_lessons().count()
    certificates: dict[int, list[Certificate]] = {}
    for cert in Certificate.objects.filter(user__in=[p.pk for p in people]).select_related("tier"):
        certificates.setdefault(cert.user_id, []).append(cert)
    if overdue is None:
        overdue = overdue_by_person(leader, people) if people else {}
    return [
        LearnerRow(
            p,
            p.started,
            p.done,
            total,
            p.last,
            certificates.get(p.pk, []),
            overdue.get(p.pk, []),
        )
        for p in people
    ]


def team_progress(leader: Any, tier: Tier, unit: Any = None) -> list[LearnerRow]:
    """Progress on `tier` of everyone the leader oversees (optionally only within `unit`).

    Loads everyone: for small groups and tests; the page uses `team_queryset` and `rows_for`.
    """
    return rows_for(leader, tier, team_queryset(leader, tier, unit))


def overdue_by_person(leader: Any, people: Any) -> dict[int, list[str]]:
    """What each of `people` (a list or a queryset) has not finished past its due date.

    The rule is `AssignmentState.complete`; the states are built in bulk, so this costs the
    same few queries however many people, units and assignments there are.
    """
    today = timezone.localdate()
    wanted = _person_ids(people)
    assignments = list(
        Assignment.objects.visible_to(leader)
        .filter(due_on__lt=today)
        .select_related("tier", "module", "unit")
    )
    if not assignments:
        return {}
    lessons = _lessons_by_subject(assignments)
    # Only the memberships that can make an assignment apply (in an assigned unit's subtree,
    # or the assigned person's), so a system of 20,000 with a ward's assignment reads a ward.
    reach = Q(pk__in=[])
    for assignment in assignments:
        if assignment.person_id:
            reach |= Q(user_id=assignment.person_id)
        elif assignment.unit is not None:
            reach |= Q(unit__path__startswith=assignment.unit.path)
    # The reached memberships first (few, by unit path), then which of their people are in
    # `people`: the whole area's people are never worked out to find a ward's few.
    reached = Membership.objects.filter(reach, user__is_active=True)
    found: dict[int, list[str]] = {}
    for user_id, path in reached.values_list("user_id", "unit__path"):
        found.setdefault(user_id, []).append(path)
    if isinstance(people, QuerySet):
        # The few reached ids narrow `people` itself (an index look-up each), rather than
        # testing them against the whole area's people worked out as a set.
        kept = set(people.order_by().filter(pk__in=list(found)).values_list("pk", flat=True))
    else:
        kept = set(wanted) & set(found)
    paths = {pk: found[pk] for pk in kept}
    completed: dict[int, set[int]] = {}
    for user_id, lesson_id in LessonProgress.objects.filter(
        user_id__in=list(kept),
        completed_at__isnull=False,
        lesson_id__in={pk for ids in lessons.values() for pk in ids},
    ).values_list("user_id", "lesson_id"):
        completed.setdefault(user_id, set()).add(lesson_id)
    result: dict[int, list[str]] = {}
    for assignment in assignments:
        lesson_ids = lessons[_subject(assignment)]
        if assignment.person_id:
            applies = [assignment.person_id] if assignment.person_id in paths else []
        else:
            assert assignment.unit is not None
            prefix = assignment.unit.path
            applies = [pk for pk, ps in paths.items() if any(p.startswith(prefix) for p in ps)]
        for person_id in applies:
            done = len(completed.get(person_id, set()) & set(lesson_ids))
            if not AssignmentState(assignment, done, len(lesson_ids), None).complete:
                result.setdefault(person_id, []).append(assignment.subject_title)
    return result


def _person_ids(people: Any) -> Any:
    """A subquery for a queryset of people (no list of thousands of ids), else their ids."""
    if isinstance(people, QuerySet):
        return people.order_by().values("pk")
    return [p.pk for p in people]


def _subject(assignment: Assignment) -> tuple[str, int]:
    if assignment.module_id:
        return ("module", assignment.module_id)
    assert assignment.tier_id is not None
    return ("tier", assignment.tier_id)


def _lessons_by_subject(assignments: list[Assignment]) -> dict[tuple[str, int], list[int]]:
    """The live lessons of every assignment's tier or module in one query (as
    `assignment_lessons` counts them: a module's unretired lessons, a tier's live ones)."""
    modules = {a.module_id for a in assignments if a.module_id}
    tiers = {a.tier_id for a in assignments if a.tier_id}
    result: dict[tuple[str, int], list[int]] = {("module", pk): [] for pk in modules}
    result.update({("tier", pk): [] for pk in tiers})
    rows = Lesson.objects.filter(retired=False).filter(
        Q(module_id__in=modules) | Q(module__tier_id__in=tiers, module__retired=False)
    )
    for pk, module_id, tier_id, module_retired in rows.values_list(
        "pk", "module_id", "module__tier_id", "module__retired"
    ):
        if module_id in modules:
            result["module", module_id].append(pk)
        if tier_id in tiers and not module_retired:
            result["tier", tier_id].append(pk)
    return result


@dataclass
class Standing:
    """Where one person stands on each tier, for summaries of a whole area."""

    started: set[int] = field(default_factory=set)  # tier ids with any lesson opened
    completed: set[int] = field(default_factory=set)  # tier ids with every live lesson completed
    certified: set[int] = field(default_factory=set)  # tier ids with a certificate
    overdue: list[str] = field(default_factory=list)  # titles of overdue assignments


def live_lesson_counts(tiers: list[Tier]) -> dict[int, int]:
    """How many live lessons each tier has (as `Tier.live_lessons` counts), in one query."""
    counts = dict(
        Lesson.objects.filter(
            retired=False, module__retired=False, module__tier_id__in=[t.pk for t in tiers]
        )
        .order_by()
        .values_list("module__tier_id")
        .annotate(n=Count("pk"))
        .values_list("module__tier_id", "n")
    )
    return {t.pk: counts.get(t.pk, 0) for t in tiers}


def standing(leader: Any, people: Any, tiers: list[Tier]) -> dict[int, Standing]:
    """Each of `people`'s standing on `tiers`, by person id, in a fixed number of queries.

    "Started", "completed" and "certified" are `status`'s rule, read from the kept standing,
    as the team progress page and the Lead overview count them.
    """
    wanted = _person_ids(people)
    live = live_lesson_counts(tiers)
    result: dict[int, Standing] = {}
    rows = TierStatus.objects.filter(user_id__in=wanted, tier_id__in=[t.pk for t in tiers])
    for user_id, tier_id, started, done, certified in rows.values_list(
        "user_id", "tier_id", "started", "completed", "certified"
    ):
        entry = result.setdefault(user_id, Standing())
        if started:
            entry.started.add(tier_id)
        if live[tier_id] and done == live[tier_id]:
            entry.completed.add(tier_id)
        if certified:
            entry.certified.add(tier_id)
    for user_id, titles in overdue_by_person(leader, people).items():
        result.setdefault(user_id, Standing()).overdue = titles
    return result


def assignment_rows(leader: Any, assignments: Any = None) -> list[dict[str, Any]]:
    """Each visible assignment (or each of `assignments`, e.g. one page) with how many of its
    people have finished and are overdue, counted in the database: two queries per assignment
    (one for its lessons, one aggregate), whatever the number of people."""
    if assignments is None:
        assignments = Assignment.objects.visible_to(leader).select_related(
            "tier", "module", "unit", "person", "assigned_by"
        )
    assignments = list(assignments)
    lessons = _lessons_by_subject(assignments) if assignments else {}
    today = timezone.localdate()
    rows = []
    for assignment in assignments:
        lesson_ids = lessons[_subject(assignment)]
        people = _assigned_people(assignment)
        # Only the assigned people's progress is grouped: grouping everyone's (a million rows
        # in a health system) cost a second per assignment.
        finished = (
            LessonProgress.objects.filter(
                user_id__in=people.values("pk"),
                lesson_id__in=lesson_ids,
                completed_at__isnull=False,
            )
            .order_by()
            .values("user_id")
            .annotate(n=Count("lesson_id", distinct=True))
            .filter(n=len(lesson_ids))
            .values("user_id")
        )
        if lesson_ids:
            counts = people.aggregate(
                people=Count("pk"), complete=Count("pk", filter=Q(pk__in=finished))
            )
        else:
            counts = {"people": people.count(), "complete": 0}
        complete = counts["complete"]
        rows.append(
            {
                "assignment": assignment,
                "people": counts["people"],
                "complete": complete,
                "overdue": counts["people"] - complete if assignment.due_on < today else 0,
            }
        )
    return rows


def _assigned_people(assignment: Assignment) -> QuerySet[Any]:
    """`Assignment.people` without DISTINCT (a subquery of members), so it aggregates."""
    if assignment.person_id:
        return User.objects.filter(pk=assignment.person_id, is_active=True)
    assert assignment.unit is not None
    members = Membership.objects.filter(unit__path__startswith=assignment.unit.path)
    return User.objects.filter(is_active=True, pk__in=members.values("user_id"))


def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail each person once before the due date and once after it; returns e-mails sent.

    Idempotent: a ReminderSent row (unique per assignment, person and kind) is written in
    the same transaction as the e-mail is sent, so a rerun or an overlapping run sends
    nothing twice.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    sent = 0
    candidates = Assignment.objects.filter(due_on__lte=soon).select_related(
        "tier", "module", "unit"
    )
    for assignment in candidates:
        kind = (
            ReminderSent.Kind.OVERDUE if assignment.due_on < today else ReminderSent.Kind.DUE_SOON
        )
        lesson_ids = assignment_lessons(assignment)
        already = set(
            ReminderSent.objects.filter(assignment=assignment, kind=kind).values_list(
                "user_id", flat=True
            )
        )
        for person in assignment.people().exclude(pk__in=already).select_related("organisation"):
            state = assignment_state(assignment, person, lesson_ids)
            if state.complete:
                continue
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(assignment=assignment, user=person, kind=kind)
                    _send(person, state, kind)
            except IntegrityError:
                continue  # another run sent this one
            sent += 1
    return sent


def _send(person: Any, state: Any, kind: str) -> None:
    context = {
        "person": person,
        "state": state,
        "assignment": state.assignment,
        "overdue": kind == ReminderSent.Kind.OVERDUE,
        "url": f"{settings.SITE_URL}{state.url}",
    }
    subject = (
        f"Overdue: {state.assignment.subject_title}"
        if kind == ReminderSent.Kind.OVERDUE
        else f"Due {state.assignment.due_on:%-d %B}: {state.assignment.subject_title}"
    )
    send_mail(
        subject=subject,
        message=render_to_string("learning/email/reminder.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )


@dataclass
class GroupCoverage:
    """Head counts of one group of people (a unit's subtree, or those directly in a unit)."""

    people: int = 0
    started: dict[int, int] = field(default_factory=dict)  # tier id -> people
    completed: dict[int, int] = field(default_factory=dict)
    certified: dict[int, int] = field(default_factory=dict)
    overdue: int = 0


def coverage(
    leader: Any,
    people: QuerySet[Any],
    groups: list[tuple[str, bool]],
    tiers: list[Tier],
    *,
    whole_is_first: bool = False,
    members: QuerySet[Any] | None = None,
    partition: bool = False,
) -> tuple[GroupCoverage, list[GroupCoverage]]:
    """Learning coverage of `people` (a queryset of users) as a whole and per group, counted in
    the database: `groups` are (unit path, direct) pairs: with `direct` only the people whose
    role is in that very unit, else everyone in its subtree. The groups must not overlap.

    Each person is counted once per group and tier: started, completed and certified, as
    `status` keeps them. Two aggregate queries over the memberships and the small kept
    standing, plus those of `overdue_by_person` (its few people's units read once more).

    `members`, when given, are memberships whose people are exactly `people` and which include
    every membership in the groups' units (the Lead overview's: the area's memberships of
    active people other than the leader): the counts then read them as they are, rather than
    working the people out again for each aggregate (the costly part at 20,000 people).
    With `partition` as well (every one of `members` lies in exactly one group, as the
    overview's groups cover its area), when nobody holds two of those memberships the whole
    is the groups summed: one small check instead of the second aggregate.
    """
    live = live_lesson_counts(tiers)
    if members is None:
        members = Membership.objects.filter(user_id__in=people.order_by().values("pk"))
    memberships = members
    # One join of each membership to its person's kept standing (`status`: a few rows per
    # person, in a small table), each tier and kind a condition on the joined row.
    counts: dict[str, Any] = {"people": Count("user_id", distinct=True)}
    for tier in tiers:
        for key, kind in (("s", "started"), ("d", "completed"), ("c", "certified")):
            rule = status.condition(kind, tier, live[tier.pk], via="user__tier_status")
            counts[f"{key}{tier.pk}"] = Count("user_id", distinct=True, filter=rule)

    def read(row: dict[str, Any]) -> GroupCoverage:
        return GroupCoverage(
            people=row["people"],
            started={t.pk: row[f"s{t.pk}"] for t in tiers},
            completed={t.pk: row[f"d{t.pk}"] for t in tiers},
            certified={t.pk: row[f"c{t.pk}"] for t in tiers},
        )

    annotated = memberships

    def grouped(which: Any) -> list[dict[str, Any]]:
        return list(
            annotated.annotate(group=which)
            .filter(group__gte=0)
            .order_by()
            .values("group")
            .annotate(**counts)
        )

    def everyone() -> GroupCoverage:
        rows = grouped(Value(0, output_field=IntegerField()))
        return read(rows[0]) if rows else GroupCoverage()

    per_group = [GroupCoverage() for _ in groups]
    if not groups:
        whole = everyone()
    if groups:
        which = Case(
            *[
                When(unit__path=path, then=Value(i))
                if direct
                else When(unit__path__startswith=path, then=Value(i))
                for i, (path, direct) in enumerate(groups)
            ],
            default=Value(-1),
            output_field=IntegerField(),
        )
        for row in grouped(which):
            per_group[row["group"]] = read(row)
        if len(groups) == 1 and not groups[0][1] and whole_is_first:
            whole = dataclasses.replace(per_group[0])  # the one subtree is everyone: one pass
        elif partition and not _anyone_twice(memberships):
            whole = _summed(per_group)  # each person in one group only: the groups add up
        else:
            whole = everyone()
    overdue = overdue_by_person(leader, people)
    whole.overdue = len(overdue)
    if overdue and groups:
        late: dict[int, set[int]] = {}
        for user_id, path in Membership.objects.filter(user_id__in=list(overdue)).values_list(
            "user_id", "unit__path"
        ):
            for i, (group_path, direct) in enumerate(groups):
                if (path == group_path) if direct else path.startswith(group_path):
                    late.setdefault(i, set()).add(user_id)
        for i, users in late.items():
            per_group[i].overdue = len(users)
    return whole, per_group


def _anyone_twice(memberships: QuerySet[Any]) -> bool:
    """Whether anyone holds two or more of `memberships` (a count per person, no join)."""
    twice = memberships.order_by().values("user_id").annotate(n=Count("pk")).filter(n__gt=1)
    return twice.exists()


def _summed(groups: list[GroupCoverage]) -> GroupCoverage:
    """Groups of different people added up (no one counted in two of them)."""
    whole = GroupCoverage(people=sum(g.people for g in groups))
    for kind in ("started", "completed", "certified"):
        total: dict[int, int] = getattr(whole, kind)
        for group in groups:
            for tier_id, n in getattr(group, kind).items():
                total[tier_id] = total.get(tier_id, 0) + n
    return whole


def assignment_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """What can be assigned, grouped for a select: live tiers ("tier:<pk>") and their live
    modules ("module:<pk>"), as on the assignments page."""
    tiers = list(Tier.objects.offered())
    modules = Module.objects.filter(tier__in=tiers, retired=False).select_related("tier")
    return [
        ("Learning paths", [(f"tier:{t.pk}", t.title) for t in tiers]),
        ("Modules", [(f"module:{m.pk}", f"{m.title} ({m.tier.slug.title()})") for m in modules]),
    ]


class AssignError(ValueError):
    """What to learn, or for whom, is not something this leader may assign."""


@transaction.atomic
def assign_unit(leader: Any, subject: str, unit: Any, due_on: datetime.date) -> Assignment:
    """Assign a tier or module (`subject` as in `assignment_choices`) to everyone in `unit`'s
    subtree, due on `due_on`: for other rooms (a maturity gap becomes a learning assignment).
    The leader must oversee the unit; the date must be from today on."""
    kind, _, pk = subject.partition(":")
    valid = {value for _, group in assignment_choices() for value, _ in group}
    if subject not in valid:
        raise AssignError("Choose a learning path or module from the list.")
    if not leader.has_role_at(unit, "leader", "coach", "admin"):
        raise AssignError("You can assign learning only to units you lead, coach or administer.")
    if due_on < timezone.localdate():
        raise AssignError("Choose a due date from today onwards.")
    return Assignment.objects.create(
        organisation_id=unit.organisation_id,
        assigned_by=leader,
        tier_id=int(pk) if kind == "tier" else None,
        module_id=int(pk) if kind == "module" else None,
        unit=unit,
        due_on=due_on,
    )
