"""Who reads and who changes a measure: the organisation reads, the unit's team changes, outsiders see nothing."""

import pytest
from django.urls import reverse

from champion.measures.models import Measure
from champion.measures.permissions import can_change_measure

pytestmark = pytest.mark.django_db


def test_everyone_in_the_organisation_reads_a_measure(client_for, world, measure):
    for person in (world.member, world.colleague, world.leader_elsewhere, world.coach, world.admin):
        assert (
            client_for(person).get(reverse("measures:detail", args=[measure.pk])).status_code == 200
        )


def test_another_organisation_sees_nothing(client_for, world, measure):
    client = client_for(world.outsider)
    for name in ("measures:detail", "measures:edit", "measures:data", "measures:csv"):
        assert client.get(reverse(name, args=[measure.pk])).status_code == 404
    assert client.get(reverse("measures:chart-file", args=[measure.pk, "svg"])).status_code == 404
    assert "Falls" not in client.get(reverse("measures:index")).content.decode()
    assert "Falls" not in client.get(reverse("measures:board")).content.decode()


def test_a_measure_of_another_unit_is_read_only_to_a_member(client_for, world, measure):
    client = client_for(world.colleague)  # a member of Ward B
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "Enter data" not in page and "read this measure" in page
    assert client.get(reverse("measures:data", args=[measure.pk])).status_code == 403
    assert client.get(reverse("measures:edit", args=[measure.pk])).status_code == 403
    response = client.post(
        reverse("measures:setting-add", args=[measure.pk, "annotate"]),
        {"annotate-period": "2024-01-01", "annotate-text": "Sneaky"},
    )
    assert response.status_code == 403
    assert not measure.annotations.exists()


@pytest.mark.parametrize(
    "persona,allowed",
    [
        ("member", True),
        ("leader", True),
        ("coach", True),  # coach of North Hospital, above Ward A
        ("admin", True),  # admin of the root
        ("colleague", False),  # member of Ward B
        ("leader_elsewhere", False),  # leader of Ward C
    ],
)
def test_who_may_change(world, measure, persona, allowed):
    assert can_change_measure(getattr(world, persona), measure) is allowed
    assert (
        Measure.objects.editable_by(getattr(world, persona)).filter(pk=measure.pk).exists()
    ) is allowed


def test_the_unit_choices_are_where_the_person_may_define_measures(client_for, world):
    page = client_for(world.member).get(reverse("measures:create")).content.decode()
    assert "Ward A" in page and "Ward B" not in page and "Ward Z" not in page


def _every_measure_url(measure, item_ids):
    """Every page and action of one measure, from the URL patterns (a new one is covered too)."""
    from champion.measures import urls

    out = []
    for pattern in urls.urlpatterns:
        keys = set(pattern.pattern.regex.groupindex)
        if "pk" not in keys:
            continue
        kwargs = {"pk": measure.pk}
        if "kind" in keys:
            kwargs["kind"] = "annotate"
        if "fmt" in keys:
            kwargs["fmt"] = "svg"
        if "item" in keys:
            kwargs["item"] = item_ids.get(pattern.name, 1)
        out.append((pattern.name, reverse(f"measures:{pattern.name}", kwargs=kwargs)))
    return out


@pytest.fixture
def settings_and_upload(world, measure):
    from champion.measures.models import Annotation, DataImport

    note = Annotation.objects.create(
        measure=measure, period=measure.data_points.first().period, text="N"
    )
    imp = DataImport.objects.create(
        measure=measure, filename="f.csv", data=b"month,v\n2024-01-01,1\n", columns=["month", "v"],
        rows_total=1, mapping={"layout": "periods", "period": "month", "value": "v"},
    )  # fmt: skip
    return {
        "setting-remove": note.pk,
        "import": imp.pk,
        "import-progress": imp.pk,
        "import-discard": imp.pk,
        "import-errors": imp.pk,
    }


def test_another_organisation_gets_404_from_every_page_and_action(
    client_for, world, measure, settings_and_upload
):
    client = client_for(world.outsider)
    urls = _every_measure_url(measure, settings_and_upload)
    assert len(urls) == 15  # with the upload's rows to fix (CSV)
    post_only = {"freeze", "setting-add", "setting-remove", "import-discard"}
    for name, url in urls:
        assert client.get(url).status_code == (405 if name in post_only else 404), name
        assert client.post(url).status_code == 404, name
    measure.refresh_from_db()
    assert measure.annotations.count() == 1 and measure.imports.get().status == "pending"


def test_a_member_of_another_unit_reads_but_every_change_is_403(
    client_for, world, measure, settings_and_upload
):
    client = client_for(world.colleague)  # a member of Ward B, same organisation
    readable = {"detail", "chart-file", "csv", "second-chart"}
    for name, url in _every_measure_url(measure, settings_and_upload):
        if name in readable:
            # A u chart has nothing drawn under it (an I chart's: tests/core/test_object_permissions.py).
            expected = 404 if name == "second-chart" else 200
            assert client.get(url).status_code == expected, name
            continue
        response = client.post(url, {"annotate-period": "2024-01-01", "annotate-text": "x"})
        assert response.status_code == 403, (name, response.status_code)
        if name not in ("freeze", "setting-add", "setting-remove", "import-discard"):
            assert client.get(url).status_code == 403, name
    points = measure.data_points.count()
    measure.refresh_from_db()
    assert measure.annotations.count() == 1 and measure.data_points.count() == points
    assert measure.imports.get().status == "pending"
