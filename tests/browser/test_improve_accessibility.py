"""Every Improve page passes the automated WCAG 2.1 A/AA check and reflows without sideways
scrolling, at desktop and phone widths."""

import datetime

import pytest

from champion.improvement.ideas.models import Idea, WallDisplay
from champion.improvement.measures_link import link_measure
from champion.improvement.models import (
    ChangeIdea,
    Driver,
    PDSACycle,
    Project,
    ProjectMember,
    ProjectStatus,
    Tool,
)
from champion.measures.models import DataPoint, Measure
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser

SAMPLES = {
    "fishbone": (
        {"effect": "Falls"},
        [{"category": "People", "cause": "Tired"}, {"category": "Methods", "cause": "No rounding"}],
    ),
    "five_whys": (
        {"problem": "Fall", "countermeasure": "Clips"},
        [{"answer": "Bell out of reach"}],
    ),
    "sipoc": (
        {"process": "Triage"},
        [
            {
                "supplier": "GP",
                "input": "Letter",
                "step": "Book in",
                "output": "Record",
                "customer": "Nurse",
            }
        ],
    ),
    "process_map": (
        {"process": "Discharge"},
        [
            {"step": "Decide", "owner": "Dr", "value": "va", "minutes": 5},
            {"step": "Wait", "owner": "Pharmacy", "value": "waste", "minutes": 90},
        ],
    ),
    "fmea": (
        {"process": "Triage"},
        [
            {
                "failure_mode": "Missed",
                "severity": 8,
                "occurrence": 2,
                "detection": 5,
                "revised_occurrence": 1,
            }
        ],
    ),
    "pareto": (
        {"measure": "Falls"},
        [{"category": "Bed", "count": 3}, {"category": "Toilet", "count": 1}],
    ),
    "stakeholders": (
        {},
        [
            {
                "stakeholder": "Night staff",
                "influence": "high",
                "current": "doubtful",
                "desired": "supportive",
            }
        ],
    ),
    "change_plan": (
        {},
        [{"action": "Teach", "owner": "Sister", "due": "2026-01-31", "status": "doing"}],
    ),
}


def improve_pages(world):
    project = Project.objects.create(
        unit=world.ward_a,
        title="Fewer falls",
        status=ProjectStatus.ACTIVE,
        problem_statement="Eight falls a month.",
        aim_statement="Reduce falls on Ward A from 8 to 4 a month by June 2026.",
    )
    ProjectMember.objects.create(project=project, user=world.member, role="lead")
    primary = Driver.objects.create(project=project, text="Safe environment")
    secondary = Driver.objects.create(project=project, parent=primary, text="Bells in reach")
    change = ChangeIdea.objects.create(project=project, driver=secondary, text="Bell clips")
    first = PDSACycle.objects.create(
        project=project,
        change_idea=change,
        title="Clips 1",
        prediction="Fewer",
        question="Q",
        stage="done",
        decision="adapt",
    )
    second = PDSACycle.objects.create(
        project=project,
        change_idea=change,
        previous=first,
        title="Clips 2",
        prediction="Fewer",
        question="Q",
        stage="study",
        do_notes="Done",
    )
    tools = [
        Tool.objects.create(
            project=project, kind=kind, title=kind, data={"header": header, "rows": rows}
        )
        for kind, (header, rows) in SAMPLES.items()
    ]
    falls = Measure.objects.create(unit=world.ward_a, name="Falls", definition="Falls", chart="c")
    DataPoint.objects.bulk_create(
        DataPoint(measure=falls, period=datetime.date(2026, m, 1), value=v)
        for m, v in zip(range(1, 11), [8, 9, 7, 8, 9, 8, 5, 4, 4, 3], strict=True)
    )
    link_measure(project, falls, "outcome", by=world.leader)
    idea = Idea.objects.create(
        unit=world.ward_a, submitted_by=world.member, problem="Scanner lost", idea="Give it a home"
    )
    _, wall_token = WallDisplay.create_for(world.ward_a, name="Staff room", by=world.leader)
    paths = [
        "/improve/",
        "/improve/ideas/",
        "/improve/ideas/new/",
        f"/improve/ideas/{idea.pk}/",
        "/improve/ideas/mine/",
        "/improve/ideas/boards/",
        f"/improve/ideas/boards/{world.ward_a.pk}/",
        f"/improve/ideas/boards/{world.ward_a.pk}/?wall=1",
        f"/improve/ideas/wall/{wall_token}/",
        "/improve/ideas/wall/switched-off-or-mistyped/",
        "/improve/projects/",
        "/improve/projects/new/",
        f"/improve/projects/{project.pk}/",
        f"/improve/projects/{project.pk}/charter/",
        f"/improve/projects/{project.pk}/status/",
        f"/improve/projects/{project.pk}/team/",
        f"/improve/projects/{project.pk}/drivers/",
        f"/improve/projects/{project.pk}/cycles/new/",
        f"/improve/projects/{project.pk}/a3/",
        f"/improve/projects/{project.pk}/measures/",
        f"/improve/projects/{project.pk}/measures/new/?role=process",
        f"/improve/cycles/{first.pk}/",
        f"/improve/cycles/{second.pk}/",
        f"/improve/tools/{tools[4].pk}/edit/",
        f"/improve/from-idea/{idea.pk}/?as=cycle",
    ]
    return paths + [f"/improve/tools/{t.pk}/" for t in tools]


@pytest.mark.parametrize("width", [1280, 375])
def test_improve_pages_pass_automated_wcag_checks(page, world, login, width):
    page.set_viewport_size({"width": width, "height": 800})
    paths = improve_pages(world)
    found = {}
    login(world.leader)  # a leader sees the respond and edit forms as well as the pages
    for path in paths:
        page.goto(path)
        problems = violations(page)
        # WCAG 1.4.10 reflow: nothing but the huddle board's own scroller may scroll sideways.
        if wide := sideways(page):
            problems.append(wide)
        if problems:
            found[path] = problems
    assert not found, found
