"""Forms for defining measures, choosing a chart, and the chart actions (annotate, phase, exclude)."""

from __future__ import annotations

from typing import Any

from django import forms

from champion.accounts.models import User
from champion.accounts.picker import PeoplePicker, colleagues, use_unit_picker
from champion.core.limits import LimitedText
from champion.measures.models import (
    Annotation,
    Exclusion,
    Measure,
    Phase,
    SharedDefinition,
    editable_units,
)


class DateInput(forms.DateInput):
    input_type = "date"


class MeasureForm(LimitedText, forms.ModelForm):
    """The operational definition and the chart; units and owners limited to what the person may use."""

    class Meta:
        model = Measure
        fields = [
            "name", "unit", "kind", "definition", "numerator", "denominator", "inclusions",
            "exclusions", "data_source", "frequency", "unit_label", "improvement", "target",
            "chart", "multiply", "show_2sigma", "rule_set", "spec_lower", "spec_upper", "shared",
            "owners",
        ]  # fmt: skip
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator": forms.Textarea(attrs={"rows": 2}),
            "denominator": forms.Textarea(attrs={"rows": 2}),
            "inclusions": forms.Textarea(attrs={"rows": 2}),
            "exclusions": forms.Textarea(attrs={"rows": 2}),
            "owners": PeoplePicker("colleagues"),
        }
        help_texts = {
            "numerator": "For rates and percentages: what is counted on top.",
            "denominator": "For rates and percentages: what it is out of (patients, bed-days...).",
            "kind": "Outcome: the result for patients or staff. Process: whether the work is done "
            "as designed. Balancing: what might get worse as a side effect.",
            "chart": "Not sure? Use 'Which chart should I use?' above.",
            "owners": "They are told when new data show a signal. Search and tick several if you like.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = editable_units(user).order_by("path")  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            "\u2003" * max(0, u.depth - 1) + u.name
        )
        use_unit_picker(self.fields["unit"], "measure-editable")
        self.fields["owners"].queryset = colleagues(user).order_by("full_name")  # type: ignore[attr-defined]
        self.fields["owners"].required = False
        units = list(self.fields["unit"].queryset[:2])  # type: ignore[attr-defined]
        if len(units) == 1 and not self.initial.get("unit"):
            self.initial["unit"] = units[0].pk  # the only unit they can choose
        self.fields["improvement"].required = False
        org = user.organisation
        org_set = org.get_rule_set_display() if org is not None else None
        shared = self.fields["shared"]
        shared.queryset = SharedDefinition.objects.visible_to(user)  # type: ignore[attr-defined]
        shared.empty_label = "None: this unit's own measure"  # type: ignore[attr-defined]
        rule_set = self.fields["rule_set"]
        rule_set.choices = [  # type: ignore[attr-defined]
            ("", f"Your organisation's ({org_set})" if org_set else "Your organisation's"),
            *[c for c in rule_set.choices if c[0]],  # type: ignore[attr-defined]
        ]

    # Every rule about the definition is `Measure.clean` (run by the form's own validation), so
    # the form, a project's "add a measure" and the API refuse the same things.


class ChooserForm(forms.Form):
    """Plain questions that lead to a chart (see `chooser.suggest`)."""

    data = forms.ChoiceField(  # type: ignore[assignment]  # the metaclass moves it into fields
        label="What does each data point record?",
        widget=forms.RadioSelect,
        choices=[
            ("count", "A count of events (falls, infections, complaints)"),
            ("proportion", "How many cases out of a group met a criterion (patients seen within 4 hours, "
             "hands washed)"),
            ("measurement", "A measurement (minutes, days, cost, a score, a temperature)"),
            ("subgroups", "Several measurements each period (the waiting times of 5 patients a "
             "day, say)"),
            ("between", "The time or number of cases between rare events"),
        ],
    )  # fmt: skip
    denominator = forms.ChoiceField(
        label="For counts: does the amount of opportunity change from period to period "
        "(bed-days, admissions, staff hours)?",
        widget=forms.RadioSelect,
        required=False,
        choices=[("yes", "Yes, and I know it for each period"), ("no", "No, it is about the same")],
    )
    rare = forms.ChoiceField(
        label="Are the events rare (most periods have 0, 1 or 2)?",
        widget=forms.RadioSelect,
        required=False,
        choices=[("yes", "Yes, rare"), ("no", "No")],
    )
    large = forms.ChoiceField(
        label="For percentages and rates: is the denominator very large (thousands per period, "
        "such as every attendance of a hospital)?",
        widget=forms.RadioSelect,
        required=False,
        choices=[("yes", "Yes, thousands"), ("no", "No, tens or hundreds")],
    )
    between = forms.ChoiceField(
        label="For rare events: what do you record between them?",
        widget=forms.RadioSelect,
        required=False,
        choices=[
            ("days", "The dates of the events (days between them)"),
            ("cases", "The number of cases, procedures or patients between them"),
        ],
    )
    points = forms.ChoiceField(
        label="How many data points do you have, or will you have soon?",
        widget=forms.RadioSelect,
        required=False,
        choices=[("few", "Fewer than 12"), ("many", "12 or more")],
    )


def offer_periods(form: forms.BaseForm, choices: list[tuple[str, str]], blank: str = "") -> None:
    """Let a person pick a period of the data rather than type a date."""
    field = form.fields["period" if "period" in form.fields else "freeze_until"]
    options = ([("", blank)] if blank else []) + choices
    field.widget = forms.Select(choices=options)


class AnnotationForm(LimitedText, forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["period", "text"]
        labels = {"period": "At period", "text": "Note"}
        widgets = {"period": DateInput()}
        help_texts = {"text": "What happened, e.g. 'Intentional rounding started'."}


class PhaseForm(LimitedText, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["period", "label"]
        labels = {"period": "New phase starts at", "label": "What changed"}
        widgets = {"period": DateInput()}


class ExclusionForm(LimitedText, forms.ModelForm):
    class Meta:
        model = Exclusion
        fields = ["period", "reason"]
        labels = {"period": "Point to exclude", "reason": "Why"}
        help_texts = {
            "reason": "A known special cause, e.g. 'IT outage: half the month was not recorded'."
        }

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if len(reason) < 5:
            raise forms.ValidationError("Say why this point is excluded (at least a few words).")
        return reason


class FreezeForm(forms.Form):
    freeze_until = forms.DateField(
        label="Baseline ends at",
        required=False,
        widget=DateInput(),
        help_text="The centre line and limits come from the points up to here; choose '(no frozen baseline)' to use them all.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV or Excel (.xlsx) file",
        help_text="One row per period (a date, a value, and a denominator if your chart needs one), "
        "or one row per event with its date, to be counted per week or month.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )
