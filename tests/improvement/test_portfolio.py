"""The project portfolio a leader sees: by status, method and phase; finished; stalled."""

import datetime

from django.utils import timezone

from champion.improvement.models import MeasureRole, PDSACycle, Project, ProjectMeasure
from champion.improvement.portfolio import SHOWN, STALL_WEEKS, StalledProject, portfolio
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


def test_the_database_counts_as_the_rule_reads_each_project(world):
    """The portfolio counts and lists in the database; the rule read project by project in
    Python (the way it was computed before) gives the same numbers and the same first rows,
    with more projects than it lists."""
    today = timezone.localdate()
    measure = Measure.objects.create(unit=world.ward_a, name="M", definition="x", chart="run")
    recent, old = today - datetime.timedelta(days=3), today - datetime.timedelta(weeks=10)
    for i in range(SHOWN + 15):
        p = active(world, f"Project {i:02d}", method="dmaic" if i % 4 == 0 else "mfi",
                   phase="measure" if i % 4 == 0 else "testing")  # fmt: skip
        if i % 3:
            ProjectMeasure.objects.create(project=p, measure=measure, role=MeasureRole.OUTCOME)
        if i % 5 == 1:
            PDSACycle.objects.create(project=p, title="a", start_date=recent)
        elif i % 5 == 2:
            PDSACycle.objects.create(project=p, title="b", start_date=old, end_date=recent)
        elif i % 5 == 3:
            PDSACycle.objects.create(project=p, title="c", start_date=old, end_date=old)
            PDSACycle.objects.create(project=p, title="d", start_date=old)
    Project.objects.create(unit=world.ward_a, title="Done", status="finished", finished_on=today)

    result = portfolio(Project.objects.visible_to(world.leader), today)

    cutoff = today - datetime.timedelta(weeks=STALL_WEEKS)
    expected = []
    projects = Project.objects.filter(status="active").order_by("title")
    for p in projects:
        dates = [d for c in p.cycles.all() for d in (c.start_date, c.end_date) if d]
        last = max(dates) if dates else None
        outcome = p.measure_links.filter(role=MeasureRole.OUTCOME).exists()
        quiet = last is None or last < cutoff
        if quiet or not outcome:
            expected.append((p.pk, not outcome, last, quiet))
    assert result.active == projects.count() == SHOWN + 15
    assert result.stalled_total == len(expected) > SHOWN
    assert [
        (s.project.pk, s.no_outcome_measure, s.last_test, s.quiet) for s in result.stalled
    ] == expected[:SHOWN]
    assert [p.pk for p in result.active_projects] == [p.pk for p in projects[:SHOWN]]
    stalled = {
        pk: StalledProject(None, no, last, quiet).reasons for pk, no, last, quiet in expected
    }
    assert result.nudges == {p.pk: stalled.get(p.pk, []) for p in projects[:SHOWN]}
    assert {m.method: m.total for m in result.by_method} == {"mfi": 26, "dmaic": 9}
    assert {s: n for s, _, n in result.by_status}["finished"] == result.finished_total == 1
