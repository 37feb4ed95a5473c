"""The action form: what, who (the people picker), by when, in which unit, and its status."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from champion.accounts.models import Unit
from champion.accounts.picker import PeoplePicker, colleagues
from champion.actions.models import Action, Status
from champion.actions.permissions import creatable_units
from champion.actions.services import check_due_on
from champion.core.limits import LimitedText


class ActionForm(LimitedText, forms.ModelForm):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # set per person below
        label="Owner",
        widget=PeoplePicker("colleagues", multiple=False),
        help_text="The one person who will see it through.",
    )
    due_on = forms.DateField(
        label="Due date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Today or later.",
    )

    class Meta:
        model = Action
        fields = ["title", "detail", "owner", "due_on", "unit", "status"]
        labels = {"title": "What is to be done", "detail": "Detail (optional)"}
        widgets = {"detail": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = colleagues(user).order_by("full_name")  # type: ignore[attr-defined]
        units = creatable_units(user)
        if self.instance.pk and self.instance.unit_id:
            # The unit it is in stays a choice even for an owner who is not in that unit.
            units = Unit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=self.instance.unit_id))
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        self.fields["unit"].empty_label = None  # type: ignore[attr-defined]
        if not self.instance.pk:
            del self.fields["status"]
        else:
            self.fields["status"].choices = Status.choices  # type: ignore[attr-defined]

    def clean_title(self) -> str:
        return str(self.cleaned_data["title"]).strip()

    def clean_due_on(self) -> Any:
        due = self.cleaned_data["due_on"]
        was = self.instance.due_on if self.instance.pk else None
        try:
            check_due_on(due, was)
        except forms.ValidationError as e:
            raise forms.ValidationError(e.messages[0]) from None
        return due
