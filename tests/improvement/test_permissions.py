"""Who sees and changes projects: the team, coaches and the unit's leaders edit; the
organisation reads active and finished projects; other organisations get 404."""

import pytest
from django.urls import reverse

from champion.improvement.models import Project, ProjectStatus, Tool
from champion.improvement.permissions import can_edit_project


@pytest.mark.parametrize(
    ("persona", "edits"),
    [
        ("member", True),  # the project lead
        ("leader", True),  # leader of Ward A
        ("coach", True),  # coach of North Hospital, above Ward A
        ("colleague", False),  # member of Ward B
        ("leader_elsewhere", False),  # leader of Ward C
        ("admin", False),  # admins manage people, not projects
    ],
)
def test_who_edits_a_project(world, client_for, project, persona, edits):
    user = getattr(world, persona)
    assert can_edit_project(user, project) is edits
    response = client_for(user).get(reverse("improvement:charter", args=[project.pk]))
    assert response.status_code == (200 if edits else 403)


@pytest.mark.parametrize("persona", ["colleague", "leader_elsewhere", "admin"])
def test_the_organisation_reads_active_projects(world, client_for, project, persona):
    assert client_for(getattr(world, persona)).get(project.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "outsider_member"])
def test_other_organisations_get_404_everywhere(world, client_for, project, persona):
    client = client_for(getattr(world, persona))
    tool = Tool.objects.create(project=project, kind="fishbone", title="F", data={})
    for url in (
        project.get_absolute_url(),
        reverse("improvement:charter", args=[project.pk]),
        reverse("improvement:a3-pdf", args=[project.pk]),
        reverse("improvement:diagram", args=[project.pk]),
        reverse("improvement:tool", args=[tool.pk]),
        reverse("improvement:tool-export", args=[tool.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404, url
    assert project not in client.get(reverse("improvement:library")).context["projects"]


def test_a_draft_is_seen_only_by_its_team_and_the_units_leaders_and_coaches(
    world, client_for, project
):
    project.status = ProjectStatus.DRAFT
    project.save()
    for persona, status in [
        ("member", 200),
        ("leader", 200),
        ("coach", 200),
        ("colleague", 404),
        ("leader_elsewhere", 404),
    ]:
        assert (
            client_for(getattr(world, persona)).get(project.get_absolute_url()).status_code
            == status
        ), persona


def test_edit_links_appear_only_for_editors(world, client_for, project):
    assert client_for(world.colleague).get(project.get_absolute_url()).context["can_edit"] is False
    assert client_for(world.leader).get(project.get_absolute_url()).context["can_edit"] is True


def test_a_member_of_another_unit_cannot_post_changes(world, client_for, project):
    client = client_for(world.colleague)
    assert (
        client.post(
            reverse("improvement:tool-new", args=[project.pk]), {"kind": "fmea"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("improvement:diagram", args=[project.pk]), {"op": "add_primary", "text": "x"}
        ).status_code
        == 403
    )
    assert not project.tools.exists() and not project.drivers.exists()


def test_editable_by_matches_the_helper(world, project):
    assert list(Project.objects.editable_by(world.coach)) == [project]
    assert list(Project.objects.editable_by(world.colleague)) == []
