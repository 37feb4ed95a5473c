"""Defining a measure: the form's checks, the chart chooser, and the audit of the change."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champion.core.models import AuditEvent
from champion.measures.chooser import suggest
from champion.measures.data import AUDIT_EACH_UP_TO, save_points
from champion.measures.models import DataPoint, Measure

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Hand hygiene",
    "kind": "process",
    "definition": "Observed opportunities where hands were cleaned",
    "numerator": "Opportunities with hand hygiene",
    "denominator": "Opportunities observed",
    "frequency": "monthly",
    "unit_label": "%",
    "improvement": "up",
    "target": "95",
    "chart": "p",
    "multiply": "100",
}


def test_a_member_defines_a_measure_and_it_is_audited(client_for, world):
    response = client_for(world.member).post(
        reverse("measures:create"), {**VALID, "unit": world.ward_a.pk}
    )
    measure = Measure.objects.get(name="Hand hygiene")
    assert response.status_code == 302 and response.url == reverse(
        "measures:data", args=[measure.pk]
    )
    assert list(measure.owners.all()) == [world.member]
    assert AuditEvent.objects.filter(object_id=str(measure.pk), action="create").exists()


def test_a_p_chart_needs_a_denominator_definition(client_for, world):
    response = client_for(world.member).post(
        reverse("measures:create"), {**VALID, "denominator": "", "unit": world.ward_a.pk}
    )
    assert response.status_code == 200
    assert "needs a denominator" in response.content.decode()
    assert not Measure.objects.exists()


def test_a_unit_the_person_may_not_use_is_refused(client_for, world):
    response = client_for(world.member).post(
        reverse("measures:create"), {**VALID, "unit": world.ward_b.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Measure.objects.exists()


@pytest.mark.parametrize(
    "answers,chart",
    [
        ({"data": "count", "denominator": "yes"}, "u"),
        ({"data": "count", "denominator": "no"}, "c"),
        ({"data": "count", "rare": "yes", "between": "days"}, "t"),
        ({"data": "between", "between": "cases"}, "g"),
        ({"data": "proportion"}, "p"),
        ({"data": "proportion", "large": "yes"}, "pp"),
        ({"data": "count", "denominator": "yes", "large": "yes"}, "up"),
        ({"data": "subgroups"}, "xbar"),
        ({"data": "measurement", "points": "many"}, "i"),
        ({"data": "measurement", "points": "few"}, "run"),
    ],
)
def test_the_chooser_suggests_a_chart_and_says_why(answers, chart):
    suggestion = suggest(answers)
    assert suggestion.chart == chart and len(suggestion.why) > 40


def test_the_chooser_page_explains(client_for, world):
    page = (
        client_for(world.member)
        .get(reverse("measures:chooser"), {"data": "count", "denominator": "yes"})
        .content.decode()
    )
    assert "Use a U chart (rate of events per exposure)" in page and "bed-days" in page


def test_the_chooser_page_offers_laney_and_subgroup_charts(client_for, world):
    client = client_for(world.member)
    page = client.get(reverse("measures:chooser"), {"data": "proportion", "large": "yes"})
    assert "Use a P′ chart (percentages with very large denominators)" in page.content.decode()
    page = client.get(reverse("measures:chooser"), {"data": "subgroups"}).content.decode()
    assert "Use an X̄ chart" in page and "Several measurements each period" in page


def test_a_measure_is_deleted_after_confirmation_by_its_team_only(client_for, world, measure):
    assert (
        client_for(world.colleague).post(reverse("measures:delete", args=[measure.pk])).status_code
        == 403
    )
    client = client_for(world.member)
    page = client.get(reverse("measures:delete", args=[measure.pk])).content.decode()
    assert "24 data points" in page
    response = client.post(reverse("measures:delete", args=[measure.pk]))
    assert response.status_code == 302 and not Measure.objects.filter(pk=measure.pk).exists()
    assert AuditEvent.objects.filter(
        object_id=str(measure.pk), action="delete", content_type__model="measure"
    ).exists()


def test_deleting_a_large_measure_is_one_audit_entry_for_its_points_and_constant_queries(
    client_for, world, measure
):
    """The points go in the database (no row loaded per point) and the log says how many."""

    big = Measure.objects.create(unit=world.ward_a, name="Big", chart="i", improvement="down")
    big.owners.add(world.member)
    DataPoint.objects.bulk_create(
        DataPoint(
            measure=big, period=datetime.date(2000, 1, 1) + datetime.timedelta(days=i), value=i
        )
        for i in range(3000)
    )
    client = client_for(world.member)
    counts = []
    for target in (measure, big):
        with CaptureQueriesContext(connection) as queries:
            assert client.post(reverse("measures:delete", args=[target.pk])).status_code == 302
        counts.append(len(queries))
    assert counts[1] <= counts[0] + 3  # 24 points or 3,000: the same statements (batches of 1,000)
    assert not DataPoint.objects.filter(measure_id__in=[measure.pk, big.pk]).exists()
    assert not AuditEvent.objects.filter(content_type__model="datapoint").exists()
    entries = AuditEvent.objects.filter(
        object_id=str(big.pk), content_type__model="measure", action="delete"
    )
    # One entry for the 3,000 points with their count, one for the measure itself.
    assert sorted(str(e.changes.get("data points")) for e in entries) == ["None", "[3000, 0]"]


def test_clearing_hundreds_of_points_at_once_is_one_audit_entry(world):
    m = Measure.objects.create(unit=world.ward_a, name="Many", chart="i", improvement="down")
    days = [
        datetime.date(2020, 1, 1) + datetime.timedelta(days=i) for i in range(AUDIT_EACH_UP_TO + 50)
    ]
    DataPoint.objects.bulk_create(DataPoint(measure=m, period=d, value=1) for d in days)
    saved = save_points(m, [], delete=days)
    assert saved.deleted == len(days) and not m.data_points.exists()
    assert not AuditEvent.objects.filter(content_type__model="datapoint").exists()
    entry = AuditEvent.objects.get(
        object_id=str(m.pk), content_type__model="measure", action="delete"
    )
    assert entry.changes == {"data points": [len(days), 0]}
