"""Rights fit governance data: the unit's members enter data and add notes; a measure's
definition, baseline, phases, exclusions and deletion belong to its owners and the unit's
leaders, coaches and admins. The page offers only what the person may do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from champion.accounts.models import Role
from champion.core.models import ApiToken
from champion.measures.models import Annotation, Measure
from champion.measures.permissions import can_change_measure, can_enter_data
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

YES = {"confirm": "yes"}  # the second click of core/_confirm.html


@pytest.fixture
def nurse(world):
    """A member of Ward A who does not own the falls measure."""
    return make_person("nurse@test.example", world.org, world.ward_a, Role.MEMBER, "Nia Nurse")


@pytest.mark.parametrize(
    ("persona", "enter", "change"),
    [
        ("nurse", True, False),
        ("member", True, True),  # the measure's owner
        ("leader", True, True),
        ("coach", True, True),
        ("admin", True, True),
        ("colleague", False, False),  # a member of Ward B
        ("leader_elsewhere", False, False),
    ],
)
def test_who_enters_data_and_who_governs(world, measure, nurse, persona, enter, change):
    person = nurse if persona == "nurse" else getattr(world, persona)
    assert can_enter_data(person, measure) is enter
    assert can_change_measure(person, measure) is change


def test_an_owner_from_another_unit_governs_the_measure(world, measure):
    measure.owners.add(world.colleague)
    assert can_change_measure(world.colleague, measure)


def test_a_member_enters_data_and_adds_a_note_but_cannot_change_the_rest(
    client_for, measure, nurse
):
    client = client_for(nurse)
    assert client.get(reverse("measures:data", args=[measure.pk])).status_code == 200
    assert client.get(reverse("measures:upload", args=[measure.pk])).status_code == 200
    note = client.post(
        reverse("measures:setting-add", args=[measure.pk, "annotate"]),
        {"annotate-period": "2024-01-01", "annotate-text": "New falls mats"},
    )
    assert note.status_code == 302 and measure.annotations.get().text == "New falls mats"
    for name, args, data in [
        ("edit", [], {}),
        ("delete", [], {}),
        ("freeze", [], {"freeze-freeze_until": "2023-12-01"}),
        ("setting-add", ["phase"], {"phase-period": "2024-01-01", "phase-label": "After"}),
        ("setting-add", ["exclude"], {"exclude-period": "2024-01-01", "exclude-reason": "x"}),
    ]:
        response = client.post(reverse(f"measures:{name}", args=[measure.pk, *args]), data)
        assert response.status_code == 403, name
    measure.refresh_from_db()
    assert measure.freeze_until is None and not measure.phases.exists()
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_note_is_removed_by_its_author_or_those_who_govern_not_by_other_members(
    client_for, world, measure, nurse
):
    mine = Annotation.objects.create(measure=measure, period=measure.data_points.first().period,
                                     text="Mine", created_by=nurse)  # fmt: skip
    theirs = Annotation.objects.create(measure=measure, period=mine.period, text="Theirs",
                                       created_by=world.member)  # fmt: skip
    client = client_for(nurse)
    remove = "measures:setting-remove"
    assert (
        client.post(reverse(remove, args=[measure.pk, "annotate", theirs.pk]), YES).status_code
        == 403
    )
    assert (
        client.post(reverse(remove, args=[measure.pk, "annotate", mine.pk]), YES).status_code == 302
    )
    assert list(measure.annotations.values_list("text", flat=True)) == ["Theirs"]
    leader = client_for(world.leader)
    assert (
        leader.post(reverse(remove, args=[measure.pk, "annotate", theirs.pk]), YES).status_code
        == 302
    )


def test_the_page_offers_a_member_only_what_they_may_do(client_for, world, measure, nurse):
    page = client_for(nurse).get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "Enter data" in page and "Annotate a point" in page
    assert "Edit definition" not in page and "Start a new phase" not in page
    assert "Freeze the baseline" not in page and "Exclude a point" not in page
    assert "its owners and the unit's leaders change its definition" in page
    owner = client_for(world.member).get(reverse("measures:detail", args=[measure.pk]))
    html = owner.content.decode()
    assert "Edit definition" in html and "Start a new phase" in html


def test_data_entry_through_the_api_needs_the_right_to_enter_data(client, world, measure, nurse):
    url = f"/api/v1/measures/{measure.pk}/data"
    body = {"points": [{"period": "2025-01-01", "value": 3, "denominator": 1000}]}
    for person, status in [(world.colleague, 403), (nurse, 200)]:
        token = ApiToken.issue(person, "test")[1]
        response = client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == status
    assert measure.data_points.filter(period="2025-01-01").get().value == 3
