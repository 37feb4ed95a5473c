"""Riverside Health's measures: about 40, with 2 to 5 years of data, each telling a story.

Generated from a seeded random generator, so every run makes the same numbers.
Idempotent: a measure that already exists is left alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.urls import reverse

from champion.accounts.models import Organisation, Role, Unit, User
from champion.core.models import Notification
from champion.core.words import quoted
from champion.measures.analysis import refresh
from champion.measures.data import Point, Subgroup, event_gaps
from champion.measures.models import Annotation, DataPoint, Measure, Phase, SharedDefinition

END = datetime.date(2026, 10, 1)


def _months(n: int) -> list[datetime.date]:
    out = []
    y, m = END.year, END.month
    for _ in range(n):
        out.append(datetime.date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def _weeks(n: int) -> list[datetime.date]:
    last = END - datetime.timedelta(days=END.weekday())
    return [last - datetime.timedelta(weeks=n - 1 - i) for i in range(n)]


@dataclass
class Spec:
    unit: str
    name: str
    kind: str
    chart: str
    definition: str
    unit_label: str
    improvement: str
    level: float  # before the change: a rate per `multiply` or a mean
    after: float | None = None  # after the change (None: stable)
    change_at: float = 0.6  # where the change happens, as a share of the series
    n: int = 36
    weekly: bool = False
    den: float = 0.0  # typical denominator
    multiply: float = 1.0
    target: float | None = None
    numerator: str = ""
    denominator: str = ""
    source: str = ""
    change_note: str = ""
    phase: bool = False
    noise: float = 0.1
    extra: dict[str, Any] = field(default_factory=dict)


ED = "Emergency Department"
W7 = "Ward 7 - Acute Medicine"
W9 = "Ward 9 - Respiratory"
S3 = "Surgical Ward 3"
TH = "Operating Theatres"
PH = "Pharmacy"
RH = "Rehabilitation Ward"
OP = "Outpatients"
CN = "Community Nursing"
PA = "Patient Access"
RG = "Riverside General Hospital"
HS = "Hillside Community Hospital"
ORG = "Riverside Health"

SPECS = [
    Spec(W7, "Inpatient falls per 1,000 bed-days", "outcome", "u", "Falls recorded in the incident system, any harm level", "falls per 1,000 bed-days", "down", 6.5, 4.2, n=48, den=820, multiply=1000, target=5.0, numerator="Inpatient falls", denominator="Occupied bed-days", source="Incident reporting system; bed management", change_note="Falls bundle and intentional rounding", phase=True),
    Spec(W9, "Inpatient falls per 1,000 bed-days", "outcome", "u", "Falls recorded in the incident system", "falls per 1,000 bed-days", "down", 5.1, n=36, den=700, multiply=1000, target=5.0, numerator="Inpatient falls", denominator="Occupied bed-days"),
    Spec(S3, "Inpatient falls per 1,000 bed-days", "outcome", "u", "Falls recorded in the incident system", "falls per 1,000 bed-days", "down", 3.8, 5.6, change_at=0.85, n=36, den=760, multiply=1000, target=4.0, numerator="Inpatient falls", denominator="Occupied bed-days"),
    Spec(RH, "Inpatient falls per 1,000 bed-days", "outcome", "u", "Falls recorded in the incident system", "falls per 1,000 bed-days", "down", 8.0, 6.2, n=60, den=600, multiply=1000, numerator="Inpatient falls", denominator="Occupied bed-days", change_note="Bed and chair sensors", phase=True),
    Spec(ED, "Door-to-provider time", "process", "i", "Median minutes from arrival to first clinician, per week", "minutes", "down", 48, 31, n=104, weekly=True, target=30, source="ED information system", change_note="Rapid assessment and treatment zone", phase=True, noise=0.12),
    Spec(ED, "Patients seen within 4 hours", "outcome", "pp", "Attendances admitted, transferred or discharged within 4 hours of arrival", "%", "up", 0.71, 0.78, n=48, den=7800, multiply=100, target=95, numerator="Attendances within 4 hours", denominator="All attendances", change_note="Same-day emergency care opened", phase=True),
    Spec(ED, "Left without being seen", "balancing", "p", "Patients who left before assessment", "%", "down", 0.034, n=36, den=7600, multiply=100, numerator="Left without being seen", denominator="All attendances"),
    Spec(ED, "Ambulance handover over 30 minutes", "process", "c", "Handovers that took more than 30 minutes", "handovers", "down", 52, 34, n=36, change_note="Handover nurse at the front door"),
    Spec(W7, "Hand hygiene compliance", "process", "p", "Observed opportunities where hands were cleaned, WHO five moments", "%", "up", 0.82, 0.94, n=36, den=120, multiply=100, target=95, numerator="Opportunities with hand hygiene", denominator="Opportunities observed", change_note="Peer observers and feedback", phase=True),
    Spec(W9, "Hand hygiene compliance", "process", "p", "Observed opportunities where hands were cleaned", "%", "up", 0.91, n=36, den=100, multiply=100, target=95, numerator="Opportunities with hand hygiene", denominator="Opportunities observed"),
    Spec(S3, "Hand hygiene compliance", "process", "p", "Observed opportunities where hands were cleaned", "%", "up", 0.96, n=30, den=90, multiply=100, target=90, numerator="Opportunities with hand hygiene", denominator="Opportunities observed"),
    Spec(RG, "Days between central-line infections", "outcome", "t", "Days since the previous central-line-associated bloodstream infection", "days", "up", 35, 95, change_at=0.55, n=30, source="Infection prevention surveillance", change_note="Line insertion checklist", phase=True),
    Spec(TH, "Operations between surgical-site infections", "outcome", "g", "Operations since the previous surgical-site infection", "operations", "up", 60, 150, change_at=0.5, n=28, change_note="Pre-operative skin preparation bundle", phase=True),
    Spec(RG, "30-day emergency readmissions", "outcome", "p", "Discharges followed by an emergency readmission within 30 days", "%", "down", 0.118, 0.104, n=48, den=2400, multiply=100, target=10.0, numerator="Readmitted within 30 days", denominator="Discharges", change_note="Discharge phone calls"),
    Spec(HS, "30-day emergency readmissions", "outcome", "p", "Discharges followed by an emergency readmission within 30 days", "%", "down", 0.09, n=36, den=600, multiply=100, numerator="Readmitted within 30 days", denominator="Discharges"),
    Spec(ORG, "Staff turnover", "balancing", "p", "Leavers in the month as a share of staff in post", "%", "down", 0.011, 0.014, change_at=0.8, n=48, den=5200, multiply=100, numerator="Leavers", denominator="Staff in post"),
    Spec(ORG, "Sickness absence", "balancing", "pp", "Working days lost to sickness as a share of available days", "%", "down", 0.046, n=48, den=95000, multiply=100, target=4.0, numerator="Days lost", denominator="Available days"),
    Spec(W7, "Pressure ulcers (category 2+)", "outcome", "c", "New hospital-acquired pressure ulcers, category 2 and above", "ulcers", "down", 1.2, 4.5, change_at=0.72, n=36, change_note="New mattress supplier", extra={"last": 4.0}),
    Spec(W9, "Pressure ulcers (category 2+)", "outcome", "c", "New hospital-acquired pressure ulcers", "ulcers", "down", 1.6, n=36),
    Spec(W7, "Medication omissions", "process", "p", "Doses omitted without a documented reason", "%", "down", 0.052, 0.029, n=30, den=900, multiply=100, numerator="Omitted doses", denominator="Doses due", change_note="Omitted-dose huddle"),
    Spec(PH, "Discharge prescriptions ready in 2 hours", "process", "p", "Discharge medicines ready within 2 hours of the request", "%", "up", 0.64, 0.81, n=40, den=420, multiply=100, target=80, numerator="Ready within 2 hours", denominator="Discharge prescriptions", change_note="Ward-based pharmacist", phase=True),
    Spec(PH, "Dispensing errors reaching the ward", "outcome", "c", "Dispensing errors found after the medicine left pharmacy", "errors", "down", 2.1, n=36),
    Spec(TH, "First case on time", "process", "p", "Lists whose first patient entered theatre by the planned start", "%", "up", 0.55, 0.72, n=36, den=160, multiply=100, target=85, numerator="Lists started on time", denominator="Lists", change_note="Pre-list huddle at 08:00", phase=True),
    Spec(TH, "Theatre utilisation", "process", "i", "Minutes of surgery as a share of planned session minutes", "%", "up", 78, n=36, target=85, noise=0.04),
    Spec(TH, "Cancelled operations on the day", "balancing", "c", "Operations cancelled on the day for non-clinical reasons", "operations", "down", 14, n=36),
    Spec(S3, "Time to first mobilisation after surgery", "process", "i", "Hours from return to the ward to first mobilisation", "hours", "down", 22, 15, n=30, target=18, change_note="Enhanced recovery physiotherapy", noise=0.15),
    Spec(S3, "Length of stay, elective hip replacement", "outcome", "i", "Mean days from admission to discharge", "days", "down", 4.6, 3.4, n=40, target=3.5, change_note="Enhanced recovery pathway", phase=True, noise=0.12),
    Spec(RH, "Patients discharged home", "outcome", "p", "Discharges to the usual place of residence", "%", "up", 0.74, n=36, den=60, multiply=100, numerator="Discharged home", denominator="Discharges"),
    Spec(RH, "Therapy minutes per patient per day", "process", "i", "Mean therapy minutes delivered per patient per day", "minutes", "up", 38, 46, n=36, target=45, noise=0.1),
    Spec(OP, "Did not attend rate", "process", "p", "Appointments the patient did not attend", "%", "down", 0.092, 0.071, n=48, den=5200, multiply=100, target=7.0, numerator="Did not attend", denominator="Appointments booked", change_note="Text message reminders", phase=True),
    Spec(OP, "Clinic start delays", "process", "run", "Minutes from the booked start to the first patient called", "minutes", "down", 18, 12, change_at=0.7, n=30, noise=0.3, change_note="Pre-clinic huddle"),
    Spec(CN, "Visits completed as planned", "process", "p", "Scheduled home visits completed on the planned day", "%", "up", 0.93, n=36, den=2100, multiply=100, target=95, numerator="Visits on the planned day", denominator="Visits scheduled"),
    Spec(CN, "Insulin visits missed", "outcome", "c", "Planned insulin visits that did not happen", "visits", "down", 4.0, 1.2, n=30, change_note="Electronic scheduling"),
    Spec(PA, "Referral to first appointment", "process", "i", "Median days from referral received to first appointment", "days", "down", 41, 47, change_at=0.75, n=36, target=35, noise=0.08),
    Spec(PA, "Calls answered within 60 seconds", "process", "pp", "Calls to the booking line answered within a minute", "%", "up", 0.62, 0.76, n=36, den=14000, multiply=100, target=80, numerator="Answered within 60 seconds", denominator="Calls", change_note="Call-back service", phase=True),
    Spec(ED, "Sepsis antibiotics within 1 hour", "process", "p", "Patients with red-flag sepsis given antibiotics within 1 hour", "%", "up", 0.68, 0.86, n=40, den=80, multiply=100, target=90, numerator="Antibiotics within 1 hour", denominator="Red-flag sepsis patients", change_note="Sepsis trolley and screening tool", phase=True),
    Spec(W9, "NIV started within 1 hour", "process", "p", "Patients needing non-invasive ventilation started within 1 hour", "%", "up", 0.7, n=30, den=22, multiply=100, numerator="Started within 1 hour", denominator="Patients needing NIV"),
    Spec(W7, "Discharges before noon", "process", "p", "Discharges completed before 12:00", "%", "up", 0.16, 0.27, n=36, den=110, multiply=100, target=33, numerator="Discharges before noon", denominator="Discharges", change_note="Criteria-led discharge", phase=True),
    Spec(ORG, "Patient experience: would recommend", "outcome", "p", "Friends and Family Test answers 'very good' or 'good'", "%", "up", 0.91, n=48, den=3100, multiply=100, target=90, numerator="Very good or good", denominator="Answers"),
    Spec(RG, "Catheter-associated urinary infections", "outcome", "u", "CAUTIs per 1,000 catheter days", "per 1,000 catheter days", "down", 2.4, n=36, den=2600, multiply=1000, numerator="CAUTIs", denominator="Catheter days"),
]  # fmt: skip


def _series(
    spec: Spec, rng: np.random.Generator
) -> tuple[list[datetime.date], list[float], list[float | None]]:
    """Values with a change after `change_at` of the way, for the spec's chart type."""
    periods = _weeks(spec.n) if spec.weekly else _months(spec.n)
    k = int(spec.n * spec.change_at)
    level = np.full(spec.n, spec.level, dtype=float)
    if spec.after is not None:
        level[k:] = spec.after
    values: list[float] = []
    dens: list[float | None] = []
    if spec.chart in ("p", "pp", "u", "up"):
        den = np.maximum(1, rng.normal(spec.den, spec.den * 0.06, spec.n)).round()
        rate = level / spec.multiply if spec.chart in ("u", "up") else level
        if spec.chart in ("pp", "up"):  # over-dispersion between periods, as real big data show
            rate = rate * rng.normal(1, 0.03, spec.n)
        if spec.chart.startswith("p"):
            counts = rng.binomial(den.astype(int), np.clip(rate, 0, 1))
        else:
            counts = rng.poisson(rate * den)
        values, dens = counts.astype(float).tolist(), den.tolist()
    elif spec.chart == "c":
        values = rng.poisson(level).astype(float).tolist()
        dens = [None] * spec.n
    elif spec.chart in ("t", "g"):
        # Gaps between events: exponential (t) or geometric (g), one point per event.
        gaps = rng.exponential(level) if spec.chart == "t" else rng.geometric(1 / level)
        gaps = np.maximum(1, np.round(gaps))
        # Each event's date, counted back from the end so the last event is recent.
        days = gaps if spec.chart == "t" else np.maximum(1, gaps // 3)  # about 3 operations a day
        offsets = np.cumsum(days[::-1])[::-1] - days  # date of event i: END minus the later gaps
        periods = [END - datetime.timedelta(days=int(o)) for o in offsets]
        values = gaps.astype(float).tolist()
        dens = [None] * spec.n
    else:
        values = np.round(rng.normal(level, np.abs(level) * spec.noise), 1).tolist()
        dens = [None] * spec.n
    if "last" in spec.extra:  # the story needs its latest month to be as the team saw it
        values[-1] = float(spec.extra["last"])
    return periods, values, dens


#: Measures of this name on several wards follow one shared definition (Lead compares them).
SHARED_FALLS = "Inpatient falls per 1,000 bed-days"


def _share(org: Organisation) -> None:
    """One definition for the falls rate every ward measures: the comparison page's funnel."""
    shared, _ = SharedDefinition.objects.get_or_create(
        organisation=org,
        name=SHARED_FALLS,
        defaults={
            "definition": "Inpatient falls recorded in the incident system, any harm level, per "
            "1,000 occupied bed-days",
            "unit_label": "falls per 1,000 bed-days",
            "chart": "u",
            "multiply": 1000,
            "improvement": "down",
        },
    )
    Measure.objects.filter(unit__organisation=org, name=SHARED_FALLS, shared__isnull=True).update(
        shared=shared
    )


def build(org: Organisation | None) -> Organisation | None:
    if org is None:
        return org
    units = {u.name: u for u in Unit.objects.filter(organisation=org)}
    rng = np.random.default_rng(20261125)
    owners: dict[int, list[User]] = {}
    created: list[Measure] = []
    for spec in SPECS:
        unit = units[spec.unit]
        periods, values, dens = _series(spec, rng)  # always drawn, so each series stays the same
        if Measure.objects.filter(unit=unit, name=spec.name).exists():
            continue
        measure = Measure.objects.create(
            unit=unit, name=spec.name, kind=spec.kind, chart=spec.chart,
            definition=spec.definition, unit_label=spec.unit_label, improvement=spec.improvement,
            target=spec.target, multiply=spec.multiply, numerator=spec.numerator,
            denominator=spec.denominator or ("(see definition)" if spec.den else ""),
            data_source=spec.source or "Hospital information system",
            frequency="event" if spec.chart in ("t", "g") else ("weekly" if spec.weekly else "monthly"),
        )  # fmt: skip
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, period=p, value=v, denominator=d)
            for p, v, d in zip(periods, values, dens, strict=True)
        )
        if unit.pk not in owners:
            owners[unit.pk] = list(
                User.objects.filter(memberships__unit=unit).order_by("memberships__role", "pk")[:2]
            )
        measure.owners.set(owners[unit.pk])
        if spec.change_note and spec.after is not None:
            at = periods[int(spec.n * spec.change_at)]
            Annotation.objects.create(measure=measure, period=at, text=spec.change_note)
            if spec.phase:
                Phase.objects.create(measure=measure, period=at, label=spec.change_note)
        refresh(measure)
        created.append(measure)
    created += _subgroups_and_event_dates(units, owners)
    _notify_concerns(created)
    _share(org)
    return org


def _subgroups_and_event_dates(
    units: dict[str, Unit], owners: dict[int, list[User]]
) -> list[Measure]:
    """Two measures entered as people enter them: an X̄ chart of five patients' waits sampled
    each week (with a specification, so the page shows its capability), and a T chart typed
    as the dates of the events (the days between them worked out by the platform)."""
    rng = np.random.default_rng(20261207)  # its own generator: the other series stay the same
    made = []
    waits = [
        Subgroup(day, tuple(float(v) for v in np.round(np.clip(rng.normal(24, 6, 5), 3, None))))
        for day in _weeks(96)
    ]
    gaps = np.maximum(1, np.round(rng.exponential(30, 26)))
    dates = [END - datetime.timedelta(days=int(o)) for o in np.cumsum(gaps[::-1])[::-1]]
    for unit_name, name, values, fields in (
        (OP, "Clinic waiting time (5 patients sampled weekly)", waits, {
            "chart": "xbar", "kind": "process", "frequency": "weekly", "unit_label": "minutes",
            "improvement": "down", "spec_upper": 45.0,
            "definition": "Minutes from booked appointment time to being called, for 5 "
            "patients sampled each week (the first patient of each weekday clinic)",
        }),
        (W7, "Days between falls with harm", [Point(d, None) for d in dates], {
            "chart": "t", "kind": "outcome", "frequency": "event", "unit_label": "days",
            "improvement": "up",
            "definition": "The date of each inpatient fall with moderate harm or worse; the "
            "chart shows the days between them",
        }),
    ):  # fmt: skip
        unit = units[unit_name]
        if Measure.objects.filter(unit=unit, name=name).exists():
            continue
        measure = Measure.objects.create(
            unit=unit, name=name, data_source="Hospital information system", **fields
        )
        # In bulk, as the other demo series (no audit line per point).
        DataPoint.objects.bulk_create(
            DataPoint(measure=measure, period=v.period, value=v.value,
                      values=list(v.values) if isinstance(v, Subgroup) else None)
            for v in values
        )  # fmt: skip
        event_gaps(measure)
        measure.owners.set(owners.get(unit.pk) or [])
        refresh(measure)
        made.append(measure)
    return made


def _notify_concerns(measures: list[Measure]) -> None:
    """The bell has something to show: concerns already in the data, as monitoring would have said.

    Written directly (no e-mail): the demo must not send mail.
    """
    for m in measures:
        if m.summary.variation != "concern":
            continue
        leaders = User.objects.filter(memberships__unit=m.unit, memberships__role=Role.LEADER)
        for person in {*m.owners.all(), *leaders}:
            Notification.objects.create(
                user=person,
                title=f"New signal: {m.name}",
                body=f"The latest data on {quoted(m.name)} ({m.unit.name}) show a signal: "
                + (m.summary.last_reasons or ("special cause",))[0]
                + ".",
                url=reverse("measures:detail", args=[m.pk]),
            )
