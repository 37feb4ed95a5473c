"""The Leader portfolio, read live from the leader's own work on the platform.

`gather` asks Lead (`leadership.services.maturity_evidence`: a round they facilitated, with
its 90-day action plan; `strategy_evidence`: an annual goal of strategy deployment they own
or accepted in catchball, with its measure and bowling chart) and Improve
(`improvement.services.leader_evidence`: a project they sponsored to its result, their huddle
board responses over six weeks, a change plan, and the strategic driver diagram with measures
that the strategy item still accepts instead of a goal where strategy is not deployed on the
platform) what each rubric item holds; action learning and the reflection are written on the submission. Submitting is
allowed only when every item is met; the submission keeps a snapshot of what was found,
which the coach reviews and the certificate keeps. A fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from champion.improvement.services import leader_evidence
from champion.leadership.services import maturity_evidence, strategy_evidence
from champion.learning.models import Submission, SubmissionStatus
from champion.learning.rubrics import PORTFOLIO, PORTFOLIO_WRITTEN, Item
from champion.learning.services.evidence import ItemStatus

ITEMS = {item.key: item for item in PORTFOLIO}


@dataclass
class Portfolio:
    """Each portfolio item as the platform and the submission show it now."""

    items: list[ItemStatus]

    @property
    def complete(self) -> bool:
        return all(i.met for i in self.items)

    def missing(self) -> list[str]:
        lines = []
        for status in self.items:
            if not status.met:
                lines += [f"{status.item.label}: {m}" for m in status.missing] or [
                    f"{status.item.label}: not met yet."
                ]
        return lines


def written(submission: Submission, key: str) -> str:
    return str((submission.evidence.get(key) or {}).get("text", ""))


def _status(item: Item, check: Any) -> ItemStatus:
    """A room's finding (Improve's `Check` or Lead's dict) as this rubric's item status."""
    data: dict[str, Any] = check if isinstance(check, dict) else check.to_dict()
    return ItemStatus(
        item,
        bool(data["met"]),
        tuple(data["found"]),
        tuple(data["missing"]),
        tuple((str(label), str(url)) for label, url in data["links"]),
    )


def _written_status(submission: Submission, key: str) -> ItemStatus:
    text = written(submission, key).strip()
    least = PORTFOLIO_WRITTEN[key]
    return ItemStatus(
        ITEMS[key],
        len(text) >= least,
        (f"{len(text)} characters written.",) if text else (),
        () if len(text) >= least else (f"Write it here: at least {least} characters.",),
    )


def either(goal: dict[str, Any], alternative: Any) -> dict[str, Any]:
    """The strategy item: Lead's annual goal with its bowling chart, or else Improve's driver
    diagram with measures; both are shown, the goal first, and either meets the item."""
    alt = alternative.to_dict()
    met = bool(goal["met"] or alt["met"])
    missing: tuple[str, ...] = ()
    if not met:
        missing = (
            *goal["missing"],
            *(f"Or instead: {m[0].lower()}{m[1:]}" for m in alt["missing"]),
        )
    return {
        "key": "strategy",
        "met": met,
        "found": (*goal["found"], *alt["found"]),
        "missing": missing,
        "links": (*goal["links"], *alt["links"]),
    }


def gather(submission: Submission) -> Portfolio:
    """Every Leader rubric item for the submission's owner, read live."""
    user = submission.user
    checks: dict[str, Any] = {"maturity": maturity_evidence(user)}
    checks.update({c.key: c for c in leader_evidence(user)})
    checks["strategy"] = either(strategy_evidence(user), checks["strategy"])
    items = [
        _status(item, checks[item.key])
        if item.key in checks
        else _written_status(submission, item.key)
        for item in PORTFOLIO
    ]
    return Portfolio(items)


def take_snapshot(submission: Submission, found: Portfolio) -> dict[str, Any]:
    """What the coach reviews and the certificate keeps, as JSON."""
    return {
        "taken_at": timezone.now().isoformat(),
        "items": [
            {
                "key": s.item.key,
                "label": s.item.label,
                "met": s.met,
                "found": list(s.found),
                "missing": list(s.missing),
                "links": [list(link) for link in s.links],
                "text": written(submission, s.item.key).strip()
                if s.item.key in PORTFOLIO_WRITTEN
                else "",
            }
            for s in found.items
        ],
    }


@transaction.atomic
def save(submission: Submission, post: Any, *, submit: bool) -> list[str]:
    """Keep the written items; on submit, only when every item is met. Returns what is
    missing (empty when accepted)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.editable:
        raise PermissionDenied("This evidence is with a coach or approved; it cannot change now.")
    if submission.kind != "portfolio":
        raise ValidationError("Only the Leader portfolio is saved here.")
    evidence = dict(submission.evidence)
    for key in PORTFOLIO_WRITTEN:
        evidence[key] = {"text": str(post.get(f"{key}-text", ""))[:10_000].strip(), "links": []}
    submission.evidence = evidence
    problems: list[str] = []
    if submit:
        found = gather(submission)
        problems = found.missing()
        if not problems:
            submission.snapshot = take_snapshot(submission, found)
            submission.submitted_at = timezone.now()
            submission.status = SubmissionStatus.SUBMITTED
    submission.save()
    return problems
