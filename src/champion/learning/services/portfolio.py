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

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from champion.improvement.services import leader_evidence
from champion.leadership.services import maturity_evidence, strategy_evidence
from champion.learning.models import Submission
from champion.learning.rubrics import PORTFOLIO, PORTFOLIO_WRITTEN, Item
from champion.learning.services.evidence import (
    Findings,
    ItemStatus,
    save_and_submit,
    snapshot_items,
    written_status,
    written_text,
)

ITEMS = {item.key: item for item in PORTFOLIO}


@dataclass
class Portfolio(Findings):
    """Each portfolio item as the platform and the submission show it now."""

    items: list[ItemStatus]
    problems: list[str] = field(default_factory=list)


def written(submission: Submission, key: str) -> str:
    return written_text(submission, key)


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
    least = PORTFOLIO_WRITTEN[key]
    return written_status(
        submission, ITEMS[key], least, f"Write it here: at least {least} characters."
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

    def text(status: ItemStatus) -> str:
        key = status.item.key
        return written(submission, key).strip() if key in PORTFOLIO_WRITTEN else ""

    return {"taken_at": timezone.now().isoformat(), "items": snapshot_items(found.items, text=text)}


def save(submission: Submission, post: Any, *, submit: bool) -> list[str]:
    """Keep the written items; on submit, only when every item is met. Returns what is
    missing (empty when accepted)."""

    def write(locked: Submission) -> None:
        evidence = dict(locked.evidence)
        for key in PORTFOLIO_WRITTEN:
            evidence[key] = {"text": str(post.get(f"{key}-text", ""))[:10_000].strip(), "links": []}
        locked.evidence = evidence

    return save_and_submit(
        submission,
        kind="portfolio",
        wrong_kind="Only the Leader portfolio is saved here.",
        write=write,
        gather=gather,
        snapshot=take_snapshot,
        submit=submit,
    )
