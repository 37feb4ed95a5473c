"""Every chart type draws from its very first points: a new measure never shows an error page."""

import datetime

import pytest
from django.urls import reverse

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
    record_data(
        measure,
        [(datetime.date(2024, k + 1, 1), float(3 + k), den) for k in range(count)],
    )
    response = client_for(world.member).get(reverse("measures:detail", args=[measure.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be drawn" not in page, page[page.find("cannot be drawn") - 200 :][:400]
    measure.refresh_from_db()
    assert measure.summary.n == count and not measure.summary.error
