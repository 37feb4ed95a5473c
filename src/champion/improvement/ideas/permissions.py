"""Permission helpers for ideas (see champion.core.permissions)."""

from __future__ import annotations

from typing import Any, Literal

from champion.core.permissions import actions, get_for
from champion.improvement.ideas.models import Idea, WallDisplay


def can_respond(user: Any, idea: Idea) -> bool:
    """The unit's leaders and coaches (at the unit or above it) move an idea's status."""
    return idea.can_respond(user)


def can_convert(user: Any, idea: Idea) -> bool:
    """Responders and the submitter may turn an idea into a project or a test of change."""
    return idea.submitted_by_id == user.pk or idea.can_respond(user)


IdeaAction = Literal["view", "respond", "convert"]
IDEA_ACTIONS = actions(IdeaAction, view=None, respond=can_respond, convert=can_convert)


def idea_for(user: Any, pk: Any, action: IdeaAction = "view") -> Idea:
    return get_for(
        user,
        Idea.objects.select_related("unit", "submitted_by"),
        pk,
        action=action,
        rules=IDEA_ACTIONS,
    )


WallDisplayAction = Literal["manage"]
WALL_DISPLAY_ACTIONS = actions(WallDisplayAction, manage=None)  # seeing one is managing it


def wall_display_for(user: Any, pk: Any, action: WallDisplayAction = "manage") -> WallDisplay:
    """A wall-screen link, for the unit's leaders and coaches only (404 for everyone else)."""
    return get_for(
        user,
        WallDisplay.objects.select_related("unit"),
        pk,
        action=action,
        rules=WALL_DISPLAY_ACTIONS,
    )
