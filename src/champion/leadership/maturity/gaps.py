"""A maturity gap (a component of a finished round) becomes an action, a project or a learning
assignment in one step.

Lead asks the other rooms through their doors: `champion.actions.services.create_from` for an
action (source kind "maturity_gap", id "<round>:<component>"), Improve's
`services.project_from_gap` for a draft project in the round's unit, and Learn's
`services.team.assign_unit` for a learning path or module assigned to everyone in the unit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from champion.accounts.picker import PeoplePicker, colleagues
from champion.actions import services as actions
from champion.actions.models import SourceKind
from champion.core.limits import LimitedText
from champion.core.words import quoted
from champion.improvement import services as improve
from champion.leadership.maturity.framework import Component
from champion.leadership.models import Assessment, Stage
from champion.learning.services import team as learn

KINDS = [
    ("action", "An action: one person does something by a date"),
    ("project", "An improvement project in the unit, led by that person"),
    ("assignment", "A learning assignment for everyone in the unit"),
]


def source_id(a: Assessment, component: Component) -> str:
    return f"{a.pk}:{component.key}"


def label(a: Assessment, component: Component, stage: int | None) -> str:
    stage_name = Stage(stage).label.lower() if stage else "not agreed"
    return f"Maturity gap: {component.name} at {stage_name} ({a.title})"


def link(a: Assessment, component: Component) -> str:
    return reverse("leadership:maturity-report", args=[a.pk]) + f"#gap-{component.key}"


class GapForm(LimitedText, forms.Form):
    kind = forms.ChoiceField(choices=KINDS, widget=forms.RadioSelect, label="Turn this gap into")
    title = forms.CharField(label="Title", max_length=200)
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label="Owner (of the action) or lead (of the project)",
        widget=PeoplePicker("colleagues", multiple=False),
        required=False,
    )
    due_on = forms.DateField(
        label="Due date (an action or an assignment)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Today or later.",
    )
    subject = forms.ChoiceField(label="What to learn (an assignment)", required=False)
    detail = forms.CharField(
        label="Detail (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = colleagues(user).order_by("full_name")  # type: ignore[attr-defined]
        self.fields["subject"].choices = [("", "Choose…"), *learn.assignment_choices()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in ("action", "project") and not data.get("owner"):
            self.add_error("owner", "Search for the person and choose them.")
        if kind in ("action", "assignment"):
            due: datetime.date | None = data.get("due_on")
            try:
                actions.check_due_on(due)
            except ValidationError as e:
                self.add_error("due_on", e.messages[0])
        if kind == "assignment" and not data.get("subject"):
            self.add_error("subject", "Choose a learning path or module.")
        return data


@transaction.atomic
def act(
    a: Assessment, component: Component, stage: int | None, data: dict[str, Any], *, by: Any
) -> str:
    """Do what the form asked; returns the URL of what was made. Raises ValidationError."""
    kind = data["kind"]
    if kind == "action":
        made = actions.create_from(
            SourceKind.MATURITY_GAP,
            source_id(a, component),
            label(a, component, stage),
            link(a, component),
            a.unit,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            detail=data.get("detail", ""),
            by=by,
        )
        return made.get_absolute_url()
    if kind == "project":
        stage_name = Stage(stage).label.lower() if stage else "not agreed"
        problem = (
            f"The maturity round {quoted(a.title)} for {a.unit.name} agreed that {component.name} "
            f"is at the {stage_name} stage."
        )
        if stage and stage < Stage.APPROACHING:
            problem += f" The next stage: {component.stage(stage + 1).text}"
        if data.get("detail"):
            problem += "\n\n" + data["detail"]
        project = improve.project_from_gap(
            unit=a.unit, title=data["title"], problem=problem, lead=data["owner"], by=by
        )
        return project.get_absolute_url()
    try:
        learn.assign_unit(by, data["subject"], a.unit, data["due_on"])
    except learn.AssignError as e:
        raise ValidationError(str(e)) from None
    return reverse("learning:assignments")
