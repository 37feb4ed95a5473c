"""Every chart type draws from its very first points: a new measure never shows an error page."""

import datetime

import pytest
from django.urls import reverse

from champion.measures.data import Subgroup
from champion.measures.models import ChartType, Measure
from champion.measures.services import record_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("chart", ChartType.values)
@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_chart_with_few_points_renders(client_for, world, chart, count):
    measure = Measure.objects.create(
        unit=world.ward_a, name=f"{chart}{count}", definition="x", chart=chart, denominator="d",
        multiply=100 if chart in ("p", "pp") else 1,
    )  # fmt: skip
    den = 50.0 if measure.takes_denominator and chart not in ("run", "i") else None
    points = [(datetime.date(2024, k + 1, 1), float(3 + k), den) for k in range(count)]
    if measure.subgroups:  # X̄, R, S: several measurements per period
        points = [Subgroup(d, (v, v + 1, v + 3)) for d, v, _ in points]
    if measure.from_event_dates:  # T: event dates; the first event starts the count
        points = [(datetime.date(2023, 12, 20), None), *points]
    record_data(measure, points)
    response = client_for(world.member).get(reverse("measures:detail", args=[measure.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be drawn" not in page, page[page.find("cannot be drawn") - 200 :][:400]
    measure.refresh_from_db()
    # A T chart's first event is on the axis, without a value: it starts the count.
    expected = count + 1 if measure.from_event_dates else count
    assert measure.summary.n == expected and not measure.summary.error
