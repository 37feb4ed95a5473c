"""Improvement projects: the charter, the team, the method and its phases.

Visibility (DESIGN.md): the whole organisation reads active and finished projects;
drafts, paused and stopped projects are seen by their team and by the leaders and
coaches of the unit (or above it), who, with the team, are the only ones who change
them. Other organisations see nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Role, Unit
from champion.aims import AimCheck, check_aim
from champion.core.permissions import OrgScopedQuerySet, belongs_to_an_organisation
from champion.improvement.models.versioned import Versioned

#: Unit roles that edit every project of their unit's subtree.
EDITOR_ROLES = (Role.LEADER, Role.COACH)


class Method(models.TextChoices):
    MFI = "mfi", "Model for Improvement"
    DMAIC = "dmaic", "DMAIC (Six Sigma)"
    A3 = "a3", "A3 problem solving"


PHASES: dict[str, list[tuple[str, str]]] = {
    Method.MFI: [
        ("aim", "Setting the aim"),
        ("measures", "Establishing measures"),
        ("changes", "Selecting changes"),
        ("testing", "Testing changes"),
        ("implementing", "Implementing"),
        ("spreading", "Spreading"),
    ],
    Method.DMAIC: [
        ("define", "Define"),
        ("measure", "Measure"),
        ("analyse", "Analyse"),
        ("improve", "Improve"),
        ("control", "Control"),
    ],
    Method.A3: [
        ("background", "Background"),
        ("current", "Current condition"),
        ("goal", "Goal"),
        ("analysis", "Root-cause analysis"),
        ("countermeasures", "Countermeasures"),
        ("plan", "Implementation plan"),
        ("follow-up", "Follow-up"),
    ],
}


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    FINISHED = "finished", "Finished"
    STOPPED = "stopped", "Stopped"


#: Statuses the whole organisation may read (sharing spreads learning).
SHARED_STATUSES = (ProjectStatus.ACTIVE, ProjectStatus.FINISHED)


class TeamRole(models.TextChoices):
    LEAD = "lead", "Project lead"
    SPONSOR = "sponsor", "Sponsor"
    COACH = "coach", "Coach"
    MEMBER = "member", "Team member"


class ProjectQuerySet(OrgScopedQuerySet["Project"]):
    organisation_field = "unit__organisation_id"

    def narrow(self, user: Any) -> ProjectQuerySet:
        """Active and finished projects for everyone; others for their team and editors.

        The team is a subquery, not a join: no row repeats, so no DISTINCT over whole rows is
        needed and the result counts, groups and annotates as it is."""
        team = ProjectMember.objects.filter(user=user).values("project_id")
        return self.filter(Q(status__in=SHARED_STATUSES) | Q(pk__in=team) | _editor_units(user))

    def editable_by(self, user: Any) -> ProjectQuerySet:
        return (
            self.of_organisation(user)
            .filter(Q(members__user=user) | _editor_units(user))
            .distinct()
        )


def _editor_units(user: Any) -> Q:
    condition = Q(pk__in=[])
    if not belongs_to_an_organisation(user):
        return condition
    for unit in user.units_with_roles(*EDITOR_ROLES):
        condition |= Q(unit__path__startswith=unit.path)
    return condition


class Project(Versioned):
    """An improvement project and its charter."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(max_length=200)
    topic = models.CharField(
        max_length=200, blank=True, help_text="Keywords others will search for, e.g. falls, flow."
    )
    problem_statement = models.TextField(blank=True)
    aim_statement = models.TextField(
        blank=True, help_text="How much, by when, for whom: the platform checks all three."
    )
    scope_in = models.TextField("in scope", blank=True)
    scope_out = models.TextField("out of scope", blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.MFI)
    status = models.CharField(
        max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    phase = models.CharField(max_length=20, blank=True)
    # DMAIC tollgates passed: {phase: {"by": name, "by_id": pk, "at": iso date, "note": text}}.
    tollgates = models.JSONField(default=dict, blank=True)
    result_summary = models.TextField(
        blank=True, help_text="What changed, in numbers, and what you learned."
    )
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:project", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.phase or self.phase not in dict(self.phases()):
            self.phase = self.phases()[0][0]
        super().save(*args, **kwargs)

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id

    # The charter -------------------------------------------------------------------------

    def aim_check(self) -> AimCheck:
        return check_aim(self.aim_statement)

    def phases(self) -> list[tuple[str, str]]:
        return PHASES.get(self.method, PHASES[Method.MFI])

    def phase_label(self) -> str:
        return dict(self.phases()).get(self.phase, self.phase)

    def phase_index(self) -> int:
        keys = [key for key, _ in self.phases()]
        return keys.index(self.phase) if self.phase in keys else 0

    def next_phase(self) -> str | None:
        keys = [key for key, _ in self.phases()]
        index = self.phase_index()
        return keys[index + 1] if index + 1 < len(keys) else None

    def needs_tollgate(self) -> bool:
        """DMAIC projects pass a tollgate review before leaving each phase."""
        return self.method == Method.DMAIC and self.phase not in self.tollgates

    def charter_gaps(self) -> list[str]:
        """What a coach would ask for before the project starts."""
        gaps = []
        if not self.problem_statement.strip():
            gaps.append("a problem statement")
        if not self.aim_check().ok:
            gaps.append("an aim that says how much, by when and for whom")
        if not self.scope_in.strip():
            gaps.append("what is in scope")
        roles = set(self.members.values_list("role", flat=True))
        if TeamRole.LEAD not in roles:
            gaps.append("a project lead")
        if TeamRole.SPONSOR not in roles:
            gaps.append("a sponsor")
        return gaps

    # Who may do what -----------------------------------------------------------------------

    def is_editable_by(self, user: Any) -> bool:
        return self.members.filter(user=user).exists() or user.has_role_at(self.unit, *EDITOR_ROLES)

    def can_pass_tollgate(self, user: Any) -> bool:
        """Sponsors, coaches and the unit's leaders sign off a DMAIC tollgate; not the lead alone."""
        return self.members.filter(
            user=user, role__in=[TeamRole.SPONSOR, TeamRole.COACH]
        ).exists() or user.has_role_at(self.unit, *EDITOR_ROLES)

    def team(self) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = {role: [] for role in TeamRole.values}
        for member in self.members.select_related("user"):
            grouped[member.role].append(member.user)
        return grouped


class ProjectPartQuerySet(OrgScopedQuerySet[Any]):
    """For anything that belongs to a project: visible exactly when its project is."""

    organisation_field = "project__unit__organisation_id"

    def narrow(self, user: Any) -> ProjectPartQuerySet:
        return self.filter(project__in=Project.objects.visible_to(user))


class ProjectMember(models.Model):
    """A person's role in a project's team."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles"
    )
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role"], name="one_role_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.project}"

    def audit_organisation_id(self) -> int:
        return self.project.unit.organisation_id
