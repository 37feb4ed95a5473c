"""The form that starts a maturity round: which unit, and the round's name.

Rendered field by field through `core/_field.html` like the product's other forms, so its
labels, help text and errors look and read the same.
"""

from __future__ import annotations

from typing import Any

from django import forms

from champion.accounts.models import Unit
from champion.accounts.picker import use_unit_picker
from champion.core.limits import SHORT, LimitedText
from champion.leadership.permissions import Area

UNIT_HELP = (
    "Usually the whole organisation or a hospital. A round for a division, department, ward, "
    "team or service is local: it leaves out the board and chief-executive components and "
    "asks the rest about that unit."
)


class RoundForm(LimitedText, forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label="Unit assessed",
        help_text=UNIT_HELP,
        error_messages={
            "invalid_choice": "Choose a unit you lead, coach or administer.",
            "invalid_pk_value": "Choose a unit you lead, coach or administer.",
            "required": "Choose a unit you lead, coach or administer.",
        },
    )
    title = forms.CharField(
        label="Name of the round",
        max_length=SHORT,
        help_text="People see this name in their invitation, such as the month the round runs.",
        error_messages={"required": "Give the round a name, such as the month it runs."},
    )

    def __init__(self, *args: Any, area: Area, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        unit.queryset = area.units.order_by("path")  # type: ignore[attr-defined]
        # Searched, not listed: a whole system has over 500 units (issue 15).
        use_unit_picker(unit, "overseen")
