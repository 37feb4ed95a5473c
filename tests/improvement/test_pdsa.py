"""PDSA cycles: a plan without a prediction is a flagged draft that cannot start; each stage
needs its part written; cycles chain into ramps under a change idea."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from champion.improvement import measures_link
from champion.improvement.models import ChangeIdea, PDSACycle, Stage


@pytest.fixture
def change(project):
    return ChangeIdea.objects.create(project=project, text="Bell clips")


def plan(**extra):
    data = {
        "title": "Bell clips — cycle 1",
        "question": "Will clips keep bells in reach?",
        "prediction": "",
        "plan_who": "Night staff",
        "plan_what": "Clip bells to rails",
        "plan_where": "Bays 1-2",
        "plan_when": "Three nights",
        "data_to_collect": "Checks with bell out of reach",
    }
    return data | extra


def test_a_cycle_without_a_prediction_is_saved_as_a_flagged_draft(
    world, client_for, project, change
):
    client = client_for(world.member)
    response = client.post(
        reverse("improvement:cycle-new", args=[project.pk]), plan(change_idea=change.pk)
    )
    cycle = PDSACycle.objects.get()
    assert response.url == cycle.get_absolute_url()
    assert cycle.stage == Stage.PLAN and cycle.lacks_prediction
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert "Draft: no prediction yet" in page
    assert "No prediction" in client.get(project.get_absolute_url()).content.decode()


def test_a_draft_without_a_prediction_cannot_start(world, client_for, project):
    cycle = PDSACycle.objects.create(project=project, title="c1", question="Q?")
    response = client_for(world.member).post(
        cycle.get_absolute_url(), plan(version=cycle.version, advance="1", question="Q?")
    )
    assert response.status_code == 200
    assert "Write a prediction before you start" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.stage == Stage.PLAN and cycle.version == 1


def test_a_cycle_runs_from_plan_to_act(world, client_for, project, change, monkeypatch):
    marked = []
    monkeypatch.setattr(measures_link, "annotate_cycle_start", lambda c: marked.append(c.pk) or 0)
    client = client_for(world.member)
    cycle = PDSACycle.objects.create(project=project, change_idea=change, title="c1")
    steps = [
        plan(prediction="Out-of-reach bells fall from 5 to 1 in 32 checks."),
        {"do_notes": "Clips fitted in bays 1-2 for three nights."},
        {"study_notes": "1 of 32 checks: as predicted.", "prediction_held": "yes"},
        {"decision": "adopt", "act_notes": "Clips on every bed."},
    ]
    expected = [Stage.DO, Stage.STUDY, Stage.ACT, Stage.DONE]
    for data, stage in zip(steps, expected, strict=True):
        cycle.refresh_from_db()
        form = client.get(cycle.get_absolute_url()).context["form"]
        posted = {
            k: v for k, v in form.initial.items() if v is not None and k not in ("change_idea",)
        }
        posted |= data | {"advance": "1", "version": cycle.version}
        if cycle.change_idea_id:
            posted["change_idea"] = cycle.change_idea_id
        response = client.post(cycle.get_absolute_url(), posted)
        assert response.status_code == 302, response.content.decode()[:2000]
        cycle.refresh_from_db()
        assert cycle.stage == stage
    assert cycle.start_date is not None and cycle.end_date is not None
    # The start is marked when the cycle starts (and kept in step by each later save).
    assert cycle.decision == "adopt" and marked and set(marked) == {cycle.pk}


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        (Stage.DO, "Record what happened"),
        (Stage.STUDY, "Compare the results with the prediction"),
        (Stage.ACT, "Decide: adopt, adapt or abandon"),
    ],
)
def test_each_stage_needs_its_part(project, stage, message):
    cycle = PDSACycle(project=project, title="c", stage=stage, prediction="p", question="q")
    with pytest.raises(ValidationError, match=message):
        cycle.advance()


def test_cycles_chain_into_a_ramp(world, client_for, project, change):
    first = PDSACycle.objects.create(
        project=project,
        change_idea=change,
        title="Bell clips — cycle 1",
        question="Q",
        stage=Stage.DONE,
    )
    client_for(world.member).post(reverse("improvement:cycle-next", args=[first.pk]))
    second = PDSACycle.objects.exclude(pk=first.pk).get()
    assert second.previous == first and second.change_idea == change
    assert (
        second.title == "Bell clips — cycle 2"
        and second.question == "Q"
        and second.stage == Stage.PLAN
    )
    assert [c.pk for c in second.ramp()] == [first.pk, second.pk] == [c.pk for c in first.ramp()]
    assert second.number_in_ramp() == 2


def test_starting_the_next_cycle_twice_never_branches_the_ramp(world, client_for, project, change):
    first = PDSACycle.objects.create(
        project=project, change_idea=change, title="Bell clips — cycle 1", stage=Stage.DONE
    )
    client = client_for(world.member)
    client.post(reverse("improvement:cycle-next", args=[first.pk]))
    again = client.post(reverse("improvement:cycle-next", args=[first.pk]))  # a double press
    second = PDSACycle.objects.get(previous=first)
    assert again.url == second.get_absolute_url() and PDSACycle.objects.count() == 2
    # The earlier cycle now points on to the next one instead of offering to start another.
    page = client.get(first.get_absolute_url()).content.decode()
    assert "The ramp carries on in" in page and "Start the next cycle" not in page
    assert client.get(second.get_absolute_url()).status_code == 200


def test_readers_see_a_cycle_but_cannot_change_it(world, client_for, project):
    cycle = PDSACycle.objects.create(project=project, title="c1", prediction="p")
    client = client_for(world.colleague)
    page = client.get(cycle.get_absolute_url())
    assert page.status_code == 200 and page.context["can_edit"] is False
    assert client.post(cycle.get_absolute_url(), plan(version=1)).status_code == 403
    assert client.post(reverse("improvement:cycle-next", args=[cycle.pk])).status_code == 403


def test_date_fields_render_in_the_format_browsers_read(world, client_for, project):
    import datetime

    cycle = PDSACycle.objects.create(
        project=project, title="c1", start_date=datetime.date(2026, 1, 5)
    )
    page = client_for(world.member).get(cycle.get_absolute_url()).content.decode()
    assert 'type="date" name="start_date" value="2026-01-05"' in page


def test_a_plan_that_identifies_a_patient_is_refused(world, client_for, project, change):
    response = client_for(world.member).post(
        reverse("improvement:cycle-new", args=[project.pk]),
        plan(change_idea=change.pk, plan_who="the patient with DOB 03/04/1941 in bay 2"),
    )
    assert not PDSACycle.objects.exists()
    assert "Please take this out" in response.content.decode()
