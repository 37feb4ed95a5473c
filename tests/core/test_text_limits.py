"""Free text has a maximum, with a clear message, at every boundary (core.limits); text saved
before the limits existed stays valid."""

import pytest
from django.urls import reverse

from champion.core import limits
from champion.core.models import ApiToken
from champion.improvement.ideas.models import Idea
from champion.improvement.models import Method, Project
from champion.improvement.tools.spec import LONG, TEXT, Field
from champion.measures.models import Measure
from tests.improvement.test_charter import charter

pytestmark = pytest.mark.django_db


def test_one_constant_per_kind_of_text():
    assert (limits.SHORT, limits.TEXT, limits.LONG) == (200, 2_000, 10_000)
    assert limits.too_long("x" * 2_000, limits.TEXT) == ""
    assert "2,001 characters long; the most is 2,000" in limits.too_long("x" * 2_001, limits.TEXT)


def test_a_20000_character_idea_is_refused_with_a_message(world, client_for):
    client = client_for(world.member)
    response = client.post(
        reverse("ideas:new"), {"problem": "Handover overruns", "idea": "x" * 20_000,
                               "unit": world.ward_a.pk},
    )  # fmt: skip
    assert response.status_code in (200, 422) and not Idea.objects.exists()
    page = response.content.decode()
    assert "20,000 characters long; the most is 2,000" in page
    assert 'maxlength="2000"' in page  # the browser is told too
    client.post(
        reverse("ideas:new"),
        {"problem": "Handover overruns", "idea": "x" * 2_000, "unit": world.ward_a.pk},
    )
    assert Idea.objects.count() == 1


def test_a_comment_has_a_limit(world, client_for):
    from champion.improvement.ideas.forms import CommentForm

    form = CommentForm({"body": "y" * 2_001})
    assert not form.is_valid() and "the most is 2,000" in form.errors["body"][0]


def test_a_charter_has_limits_and_longer_old_text_stays_valid(world, client_for):
    client = client_for(world.member)
    too_long = charter(world, problem_statement="p" * 10_001, aim_statement="a" * 2_001)
    response = client.post(reverse("improvement:project-new"), too_long)
    assert not Project.objects.exists()
    page = response.content.decode()
    assert "10,001 characters long; the most is 10,000" in page
    assert "2,001 characters long; the most is 2,000" in page
    # A project saved before the limits, with a longer statement, can still be edited.
    client.post(reverse("improvement:project-new"), charter(world))
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(problem_statement="o" * 12_000)
    project.refresh_from_db()
    from champion.improvement.forms import CharterForm

    data = charter(world, problem_statement="o" * 12_000, title="Renamed", method=Method.MFI)
    data["version"] = project.version
    form = CharterForm(data, instance=project, user=world.member)
    assert form.is_valid(), form.errors


def test_tool_cells_are_refused_not_cut_short():
    value, error = Field("cause", "Cause", TEXT).clean("c" * 2_001)
    assert value == "c" * 2_001 and "the most is 2,000" in error
    assert Field("notes", "Notes", LONG).clean("c" * 2_001)[1] is None


def test_the_api_refuses_an_over_long_definition_or_name(client, world):
    token = ApiToken.issue(world.member, "test")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"name": "Falls", "unit": world.ward_a.pk, "chart": "c", "definition": "d" * 2_001}
    response = client.post("/api/v1/measures", body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "definition is 2,001 characters long; the most is 2,000" in response.json()["detail"]
    body = {"name": "n" * 201, "unit": world.ward_a.pk, "chart": "c"}
    response = client.post("/api/v1/measures", body, content_type="application/json", **auth)
    assert response.status_code == 422 and "200 characters" in response.json()["detail"]
    assert not Measure.objects.exists()
