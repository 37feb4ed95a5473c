"""The demo's measures: about 40, 2 to 5 years each, stories with changes, targets, t and g charts."""

import datetime

import pytest

from champion.accounts import demo as accounts_demo
from champion.measures import analysis, demo
from champion.measures.models import Annotation, DataPoint, Measure, Phase

pytestmark = pytest.mark.django_db


def test_the_demo_measures_tell_stories_and_are_built_once():
    org = accounts_demo.build(None)
    demo.build(org)  # its speed is make bench's business, never a timed test
    measures = list(Measure.objects.all())
    assert 35 <= len(measures) <= 45
    assert {m.chart for m in measures} >= {"run", "i", "c", "u", "p", "pp", "t", "g", "xbar"}
    # Subgroups typed as measurements; a T chart typed as the dates of the events.
    waits = Measure.objects.get(chart="xbar")
    assert all(len(p.values) == 5 for p in waits.data_points.all())
    said = analysis.verdict(waits, analysis.analyze(waits))
    shown = analysis.capability(waits, list(waits.data_points.all()), said)
    assert shown is not None and shown.shown, (said.headline, shown)
    falls = Measure.objects.get(name="Days between falls with harm")
    gaps = list(falls.data_points.values_list("period", "value"))
    assert gaps[0][1] is None and all(
        v == (d - gaps[i][0]).days for i, (d, v) in enumerate(gaps[1:])
    )
    assert sum(m.target is not None for m in measures) >= 15
    assert Phase.objects.count() >= 10 and Annotation.objects.count() >= 10
    for m in measures:
        periods = list(m.data_points.values_list("period", flat=True))
        assert periods[-1] <= datetime.date(2026, 11, 25), m.name
        if m.chart not in ("t", "g"):
            years = (periods[-1] - periods[0]).days / 365
            assert 1.5 <= years <= 5, (m.name, years)
        assert m.summary.n == len(periods) and not m.summary.error, m.name
    assert any(m.summary.variation == "concern" for m in measures)
    assert any(m.summary.variation == "improvement" for m in measures)
    points = DataPoint.objects.count()
    demo.build(org)
    assert DataPoint.objects.count() == points and Measure.objects.count() == len(measures)
