"""A project's family of measures, and PDSA cycle starts marked on their charts with the
Measure app's own annotations (one mechanism: the chart draws them like any note)."""

import datetime

import pytest
from django.urls import reverse

from champion.improvement.measures_link import annotate_cycle_start, link_measure
from champion.improvement.models import CycleMark, PDSACycle, ProjectMeasure, Stage
from champion.measures.analysis import analyze, chart_spec
from champion.measures.models import Annotation, DataPoint, Measure


@pytest.fixture
def falls(world):
    measure = Measure.objects.create(
        unit=world.ward_a, name="Falls", definition="Inpatient falls", chart="c", kind="outcome"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=datetime.date(2026, m, 1), value=v)
        for m, v in zip(range(1, 11), [8, 9, 7, 8, 9, 8, 5, 4, 4, 3], strict=True)
    )
    return measure


def started(project, title="Bell clips — cycle 1", day=datetime.date(2026, 7, 3)):
    return PDSACycle.objects.create(
        project=project,
        title=title,
        prediction="Fewer falls",
        question="Q",
        stage=Stage.DO,
        start_date=day,
    )


def test_starting_a_cycle_marks_its_date_on_every_linked_measure(world, project, falls):
    link_measure(project, falls, "outcome", by=world.member)
    cycle = started(project)
    assert annotate_cycle_start(cycle) == 1
    note = Annotation.objects.get(measure=falls)
    assert (note.period, note.text) == (datetime.date(2026, 7, 3), "PDSA: Bell clips — cycle 1")
    # The Measure app draws it like any other note.
    spec = chart_spec(falls, analyze(falls))
    notes = [(n["x"], n["text"]) for n in spec["datasets"]["annotations"]]
    assert ("2026-07-03", "PDSA: Bell clips — cycle 1") in notes


def test_marking_twice_moves_the_mark_and_never_duplicates_it(world, project, falls):
    link_measure(project, falls, "outcome", by=world.member)
    cycle = started(project)
    annotate_cycle_start(cycle)
    cycle.start_date = datetime.date(2026, 7, 10)
    cycle.save()
    annotate_cycle_start(cycle)
    assert Annotation.objects.filter(measure=falls).count() == 1
    assert Annotation.objects.get(measure=falls).period == datetime.date(2026, 7, 10)


def test_linking_a_measure_marks_cycles_already_started_but_not_plans(world, project, falls):
    started(project)
    PDSACycle.objects.create(project=project, title="Still a plan")
    link = link_measure(project, falls, "", by=world.member)
    assert link.role == "outcome"  # the measure's own type when no role is given
    assert list(Annotation.objects.filter(measure=falls).values_list("text", flat=True)) == [
        "PDSA: Bell clips — cycle 1"
    ]


def test_unlinking_takes_the_projects_marks_off_the_chart_and_keeps_others(world, project, falls):
    Annotation.objects.create(measure=falls, period=datetime.date(2026, 3, 1), text="New beds")
    link = link_measure(project, falls, "outcome", by=world.member)
    started(project)
    annotate_cycle_start(PDSACycle.objects.get())
    from champion.improvement.measures_link import unlink_measure

    unlink_measure(link)
    assert list(Annotation.objects.filter(measure=falls).values_list("text", flat=True)) == [
        "New beds"
    ]
    assert not CycleMark.objects.exists() and not ProjectMeasure.objects.exists()


def test_unlinking_on_the_page_asks_first_and_says_how_many_marks_came_off(
    world, client_for, project, falls
):
    link = link_measure(project, falls, "outcome", by=world.member)
    started(project)
    annotate_cycle_start(PDSACycle.objects.get())
    client = client_for(world.member)
    page = client.get(reverse("improvement:measures", args=[project.pk])).content.decode()
    assert "Unlink this measure? The project's PDSA marks come off its chart" in page
    url = reverse("improvement:measure-unlink", args=[project.pk, link.pk])
    one_click = client.post(url, follow=True)
    assert "Nothing was removed" in one_click.content.decode()
    assert ProjectMeasure.objects.exists() and CycleMark.objects.exists()
    done = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "1 PDSA mark came off its chart" in done
    assert not ProjectMeasure.objects.exists() and not CycleMark.objects.exists()


def test_the_team_links_a_measure_in_a_role(world, client_for, project, falls):
    response = client_for(world.member).post(
        reverse("improvement:measures", args=[project.pk]),
        {"measure": falls.pk, "role": "balancing"},
    )
    assert response.status_code == 302
    assert ProjectMeasure.objects.get().role == "balancing"
    page = client_for(world.colleague).get(project.get_absolute_url()).content.decode()
    assert "Falls" in page and "Balancing" in page


def test_readers_cannot_link_and_other_organisations_measures_are_not_offered(
    world, client_for, project, falls
):
    assert (
        client_for(world.colleague)
        .get(reverse("improvement:measures", args=[project.pk]))
        .status_code
        == 403
    )
    secret = Measure.objects.create(
        unit=world.other_ward, name="Secret", definition="x", chart="run"
    )
    response = client_for(world.member).post(
        reverse("improvement:measures", args=[project.pk]), {"measure": secret.pk}
    )
    assert "measure" in response.context["form"].errors and not ProjectMeasure.objects.exists()


def test_a_measure_is_created_from_the_project_and_linked(world, client_for, project):
    data = {
        "name": "Bells out of reach",
        "unit": world.ward_a.pk,
        "kind": "process",
        "definition": "Bay checks with the call bell out of reach",
        "frequency": "weekly",
        "chart": "c",
        "multiply": "1",
        "role": "process",
    }
    response = client_for(world.member).post(
        reverse("improvement:measure-new", args=[project.pk]), data
    )
    measure = Measure.objects.get(name="Bells out of reach")
    assert response.url == reverse("measures:data", args=[measure.pk])
    assert ProjectMeasure.objects.get().measure == measure and measure.created_by == world.member


def test_advancing_a_cycle_through_the_page_marks_the_chart(world, client_for, project, falls):
    link_measure(project, falls, "outcome", by=world.member)
    cycle = PDSACycle.objects.create(project=project, title="Clips 1", question="Q", prediction="P")
    response = client_for(world.member).post(
        cycle.get_absolute_url(),
        {"title": "Clips 1", "question": "Q", "prediction": "P", "version": 1, "advance": "1"},
        follow=True,
    )
    assert "marked on 1 measure chart" in response.content.decode()
    cycle.refresh_from_db()
    assert Annotation.objects.get(measure=falls).period == cycle.start_date


def test_the_a3_shows_the_outcome_chart(world, client_for, project, falls):
    link_measure(project, falls, "outcome", by=world.member)
    page = (
        client_for(world.colleague)
        .get(reverse("improvement:a3", args=[project.pk]))
        .content.decode()
    )
    assert "Outcome measure chart" in page and "<svg" in page


def test_marks_name_the_change_and_the_cycles_place_in_its_ramp(world, project, falls):
    from champion.improvement.models import ChangeIdea

    change = ChangeIdea.objects.create(project=project, text="Bell clips")
    first = PDSACycle.objects.create(
        project=project,
        change_idea=change,
        title="c1",
        stage=Stage.DONE,
        start_date=datetime.date(2026, 6, 1),
    )
    second = PDSACycle.objects.create(
        project=project,
        change_idea=change,
        previous=first,
        title="c2",
        stage=Stage.DO,
        start_date=datetime.date(2026, 6, 20),
    )
    link_measure(project, falls, "outcome", by=world.member)
    texts = dict(CycleMark.objects.values_list("cycle_id", "annotation__text"))
    assert texts == {first.pk: "PDSA 1: Bell clips", second.pk: "PDSA 2: Bell clips"}


def test_the_project_page_shows_the_outcome_chart(world, client_for, project, falls):
    link_measure(project, falls, "outcome", by=world.member)
    page = client_for(world.colleague).get(project.get_absolute_url()).content.decode()
    assert "Is it working?" in page and "<svg" in page
    assert reverse("measures:detail", args=[falls.pk]) in page


def test_a_project_measure_is_refused_by_the_measure_services_rules(world, client_for, project):
    """The Measure app's one service defines it: a negative target on a g chart is refused here
    as on the measure form and by the API (tests/measures/test_pipeline.py)."""
    data = {
        "name": "Cases between falls", "unit": world.ward_a.pk, "kind": "outcome",
        "definition": "Admissions from one fall to the next", "frequency": "event", "chart": "g",
        "multiply": "1", "target": "-3", "role": "outcome",
    }  # fmt: skip
    response = client_for(world.member).post(
        reverse("improvement:measure-new", args=[project.pk]), data
    )
    assert response.status_code == 200
    assert "Time or cases between events cannot be negative." in response.content.decode()
    assert not Measure.objects.filter(name="Cases between falls").exists()
    assert not ProjectMeasure.objects.exists()
