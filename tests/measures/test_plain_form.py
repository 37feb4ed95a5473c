"""The measure form in a ward manager's words: plain answers choose the chart (through the
chooser's own rule), the statistics wait under "Advanced", overrides win, bad input is
refused with a message and nothing saved, and existing measures edit the same way."""

import re

import pytest
from django.urls import reverse

from champion.measures.chooser import SHOWN_AS, plain_answer, plain_chart, suggest
from champion.measures.models import Measure

pytestmark = pytest.mark.django_db

PLAIN = {
    "name": "Falls",
    "kind": "outcome",
    "numerator": "Inpatient falls reported on Datix",
    "denominator": "Occupied bed-days",
    "shown_as": "per1000",
    "frequency": "monthly",
    "improvement": "down",
    "target": "4",
}


def _create(client, world, **changes):
    data = {**PLAIN, "unit": world.ward_a.pk, **changes}
    return client.post(reverse("measures:create"), {k: v for k, v in data.items() if v is not None})


def _advanced_open(page: str) -> bool:
    tag = re.search(r"<details class=\"card advanced\"[^>]*>", page)
    assert tag is not None, "the form has an Advanced section"
    return " open" in tag.group(0)


@pytest.mark.parametrize(
    "shown_as,denominator,chart,multiply,unit_label",
    [
        ("count", "", "c", 1, ""),
        ("percent", "Patients admitted", "p", 100, "%"),
        ("per100", "Admissions", "u", 100, "per 100"),
        ("per1000", "Occupied bed-days", "u", 1000, "per 1,000"),
        ("per10000", "Occupied bed-days", "u", 10000, "per 10,000"),
        ("value", "", "i", 1, ""),
        ("average", "", "xbar", 1, ""),
        ("days_between", "", "t", 1, "days between events"),
        ("cases_between", "", "g", 1, "cases between events"),
    ],
)
def test_plain_answers_give_the_chart_and_the_stored_fields(
    client_for, world, shown_as, denominator, chart, multiply, unit_label
):
    response = _create(client_for(world.member), world, shown_as=shown_as, denominator=denominator)
    assert response.status_code == 302, response.content.decode()[:3000]
    m = Measure.objects.get(name="Falls")
    assert (m.chart, m.multiply, m.unit_label) == (chart, multiply, unit_label)
    assert m.numerator == "Inpatient falls reported on Datix" and m.improvement == "down"
    assert m.target == 4 and m.frequency == "monthly"
    # No definition typed: it is what is counted, out of what.
    expected = PLAIN["numerator"] + (
        f", out of {denominator[0].lower()}{denominator[1:]}" if denominator else ""
    )
    assert m.definition == expected
    assert list(m.owners.all()) == [world.member]


def test_the_plain_answers_follow_the_chooser_rule():
    """One home for the rule: each answer's chart is the chooser's suggestion for the same
    answers, and a stored measure reads back as the answer that gives its chart."""
    for shown in SHOWN_AS:
        assert plain_chart(shown.key).chart == suggest(shown.answers).chart
        follows = plain_chart(shown.key)
        assert plain_answer(follows.chart, follows.multiply, "x") == shown.key


def test_the_advanced_override_wins(client_for, world):
    response = _create(
        client_for(world.member), world, chart="up", multiply="10000", unit_label="per 10k",
        rule_set="ihi", spec_upper="",
    )  # fmt: skip
    assert response.status_code == 302
    m = Measure.objects.get(name="Falls")
    assert (m.chart, m.multiply, m.unit_label, m.rule_set) == ("up", 10000, "per 10k", "ihi")


def test_a_typed_definition_is_kept(client_for, world):
    _create(client_for(world.member), world, definition="Any fall, witnessed or not")
    assert Measure.objects.get(name="Falls").definition == "Any fall, witnessed or not"


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"shown_as": ""}, "shown_as", "Choose how it is shown"),
        ({"denominator": ""}, "denominator", "needs to know what it is out of"),
        ({"numerator": "", "definition": ""}, "numerator", "Say what is counted or measured."),
        ({"target": "lots"}, "target", "Enter a number."),
        ({"multiply": "0"}, "multiply", "Multiply by a number above zero"),
        ({"spec_lower": "10", "spec_upper": "5"}, "spec_upper", "must be above the lower one"),
        ({"shown_as": "sometimes"}, "shown_as", "Select a valid choice"),
        ({"chart": "zz"}, "chart", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_lost(
    client_for, world, changes, field, message
):
    response = _create(client_for(world.member), world, **changes)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    page = response.content.decode()
    assert message.replace("'", "&#x27;") in page and "Nothing was saved yet" in page
    # What was typed comes back: the words and the other answers.
    assert "Inpatient falls reported on Datix" in page or field == "numerator"
    assert 'value="Falls"' in page
    assert not Measure.objects.exists()
    # An error in an advanced field opens the Advanced section by itself.
    assert _advanced_open(page) == (field in ("multiply", "spec_upper", "chart"))


def test_a_denominator_error_is_said_once_in_plain_words(client_for, world):
    page = _create(client_for(world.member), world, shown_as="percent", denominator="")
    text = page.content.decode()
    assert "A percentage of the &#x27;out of what&#x27; needs to know what it is out of" in text
    assert "needs a denominator" not in text  # the model's own words are not said twice


def test_a_new_measure_opens_with_advanced_closed_and_the_people_picker(client_for, world):
    page = client_for(world.member).get(reverse("measures:create")).content.decode()
    assert not _advanced_open(page)
    assert "How is it shown?" in page and "Out of what? (optional)" in page
    assert 'name="owners__q"' in page  # owners are searched, not listed


def test_an_existing_measure_edits_the_same_way(client_for, world, measure):
    """The falls fixture (a U chart per 1,000) reads as 'a rate per 1,000' with no override,
    so Advanced stays closed; saving the plain answers keeps every stored field."""
    client = client_for(world.leader)
    url = reverse("measures:edit", args=[measure.pk])
    response = client.get(url)
    form = response.context["form"]
    assert form["shown_as"].value() == "per1000" and form["chart"].value() == ""
    assert form["multiply"].value() is None
    page = response.content.decode()
    assert not _advanced_open(page) and 'name="owners__q"' in page
    assert "<strong>Chart:</strong> U chart (rate of events per exposure)." in page
    assert "Mia Member" in page  # the current owner stays ticked
    data = {
        "name": measure.name, "unit": measure.unit_id, "kind": measure.kind,
        "definition": measure.definition, "numerator": "", "denominator": measure.denominator,
        "shown_as": "per1000", "frequency": measure.frequency, "improvement": "down",
        "target": "4", "unit_label": measure.unit_label, "owners": [world.member.pk],
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert (measure.chart, measure.multiply, measure.definition) == (
        "u",
        1000,
        "Inpatient falls reported in Datix",
    )
    # Shown per 10,000 now: the multiplier follows, the chart stays a U chart.
    assert client.post(url, {**data, "shown_as": "per10000"}).status_code == 302
    measure.refresh_from_db()
    assert (measure.chart, measure.multiply) == ("u", 10000)


def test_an_override_an_existing_measure_holds_opens_advanced(client_for, world, measure):
    Measure.objects.filter(pk=measure.pk).update(chart="up", rule_set="")
    response = client_for(world.leader).get(reverse("measures:edit", args=[measure.pk]))
    form = response.context["form"]
    assert form["shown_as"].value() == "per1000" and form["chart"].value() == "up"
    page = response.content.decode()
    assert _advanced_open(page)
    assert "<strong>Chart:</strong> Chosen under Advanced: U′ chart" in page


def test_a_chart_the_data_do_not_fit_is_explained_at_the_plain_question(client_for, world, measure):
    """The falls have denominators but no subgroups: 'an average of several measurements'
    would need another kind of data, and the form says so where the answer was given."""
    client = client_for(world.leader)
    data = {
        "name": measure.name, "unit": measure.unit_id, "kind": measure.kind,
        "numerator": "Falls", "denominator": "", "shown_as": "average",
        "frequency": "monthly", "improvement": "down",
    }  # fmt: skip
    response = client.post(reverse("measures:edit", args=[measure.pk]), data)
    assert response.status_code == 200
    assert any("X̄, R and S charts" in e for e in response.context["form"].errors["shown_as"])
    measure.refresh_from_db()
    assert measure.chart == "u"


def test_the_chooser_link_fills_the_plain_answer(client_for, world):
    client = client_for(world.member)
    form = client.get(reverse("measures:create"), {"chart": "u", "multiply": "1000"}).context[
        "form"
    ]
    assert form["shown_as"].value() == "per1000" and form["chart"].value() == ""
    form = client.get(reverse("measures:create"), {"chart": "pp", "multiply": "100"}).context[
        "form"
    ]
    assert form["shown_as"].value() == "percent" and form["chart"].value() == "pp"


def test_permissions_are_unchanged(client_for, world, measure):
    data = {**PLAIN, "unit": world.ward_b.pk}
    response = client_for(world.member).post(reverse("measures:create"), data)
    assert "Select a valid choice" in response.content.decode()
    assert not Measure.objects.filter(unit=world.ward_b).exists()
    url = reverse("measures:edit", args=[measure.pk])
    assert (
        client_for(world.colleague).post(url, {**PLAIN, "unit": world.ward_a.pk}).status_code == 403
    )
    assert client_for(world.outsider).get(url).status_code == 404
