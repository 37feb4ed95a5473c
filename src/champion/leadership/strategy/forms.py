"""The objective form: one form for the three levels, each keeping the fields that apply."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from champion.accounts.picker import PeoplePicker, colleagues, use_unit_picker
from champion.core.limits import LimitedText
from champion.leadership.strategy.models import Level, Objective
from champion.leadership.strategy.permissions import sets_strategy


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


class ObjectiveForm(LimitedText, forms.ModelForm):
    start = forms.DateField(
        label="First month of the plan",
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=MonthInput(),
        help_text="Annual goals: the plan runs twelve months from here (for example 2026-04 "
        "for a year starting in April).",
    )

    class Meta:
        model = Objective
        fields = [
            "level", "unit", "parent", "title", "description", "owner", "year", "start",
            "direction", "target",
        ]  # fmt: skip
        labels = {
            "parent": "Serves",
            "year": "Achieved by (year)",
            "direction": "Which direction is better",
            "target": "Year-end target",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "owner": PeoplePicker("colleagues", multiple=False),
        }
        help_texts = {
            "parent": "An annual goal serves a breakthrough objective; a breakthrough objective "
            "serves the true north.",
            "year": "Breakthrough objectives: the year it should be achieved (three to five "
            "years ahead).",
            "target": "Annual goals: on the measure's scale, for the end of the plan.",
            "owner": "The person who answers for it.",
        }

    def __init__(self, *args: Any, user: Any, units: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        levels = Level.choices if sets_strategy(user) else [(Level.ANNUAL, Level.ANNUAL.label)]
        level_field = self.fields["level"]
        level_field.choices = levels  # type: ignore[attr-defined]
        if editing:
            level_field.disabled = True
        unit_field = self.fields["unit"]
        unit_field.queryset = units.order_by("path")  # type: ignore[attr-defined]
        unit_field.help_text = "The true north and breakthrough objectives belong to the top unit."
        # Searched, not listed (issue 15: a select of 525 units took 0.5 s to draw). `units`
        # are the units the person oversees (Area.units), the picker's "overseen" scope.
        use_unit_picker(unit_field, "overseen")
        self.fields["parent"].queryset = (  # type: ignore[attr-defined]
            Objective.objects.visible_to(user)
            .filter(level__in=[Level.TRUE_NORTH, Level.BREAKTHROUGH])
            .exclude(pk=self.instance.pk or 0)
            .order_by("-level", "title")
        )  # a few: one true north and three to five breakthrough objectives
        self.fields["parent"].label_from_instance = lambda o: (  # type: ignore[attr-defined]
            f"{o.get_level_display()}: {o.title}"
        )
        self.fields["owner"].queryset = colleagues(user).order_by("full_name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        level = data.get("level") or self.instance.level
        parent, unit = data.get("parent"), data.get("unit")
        if level in (Level.TRUE_NORTH, Level.BREAKTHROUGH):
            if unit is not None and unit.parent_id is not None:
                self.add_error("unit", "The organisation's strategy belongs to its top unit.")
            for name in ("start", "target", "direction"):
                if data.get(name) not in (None, ""):
                    self.add_error(name, "Only annual goals have a plan, a target and a direction.")
        if level == Level.TRUE_NORTH:
            if parent is not None:
                self.add_error("parent", "The true north serves nothing above it.")
        elif level == Level.BREAKTHROUGH:
            if parent is not None and parent.level != Level.TRUE_NORTH:
                self.add_error("parent", "A breakthrough objective serves the true north.")
        elif level == Level.ANNUAL:
            if parent is None or parent.level != Level.BREAKTHROUGH:
                self.add_error("parent", "Choose the breakthrough objective this goal serves.")
            start: datetime.date | None = data.get("start")
            if start is None:
                self.add_error("start", "Give the first month of the goal's plan.")
            else:
                data["start"] = start.replace(day=1)
                data["year"] = start.year
            if not data.get("direction"):
                self.add_error("direction", "Say whether higher or lower is better.")
        return data
