"""What happens to a round: inviting, answering, closing, agreeing and finishing.

Each step checks the round's state under a row lock on the round, so a participant saving
an answer and the facilitator closing answering cannot interleave: the answer is either
in before the close or refused after it. A refused step raises `RoundError` with a message
for the person; views show it with 409 Conflict (or 400 for a malformed answer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import OVERSIGHT_ROLES, Membership, Unit, UnitKind, User
from champion.core.notify import notify
from champion.leadership.maturity.framework import Framework
from champion.leadership.models import (
    Answer,
    Assessment,
    Consensus,
    Participant,
    Perspective,
    RoundStatus,
    Scope,
)


class RoundError(Exception):
    """A step the round's state does not allow (answering after close, a second submission...)."""


class BadAnswer(ValueError):
    """An answer that is not one of the framework's components and stages."""


def _locked(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)


def leaders_of(unit: Unit) -> list[User]:
    """People who lead, coach or administer the unit, a unit inside it or a unit above it:
    the usual invitees."""
    above = [int(part) for part in unit.path.strip("/").split("/") if part]
    ids = Membership.objects.filter(
        Q(unit__path__startswith=unit.path) | Q(unit_id__in=above),
        role__in=OVERSIGHT_ROLES,
        user__is_active=True,
    ).values("user")
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


def people_of(unit: Unit) -> Any:
    """Everyone with a role in the unit's subtree (frontline staff may be invited by e-mail)."""
    ids = Membership.objects.filter(unit__path__startswith=unit.path).values("user")
    return User.objects.filter(pk__in=ids, is_active=True)


#: Kinds of unit whose round asks about the board and the executive.
ORGANISATION_KINDS = (UnitKind.SYSTEM, UnitKind.HOSPITAL)


def scope_of(unit: Unit) -> str:
    """The rule for which components a round asks, decided by the unit's place in the tree:
    a top unit of the organisation (no parent), a health system or a hospital has a board and
    an executive, so its round asks every component; any other unit (a division, department,
    ward, team or service) is local, and its round leaves out the board and executive
    components and asks the rest about the unit itself."""
    if unit.parent_id is None or unit.kind in ORGANISATION_KINDS:
        return Scope.ORGANISATION
    return Scope.LOCAL


@transaction.atomic
def start(*, unit: Unit, title: str, by: User) -> Assessment:
    """Start a round; its facilitator takes part as a leader without inviting themselves."""
    assessment = Assessment.objects.create(
        unit=unit, title=title, facilitator=by, scope=scope_of(unit)
    )
    Participant.objects.create(assessment=assessment, user=by, perspective=Perspective.LEADER)
    return assessment


def invite(
    assessment: Assessment, *, leaders: Iterable[User], frontline: Iterable[User]
) -> list[Participant]:
    """Invite people not yet invited and tell them; returns the new participants."""
    with transaction.atomic():
        a = _locked(assessment)
        if not a.is_open:
            raise RoundError("Answering has closed: nobody more can be invited to this round.")
        already = set(a.participants.values_list("user_id", flat=True))
        new = []
        for perspective, people in (
            (Perspective.LEADER, leaders),
            (Perspective.FRONTLINE, frontline),
        ):
            for person in people:
                if person.pk in already:
                    continue
                already.add(person.pk)
                new.append(Participant(assessment=a, user=person, perspective=perspective))
        for p in new:
            p.save()  # one by one, so the audit log records each invitation
        notify(
            [p.user for p in new],
            f"Your view is asked: {a.title}",
            f"{a.facilitator or 'A leader'} invites you to the high-reliability maturity "
            f"self-assessment for {a.unit.name}. Your answers are seen only by you; the group "
            "sees how many people chose each stage once answering closes.",
            a.get_absolute_url(),
            kind="maturity",
        )
        return new


def clean_answers(data: Mapping[str, Any], fw: Framework) -> dict[str, tuple[int | None, str]]:
    """{component: (stage or None, note)} from form fields `stage-<key>` and `note-<key>`.

    `fw` is the round's framework (`Assessment.framework`). A stage that is not 1-4, or a field
    for a component the round does not ask, raises BadAnswer.
    """
    keys = {c.key for c in fw.components}
    cleaned: dict[str, tuple[int | None, str]] = {}
    for field in data:
        prefix, _, key = field.partition("-")
        if prefix in ("stage", "note") and key not in keys:
            raise BadAnswer(f"This round has no component called {key!r}.")
    for key in keys:
        raw = str(data.get(f"stage-{key}", "") or "").strip()
        note = str(data.get(f"note-{key}", "") or "").strip()[:2000]
        stage: int | None = None
        if raw:
            if raw not in ("1", "2", "3", "4"):
                raise BadAnswer(f"{raw!r} is not a stage of {fw.component(key).name}.")  # type: ignore[union-attr]
            stage = int(raw)
        if stage is not None or note:
            cleaned[key] = (stage, note)
    return cleaned


def save_answers(
    participant: Participant, answers: Mapping[str, tuple[int | None, str]], *, submit: bool
) -> int:
    """Save a participant's answers (those with a stage); submitting locks them in.

    Returns how many components they have answered. Refused once answering has closed or
    they have already submitted, and a submission must answer every component.
    """
    with transaction.atomic():
        a = _locked(participant.assessment)
        p = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
        if not a.is_open:
            raise RoundError(
                "Answering has closed for this round; your answers can no longer change."
            )
        if p.submitted_at is not None:
            raise RoundError("You have already sent your answers; they can no longer change.")
        existing = {ans.component: ans for ans in p.answers.all()}
        missing = _record(
            a.framework,
            existing,
            answers,
            lambda key, stage, note: Answer(participant=p, component=key, stage=stage, note=note),
        )
        answered = len(existing)
        if submit and not missing:
            p.submitted_at = timezone.now()
            p.save(update_fields=["submitted_at"])
        participant.submitted_at = p.submitted_at
    if submit and missing:  # what was chosen stays saved; only the sending is refused
        raise RoundError(
            f"Choose a stage for every component before sending: {len(missing)} still "
            f"to answer ({', '.join(missing[:3])}{'...' if len(missing) > 3 else ''})."
        )
    return answered


def _record(
    fw: Framework,
    existing: dict[str, Any],
    chosen: Mapping[str, tuple[int | None, str]],
    new: Callable[[str, int, str], Any],
) -> list[str]:
    """Save each chosen (stage, note) over `existing` (component key -> Answer or Consensus),
    creating rows with `new` and saving only what changed; return the components still missing."""
    for key, (stage, note) in chosen.items():
        if stage is None:
            continue
        row = existing.get(key)
        if row is None:
            row = existing[key] = new(key, stage, note)
            row.save()
        elif (row.stage, row.note) != (stage, note):
            row.stage, row.note = stage, note
            row.save(update_fields=["stage", "note"])
    return [c.name for c in fw.components if c.key not in existing]


def close_answers(assessment: Assessment) -> None:
    """End individual answering; only sent answers count from now on."""
    with transaction.atomic():
        a = _locked(assessment)
        if not a.is_open:
            raise RoundError("Answering has already closed for this round.")
        if not a.participants.filter(submitted_at__isnull=False).exists():
            raise RoundError(
                "Nobody has sent their answers yet, so answering cannot close: close it once "
                "at least one person has sent theirs (drafts do not count)."
            )
        a.status = RoundStatus.DISCUSSING
        a.answers_closed_at = timezone.now()
        a.save(update_fields=["status", "answers_closed_at"])
        assessment.status, assessment.answers_closed_at = a.status, a.answers_closed_at


def save_consensus(
    assessment: Assessment, agreed: Mapping[str, tuple[int | None, str]], *, finish: bool
) -> int:
    """Record the agreed stages; finishing needs every component the round asks (fourteen,
    or fewer for a local round) and publishes the report."""
    with transaction.atomic():
        a = _locked(assessment)
        if not a.is_discussing:
            raise RoundError(
                "The consensus is recorded after answering closes and before the round finishes."
            )
        existing = {c.component: c for c in a.consensus.all()}
        missing = _record(
            a.framework,
            existing,
            agreed,
            lambda key, stage, note: Consensus(assessment=a, component=key, stage=stage, note=note),
        )
        if finish and not missing:
            a.status = RoundStatus.FINISHED
            a.finished_at = timezone.now()
            a.save(update_fields=["status", "finished_at"])
            assessment.status, assessment.finished_at = a.status, a.finished_at
            notify(
                [p.user for p in a.participants.select_related("user")],
                f"The report is ready: {a.title}",
                f"The consensus maturity profile for {a.unit.name} has been published.",
                reverse("leadership:maturity-report", args=[a.pk]),
                kind="maturity",
            )
    if finish and missing:  # the stages agreed so far stay saved; only finishing is refused
        raise RoundError(
            f"Agree a stage for every component before finishing: {len(missing)} still "
            f"open ({', '.join(missing[:3])}{'...' if len(missing) > 3 else ''})."
        )
    return len(existing)


@dataclass
class Progress:
    """Who has answered, for the facilitator (never what they answered)."""

    participant: Participant
    answered: int

    @property
    def state(self) -> str:
        if self.participant.submitted_at:
            return "sent"
        return "in progress" if self.answered else "not started"


def progress(assessment: Assessment) -> list[Progress]:
    rows = assessment.participants.select_related("user").annotate(n=Count("answers"))
    return [Progress(p, p.n) for p in rows]


#: The least an action plan must hold to count as one: a few actions, not a placeholder.
MIN_PLAN_CHARS = 80


def save_action_plan(assessment: Assessment, text: str) -> None:
    """The facilitator's 90-day action plan for a finished round (what the group will do next)."""
    text = text.strip()
    if len(text) > 5000:
        raise BadAnswer("Keep the action plan under 5,000 characters.")
    with transaction.atomic():
        a = _locked(assessment)
        if not a.is_finished:
            raise RoundError("The action plan follows the consensus: finish the round first.")
        a.action_plan = text
        a.action_plan_updated_at = timezone.now()
        a.save(update_fields=["action_plan", "action_plan_updated_at"])
        assessment.action_plan = a.action_plan
        assessment.action_plan_updated_at = a.action_plan_updated_at
