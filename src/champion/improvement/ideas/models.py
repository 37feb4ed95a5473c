"""Frontline ideas: a problem and a fix, proposed by anyone, answered by the unit's leaders.

An idea belongs to a unit. Everyone in the organisation may read, endorse and comment
on ideas (peers trust peers' ideas); the leaders and coaches of the unit (or above it)
respond by moving the idea through its statuses. Every move is an `IdeaEvent`, which
is both the submitter's activity feed and the trigger for their e-mail.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Role, Unit
from champion.core.permissions import OrgScopedQuerySet
from champion.core.words import quoted
from champion.improvement.ideas import notifications

#: Roles that respond to a unit's ideas (at the unit or any unit above it).
RESPONDER_ROLES = (Role.LEADER, Role.COACH)

DEFAULT_RESPONSE_DAYS = 7


class Status(models.TextChoices):
    NEW = "new", "New"
    UNDER_REVIEW = "review", "Under review"
    TESTING = "testing", "Testing"
    ADOPTED = "adopted", "Adopted"
    NOT_NOW = "not_now", "Not now"


#: Board columns, in the order a huddle reads them.
BOARD_ORDER = [Status.NEW, Status.UNDER_REVIEW, Status.TESTING, Status.ADOPTED, Status.NOT_NOW]


class IdeaQuerySet(OrgScopedQuerySet["Idea"]):
    """Everyone in the organisation reads its ideas (`visible_to`); nobody else sees any."""

    organisation_field = "unit__organisation_id"

    def respondable_by(self, user: Any) -> IdeaQuerySet:
        """Ideas of the units where `user` is a leader or coach (whole subtrees)."""
        return self.visible_to(user).filter(
            unit__in=Unit.objects.visible_to(user).subtree_of(
                user.units_with_roles(*RESPONDER_ROLES)
            )
        )

    def awaiting_response(self) -> IdeaQuerySet:
        """New ideas nobody has answered (the clock is the unit's response time)."""
        return self.filter(status=Status.NEW, responded_at__isnull=True)

    def awaiting_answer_from(self, user: Any) -> IdeaQuerySet:
        """The ideas waiting for `user`'s answer: unanswered new ideas of the units they lead
        or coach. The one definition behind "N ideas waiting for your answer" on the home
        page, the Improve page and the ideas list, and behind the list they link to
        (`/improve/ideas/?awaiting=1`), so the number and the list always agree."""
        return self.respondable_by(user).awaiting_response()


class Idea(models.Model):
    """A problem seen at work and the fix someone proposes for it."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ideas")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    problem = models.TextField(help_text="What gets in the way, as you see it.")
    idea = models.TextField(help_text="What you would try.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    status_reason = models.TextField(
        blank=True, help_text="Why not now (required), or a note for the other statuses."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # First response by a leader: stops the reminder clock.
    responded_at = models.DateTimeField(null=True, blank=True)
    # The reminder for an unanswered idea is sent once; this makes the command idempotent.
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Where the idea went, so the credit follows it (set by champion.improvement).
    project = models.ForeignKey(
        "improvement.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_ideas",
    )
    cycle = models.ForeignKey(
        "improvement.PDSACycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_ideas",
    )

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """The first line of the idea, short enough for a card."""
        first = self.idea.strip().splitlines()[0] if self.idea.strip() else "Idea"
        return first if len(first) <= 80 else first[:77].rstrip() + "…"

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id

    def can_respond(self, user: Any) -> bool:
        return user.has_role_at(self.unit, *RESPONDER_ROLES)

    def response_days(self) -> int:
        known = getattr(self, "known_response_days", None)  # set by `with_response_days`
        return known if known is not None else response_days_for([self.unit_id])[self.unit_id]

    def response_due(self, response_days: int | None = None) -> datetime.datetime:
        days = self.response_days() if response_days is None else response_days
        return self.created_at + datetime.timedelta(days=days)

    def is_overdue(
        self, now: datetime.datetime | None = None, response_days: int | None = None
    ) -> bool:
        """New, unanswered and past the unit's response time (`response_days` when known)."""
        return (
            self.status == Status.NEW
            and self.responded_at is None
            and (now or timezone.now()) > self.response_due(response_days)
        )

    def move_to(self, status: str, *, by: Any, reason: str = "") -> IdeaEvent:
        """Change the status, record the event and tell the submitter (after commit)."""
        reason = reason.strip()
        if status not in Status.values:
            raise ValidationError({"status": "Choose one of the statuses."})
        if status == Status.NOT_NOW and not reason:
            raise ValidationError(
                {"reason": "Say why not now: the person who suggested it deserves a reason."}
            )
        if status == self.status and not reason:
            raise ValidationError(
                {"status": f"The idea is already {quoted(self.get_status_display())}."}
            )
        previous = self.status
        now = timezone.now()
        with transaction.atomic():
            self.status = status
            self.status_reason = reason
            self.updated_at = now
            if self.responded_at is None:
                self.responded_at = now
            self.save()
            event = IdeaEvent.objects.create(
                idea=self,
                actor=by,
                kind=IdeaEvent.Kind.STATUS,
                from_status=previous,
                to_status=status,
                note=reason,
            )
            _notify_on_commit(event)
        return event

    def add_comment(self, *, by: Any, body: str) -> Comment:
        body = body.strip()
        if not body:
            raise ValidationError({"body": "Write a comment first."})
        with transaction.atomic():
            comment = Comment.objects.create(idea=self, author=by, body=body)
            if by.pk != self.submitted_by_id:
                event = IdeaEvent.objects.create(
                    idea=self, actor=by, kind=IdeaEvent.Kind.COMMENT, note=body[:500]
                )
                _notify_on_commit(event)
        return comment

    def toggle_endorsement(self, user: Any) -> bool:
        """Endorse (or take back an endorsement); returns whether `user` now endorses it."""
        deleted, _ = Endorsement.objects.filter(idea=self, user=user).delete()
        if deleted:
            return False
        Endorsement.objects.create(idea=self, user=user)
        return True

    def record_conversion(self, *, by: Any, kind: str, note: str) -> None:
        """The idea became a project or a PDSA cycle: it is now being tested, with credit kept."""
        if self.status in (Status.NEW, Status.UNDER_REVIEW):
            self.move_to(Status.TESTING, by=by, reason=note)
        else:
            event = IdeaEvent.objects.create(idea=self, actor=by, kind=kind, note=note)
            _notify_on_commit(event)


def _notify_on_commit(event: IdeaEvent) -> None:
    notifications.tell_submitter(event)


class IdeaEvent(models.Model):
    """Something that happened to an idea: the submitter's activity feed and e-mail trigger."""

    class Kind(models.TextChoices):
        STATUS = "status", "Status changed"
        COMMENT = "comment", "Comment"
        PROJECT = "project", "Became a project"
        CYCLE = "cycle", "Became a PDSA cycle"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.idea}"


class Endorsement(models.Model):
    """A colleague's "me too": one per person per idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="one_endorsement")]

    def __str__(self) -> str:
        return f"{self.user} endorses {self.idea}"

    def audit_organisation_id(self) -> int:
        return self.idea.unit.organisation_id


class Comment(models.Model):
    """A colleague's comment on an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.idea}"

    def audit_organisation_id(self) -> int:
        return self.idea.unit.organisation_id


class UnitIdeaSettings(models.Model):
    """How quickly a unit promises to answer ideas (default 7 days)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="idea_settings")
    response_days = models.PositiveSmallIntegerField(
        default=DEFAULT_RESPONSE_DAYS,
        help_text="Days before an unanswered idea reminds the unit's leaders.",
    )

    class Meta:
        verbose_name_plural = "unit idea settings"

    def __str__(self) -> str:
        return f"{self.unit}: answer ideas within {self.response_days} days"

    def clean(self) -> None:
        if not 1 <= self.response_days <= 90:
            raise ValidationError({"response_days": "Choose between 1 and 90 days."})

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id


def response_days_for(unit_ids: Any) -> dict[int, int]:
    """Each unit's promised response time in days (the default where it has set none).

    One query for any number of units, so lists of ideas can ask without a query per idea.
    """
    ids = list(unit_ids)
    days = dict(
        UnitIdeaSettings.objects.filter(unit_id__in=ids).values_list("unit_id", "response_days")
    )
    return {pk: days.get(pk, DEFAULT_RESPONSE_DAYS) for pk in ids}


def with_response_days(ideas: Any) -> list[Idea]:
    """`ideas` (a page) with each unit's response time read in one query, so that a list
    asking `is_overdue` of every card costs no query per card."""
    ideas = list(ideas)
    days = response_days_for({i.unit_id for i in ideas})
    for idea in ideas:
        idea.known_response_days = days[idea.unit_id]
    return ideas


#: How often a wall screen's visit is written down (a poll a minute need not be a write a minute).
WALL_SEEN_EVERY = datetime.timedelta(minutes=5)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class WallDisplayQuerySet(OrgScopedQuerySet["WallDisplay"]):
    organisation_field = "unit__organisation_id"

    def narrow(self, user: Any) -> WallDisplayQuerySet:
        """A unit's wall links are the business of its leaders and coaches (and theirs above)."""
        return self.filter(
            unit__in=Unit.objects.visible_to(user).subtree_of(
                user.units_with_roles(*RESPONDER_ROLES)
            )
        )

    def active(self) -> WallDisplayQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_token(self, token: str) -> WallDisplay | None:
        """The live display this secret opens, or None (unknown, mistyped or switched off)."""
        if not token or len(token) > 100:
            return None
        return self.active().select_related("unit").filter(token_hash=_token_hash(token)).first()


class WallDisplay(models.Model):
    """A read-only link that shows one unit's huddle board on a wall screen, signed in as nobody.

    A wall screen runs for weeks: signing a person in on it would either sign them out after
    the idle time or, kept alive, leave their account open to anyone passing. Instead a
    leader makes a link holding a long random secret; the screen that opens it sees the
    board and nothing else (no menus, no links, no forms), and the leader switches it off
    when the screen moves or the link leaks. Only a hash of the secret is stored, so the
    link is shown once, when it is made.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="wall_displays")
    name = models.CharField(max_length=80, help_text="Where the screen is, e.g. “Staff room”.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WallDisplayQuerySet.as_manager()

    class Meta:
        ordering = ["revoked_at", "-created_at"]

    def __str__(self) -> str:
        return f"Wall screen {quoted(self.name)} for {self.unit}"

    @classmethod
    def create_for(cls, unit: Unit, *, name: str, by: Any) -> tuple[WallDisplay, str]:
        """A new link for `unit`; returns the display and its secret (shown once, never stored)."""
        name = " ".join(name.split())
        if not name:
            raise ValidationError({"name": "Say where the screen is, e.g. “Staff room”."})
        token = secrets.token_urlsafe(32)
        display = cls.objects.create(
            unit=unit, name=name[:80], token_hash=_token_hash(token), created_by=by
        )
        return display, token

    def revoke(self, *, by: Any) -> None:
        if self.revoked_at is None:
            self.revoked_at, self.revoked_by = timezone.now(), by
            self.save(update_fields=["revoked_at", "revoked_by"])

    def seen(self, now: datetime.datetime | None = None) -> None:
        """Note that the screen is alive (at most every few minutes, so polls stay cheap)."""
        now = now or timezone.now()
        if self.last_seen_at is None or now - self.last_seen_at >= WALL_SEEN_EVERY:
            WallDisplay.objects.filter(pk=self.pk).update(last_seen_at=now)
            self.last_seen_at = now

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id
