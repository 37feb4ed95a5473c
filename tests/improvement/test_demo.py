"""The demo organisation has ideas in every status and nine projects with tools and ramps (the ninth a finished falls project on the Rehabilitation Ward)."""

from champion.improvement.ideas.models import Idea, Status
from champion.improvement.measures_link import result_chart
from champion.improvement.models import PDSACycle, Project, ProjectStatus, Tool
from champion.web.demo import load_demo


def test_the_demo_is_complete_and_idempotent(db):
    load_demo()
    counts = (
        Idea.objects.count(),
        Project.objects.count(),
        Tool.objects.count(),
        PDSACycle.objects.count(),
    )
    assert set(Idea.objects.values_list("status", flat=True)) == set(Status.values)
    assert counts[1] == 9
    assert set(Project.objects.values_list("status", flat=True)) == set(ProjectStatus.values) - {
        ProjectStatus.STOPPED
    }
    assert len(set(Tool.objects.values_list("kind", flat=True))) == 8
    ramps = [c for c in PDSACycle.objects.all() if c.previous_id]
    assert len(ramps) >= 4
    for project in Project.objects.filter(status__in=["active", "finished"]):
        assert project.aim_check().ok, project.title
        # Every project people read shows its result on an outcome chart (on the A3 too).
        assert result_chart(project) is not None, project.title
    load_demo()
    assert (
        Idea.objects.count(),
        Project.objects.count(),
        Tool.objects.count(),
        PDSACycle.objects.count(),
    ) == counts
