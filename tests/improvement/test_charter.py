"""Starting a project and writing its charter: the aim is checked, gaps are named, the
method decides the phases, and DMAIC moves on only through tollgates."""

from django.urls import reverse

from champion.improvement.models import Method, Project, ProjectStatus, TeamRole


def charter(world, **extra):
    data = {
        "title": "Faster discharge",
        "unit": world.ward_a.pk,
        "method": Method.MFI,
        "problem_statement": "Discharges leave at 16:00.",
        "aim_statement": "",
        "scope_in": "",
        "scope_out": "",
        "topic": "",
    }
    return data | extra


def test_starting_a_project_makes_you_its_lead(world, client_for):
    response = client_for(world.colleague).post(reverse("improvement:project-new"), charter(world))
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    assert (
        project.members.get().user == world.colleague
        and project.members.get().role == TeamRole.LEAD
    )
    assert project.status == ProjectStatus.DRAFT and project.phase == "aim"


def test_an_empty_aim_is_saved_but_named_as_a_gap(world, client_for):
    client_for(world.member).post(reverse("improvement:project-new"), charter(world))
    project = Project.objects.get()
    assert not project.aim_check().ok
    assert "an aim that says how much, by when and for whom" in project.charter_gaps()
    page = client_for(world.member).get(project.get_absolute_url()).content.decode()
    assert "Write an aim" in page


def test_the_live_aim_check_names_what_is_missing(world, client_for):
    response = client_for(world.member).post(
        reverse("improvement:aim-check"), {"aim_statement": "Reduce falls by 50%"}
    )
    body = response.content.decode()
    assert "Say by when" in body and "Say for whom" in body and "<html" not in body


def test_the_live_aim_check_fails_a_solution_and_warns_on_direction(world, client_for):
    url = reverse("improvement:aim-check")
    client = client_for(world.member)
    body = client.post(
        url, {"aim_statement": "Put bed alarms on all 28 beds on Ward 7B by March."}
    ).content.decode()
    assert "Name the result the work should change" in body
    body = client.post(
        url,
        {
            "aim_statement": "Increase falls on Ward 12 from 6.3 to 12 per 1,000 occupied "
            "bed-days by December 2026."
        },
    ).content.decode()
    assert "This aim names a result" in body and "Check the direction" in body


def test_phases_follow_the_method(world):
    project = Project.objects.create(unit=world.ward_a, title="x", method=Method.DMAIC)
    assert [k for k, _ in project.phases()] == [
        "define",
        "measure",
        "analyse",
        "improve",
        "control",
    ]
    assert project.phase == "define"


def test_dmaic_cannot_skip_a_tollgate(world, client_for):
    project = Project.objects.create(unit=world.ward_a, title="x", method=Method.DMAIC)
    response = client_for(world.leader).post(
        reverse("improvement:status", args=[project.pk]),
        {"status": "active", "phase": "measure", "result_summary": "", "version": project.version},
    )
    assert "tollgate" in str(response.context["form"].errors)
    project.refresh_from_db()
    assert project.phase == "define"


def test_a_leader_passes_a_tollgate_and_the_project_moves_on(world, client_for):
    project = Project.objects.create(unit=world.ward_a, title="x", method=Method.DMAIC)
    client_for(world.leader).post(
        reverse("improvement:tollgate", args=[project.pk]),
        {"version": project.version, "note": "Good charter"},
    )
    project.refresh_from_db()
    assert project.phase == "measure" and project.tollgates["define"]["by"] == str(world.leader)


def test_the_lead_alone_cannot_pass_a_tollgate(world, client_for, project):
    project.method = Method.DMAIC
    project.save()
    response = client_for(world.member).post(
        reverse("improvement:tollgate", args=[project.pk]), {"version": project.version}
    )
    assert response.status_code == 403


def test_finishing_needs_a_result(world, client_for, project):
    response = client_for(world.member).post(
        reverse("improvement:status", args=[project.pk]),
        {
            "status": "finished",
            "phase": project.phase,
            "result_summary": "",
            "version": project.version,
        },
    )
    assert "result" in response.context["form"].errors["result_summary"][0]


def test_team_roles_are_added(world, client_for, project):
    client_for(world.member).post(
        reverse("improvement:team", args=[project.pk]),
        {"person": world.leader.pk, "role": TeamRole.SPONSOR},
    )
    assert project.team()["sponsor"] == [world.leader]


def test_a_charter_that_identifies_a_patient_is_refused_and_nothing_is_lost(world, client_for):
    client = client_for(world.member)
    text = "Mr B, MRN 4412093, fell twice on Ward A."
    response = client.post(
        reverse("improvement:project-new"), charter(world, problem_statement=text)
    )
    assert not Project.objects.exists()
    page = response.content.decode()
    assert "Please take this out" in page and "MRN" in page
    assert "4412093" in page  # what was typed is shown again, to edit
