"""The form that starts a maturity round: which unit, and the round's name.

Rendered field by field through `core/_field.html` like the product's other forms, so its
labels, help text and errors look and read the same.
"""

from __future__ import annotations

from typing import Any

from django import forms

from champion.core.limits import SHORT, LimitedText
from champion.leadership.permissions import Area

UNIT_HELP = (
    "Usually the whole organisation or a hospital. A round for a division, department, ward, "
    "team or service is local: it leaves out the board and chief-executive components and "
    "asks the rest about that unit."
)


class RoundForm(LimitedText, forms.Form):
    unit = forms.ChoiceField(
        label="Unit assessed",
        help_text=UNIT_HELP,
        error_messages={
            "invalid_choice": "Choose a unit you lead, coach or administer.",
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
        self.units = {str(u.pk): u for u in area.units}
        self.fields["unit"].choices = [(str(u.pk), label) for u, label in area.choices]  # type: ignore[attr-defined]

    def clean_unit(self) -> Any:
        unit = self.units.get(self.cleaned_data["unit"])
        if unit is None:  # not reached: the choices are the area's units
            raise forms.ValidationError("Choose a unit you lead, coach or administer.")
        return unit
