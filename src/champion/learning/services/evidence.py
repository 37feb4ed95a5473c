"""Evidence for credentials: saving drafts, submitting, and coaches' reviews.

The Foundation practical is written answers (the Leader portfolio is read live from the
leader's own work: `services.portfolio`). The Practitioner
project is the learner's own project in Improve: `gather` reads each rubric item live from
it (`champion.improvement.services.project_evidence`), submitting is allowed only when every
item is met, and the submission keeps a snapshot of what was found, which the coach reviews
and the certificate keeps whatever happens to the project later.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from champion.accounts.models import Role
from champion.core import limits
from champion.improvement.services import Project, ProjectMember, project_evidence
from champion.learning.models import (
    EvidenceFile,
    Review,
    Submission,
    SubmissionStatus,
    Tier,
)
from champion.learning.rubrics import (
    KIND_FOR_TIER,
    MIN_REFLECTION_CHARS,
    PRACTICALS,
    PROJECT,
    Item,
    items_for,
    missing_items,
)
from champion.learning.services.certificates import award_if_eligible
from champion.measures.services import render

MAX_LINKS = 10


def submission_for_tier(user: Any, tier: Tier, *, create: bool = True) -> Submission:
    """The learner's evidence for a tier. With `create=False` (opening the page) a learner
    who has not saved anything yet gets an unsaved, empty one: looking creates no record."""
    defaults = {"kind": KIND_FOR_TIER[tier.slug]}
    if not create:
        found = Submission.objects.filter(user=user, tier=tier).first()
        return found or Submission(user=user, tier=tier, **defaults)
    submission, _ = Submission.objects.get_or_create(user=user, tier=tier, defaults=defaults)
    return submission


def _links(text: str) -> list[str]:
    links = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith(("https://", "http://")):
            raise ValidationError(f"Links start with https:// or http:// ({line[:60]!r}).")
        links.append(line[:500])
    return links[:MAX_LINKS]


@transaction.atomic
def save_evidence(submission: Submission, post: Any, files: Any, *, submit: bool) -> list[str]:
    """Save the form; on submit, check completeness. Returns problems (empty when accepted)."""
    if not submission.editable:
        raise PermissionDenied("This evidence is with a coach or approved; it cannot change now.")
    if submission.kind == "project":
        raise ValidationError("A Practitioner project is submitted with save_project_evidence.")
    if submission.kind == "portfolio":
        raise ValidationError("The Leader portfolio is submitted with services.portfolio.save.")
    if submission.kind == "practical":
        variant = str(post.get("variant", submission.variant or ""))
        submission.variant = variant if variant in PRACTICALS else ""
    problems: list[str] = []
    evidence = dict(submission.evidence)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    for item in items_for(submission.kind, submission.variant):
        text = str(post.get(f"{item.key}-text", "")).strip()
        if message := limits.too_long(text, limits.LONG, item.label):
            problems.append(message)
            text = str(evidence.get(item.key, {}).get("text", ""))  # keep what was saved
        entry: dict[str, object] = {"text": text}
        try:
            entry["links"] = _links(str(post.get(f"{item.key}-links", "")))
        except ValidationError as exc:
            problems.append(f"{item.label}: {exc.messages[0]}")
            entry["links"] = []
        evidence[item.key] = entry
        for upload in files.getlist(f"{item.key}-files") if item.files else []:
            if upload.size > limit:
                problems.append(
                    f"{item.label}: {upload.name} is larger than {settings.MAX_UPLOAD_MB} MB."
                )
                continue
            EvidenceFile.objects.create(
                submission=submission,
                item=item.key,
                filename=upload.name[:255],
                content_type=(upload.content_type or "application/octet-stream")[:100],
                size=upload.size,
                content=upload.read(),
            )
    submission.evidence = evidence
    if submit:
        if submission.kind == "practical" and not submission.variant:
            problems.append("Choose which practical you did.")
        problems += [
            f"{item.label}: write at least a few sentences."
            for item in missing_items(submission.kind, submission.variant, evidence)
        ]
    if problems and submit:
        submission.save()
        return problems
    if submit:
        submission.submitted_at = timezone.now()
        # The Foundation practical is checked by the platform; projects go to a coach.
        submission.status = (
            SubmissionStatus.APPROVED
            if submission.kind == "practical"
            else SubmissionStatus.SUBMITTED
        )
        if submission.kind == "practical":
            submission.decided_at = submission.submitted_at
    submission.save()
    if submit:
        award_if_eligible(submission.user, submission.tier)
    return problems


# The Practitioner project ---------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatus:
    """One rubric item for a project: met or not, what was found, what is missing, where to fix it."""

    item: Item
    met: bool
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()


class Findings:
    """What a live-evidence submission (Practitioner project, Leader portfolio) shows now:
    its rubric items and any problem that stops it whole. Shared by `Gathered` and
    `services.portfolio.Portfolio`."""

    items: list[ItemStatus]
    problems: list[str]

    @property
    def complete(self) -> bool:
        return not self.problems and all(i.met for i in self.items)

    def missing(self) -> list[str]:
        """Every reason the evidence cannot be submitted yet, one line each."""
        lines = list(self.problems)
        for status in self.items:
            if status.met:
                continue
            if not status.missing:
                lines.append(f"{status.item.label}: not met yet.")
            lines += [f"{status.item.label}: {m}" for m in status.missing if m not in self.problems]
        return lines


@dataclass
class Gathered(Findings):
    """The Practitioner evidence as the project and the submission show it now."""

    project: Project | None
    role: str
    items: list[ItemStatus]
    chart_measure: Any = None
    headline: str = ""
    problems: list[str] = field(default_factory=list)


def written_text(submission: Submission, key: str) -> str:
    """What the learner wrote on the submission for a written item ("" when nothing)."""
    return str((submission.evidence.get(key) or {}).get("text", ""))


def written_status(submission: Submission, item: Item, least: int, missing: str) -> ItemStatus:
    """A written item: met at `least` characters; `missing` says where to write it."""
    text = written_text(submission, item.key).strip()
    return ItemStatus(
        item,
        len(text) >= least,
        (f"{len(text)} characters written.",) if text else (),
        () if len(text) >= least else (missing,),
    )


def snapshot_items(items: list[ItemStatus], **extra: Any) -> list[dict[str, Any]]:
    """The items as a snapshot keeps them; `extra` maps a key to a function of the item
    status giving another value (the Leader portfolio keeps the written text too)."""
    return [
        {
            "key": s.item.key,
            "label": s.item.label,
            "met": s.met,
            "found": list(s.found),
            "missing": list(s.missing),
            "links": [list(link) for link in s.links],
            **{name: value(s) for name, value in extra.items()},
        }
        for s in items
    ]


@transaction.atomic
def save_and_submit(
    submission: Submission,
    *,
    kind: str,
    wrong_kind: str,
    write: Callable[[Submission], None],
    gather: Callable[[Submission], Findings],
    snapshot: Callable[[Submission, Any], dict[str, Any]],
    submit: bool,
) -> list[str]:
    """Save-and-submit for live evidence: `write` keeps what the learner wrote or chose on
    the (locked, editable) submission; on submit, `gather` reads every rubric item and, only
    when nothing is missing, the `snapshot` is kept and the submission goes to a coach.
    Returns what is missing (empty when accepted)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.editable:
        raise PermissionDenied("This evidence is with a coach or approved; it cannot change now.")
    if submission.kind != kind:
        raise ValidationError(wrong_kind)
    write(submission)
    problems: list[str] = []
    if submit:
        found = gather(submission)
        problems = found.missing()
        if not problems:
            submission.snapshot = snapshot(submission, found)
            submission.submitted_at = timezone.now()
            submission.status = SubmissionStatus.SUBMITTED
    submission.save()
    return problems


def learner_projects(user: Any, query: str = "") -> list[tuple[Project, str]]:
    """The projects the learner is on (and may see), each with their role(s), by title.

    `query` narrows the list by title or unit. Two queries whatever the number of projects."""
    rows = (
        ProjectMember.objects.filter(user=user, project__in=Project.objects.visible_to(user))
        .select_related("project__unit")
        .order_by("project__title", "project__pk", "role")
    )
    if query.strip():
        rows = rows.filter(
            Q(project__title__icontains=query.strip())
            | Q(project__unit__name__icontains=query.strip())
        )
    grouped: dict[int, tuple[Project, list[str]]] = {}
    for row in rows:
        grouped.setdefault(row.project_id, (row.project, []))[1].append(row.get_role_display())
    return [(project, ", ".join(roles)) for project, roles in grouped.values()]


def reflection_of(submission: Submission) -> str:
    return written_text(submission, "reflection")


def gather(submission: Submission, project: Project | None = None) -> Gathered:
    """Each Practitioner rubric item, read live from the project (by default the one chosen)."""
    project = project if project is not None else submission.project
    reflection_status = written_status(
        submission,
        PROJECT[-1],
        MIN_REFLECTION_CHARS,
        f"Write your reflection here: at least {MIN_REFLECTION_CHARS} characters.",
    )
    if project is None:
        reason = "Choose your project."
        items = [ItemStatus(item, False, (), (reason,)) for item in PROJECT[:-1]]
        return Gathered(None, "", [*items, reflection_status], problems=[reason])
    found = project_evidence(project)
    roles = found.roles.get(submission.user_id, [])
    if not roles:  # off the team (or never on it): the project is not theirs to show
        reason = "You are not on this project's team, so it cannot be your evidence."
        shut = [ItemStatus(item, False, (), (reason,)) for item in PROJECT[:-1]]
        return Gathered(project, "", [*shut, reflection_status], problems=[reason])
    problems: list[str] = []
    items = []
    for item in PROJECT[:-1]:
        check = found.check(item.key)
        items.append(ItemStatus(item, check.met, check.found, check.missing, check.links))
    return Gathered(
        project,
        ", ".join(roles),
        [*items, reflection_status],
        found.chart_measure,
        found.headline,
        problems,
    )


def _chart_svg(measure: Any) -> str:
    """The result chart as SVG, kept in the snapshot ("" when it cannot be drawn)."""
    if measure is None:
        return ""
    try:
        return render(measure, "svg").decode("utf-8")
    except Exception:  # a chart that cannot be drawn leaves the snapshot without it, not broken
        return ""


def take_snapshot(submission: Submission, gathered: Gathered) -> dict[str, Any]:
    """What the coach reviews and the certificate keeps: the project's evidence, as JSON."""
    project = gathered.project
    assert project is not None
    return {
        "taken_at": timezone.now().isoformat(),
        "project": {"id": project.pk, "title": project.title, "unit": project.unit.name},
        "role": gathered.role,
        "items": snapshot_items(gathered.items),
        "reflection": reflection_of(submission).strip(),
        "chart": {
            "measure": gathered.chart_measure.name if gathered.chart_measure else "",
            "headline": gathered.headline,
            "svg": _chart_svg(gathered.chart_measure),
        },
    }


def save_project_evidence(
    submission: Submission, project: Project | None, reflection: str, *, submit: bool
) -> list[str]:
    """Keep the chosen project and the reflection; on submit, only when every item is met.

    The caller fetched `project` through `learning.permissions.project_for_evidence` (the
    learner is on its team). Returns what is missing (empty when accepted)."""

    def write(locked: Submission) -> None:
        evidence = dict(locked.evidence)
        evidence["reflection"] = {"text": reflection[:10_000].strip(), "links": []}
        locked.evidence = evidence
        if project is not None:
            locked.project = project

    return save_and_submit(
        submission,
        kind="project",
        wrong_kind="Only a Practitioner project is evidenced by a project.",
        write=write,
        gather=gather,
        snapshot=take_snapshot,
        submit=submit,
    )


def snapshot_date(submission: Submission) -> datetime.datetime | None:
    taken = (submission.snapshot or {}).get("taken_at")
    return datetime.datetime.fromisoformat(taken) if taken else None


def can_review(user: Any, submission: Submission) -> bool:
    """Only a coach over the learner's units (never the learner) reviews a project or portfolio."""
    if submission.user_id == user.pk or submission.kind == "practical":
        return False
    units = [m.unit for m in submission.user.memberships.select_related("unit")]
    return any(user.has_role_at(unit, Role.COACH) for unit in units)


@transaction.atomic
def review(
    submission: Submission,
    reviewer: Any,
    *,
    approve: bool,
    comment: str,
    item_comments: dict[str, str] | None = None,
) -> Review:
    """Approve (the certificate follows through `award_if_eligible`) or return with comments,
    overall and per rubric item."""
    if not can_review(reviewer, submission):
        raise PermissionDenied("Only a coach for this person's unit can review their evidence.")
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise PermissionDenied("This evidence is not waiting for a review.")
    keys = {item.key for item in items_for(submission.kind, submission.variant)}
    per_item = {
        key: text.strip()[:2000]
        for key, text in (item_comments or {}).items()
        if key in keys and text.strip()
    }
    if not approve and not comment.strip() and not per_item:
        raise ValidationError("Say what to improve when you return evidence.")
    limits.check(comment.strip(), limits.LONG, "The comment")
    decision = Review.Decision.APPROVED if approve else Review.Decision.RETURNED
    result = Review.objects.create(
        submission=submission,
        reviewer=reviewer,
        decision=decision,
        comment=comment.strip(),
        item_comments=per_item,
    )
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at"])
    if approve:
        award_if_eligible(submission.user, submission.tier)
    return result
