"""Defining a measure: the form's checks, the chart chooser, and the audit of the change."""

import pytest
from django.urls import reverse

from champion.core.models import AuditEvent
from champion.measures.chooser import suggest
from champion.measures.models import Measure

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
