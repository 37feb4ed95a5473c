"""`{% action_button kind id label url unit %}`: the "Make this an action" link any room can
put beside one of its items (a maturity gap, a board exception, a huddle card, a project step).

The link carries the source signed for the signed-in person (`services.source_token`), so
the new-action page shows the room's own label and link. `kind` is one of
`champion.actions.models.SourceKind`; `unit` is the Unit the action will start in.
"""

from __future__ import annotations

from typing import Any

from django import template

from champion.actions.services import Source, new_url

register = template.Library()


@register.inclusion_tag("actions/_button.html", takes_context=True)
def action_button(
    context: Any,
    kind: str,
    source_id: Any,
    label: str,
    url: str = "",
    unit: Any = None,
    text: str = "Make this an action",
    small: bool = True,
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return {"href": ""}
    source = Source(
        kind=kind,
        id=str(source_id),
        label=str(label)[:300],
        url=str(url or ""),
        unit_id=getattr(unit, "pk", unit),
    )
    return {"href": new_url(user, source), "text": text, "label": label, "small": small}
