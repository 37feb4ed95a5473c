"""A PI coach's workspace on the home page: the projects they coach, the evidence waiting for
their review, the projects that have gone quiet and the tollgates coming up.

It replaces the Lead "Your team" card for a person whose only oversight role is coach (a coach
is there to move projects and learners on, not to run the units); a person who also leads or
administers a unit keeps that card as well. Read through Improve's and Learn's services.
"""

from __future__ import annotations

from typing import Any

from champion.accounts.models import Role
from champion.improvement.services import coach_projects
from champion.learning.services.overview import reviews_waiting


def is_coach(user: Any) -> bool:
    return bool(user.units_with_roles(Role.COACH))


def only_coach(user: Any) -> bool:
    """A coach who neither leads nor administers a unit."""
    return is_coach(user) and not user.units_with_roles(Role.LEADER, Role.ADMIN)


def coach_card(user: Any) -> dict[str, Any] | None:
    if not is_coach(user):
        return None
    waiting, evidence = reviews_waiting(user)
    return {
        "template": "home/_coach.html",
        "projects": coach_projects(user),
        "evidence": evidence,
        "evidence_total": waiting,
    }
