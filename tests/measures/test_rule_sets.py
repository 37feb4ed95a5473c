"""The SPC rule set: the organisation's (Anhøj by default) unless a measure chooses its own.

The signals, the verdict and the summary's `rule_set` follow the chosen set alone; the Making
Data Count icons are computed whichever set is chosen."""

import pytest
from django.urls import reverse

from champion import spc
from champion.accounts.models import RuleSet
from champion.core.models import ApiToken, AuditEvent
from champion.measures import analysis
from champion.measures.models import Measure, StoredAnalysis

pytestmark = pytest.mark.django_db

ALL = ["anhoej", *spc.RULE_SETS]


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def test_the_choices_are_the_engines_rule_sets():
    assert sorted(RuleSet.values) == sorted(ALL)


def test_anhoej_is_the_default(world, measure):
    assert world.org.rule_set == "anhoej" and measure.rule_set == ""
    assert measure.rules_used == "anhoej"
    v = analysis.verdict(measure, analysis.analyze(measure))
    assert v.rule_set == "anhoej"
    # Only the runs analysis and the limits speak: no other set's rule names a signal.
    assert all(r in ("runs_signal", "sigma_signal") for s in v.signals for r in s.rules)


@pytest.mark.parametrize("rule_set", ALL)
def test_the_summary_names_the_set_used_and_only_its_rules(client, world, measure, rule_set):
    measure.rule_set = rule_set
    measure.save()
    analysis.refresh(measure)
    body = client.get(f"/api/v1/measures/{measure.pk}/summary", **auth(world.member)).json()
    assert body["rule_set"] == rule_set
    assert body["signals"], "the falls measure has two shifts under every set"
    for signal in body["signals"]:
        for rule in signal["rules"]:
            assert ":" not in rule or rule.startswith(f"{rule_set}:"), rule
    # The icons follow the Making Data Count rules whichever set drives the signals.
    measure.refresh_from_db()
    assert measure.summary.variation == analysis.analyze(measure).variation_icon is not None


def test_the_measures_choice_overrides_the_organisations(world, measure):
    world.org.rule_set = "nelson"
    world.org.save()
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.rules_used == "nelson"
    measure.rule_set = "western-electric"
    assert measure.rules_used == "western-electric"
    assert analysis.rules_for(measure) == ("anhoej", "western-electric", "mdc")


def test_an_unknown_rule_set_is_refused_by_the_form(client_for, world, measure):
    url = reverse("measures:edit", args=[measure.pk])
    client = client_for(world.leader)
    data = {
        "name": measure.name, "unit": measure.unit_id, "kind": measure.kind,
        "definition": measure.definition, "denominator": measure.denominator,
        "frequency": measure.frequency, "chart": measure.chart, "multiply": 1000,
        "improvement": "down", "rule_set": "shewhart-ish",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "shewhart-ish is not one of the available choices" in response.content.decode()
    assert Measure.objects.get(pk=measure.pk).rule_set == ""
    response = client.post(url, {**data, "rule_set": "ihi"})
    assert response.status_code == 302
    assert Measure.objects.get(pk=measure.pk).rule_set == "ihi"


def test_only_an_organisation_admin_changes_the_set(client_for, world, measure):
    url = reverse("accounts:organisation-rules")
    for person in (world.member, world.leader, world.coach, world.outsider_member):
        assert client_for(person).post(url, {"rule_set": "nelson"}).status_code == 403
    world.org.refresh_from_db()
    assert world.org.rule_set == "anhoej"
    page = client_for(world.leader).get(reverse("accounts:units")).content.decode()
    assert "Save the rule set" not in page
    page = client_for(world.admin).get(reverse("accounts:units")).content.decode()
    assert "Save the rule set" in page


def test_a_bad_set_is_refused_and_nothing_changes(client_for, world):
    client = client_for(world.admin)
    response = client.post(reverse("accounts:organisation-rules"), {"rule_set": "nope"})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.rule_set == "anhoej"


def test_changing_the_set_re_analyses_the_measures_and_is_audited(
    client_for, world, measure, django_capture_on_commit_callbacks
):
    own = Measure.objects.create(
        unit=world.ward_a, name="Own", definition="x", chart="run", rule_set="ihi"
    )
    old = StoredAnalysis.objects.get(measure=measure).fingerprint
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("accounts:organisation-rules"), {"rule_set": "nelson"})
    assert response.status_code == 302 and len(queued) == 1
    world.org.refresh_from_db()
    assert world.org.rule_set == "nelson"
    assert Measure.objects.get(pk=own.pk).rules_used == "ihi"
    # The stored analysis was recomputed with the Nelson rules (the page reuses it as is).
    stored = StoredAnalysis.objects.get(measure=measure)
    assert stored.fingerprint != old
    assert any(k.startswith("nelson:") for k in stored.data["points"])
    measure = Measure.objects.get(pk=measure.pk)
    s = analysis.series(measure)
    assert stored.fingerprint == analysis.fingerprint(analysis.engine_arguments(measure, s))
    event = AuditEvent.objects.filter(
        content_type__model="organisation", object_id=str(world.org.pk)
    ).first()
    assert event is not None and "rule_set" in event.changes
