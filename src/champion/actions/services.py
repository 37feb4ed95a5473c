"""What other rooms (and the actions pages) ask of actions: make one from a source, change its
status, read the actions made from a source, the "Make this an action" link, the home card.

This is the actions app's door. A room that wants a "Make this an action" button renders
`{% action_button kind id label url unit %}` (`templatetags/actions.py`), which signs the
source for the signed-in person with `source_token`; the new-action page reads it back with
`read_source`, so the label and link shown on an action are the ones the room gave, never
words typed into a URL. A room that makes an action itself in one step (a maturity gap)
calls `create_from`. Permission checks on the source stay with the room: it shows the
button, or calls `create_from`, only on a page the person was allowed to see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Role, Unit
from champion.actions.models import LIVE, Action, SourceKind, Status
from champion.actions.permissions import creatable_units
from champion.core import limits

#: How long a "Make this an action" link stays valid (a page left open over a weekend).
TOKEN_MAX_AGE = 7 * 24 * 3600
_SALT = "champion.actions.source"

#: Open actions on the home card.
HOME_CARD_ROWS = 5


@dataclass(frozen=True)
class Source:
    """Where an action came from, as the creating room describes it."""

    kind: str
    id: str
    label: str
    url: str
    unit_id: int | None


class BadSource(Exception):
    """A "Make this an action" link that was changed, is too old or is someone else's."""


def source_token(user: Any, source: Source) -> str:
    """A signed, time-limited token for `source`, good for `user` only."""
    payload = [user.pk, source.kind, source.id, source.label, source.url, source.unit_id]
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_source(user: Any, token: str) -> Source:
    """The source a token names; `BadSource` when it was tampered with, expired or is not
    this person's, or names a kind that does not exist."""
    try:
        pk, kind, sid, label, url, unit_id = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadSource("That link to make an action is broken or too old.") from None
    if pk != user.pk or kind not in SourceKind.values:
        raise BadSource("That link to make an action is not yours.")
    return Source(kind=kind, id=str(sid), label=str(label), url=str(url), unit_id=unit_id)


def check_due_on(due_on: datetime.date | None, was: datetime.date | None = None) -> None:
    """A due date is today or later. An action already due in the past keeps its date when it
    is edited for something else (only a changed date must be from today on)."""
    if due_on is None:
        raise ValidationError("Give the action a due date.", code="required")
    if due_on != was and due_on < timezone.localdate():
        raise ValidationError("Choose a due date from today onwards.", code="past")


def _check(title: str, detail: str, due_on: datetime.date | None) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError("Say what is to be done.", code="required")
    limits.check(title, limits.SHORT, "The action")
    limits.check(detail or "", limits.TEXT, "The detail")
    check_due_on(due_on)
    return title


@transaction.atomic
def create_from(
    source_kind: str,
    source_id: Any,
    label: str,
    url: str,
    unit: Unit,
    *,
    title: str,
    owner: Any,
    due_on: datetime.date,
    by: Any,
    detail: str = "",
) -> Action:
    """Make an action from a source in a room (`source_kind` "" for none). The caller has
    checked that `by` may see the source; this checks the rest: `by` may make actions in
    `unit`, the owner belongs to the same organisation, the words fit, the date is not past.
    Raises `ValidationError` (nothing saved) otherwise."""
    if source_kind not in SourceKind.values:
        raise ValidationError(f"Unknown source {source_kind!r}.", code="source")
    title = _check(title, detail, due_on)
    if not creatable_units(by).filter(pk=unit.pk).exists():
        raise ValidationError("You can make actions only for units you belong to or lead.")
    if owner is None or owner.organisation_id != unit.organisation_id or not owner.is_active:
        raise ValidationError("Choose an active person of your organisation as the owner.")
    return Action.objects.create(
        unit=unit,
        title=title,
        detail=(detail or "").strip(),
        owner=owner,
        created_by=by,
        due_on=due_on,
        source_kind=source_kind,
        source_id=str(source_id or "")[:60] if source_kind else "",
        source_label=(label or "")[:300] if source_kind else "",
        source_url=_safe_url(url) if source_kind else "",
    )


def _safe_url(url: str) -> str:
    """Only a link inside the platform (a path starting with one slash) is kept."""
    url = (url or "").strip()
    return url[:500] if url.startswith("/") and not url.startswith("//") else ""


@transaction.atomic
def set_status(action: Action, status: str, *, by: Any) -> Action:
    """Move an action to `status`; done stamps when it was completed, reopening clears it."""
    if status not in Status.values:
        raise ValidationError(f"Unknown status {status!r}.", code="status")
    action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if action.status == status:
        return action
    action.status = status
    action.completed_at = timezone.now() if status == Status.DONE else None
    action.save(update_fields=["status", "completed_at"])
    return action


def complete(action: Action, *, by: Any) -> Action:
    return set_status(action, Status.DONE, by=by)


def reopen(action: Action, *, by: Any) -> Action:
    return set_status(action, Status.OPEN, by=by)


def from_source(user: Any, source_kind: str, source_ids: list[str]) -> dict[str, list[Action]]:
    """The actions `user` may see that were made from the given sources, by source id (one
    query), for a room to show beside its items."""
    found: dict[str, list[Action]] = {}
    rows = (
        Action.objects.visible_to(user)
        .filter(source_kind=source_kind, source_id__in=[str(s) for s in source_ids])
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    for a in rows:
        found.setdefault(a.source_id, []).append(a)
    return found


def new_url(user: Any, source: Source) -> str:
    """The new-action page, filled in from `source`."""
    return reverse("actions:new") + "?source=" + source_token(user, source)


def home_card(user: Any) -> dict[str, Any] | None:
    """The home page's "Your actions" card: the person's open actions, soonest first, with
    how many are open and overdue, and the way to the list (leaders: their area's). None for
    someone with no role anywhere and no action (three queries)."""
    today = timezone.localdate()
    live = Action.objects.visible_to(user).filter(owner=user, status__in=LIVE)
    rows = list(live.select_related("unit").order_by("due_on", "pk")[:HOME_CARD_ROWS])
    if not rows and not user.units_with_roles(*Role.values):
        return None
    counts = live.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return {
        "template": "actions/_home_card.html",
        "rows": rows,
        "open": counts["open"],
        "overdue": counts["overdue"],
        "today": today,
        "area": bool(user.oversees_people),
    }
