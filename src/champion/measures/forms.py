"""Forms for defining measures, choosing a chart, and the chart actions (annotate, phase, exclude)."""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format

from champion.accounts.models import User
from champion.accounts.picker import PeoplePicker, colleagues, use_unit_picker
from champion.core.limits import LimitedText
from champion.measures.chooser import (
    SHOWN_AS,
    SHOWN_BY_KEY,
    default_multiply,
    plain_answer,
    plain_chart,
)
from champion.measures.models import (
    NEEDS_DENOMINATOR,
    Annotation,
    ChartType,
    Exclusion,
    Improvement,
    Measure,
    Phase,
    SharedDefinition,
    editable_units,
)
from champion.measures.templatetags.measure_tags import period


class DateInput(forms.DateInput):
    input_type = "date"


class MeasureForm(LimitedText, forms.ModelForm):
    """A measure defined in a ward manager's words: what is counted, out of what, how it is
    shown, how often, which direction is better and the target. The chart follows from those
    answers (`chooser.plain_chart`, the chooser's own rule); the statistical choices (the chart
    itself, the multiplier, the rule set, 2-sigma lines, specification limits) are advanced
    overrides that win when given. Units and owners are limited to what the person may use."""

    #: The fields of the "Advanced" section, which opens by itself when one holds an error or
    #: a value other than the default (`advanced_open`).
    ADVANCED = ("chart", "multiply", "show_2sigma", "rule_set", "spec_lower", "spec_upper")

    shown_as = forms.ChoiceField(
        label="How is it shown?",
        widget=forms.RadioSelect,
        required=False,
        choices=[(s.key, s.label) for s in SHOWN_AS],
    )
    chart = forms.ChoiceField(
        label="Chart",
        required=False,
        choices=[("", "Worked out from your answers (recommended)"), *ChartType.choices],
        help_text="Choose a chart only to override the one your answers lead to "
        "('Which chart should I use?' explains each).",
    )
    multiply = forms.FloatField(
        label="Multiply by",
        required=False,
        help_text="Leave empty to follow 'How is it shown?' (100 for a percentage, 1,000 for a "
        "rate per 1,000).",
    )

    class Meta:
        model = Measure
        fields = [
            "name", "unit", "kind", "numerator", "denominator", "frequency", "improvement",
            "target", "unit_label", "owners", "definition", "inclusions", "exclusions",
            "data_source", "shared", "chart", "multiply", "show_2sigma", "rule_set",
            "spec_lower", "spec_upper",
        ]  # fmt: skip
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator": forms.Textarea(attrs={"rows": 2}),
            "denominator": forms.Textarea(attrs={"rows": 2}),
            "inclusions": forms.Textarea(attrs={"rows": 2}),
            "exclusions": forms.Textarea(attrs={"rows": 2}),
            "improvement": forms.RadioSelect,
            "owners": PeoplePicker("colleagues"),
        }
        labels = {
            "numerator": "What is counted or measured?",
            "denominator": "Out of what? (optional)",
            "frequency": "How often is it counted?",
            "improvement": "Which direction is better?",
            "target": "Target (optional)",
            "unit_label": "How the value reads (optional)",
            "definition": "Exactly what counts (the operational definition)",
            "owners": "Owners",
        }
        help_texts = {
            "numerator": "For example 'Inpatient falls reported on Datix' or 'Minutes from "
            "arrival to first antibiotic dose'.",
            "denominator": "For a percentage or a rate: what it is out of, e.g. 'Occupied "
            "bed-days in the month' or 'Patients admitted'. Leave it empty for a count or a "
            "measurement.",
            "kind": "Outcome: the result for patients or staff. Process: whether the work is done "
            "as designed. Balancing: what might get worse as a side effect.",
            "target": "In the terms the chart shows: 95 for 95%, 2 for 2 falls per 1,000 bed-days.",
            "unit_label": "Shown beside the values, e.g. 'falls per 1,000 bed-days' or "
            "'minutes'. Left empty, it follows 'How is it shown?'.",
            "definition": "So that two people counting the same thing get the same number. "
            "Left empty, it is what is counted, out of what.",
            "owners": "They are told when new data show a signal. Search and tick several if you like.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        given = dict(kwargs.get("initial") or {})
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
        for name in ("improvement", "numerator", "definition"):
            self.fields[name].required = False
        self.fields["improvement"].choices = [  # type: ignore[attr-defined]
            c for c in Improvement.choices if c[0]
        ] + [("", "Neither: no direction is better")]
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
        self._plain_initial(given)

    def _plain_initial(self, given: dict[str, Any]) -> None:
        """The plain answers a measure (or a chart suggested by the chooser, `given`) reads as;
        the chart and the multiplier show as overrides only when the answers would not give
        them. A new measure starts with no answer and no override."""
        instance = self.instance
        chart = str(given.get("chart") or (instance.chart if instance.pk else ""))
        if chart not in ChartType.values:
            self.initial.update(chart="", multiply=None)
            return
        try:
            multiply = float(given.get("multiply") or instance.multiply or 1)
        except (TypeError, ValueError):
            multiply = default_multiply(chart)
        key = plain_answer(chart, multiply, instance.denominator or "")
        follows = plain_chart(key)
        self.initial["shown_as"] = key
        self.initial["chart"] = "" if follows.chart == chart else chart
        self.initial["multiply"] = None if follows.multiply == multiply else multiply

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        override = data.get("chart") or ""
        key = data.get("shown_as") or ""
        if not key and not override and "shown_as" not in self.errors:
            self.add_error(
                "shown_as",
                "Choose how it is shown: a count, a percentage, a rate, a time or other value.",
            )
        shown = SHOWN_BY_KEY.get(key)
        if shown is not None and "chart" not in self.errors:
            follows = plain_chart(key)
            data["chart"] = override or follows.chart
            if data.get("multiply") is None and "multiply" not in self.errors:
                data["multiply"] = follows.multiply
            if not (data.get("unit_label") or "").strip():
                data["unit_label"] = shown.unit_label
            denominator = (data.get("denominator") or "").strip()
            if shown.needs_denominator and not denominator and data["chart"] in NEEDS_DENOMINATOR:
                self.add_error(
                    "denominator",
                    f"{shown.label.split(' (')[0]} needs to know what it is out of: say what "
                    "the denominator counts (e.g. 'occupied bed-days in the month').",
                )
        elif override and data.get("multiply") is None and "multiply" not in self.errors:
            data["multiply"] = default_multiply(override)
        numerator = (data.get("numerator") or "").strip()
        definition = (data.get("definition") or "").strip()
        if not numerator and not definition:
            self.add_error("numerator", "Say what is counted or measured.")
        elif not definition:
            denominator = (data.get("denominator") or "").strip()
            data["definition"] = (
                f"{numerator}, out of {_lower_first(denominator)}" if denominator else numerator
            )
        return data

    def _update_errors(self, errors: ValidationError) -> None:
        """The model's checks (`Measure.clean`, shared with the API) in the form's terms: a
        field the form has already explained keeps the form's plainer words, and a chart the
        answers chose (no override) is explained at "How is it shown?"."""
        if hasattr(errors, "error_dict"):
            found = errors.error_dict
            explained = self._errors or {}  # type: ignore[attr-defined]
            for name in [n for n in found if n in explained]:
                del found[name]
            if "chart" in found and not self.data.get(self.add_prefix("chart")):
                found.setdefault("shown_as", []).extend(found.pop("chart"))
        super()._update_errors(errors)  # type: ignore[misc]

    @property
    def chart_hints(self) -> dict[str, str]:
        """What each answer of "How is it shown?" gives, for the line under it (`form.js`)."""
        return {s.key: f"{plain_chart(s.key).name}." for s in SHOWN_AS}

    @property
    def chart_hint(self) -> str:
        """The line under "How is it shown?": the chart the answers (or the override) give."""
        override = self["chart"].value() or ""
        if override in ChartType.values:
            return f"Chosen under Advanced: {ChartType(override).label}."
        key = self["shown_as"].value() or ""
        return self.chart_hints.get(key, "")

    @property
    def advanced_open(self) -> bool:
        """Whether the "Advanced" section opens by itself: one of its fields holds an error or
        a value other than its default (an override, a rule set, a specification limit)."""
        for name in self.ADVANCED:
            if self[name].errors:
                return True
            value = self[name].value()
            if value not in (None, "", False, [], "False"):
                return True
        return False

    # Every rule about the definition is `Measure.clean` (run by the form's own validation), so
    # the form, a project's "add a measure" and the API refuse the same things.


def _lower_first(text: str) -> str:
    """'Occupied bed-days' reads 'occupied bed-days' mid-sentence; 'ED attendances' stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


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


def _period_field(form: forms.BaseForm) -> forms.Field:
    return form.fields["period" if "period" in form.fields else "freeze_until"]


def offer_periods(form: forms.BaseForm, choices: list[tuple[str, str]], blank: str = "") -> None:
    """Let a person pick a period of the data rather than type a date."""
    options = ([("", blank)] if blank else []) + choices
    _period_field(form).widget = forms.Select(choices=options)


class MonthInput(forms.DateInput):
    input_type = "month"


def ask_period(
    form: forms.BaseForm, periods: Sequence[datetime.date], frequency: str, optional: str = ""
) -> None:
    """Ask for a period of a long series in the browser's own date (or, for a monthly measure,
    month) picker, bounded by the first and last periods; `period_problem` then checks that
    the day is one of the data's. `optional` says what leaving it empty does."""
    first, last = periods[0], periods[-1]
    field = _period_field(form)
    if frequency == "monthly" and all(p.day == 1 for p in periods):
        # A browser without a month picker shows a text box: the placeholder shows the form.
        field.widget = MonthInput(
            format="%Y-%m", attrs={"min": f"{first:%Y-%m}", "max": f"{last:%Y-%m}",
                                   "placeholder": f"{last:%Y-%m}"},
        )  # fmt: skip
    else:
        attrs = {"min": first.isoformat(), "max": last.isoformat()}
        if frequency == "weekly" and all((p - first).days % 7 == 0 for p in periods):
            attrs["step"] = "7"  # the calendar then offers only the weeks' own weekday
        field.widget = DateInput(format="%Y-%m-%d", attrs=attrs)
    field.help_text = " ".join(
        filter(None, [f"From {period(first, frequency)} to {period(last, frequency)}.", optional])
    )


def period_problem(day: datetime.date, periods: Sequence[datetime.date], frequency: str) -> str:
    """Why `day` is not a period of the (sorted) `periods`, naming the nearest; '' when it is."""
    i = bisect.bisect_left(periods, day)
    if i < len(periods) and periods[i] == day:
        return ""
    on = "in" if frequency in ("monthly", "quarterly") and day.day == 1 else "on"
    said = f"There is no point {on} {period(day, frequency)}"
    if not periods:
        return f"{said}: the measure has no data yet."
    if i == 0:
        return f"{said}: the first is {period(periods[0], frequency)}."
    if i == len(periods):
        return f"{said}: the latest is {period(periods[-1], frequency)}."
    return (
        f"{said}; the nearest are {period(periods[i - 1], frequency)} "
        f"and {period(periods[i], frequency)}."
    )


class PeriodInput:
    """A form mixin (list it first): a chart setting's period, typed as a day or, where
    `ask_period` shows a month picker, as a month ("2025-03", its first day)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = _period_field(self)  # type: ignore[arg-type]
        assert isinstance(field, forms.DateField)
        field.input_formats = [*get_format("DATE_INPUT_FORMATS"), "%Y-%m"]


class AnnotationForm(PeriodInput, LimitedText, forms.ModelForm):
    class Meta:
        model = Annotation
        fields = ["period", "text"]
        labels = {"period": "At period", "text": "Note"}
        widgets = {"period": DateInput()}
        help_texts = {"text": "What happened, e.g. 'Intentional rounding started'."}


class PhaseForm(PeriodInput, LimitedText, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["period", "label"]
        labels = {"period": "New phase starts at", "label": "What changed"}
        widgets = {"period": DateInput()}


class ExclusionForm(PeriodInput, LimitedText, forms.ModelForm):
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


class FreezeForm(PeriodInput, forms.Form):
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
