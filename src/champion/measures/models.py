"""Measures, their data points and chart settings (phases, baseline, exclusions, annotations).

A measure belongs to a unit. Everyone in the organisation reads it; the unit's own
members, leaders, coaches and admins of the unit or above change it; other
organisations see nothing. Chart settings refer to periods (dates), not positions,
so they stay right when data are added or corrected. `Measure.summary` (a typed
`summary.Summary`) caches the latest analysis (icons, last value, sparkline) so that
boards of hundreds of measures cost a single query; its signals are `Signal` rows and
the whole analysis is kept in `StoredAnalysis` for the chart page.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from champion.accounts.models import OVERSIGHT_ROLES, Role, RuleSet, Unit
from champion.core.permissions import OrgScopedQuerySet, belongs_to_an_organisation
from champion.core.words import quoted, thousands
from champion.measures.summary import SummaryField


class MeasureKind(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    EVENT = "event", "Each event"


class Improvement(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NEITHER = "", "Neither (no better direction)"


class ChartType(models.TextChoices):
    RUN = "run", "Run chart"
    I = "i", "I chart (individual values, XmR)"  # noqa: E741 - the chart's name
    XBAR = "xbar", "X̄ chart (means of subgroups of measurements)"
    R = "r", "R chart (ranges within subgroups)"
    S = "s", "S chart (standard deviations within subgroups)"
    C = "c", "C chart (counts of events)"
    U = "u", "U chart (rate of events per exposure)"
    UP = "up", "U′ chart (rates with very large denominators)"
    P = "p", "P chart (percentage of cases)"
    PP = "pp", "P′ chart (percentages with very large denominators)"
    T = "t", "T chart (time between rare events)"
    G = "g", "G chart (cases between rare events)"


#: Charts whose points are numerator / denominator; run and i charts may have one too.
NEEDS_DENOMINATOR = frozenset({"p", "pp", "u", "up"})
TAKES_DENOMINATOR = NEEDS_DENOMINATOR | {"run", "i"}
#: Charts whose values are counts, so they must be whole and not negative.
COUNT_CHARTS = frozenset({"c", "p", "pp", "u", "up", "g"})
#: Charts of subgroups: each period holds several measurements (`DataPoint.values`).
SUBGROUP_CHARTS = frozenset({"xbar", "r", "s"})
#: The most measurements one subgroup may hold (the R chart's range constants stop at 25).
MAX_SUBGROUP = 25
#: Charts whose values are worked out from the dates of the events (days between them).
FROM_EVENT_DATES = frozenset({"t"})
#: The days counted between two events on the same date. The dates say only that less than a
#: day passed, and the T chart's transform needs a time above zero (`spc` refuses 0): half a
#: day, so a cluster of same-day events shows as very short gaps (docs/measures.md).
SAME_DAY_GAP = 0.5
#: Charts of measurements, for which capability against a specification means something.
CAPABILITY_CHARTS = frozenset({"i", "xbar", "r", "s"})


def editable_units(user: Any) -> models.QuerySet[Unit]:
    """Units where `user` may create and change measures: where they are a member, and below
    any unit they lead, coach or administer."""
    if not belongs_to_an_organisation(user):
        return Unit.objects.none()
    direct = [u.pk for u in user.units_with_roles(Role.MEMBER)]
    return (
        Unit.objects.visible_to(user).subtree_of(user.units_with_roles(*OVERSIGHT_ROLES))
        | Unit.objects.visible_to(user).filter(pk__in=direct)
    ).distinct()


class SharedDefinitionQuerySet(OrgScopedQuerySet["SharedDefinition"]):
    """Everyone in the organisation reads its shared definitions; nobody else sees them."""

    organisation_field = "organisation_id"


class SharedDefinition(models.Model):
    """One definition used by many units (falls per 1,000 bed-days on every ward): each unit
    keeps its own `Measure` (its data, phases and owners) and names the definition it follows,
    so Lead can compare the units (small multiples, a funnel plot) and roll them up to a parent
    unit by summing numerators and denominators."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="shared_definitions"
    )
    name = models.CharField(max_length=200)
    definition = models.TextField("What is counted or measured", max_length=2000)
    unit_label = models.CharField("Unit of measure", max_length=100, blank=True)
    chart = models.CharField(max_length=4, choices=ChartType.choices, default=ChartType.U)
    multiply = models.FloatField("Multiply by", default=1.0)
    improvement = models.CharField(
        "Which direction is better", max_length=4, choices=Improvement.choices, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SharedDefinitionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="shared_definition_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def audit_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def funnel_kind(self) -> str | None:
        """ "proportion" for P charts, "rate" for U charts; None when units cannot be compared
        on a funnel (no denominators)."""
        return {"p": "proportion", "pp": "proportion", "u": "rate", "up": "rate"}.get(self.chart)


class MeasureQuerySet(OrgScopedQuerySet["Measure"]):
    """Everyone in the organisation reads its measures (`visible_to`); nobody else sees them."""

    organisation_field = "unit__organisation_id"

    def editable_by(self, user: Any) -> MeasureQuerySet:
        """Measures whose data the person may enter (and so link to a project): those of
        units where they are a member, or which they oversee (`permissions.can_enter_data`)."""
        return self.visible_to(user).filter(unit__in=editable_units(user))

    def within(self, unit: Unit) -> MeasureQuerySet:
        """Measures of `unit` and every unit below it."""
        return self.filter(unit__path__startswith=unit.path)


class Measure(models.Model):
    """What a unit measures, defined as the improvement literature asks, and how it is charted."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="measures")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        "Type", max_length=10, choices=MeasureKind.choices, default=MeasureKind.OUTCOME
    )
    definition = models.TextField(
        "What is counted or measured",
        help_text="The operational definition: exactly what one data point is.",
    )
    numerator = models.TextField("Numerator", blank=True)
    denominator = models.TextField("Denominator", blank=True)
    inclusions = models.TextField("Included", blank=True)
    exclusions = models.TextField("Excluded", blank=True)
    data_source = models.CharField(max_length=300, blank=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    unit_label = models.CharField(
        "Unit of measure",
        max_length=100,
        blank=True,
        help_text="How the plotted value reads, e.g. 'falls per 1,000 bed-days', 'minutes', '%'.",
    )
    improvement = models.CharField(
        "Which direction is better", max_length=4, choices=Improvement.choices, blank=True
    )
    target = models.FloatField(null=True, blank=True, help_text="On the plotted scale.")
    spec_lower = models.FloatField(
        "Lower specification limit",
        null=True,
        blank=True,
        help_text="For measurements: the lowest acceptable value (optional). With a stable "
        "process the chart page shows how much of it falls within the specification.",
    )
    spec_upper = models.FloatField(
        "Upper specification limit",
        null=True,
        blank=True,
        help_text="For measurements: the highest acceptable value (optional).",
    )
    chart = models.CharField(max_length=4, choices=ChartType.choices, default=ChartType.RUN)
    multiply = models.FloatField(
        "Multiply by",
        default=1.0,
        help_text="100 shows a proportion as a percentage; 1000 gives a rate per 1,000.",
    )
    show_2sigma = models.BooleanField("Show 2-sigma warning lines", default=False)
    rule_set = models.CharField(
        "SPC rule set",
        max_length=20,
        choices=RuleSet.choices,
        blank=True,
        default="",
        help_text="Leave blank to use your organisation's rule set.",
    )
    shared = models.ForeignKey(
        SharedDefinition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
        verbose_name="Shared definition",
        help_text="The organisation-wide definition this unit's measure follows, if any.",
    )
    freeze_until = models.DateField(
        "Baseline ends",
        null=True,
        blank=True,
        help_text="Centre line and limits come from the points up to this period, then extend.",
    )
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="owned_measures")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    summary = SummaryField(default=dict, blank=True, editable=False)
    summary_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: A digest of everything the measure's analysis is computed from, written by every refresh
    #: (`analysis.inputs_digest`): a kept month summary (`MonthSummary`) is valid only while it
    #: equals the digest the summary was computed under.
    inputs_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    #: The summary's keys that boards order and count by (`attention.py`), as columns the
    #: database keeps in step with the summary itself (generated, stored): reading them out
    #: of 10,000 summaries' JSON was most of a whole-system board's time. Never written.
    board_attention = models.GeneratedField(
        expression=Coalesce(Cast(KT("summary__attention"), models.IntegerField()), Value(-1)),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    board_points = models.GeneratedField(
        expression=Coalesce(Cast(KT("summary__n"), models.IntegerField()), Value(0)),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    board_variation = models.GeneratedField(
        expression=KT("summary__variation"),
        output_field=models.CharField(max_length=20, null=True),
        db_persist=True,
    )
    board_assurance = models.GeneratedField(
        expression=KT("summary__assurance"),
        output_field=models.CharField(max_length=20, null=True),
        db_persist=True,
    )

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="measure_unique_name_in_unit")
        ]
        indexes = [
            # The board's order (`attention.ranked`): a page of a large board is read in order.
            models.Index(fields=["-board_attention", "name", "id"], name="measure_board_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id

    @property
    def needs_denominator(self) -> bool:
        return self.chart in NEEDS_DENOMINATOR

    @property
    def subgroups(self) -> bool:
        """Each period holds several measurements (an X̄, R or S chart)."""
        return self.chart in SUBGROUP_CHARTS

    @property
    def from_event_dates(self) -> bool:
        """Its values are the days between events, worked out from the events' dates."""
        return self.chart in FROM_EVENT_DATES

    @property
    def rules_used(self) -> str:
        """The rule set its signals follow: its own choice, else its organisation's."""
        return self.rule_set or self.unit.organisation.rule_set

    @property
    def takes_denominator(self) -> bool:
        return self.chart in TAKES_DENOMINATOR

    @property
    def value_label(self) -> str:
        """What a person types in the value column for this chart."""
        return {
            "p": "Numerator (cases meeting the criterion)",
            "pp": "Numerator (cases meeting the criterion)",
            "u": "Number of events",
            "up": "Number of events",
            "c": "Number of events",
            "t": "Days since the previous event",
            "g": "Cases since the previous event",
            "xbar": "Measurements",
            "r": "Measurements",
            "s": "Measurements",
        }.get(self.chart, "Value")

    def setting_problem(self, kind: str, period: Any) -> str:
        """Why a chart setting cannot go at `period` ('' when it can): a phase must start after
        the first point, an exclusion needs a point; neither may be there twice."""
        periods = list(self.data_points.values_list("period", flat=True))
        if kind == "exclude":
            if period not in periods:
                return "There is no data point at that period to exclude."
            if self.exclusions_set.filter(period=period).exists():
                return "That point is already excluded."
        if kind == "phase":
            if not periods or period <= min(periods):
                return "A new phase must start after the first data point."
            if self.phases.filter(period=period).exists():
                return "A phase already starts at that period."
        return ""

    def clean(self) -> None:
        """Every rule a measure's definition must meet, in one place: the measure form, a
        project's "add a measure" and the REST API all validate through `full_clean`
        (`services.define_measure`), so they refuse exactly the same things."""
        errors: dict[str, str] = {}
        for name in ("target", "multiply"):
            number = getattr(self, name)
            if isinstance(number, float) and not math.isfinite(number):
                errors[name] = f"{name} must be a finite number."
        if "multiply" not in errors and self.multiply is not None and self.multiply <= 0:
            errors["multiply"] = "Multiply by a number above zero (1 leaves values as they are)."
        for name in ("spec_lower", "spec_upper"):
            number = getattr(self, name)
            if isinstance(number, float) and not math.isfinite(number):
                errors[name] = "A specification limit must be a finite number."
        if (
            self.spec_lower is not None
            and self.spec_upper is not None
            and not errors.keys() & {"spec_lower", "spec_upper"}
            and self.spec_lower >= self.spec_upper
        ):
            errors["spec_upper"] = "The upper specification limit must be above the lower one."
        if self.chart in ("t", "g") and "target" not in errors and (self.target or 0) < 0:
            errors["target"] = "Time or cases between events cannot be negative."
        if self.chart in NEEDS_DENOMINATOR and not self.denominator.strip():
            errors["denominator"] = (
                f"A {self.get_chart_display()} needs a denominator: say what it counts "
                "(e.g. 'occupied bed-days in the month')."
            )
        name = (self.name or "").strip()
        if (
            name
            and self.unit_id is not None
            and Measure.objects.filter(unit_id=self.unit_id, name=name).exclude(pk=self.pk).exists()
        ):
            errors["name"] = f"The unit already has a measure called {quoted(name)}."
        problem = self._chart_change_problem()
        if problem:
            errors["chart"] = problem
        if errors:
            raise ValidationError(errors)

    def _chart_change_problem(self) -> str:
        """A new chart must suit the data already saved."""
        if self.pk is None:
            return ""
        before = Measure.objects.filter(pk=self.pk).values_list("chart", flat=True).first()
        if before is None or before == self.chart:
            return ""
        points = self.data_points.all()
        if self.chart in NEEDS_DENOMINATOR and points.filter(denominator__isnull=True).exists():
            return (
                "Some data points have no denominator, which this chart needs. "
                "Add the denominators first, or choose another chart."
            )
        if self.chart in COUNT_CHARTS and points.filter(value__lt=0).exists():
            return "This chart counts events, but some values are negative."
        was_subgroups = before in SUBGROUP_CHARTS
        if points.exists() and was_subgroups != (self.chart in SUBGROUP_CHARTS):
            return (
                "X̄, R and S charts hold several measurements per period, other charts one value: "
                "the data already saved do not fit. Choose another X̄, R or S chart, or start "
                "a new measure."
            )
        if points.exists() and (before in FROM_EVENT_DATES) != (self.chart in FROM_EVENT_DATES):
            return (
                "A T chart's values are worked out from the dates of the events; the data "
                "already saved do not fit. Start a new measure for this chart."
            )
        return ""


class DataPoint(models.Model):
    """One period's value (and denominator, for rates and proportions) of a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="data_points")
    period = models.DateField(
        help_text="The period (a month is its first day) or the event's date."
    )
    #: The value; for a subgroup chart the subgroup's mean. None only for a T chart's first
    #: event, where counting starts (no earlier event to count the days from).
    value = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    #: A subgroup chart's measurements at this period (X̄, R, S charts); None otherwise.
    values = models.JSONField(null=True, blank=True)
    #: Which event of the day this is (0, 1, …): a T chart may have several events on one
    #: date; every other chart has one point per period (seq 0).
    seq = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "seq"], name="datapoint_one_per_period"
            )
        ]

    def __str__(self) -> str:
        shown = "start" if self.value is None else f"{self.value:g}"
        return f"{self.measure}: {self.period:%Y-%m-%d} = {shown}"

    def audit_organisation_id(self) -> int:
        return self.measure.unit.organisation_id


class MeasurePartQuerySet(OrgScopedQuerySet[Any]):
    """A chart setting is seen with its measure (changing it is checked on the measure)."""

    organisation_field = "measure__unit__organisation_id"


class _MeasurePart(models.Model):
    """A chart setting attached to a measure at one period, written by a person."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeasurePartQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["period"]

    def audit_organisation_id(self) -> int:
        return self.measure.unit.organisation_id


class Annotation(_MeasurePart):
    """A note at a period, drawn on the chart: usually a change the team tested."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="annotations")
    text = models.CharField(max_length=120)

    def __str__(self) -> str:
        return f"{self.period:%Y-%m-%d}: {self.text}"


class Phase(_MeasurePart):
    """A new part of the chart starts at this period (after a change): new centre line and limits."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="phases")
    label = models.CharField(max_length=120, help_text="What changed, e.g. 'New falls bundle'.")

    class Meta(_MeasurePart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="phase_one_per_period")
        ]

    def __str__(self) -> str:
        return f"New phase from {self.period:%Y-%m-%d}: {self.label}"


class Exclusion(_MeasurePart):
    """A point left out of the centre line, limits and runs analysis (still plotted), with why."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="exclusions_set")
    reason = models.CharField(max_length=300)

    class Meta(_MeasurePart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="exclusion_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m-%d} excluded: {self.reason}"


class Signal(models.Model):
    """A special cause the analysis found, from the period it starts to the period it reaches.

    Written when the analysis is refreshed (`analysis.refresh`): a pattern that goes on (a
    shift one point longer) is the same row, extended; "is this signal new?" is whether a row
    exists. People are told of a new signal once (`notified`)."""

    class Kind(models.TextChoices):
        OUTSIDE = "outside", "A point beyond a control limit"
        PATTERN = "pattern", "A pattern of points (a shift, a trend, points near a limit)"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="signals")
    start = models.DateField()
    end = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: "up" or "down": the side of the centre line (or the slope) the points show; "" if none.
    direction = models.CharField(max_length=4, blank=True)
    #: `spc.VARIATION` of its points: improvement, concern or neither.
    meaning = models.CharField(max_length=12)
    first_seen = models.DateTimeField(default=timezone.now)
    #: When the owners and leaders were told; None when they were not (found on a first
    #: analysis, or before the data people entered).
    notified = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["measure", "start", "kind"]
        indexes = [models.Index(fields=["measure", "end"], name="signal_measure_end")]

    def __str__(self) -> str:
        return (
            f"{self.measure}: {self.get_kind_display()} {self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"
        )


class StoredAnalysis(models.Model):
    """The measure's whole latest analysis (`Analysis.to_dict()`), kept apart from the summary so
    boards never load it; the chart page reuses it while its inputs are unchanged."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="stored")
    #: A digest of everything the analysis was computed from (points, settings, engine version).
    fingerprint = models.CharField(max_length=64)
    x_kind = models.CharField(max_length=10, default="date")
    data = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Analysis of {self.measure}"


class MonthSummary(models.Model):
    """A measure as it stood at the end of a month (`analysis.as_of`), kept so the board report
    of a large area reads it rather than analysing thousands of measures again (`months.py`).

    Valid only while `inputs_digest` equals the measure's and `rule_set` the rule set it follows
    today; otherwise it is computed again. The plain columns repeat what the report sorts and
    counts by, so it counts in the database."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    summary = SummaryField(default=dict)
    inputs_digest = models.CharField(max_length=64)
    rule_set = models.CharField(max_length=20)
    n = models.IntegerField(default=0)
    attention = models.IntegerField(default=-1)
    #: The summary's icons ("" for none).
    variation = models.CharField(max_length=20, blank=True, default="")
    assurance = models.CharField(max_length=20, blank=True, default="")
    exception = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "month"], name="month_summary_unique")
        ]
        indexes = [
            models.Index(fields=["month", "exception", "-attention"], name="month_summary_order")
        ]

    def __str__(self) -> str:
        return f"{self.measure} at {self.month:%B %Y}"


class DataImportQuerySet(OrgScopedQuerySet["DataImport"]):
    """An upload is seen with its measure (changing it is checked on the measure)."""

    organisation_field = "measure__unit__organisation_id"


class DataImport(models.Model):
    """An uploaded file for one measure: previewed, mapped, validated, then saved all or nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for column mapping"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Checking and saving"
        APPLIED = "applied", "Saved"
        FAILED = "failed", "Not saved: rows need fixing"
        DISCARDED = "discarded", "Discarded"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    # The file itself: no state lives on an app server (DESIGN.md, Scale).
    data = models.BinaryField()
    columns = models.JSONField(default=list)
    preview = models.JSONField(default=list, help_text="The first rows, as text.")
    mapping = models.JSONField(default=dict)
    date_orders = models.JSONField(
        default=dict,
        blank=True,
        help_text="What each column's slash dates say about day/month order (data.DateOrder).",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    progress = models.PositiveSmallIntegerField(default=0)
    errors = models.JSONField(default=list, help_text="[[line, reason], ...] of every bad row.")
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    #: The last sign of progress (submitted, started, a step done): stale work is found by it.
    touched_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DataImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} for {self.measure} ({self.get_status_display()})"

    def audit_organisation_id(self) -> int:
        return self.measure.unit.organisation_id

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RefreshRunQuerySet(OrgScopedQuerySet["RefreshRun"]):
    organisation_field = "organisation_id"

    def working(self) -> RefreshRunQuerySet:
        """The runs waiting to start or under way (`RefreshRun.working`)."""
        return self.filter(status__in=RefreshRun.WORKING)


class RefreshRun(models.Model):
    """One re-analysis of every measure of an organisation (after its rule set changed, nightly,
    or asked for by its admin), run as a task; its progress is shown to the organisation's
    admins while it runs. A re-analysis ends by preparing last month's kept summaries for the
    board report (`months.prepare`), a step with its own progress (`prepared` of
    `to_prepare`); a run with a `month` only prepares that month's (for the board report of a
    large area), counting its summaries in `done` of `total`."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Re-analysing"
        PREPARING = "preparing", "Preparing board report summaries"
        DONE = "done", "Finished"
        FAILED = "failed", "Stopped by an error"

    #: The states of a run not yet over (`working`).
    WORKING = (Status.QUEUED, Status.RUNNING, Status.PREPARING)

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=200)
    #: Set when the run prepares the kept summaries of a month (`months.prepare`, for the board
    #: report) rather than re-analysing.
    month = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    #: A re-analysis's last step: the month whose kept summaries it prepares (set as the step
    #: begins, so a failure after it is known to be the step's) and how many of the missing
    #: ones it has computed (`to_prepare` is 0 until they are counted).
    prepared_month = models.DateField(null=True, blank=True)
    to_prepare = models.PositiveIntegerField(default=0)
    prepared = models.PositiveIntegerField(default=0)
    #: What stopped a failed run (the error's name).
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RefreshRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        what = f"Preparation of {self.month:%B %Y}" if self.month else "Re-analysis"
        return f"{what} of {self.organisation} ({self.get_status_display()})"

    def audit_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def working(self) -> bool:
        return self.status in self.WORKING

    @property
    def indeterminate(self) -> bool:
        """How far its step is is not known yet: waiting to start, or counting the summaries
        to prepare (its page shows a bar without a value)."""
        if self.status == self.Status.PREPARING:
            return not self.to_prepare
        return self.status == self.Status.QUEUED or (
            self.status == self.Status.RUNNING and self.month is not None and not self.total
        )

    @property
    def percent(self) -> int:
        """How far the step under way is (the preparation's once the measures are
        re-analysed: a bar at 100 % would say the run is over when it is not)."""
        if self.status == self.Status.PREPARING:
            done, total = self.prepared, self.to_prepare
        else:
            done, total = self.done, self.total
        return round(100 * done / total) if total else 0

    @property
    def failed_preparing(self) -> bool:
        """Stopped by an error in a re-analysis's last step, after every measure was
        re-analysed (that work stands)."""
        return self.status == self.Status.FAILED and self.prepared_month is not None

    @property
    def state(self) -> str:
        """The run's status in words, saying which step an error stopped."""
        if self.failed_preparing:
            return "Re-analysed; preparing board report summaries stopped by an error"
        return self.get_status_display()

    @property
    def words(self) -> str:
        """What the run is doing or did, in a sentence without its full stop (the page, the
        board report waiting for it and the nightly command say this): "Re-analysed 10,043 of
        10,043 measures; preparing November 2026's board report summaries: 2,000 of 10,043"."""
        if self.status == self.Status.QUEUED:
            return "Waiting to start"
        if self.month is not None:  # a preparation only
            said = self._preparation(self.month, self.done, self.total)
            return said[0].upper() + said[1:]
        said = f"Re-analysed {thousands(self.done)} of {thousands(self.total)} measures"
        if self.prepared_month is not None:
            return f"{said}; " + self._preparation(
                self.prepared_month, self.prepared, self.to_prepare
            )
        if self.status == self.Status.FAILED:
            return f"{said}, then stopped by an error ({self.message})"
        return said

    def _preparation(self, month: datetime.date, done: int, total: int) -> str:
        summaries = f"{month:%B %Y}'s board report summaries"
        if self.status == self.Status.FAILED:
            return (
                f"preparing {summaries} stopped by an error ({self.message}) after "
                f"{thousands(done)} of {thousands(total)}"
            )
        if self.status == self.Status.DONE:
            if not total:
                return f"{summaries} were all kept already"
            return f"prepared {summaries}: {thousands(done)} of {thousands(total)}"
        if self.indeterminate:
            return f"preparing {summaries}: counting those to compute"
        return f"preparing {summaries}: {thousands(done)} of {thousands(total)}"

    def record(self, **fields: Any) -> None:
        """Write these fields of the run at once, outside any transaction's wait: its page polls
        them while it works (and this object follows, for whoever reports its progress)."""
        RefreshRun.objects.filter(pk=self.pk).update(**fields)
        for name, value in fields.items():
            setattr(self, name, value)

    def started(self, **fields: Any) -> None:
        self.record(status=self.Status.RUNNING, started_at=timezone.now(), **fields)

    def preparing(self, month: datetime.date) -> None:
        """The re-analysis's last step begins: preparing `month`'s kept summaries."""
        self.record(status=self.Status.PREPARING, prepared_month=month, prepared=0, to_prepare=0)

    def finished(self, **fields: Any) -> None:
        self.record(status=self.Status.DONE, finished_at=timezone.now(), **fields)

    def stopped(self, message: str) -> None:
        """Marked failed with what stopped it, so its page does not show it working for ever."""
        self.record(status=self.Status.FAILED, finished_at=timezone.now(), message=message)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
