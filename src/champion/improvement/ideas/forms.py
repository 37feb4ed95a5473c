"""Forms for capturing, answering and discussing ideas."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from champion.accounts.models import Unit
from champion.accounts.people import home_unit
from champion.accounts.picker import use_unit_picker
from champion.core.identifiers import patient_text_refusal
from champion.core.limits import LimitedText
from champion.improvement.ideas.models import Idea, Status, UnitIdeaSettings


def _no_patient_identifiers(text: str) -> str:
    refusal = patient_text_refusal(text, what="Ideas")
    if refusal:
        raise forms.ValidationError(refusal)
    return text


#: The same words from the same person within this time are one idea sent twice.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


class IdeaForm(LimitedText, forms.ModelForm):
    """Three fields, so an idea takes under a minute on a phone."""

    class Meta:
        model = Idea
        fields = ["problem", "idea", "unit"]
        labels = {
            "problem": "What is the problem?",
            "idea": "What is your idea?",
            "unit": "Where?",
        }
        widgets = {
            "problem": forms.Textarea(
                attrs={"rows": 3, "placeholder": "e.g. We hunt for the bladder scanner every shift"}
            ),
            "idea": forms.Textarea(
                attrs={"rows": 3, "placeholder": "e.g. Give it a marked home and a sign-out sheet"}
            ),
        }
        help_texts = {
            "problem": "What gets in the way, as you see it. No patient details, please.",
            "idea": "What you would try. The first line becomes its title.",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.visible_to(user)
        field.empty_label = None
        use_unit_picker(field, "visible")
        own = home_unit(user)
        if own is not None and not self.initial.get("unit"):
            self.initial["unit"] = own.pk

    def clean_problem(self) -> str:
        return _no_patient_identifiers(self.cleaned_data["problem"])

    def clean_idea(self) -> str:
        return _no_patient_identifiers(self.cleaned_data["idea"])

    def same_idea_just_shared(self, user: Any) -> Idea | None:
        """The idea `user` shared with these very words in the last few minutes, if any."""
        data = self.cleaned_data
        return (
            Idea.objects.filter(
                submitted_by=user,
                unit=data["unit"],
                problem=data["problem"],
                idea=data["idea"],
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            )
            .order_by("-created_at")
            .first()
        )


class RespondForm(LimitedText, forms.Form):
    """A leader's answer. `seen` is the status the leader was looking at, so two leaders
    answering at once cannot silently overwrite each other."""

    status = forms.ChoiceField(choices=Status.choices, label="Move to", widget=forms.RadioSelect)
    reason = forms.CharField(
        required=False,
        label="Note to the person who suggested it",
        help_text="Required for “Not now”: say why, and what would change your mind.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)


class CommentForm(LimitedText, forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 2}))

    def clean_body(self) -> str:
        return _no_patient_identifiers(self.cleaned_data["body"])


class ResponseTimeForm(forms.ModelForm):
    """A unit's promise: how many days before a new idea reminds its leaders."""

    class Meta:
        model = UnitIdeaSettings
        fields = ["response_days"]
        labels = {"response_days": "Answer new ideas within (days)"}
        widgets = {"response_days": forms.NumberInput(attrs={"min": 1, "max": 90})}
