"""Forms for charters, teams, project status and PDSA cycles; tools use their specs instead."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict

from champion.accounts.models import Unit, User
from champion.accounts.picker import PeoplePicker, colleagues, use_unit_picker
from champion.core.identifiers import patient_text_refusal
from champion.core.limits import LONG, LimitedText
from champion.improvement.models import PDSACycle, Project, ProjectStatus, TeamRole


class VersionedForm(LimitedText, forms.ModelForm):
    """Carries the version the editor opened, so a save can tell if someone saved since.

    Its free text is checked for patient identifiers: projects are read organisation-wide.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "version" not in self.data:
            self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for name, value in list(cleaned.items()):
            refusal = isinstance(value, str) and patient_text_refusal(value, what="Projects")
            if refusal:
                self.add_error(name, refusal)
        return cleaned

    def offer_newer(self, current: Any) -> None:
        """After a conflict, carry the newer version: having compared the two, the editor
        saves again on purpose and it goes through (the typed text stays as it was)."""
        data = cast(QueryDict, self.data).copy()  # a bound form's data is the POST
        data["version"] = str(current.version)
        self.data = data


class CharterForm(VersionedForm):
    """The charter: what is wrong, what will improve (checked), where the project stops."""

    text_limits = {"problem_statement": LONG}

    class Meta:
        model = Project
        fields = [
            "title",
            "unit",
            "topic",
            "method",
            "problem_statement",
            "aim_statement",
            "scope_in",
            "scope_out",
            "started_on",
        ]
        labels = {"title": "Project title", "unit": "Unit", "method": "Method"}
        widgets = {
            "problem_statement": forms.Textarea(attrs={"rows": 4}),
            "aim_statement": forms.Textarea(attrs={"rows": 3}),
            "scope_in": forms.Textarea(attrs={"rows": 3}),
            "scope_out": forms.Textarea(attrs={"rows": 3}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "problem_statement": "What is happening, where, how often, and why it matters. Facts, not solutions.",
            "method": "Model for Improvement for testing changes with PDSA; DMAIC for a defined process "
            "problem with data (tollgate reviews between phases); A3 for a one-page problem-solving story.",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.visible_to(user)
        unit.empty_label = None
        use_unit_picker(unit, "visible")


class StatusForm(VersionedForm):
    """Status and phase; DMAIC phases move on only through passed tollgates."""

    text_limits = {"result_summary": LONG}

    class Meta:
        model = Project
        fields = ["status", "phase", "result_summary", "finished_on"]
        widgets = {
            "result_summary": forms.Textarea(attrs={"rows": 3}),
            "finished_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"result_summary": "Result so far"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"] = forms.ChoiceField(choices=self.instance.phases())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        project = self.instance
        keys = [key for key, _ in project.phases()]
        before = Project.objects.filter(pk=project.pk).values_list("phase", flat=True).first()
        after = data.get("phase")
        if (
            project.method == "dmaic"
            and before in keys
            and after in keys
            and keys.index(after) > keys.index(before)
            and any(
                k not in project.tollgates for k in keys[keys.index(before) : keys.index(after)]
            )
        ):
            self.add_error(
                "phase",
                "DMAIC moves on through tollgates: ask the sponsor, a coach or the unit's leader "
                "to pass this phase's tollgate first.",
            )
        if (
            data.get("status") == ProjectStatus.FINISHED
            and not (data.get("result_summary") or "").strip()
        ):
            self.add_error(
                "result_summary", "Say what the result was before you finish the project."
            )
        return data


class MemberForm(LimitedText, forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Person", widget=PeoplePicker("colleagues", False)
    )
    role = forms.ChoiceField(choices=TeamRole.choices, label="Role")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = colleagues(user)


PLAN_FIELDS = [
    "title",
    "change_idea",
    "question",
    "prediction",
    "plan_who",
    "plan_what",
    "plan_where",
    "plan_when",
    "data_to_collect",
    "start_date",
]
STAGE_FIELDS = {
    "plan": PLAN_FIELDS,
    "do": ["do_notes"],
    "study": ["study_notes", "prediction_held"],
    "act": ["decision", "act_notes", "end_date"],
}


class CycleForm(VersionedForm):
    """Every part of the cycle; the page shows the current stage's fields first."""

    text_limits = {"do_notes": LONG, "study_notes": LONG}

    class Meta:
        model = PDSACycle
        fields = [
            *PLAN_FIELDS,
            "do_notes",
            "study_notes",
            "prediction_held",
            "decision",
            "act_notes",
            "end_date",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "prediction": forms.Textarea(attrs={"rows": 2}),
            "plan_what": forms.Textarea(attrs={"rows": 2}),
            "data_to_collect": forms.Textarea(attrs={"rows": 2}),
            "do_notes": forms.Textarea(attrs={"rows": 4}),
            "study_notes": forms.Textarea(attrs={"rows": 4}),
            "act_notes": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "prediction_held": forms.RadioSelect,
            "decision": forms.RadioSelect,
        }
        help_texts = {
            "prediction": "What you expect, in numbers if you can. A plan without one is saved as a flagged draft.",
            "question": "e.g. Will a checklist in the admission pack get falls risk assessed within 6 hours?",
            "data_to_collect": "Keep it small: a tally, a few timings, what people said.",
            "decision": "Adopt: make it standard. Adapt: change it and test again. Abandon: stop, and say why.",
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        idea = self.fields["change_idea"]
        assert isinstance(idea, forms.ModelChoiceField)
        idea.queryset = project.change_ideas.all()
        idea.required = False
        idea.empty_label = "(not linked to a change idea yet)"
        for name in ("prediction_held", "decision"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            model_field = PDSACycle._meta.get_field(name)
            field.choices = list(getattr(model_field, "choices", None) or [])
            field.required = False

    def stage_fields(self, stage: str) -> list[forms.BoundField]:
        return [self[name] for name in STAGE_FIELDS.get(stage, [])]
