"""The driver diagram: aim, primary and secondary drivers, change ideas linked to PDSA cycles."""

from django.urls import reverse

from champion.improvement.models import ChangeIdea, Driver, PDSACycle
from champion.improvement.tools import driver_tree


def edit(client, project, **data):
    return client.post(reverse("improvement:diagram", args=[project.pk]), data)


def test_building_a_diagram_step_by_step(world, client_for, project):
    client = client_for(world.member)
    edit(client, project, op="add_primary", text="Reliable risk assessment")
    primary = Driver.objects.get()
    edit(client, project, op="add_secondary", parent=primary.pk, text="Assess on admission")
    secondary = Driver.objects.get(parent=primary)
    edit(
        client,
        project,
        op="add_change",
        driver=secondary.pk,
        text="Checklist in the admission pack",
    )
    change = ChangeIdea.objects.get()
    PDSACycle.objects.create(project=project, change_idea=change, title="Checklist — cycle 1")
    (p,) = driver_tree(project)
    assert p.text == "Reliable risk assessment"
    assert p.children[0].children[0].text == "Checklist in the admission pack"
    assert p.children[0].children[0].note == "1 PDSA cycle"


def test_the_diagram_renders_and_exports(world, client_for, project):
    primary = Driver.objects.create(project=project, text="Safe environment")
    secondary = Driver.objects.create(project=project, parent=primary, text="Bells in reach")
    ChangeIdea.objects.create(project=project, driver=secondary, text="Bell clips")
    client = client_for(world.colleague)
    page = client.get(reverse("improvement:diagram", args=[project.pk])).content.decode()
    assert "<svg" in page and "Bell clips" in page and "Not tested yet" in page
    svg = client.get(reverse("improvement:diagram-export", args=[project.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"Safe environment" in svg.content
    tree = client.get(reverse("improvement:diagram-export", args=[project.pk, "json"])).json()
    assert tree["drivers"][0]["secondary"][0]["change_ideas"][0]["idea"] == "Bell clips"


def test_empty_text_is_refused(world, client_for, project):
    response = edit(client_for(world.member), project, op="add_primary", text="  ")
    assert response.status_code == 302 and not Driver.objects.exists()


def test_a_change_idea_with_cycles_cannot_be_deleted(world, client_for, project):
    change = ChangeIdea.objects.create(project=project, text="Clips")
    PDSACycle.objects.create(project=project, change_idea=change, title="c1")
    edit(client_for(world.member), project, op="delete_change", change=change.pk)
    assert ChangeIdea.objects.filter(pk=change.pk).exists()


def test_drivers_of_another_project_cannot_be_touched(world, client_for, project):
    from champion.improvement.models import Project

    other = Project.objects.create(unit=world.ward_a, title="Other")
    foreign = Driver.objects.create(project=other, text="Not yours")
    edit(client_for(world.member), project, op="delete_driver", driver=foreign.pk)
    assert Driver.objects.filter(pk=foreign.pk).exists()


def test_a_name_typed_with_quotes_is_quoted_once_in_the_message(world, client_for, project):
    client = client_for(world.member)
    response = edit(client, project, op="add_primary", text="“Falls”")
    driver = Driver.objects.get()
    response = edit(client, project, op="delete_driver", driver=driver.pk)
    page = client.get(response.url).content.decode()
    assert "Removed “Falls” (its change ideas" in page
    assert "““" not in page and "””" not in page and "“&quot;" not in page
