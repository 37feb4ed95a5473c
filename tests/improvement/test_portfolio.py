"""The project portfolio a leader sees: by status, method and phase; finished; stalled."""

import datetime

from django.utils import timezone

from champion.improvement.models import MeasureRole, PDSACycle, Project, ProjectMeasure
from champion.improvement.portfolio import STALL_WEEKS, portfolio
from champion.measures.models import Measure


def active(world, title, **fields):
    return Project.objects.create(unit=world.ward_a, title=title, status="active", **fields)


def test_a_project_stalls_without_an_outcome_measure_or_a_recent_test(world):
    today = timezone.localdate()
    measure = Measure.objects.create(unit=world.ward_a, name="M", definition="x", chart="run")
    fine = active(world, "Fine")
    ProjectMeasure.objects.create(project=fine, measure=measure, role=MeasureRole.OUTCOME)
    PDSACycle.objects.create(
        project=fine, title="t", start_date=today - datetime.timedelta(weeks=1)
    )
    quiet = active(world, "Quiet")
    ProjectMeasure.objects.create(project=quiet, measure=measure, role=MeasureRole.OUTCOME)
    ended = today - datetime.timedelta(weeks=STALL_WEEKS, days=1)
    PDSACycle.objects.create(project=quiet, title="t", start_date=ended, end_date=ended)
    process_only = active(world, "Process only")
    ProjectMeasure.objects.create(project=process_only, measure=measure, role=MeasureRole.PROCESS)
    PDSACycle.objects.create(project=process_only, title="t", start_date=today)
    never = active(world, "Never tested")
    Project.objects.create(unit=world.ward_a, title="Paused", status="on_hold")

    result = portfolio(Project.objects.visible_to(world.leader), today)
    assert result.active == 4
    reasons = {s.project.title: s.reasons for s in result.stalled}
    assert reasons == {
        "Quiet": [f"no PDSA cycle since {ended:%-d %b %Y}"],
        "Process only": ["no outcome measure"],
        "Never tested": ["no outcome measure", "no PDSA cycle yet"],
    }
    assert never in result.active_projects and fine not in [s.project for s in result.stalled]


def test_finished_projects_come_newest_first_with_their_result(world):
    today = timezone.localdate()
    for days in (30, 10, 20):
        Project.objects.create(
            unit=world.ward_a, title=f"Done {days}", status="finished",
            finished_on=today - datetime.timedelta(days=days), result_summary=f"Result {days}",
        )  # fmt: skip
    result = portfolio(Project.objects.visible_to(world.member), today)
    assert [p.title for p in result.finished] == ["Done 10", "Done 20", "Done 30"]
    assert result.finished_total == 3 and result.active == 0 and result.by_method == []
