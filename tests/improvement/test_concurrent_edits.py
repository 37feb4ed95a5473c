"""Two people edit at once: the second save is refused, the newer version is shown, and what
the second person typed is kept on the page. Nothing is silently overwritten."""

import pytest
from django.urls import reverse

from champion.improvement.models import PDSACycle, Tool
from champion.improvement.models.versioned import StaleEdit, save_versioned


def charter_data(world, project, **extra):
    data = {
        "title": project.title,
        "unit": world.ward_a.pk,
        "method": project.method,
        "problem_statement": project.problem_statement,
        "aim_statement": project.aim_statement,
        "scope_in": project.scope_in,
        "scope_out": "",
        "topic": "",
        "version": project.version,
    }
    return data | extra


def test_the_second_charter_save_is_refused_and_shows_the_newer_version(
    world, client_for, project, client
):
    opened_at = project.version
    first = client_for(world.member)
    first.post(
        reverse("improvement:charter", args=[project.pk]),
        charter_data(
            world,
            project,
            aim_statement="Reduce falls on Ward A from 8 to 2 a month by May 2026.",
            version=opened_at,
        ),
    )
    project.refresh_from_db()
    assert project.version == opened_at + 1

    second = client_for(world.leader)
    response = second.post(
        reverse("improvement:charter", args=[project.pk]),
        charter_data(
            world,
            project,
            problem_statement="Leader's new wording of the problem.",
            version=opened_at,
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "saved a newer version" in body
    assert "Leader&#x27;s new wording of the problem." in body  # what they typed is kept
    assert "from 8 to 2 a month" in body  # the newer saved version is shown
    project.refresh_from_db()
    assert project.problem_statement == "Eight falls a month."  # not overwritten
    assert "from 8 to 2" in project.aim_statement

    # Saving again with the version the conflict page carries goes through, on purpose.
    carried = response.context["form"]["version"].value()
    assert carried == str(project.version)
    again = second.post(
        reverse("improvement:charter", args=[project.pk]),
        charter_data(
            world,
            project,
            problem_statement="Leader's new wording of the problem.",
            version=carried,
        ),
    )
    assert again.status_code == 302
    project.refresh_from_db()
    assert project.problem_statement == "Leader's new wording of the problem."


def test_the_second_tool_save_is_refused_with_both_versions_on_the_page(world, client_for, project):
    tool = Tool.objects.create(
        project=project,
        kind="fishbone",
        title="Fishbone",
        data={"header": {"effect": "Falls"}, "rows": []},
    )

    def save(client, cause, version=1):
        return client.post(
            reverse("improvement:tool-edit", args=[tool.pk]),
            {
                "title": "Fishbone",
                "version": version,
                "row_count": 1,
                "h-effect": "Falls",
                "r-0-category": "People",
                "r-0-cause": cause,
            },
        )

    assert save(client_for(world.member), "Agency staff").status_code == 302
    response = save(client_for(world.coach), "Dim lighting")
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "saved a newer version" in body
        and 'value="Dim lighting"' in body
        and "Agency staff" in body
    )
    tool.refresh_from_db()
    assert tool.rows == [{"category": "People", "cause": "Agency staff"}] and tool.version == 2
    # The conflict page carries the newer version, so saving again from it goes through.
    assert '<input type="hidden" name="version" value="2">' in body
    assert save(client_for(world.coach), "Dim lighting", version=2).status_code == 302


def test_the_second_cycle_save_is_refused(world, client_for, project):
    cycle = PDSACycle.objects.create(project=project, title="c1", prediction="p", question="q")
    save_versioned(cycle, 1, by=world.member)  # someone else saved meanwhile: now version 2
    response = client_for(world.leader).post(
        cycle.get_absolute_url(),
        {"title": "c1", "question": "q", "prediction": "Leader's prediction", "version": 1},
    )
    assert "saved a newer version" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.prediction == "p"
    assert response.context["form"]["version"].value() == "2"  # saving again goes through


def test_save_versioned_refuses_a_stale_or_missing_version(world, project):
    save_versioned(project, 1, by=world.member)
    with pytest.raises(StaleEdit) as raised:
        save_versioned(project, 1, by=world.leader)
    assert raised.value.current.version == 2 and raised.value.current.updated_by == world.member
    with pytest.raises(StaleEdit):
        save_versioned(project, None, by=world.leader)


def test_a_driver_renamed_meanwhile_is_not_overwritten(world, client_for, project):
    from champion.improvement.models import Driver

    driver = Driver.objects.create(project=project, text="Safe environment")
    url = reverse("improvement:diagram", args=[project.pk])
    client_for(world.member).post(
        url,
        {
            "op": "rename_driver",
            "driver": driver.pk,
            "was": "Safe environment",
            "text": "Safe bays at night",
        },
    )
    response = client_for(world.leader).post(
        url,
        {
            "op": "rename_driver",
            "driver": driver.pk,
            "was": "Safe environment",
            "text": "Safer wards",
        },
        follow=True,
    )
    driver.refresh_from_db()
    assert driver.text == "Safe bays at night"
    assert "your text “Safer wards” was not saved" in response.content.decode()


def test_a_version_number_shows_only_where_two_versions_are_compared(world, client_for, project):
    """The lock counter is not a label: no "v1" on a tool, a cycle or the project's tool list
    (nobody can see an earlier version there); the conflict page names both versions."""
    tool = Tool.objects.create(
        project=project, kind="fishbone", title="Fishbone", data={"header": {}, "rows": []}
    )
    cycle = PDSACycle.objects.create(project=project, title="c1", prediction="p", question="q")
    client = client_for(world.member)
    pages = [
        project.get_absolute_url(),
        tool.get_absolute_url(),
        cycle.get_absolute_url(),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "v1<" not in body and "· v1" not in body and "version 1" not in body, url
    save_versioned(cycle, 1, by=world.coach)
    response = client.post(
        cycle.get_absolute_url(), {"title": "c1", "question": "q", "prediction": "x", "version": 1}
    )
    assert "The saved version (v2)" in response.content.decode()
