"""The driver diagram: aim, primary and secondary drivers, change ideas linked to PDSA cycles."""

from django.test import Client
from django.urls import reverse

from champion.improvement.models import ChangeIdea, Driver, PDSACycle
from champion.improvement.tools import driver_tree
from tests.scale import queries


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
    change = ChangeIdea.objects.create(project=project, driver=secondary, text="Bell clips")
    client = client_for(world.colleague)
    page = client.get(reverse("improvement:diagram", args=[project.pk])).content.decode()
    # The page draws the diagram as boxes (HTML, so it can be edited in place and reflow on
    # a phone); the SVG is the export.
    assert f'id="node-driver-{primary.pk}"' in page and f'id="node-change-{change.pk}"' in page
    assert "Bell clips" in page and "Not tested yet" in page
    assert 'name="op" value="rename_driver"' not in page  # a colleague reads, does not edit
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
    edit(client_for(world.member), project, op="delete_change", change=change.pk, confirm="yes")
    assert ChangeIdea.objects.filter(pk=change.pk).exists()


def test_drivers_of_another_project_cannot_be_touched(world, client_for, project):
    from champion.improvement.models import Project

    other = Project.objects.create(unit=world.ward_a, title="Other")
    foreign = Driver.objects.create(project=other, text="Not yours")
    edit(client_for(world.member), project, op="delete_driver", driver=foreign.pk, confirm="yes")
    assert Driver.objects.filter(pk=foreign.pk).exists()


def test_a_name_typed_with_quotes_is_quoted_once_in_the_message(world, client_for, project):
    client = client_for(world.member)
    response = edit(client, project, op="add_primary", text="“Falls”")
    driver = Driver.objects.get()
    response = edit(client, project, op="delete_driver", driver=driver.pk, confirm="yes")
    page = client.get(response.url).content.decode()
    assert "Removed “Falls” (its change ideas" in page
    assert "““" not in page and "””" not in page and "“&quot;" not in page


# Editing in place: the page's script posts the same forms with an HX-Request header and
# swaps in the redrawn diagram (200), or keeps what was typed and shows why (400).


def inline(client, project, **data):
    return client.post(
        reverse("improvement:diagram", args=[project.pk]), data, headers={"HX-Request": "true"}
    )


def test_an_inline_edit_answers_the_redrawn_diagram_and_is_audited(world, client_for, project):
    from django.contrib.contenttypes.models import ContentType

    from champion.core.models import AuditEvent

    primary = Driver.objects.create(project=project, text="Safe environment")
    response = inline(
        client_for(world.member),
        project,
        op="rename_driver",
        driver=primary.pk,
        was="Safe environment",
        text="A safe environment",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="dd dd-editable" id="driver-diagram"')
    assert 'data-message="Driver renamed."' in html and "A safe environment" in html
    assert "<html" not in html  # a fragment, not a page
    primary.refresh_from_db()
    assert primary.text == "A safe environment"
    event = AuditEvent.objects.get(
        content_type=ContentType.objects.get_for_model(Driver),
        object_id=str(primary.pk),
        action="update",
    )
    assert event.actor == world.member and event.changes["text"] == [
        "Safe environment",
        "A safe environment",
    ]


def test_bad_inline_input_is_refused_with_a_reason_and_changes_nothing(world, client_for, project):
    primary = Driver.objects.create(project=project, text="Safe environment")
    client = client_for(world.member)
    cases = [
        ({"op": "rename_driver", "driver": primary.pk, "text": ""}, "Write the text first"),
        ({"op": "rename_driver", "driver": primary.pk, "text": "x" * 201}, "200"),
        ({"op": "rename_driver", "driver": "abc", "text": "New"}, "no longer on the diagram"),
        ({"op": "explode", "text": "x"}, "Unknown change"),
        (
            {"op": "rename_driver", "driver": primary.pk, "was": "Old text", "text": "Mine"},
            "while you were editing",
        ),
        ({"op": "move_driver", "driver": primary.pk, "dir": "up"}, "cannot move further"),
        ({"op": "move_driver", "driver": primary.pk, "dir": "sideways"}, "cannot move"),
        ({"op": "add_primary", "text": "Check NHS number 943 476 5919"}, "identifies a patient"),
        ({"op": "delete_driver", "driver": primary.pk}, "Nothing was removed"),
    ]
    for data, reason in cases:
        response = inline(client, project, **data)
        assert response.status_code == 400, data
        assert reason in response.content.decode(), (data, response.content.decode()[:300])
    assert list(Driver.objects.values_list("text", flat=True)) == ["Safe environment"]


def test_moving_boxes_up_down_and_under_another_driver(world, client_for, project):
    client = client_for(world.member)
    first = Driver.objects.create(project=project, text="First")
    second = Driver.objects.create(project=project, text="Second")
    under_first = Driver.objects.create(project=project, parent=first, text="Under first")
    a = ChangeIdea.objects.create(project=project, driver=under_first, text="A")
    b = ChangeIdea.objects.create(project=project, driver=under_first, text="B")
    assert inline(client, project, op="move_driver", driver=second.pk, dir="up").status_code == 200
    primaries = Driver.objects.filter(project=project, parent=None).order_by("order", "pk")
    assert [d.text for d in primaries] == ["Second", "First"]
    assert inline(client, project, op="move_change", change=b.pk, dir="up").status_code == 200
    page = client.get(reverse("improvement:diagram", args=[project.pk])).content.decode()

    def at(kind, pk):
        return page.index(f'id="node-{kind}-{pk}"')

    assert at("change", b.pk) < at("change", a.pk)
    assert at("driver", second.pk) < at("driver", first.pk)
    # A secondary driver moves under another primary; a change idea under another driver.
    inline(client, project, op="move_driver", driver=under_first.pk, to=second.pk)
    inline(client, project, op="move_change", change=a.pk, to=first.pk)
    under_first.refresh_from_db()
    a.refresh_from_db()
    assert under_first.parent == second and a.driver == first
    # A primary never becomes a secondary (the diagram has two levels of drivers).
    response = inline(client, project, op="move_driver", driver=first.pk, to=second.pk)
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.parent is None


def test_removal_needs_the_second_click(world, client_for, project):
    client = client_for(world.member)
    primary = Driver.objects.create(project=project, text="Safe environment")
    edit(client, project, op="delete_driver", driver=primary.pk)
    assert Driver.objects.filter(pk=primary.pk).exists()
    edit(client, project, op="delete_driver", driver=primary.pk, confirm="yes")
    assert not Driver.objects.filter(pk=primary.pk).exists()


def test_the_aim_is_edited_on_the_diagram_and_bumps_the_charter_version(world, client_for, project):
    client = client_for(world.member)
    version = project.version
    aim = "Reduce falls on Ward A from 8 to 3 a month by June 2026."
    response = inline(client, project, op="rename_aim", was=project.aim_statement, text=aim)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.aim_statement == aim and project.version == version + 1
    assert project.updated_by == world.member
    stale = inline(client, project, op="rename_aim", was="An older aim", text="Mine")
    assert stale.status_code == 400
    project.refresh_from_db()
    assert project.aim_statement == aim


def test_who_may_edit_in_place(world, client_for, project):
    primary = Driver.objects.create(project=project, text="Safe environment")
    data = {"op": "rename_driver", "driver": primary.pk, "text": "Hijacked"}
    # A colleague in the organisation reads the diagram but may not change it.
    assert inline(client_for(world.colleague), project, **data).status_code in (403, 404)
    # Someone from another organisation cannot tell the project exists.
    assert inline(client_for(world.outsider), project, **data).status_code == 404
    primary.refresh_from_db()
    assert primary.text == "Safe environment"


def grow(project, start, stop):
    for i in range(start, stop):
        primary = Driver.objects.create(project=project, text=f"Primary {i}", order=i)
        for j in range(3):
            secondary = Driver.objects.create(
                project=project, parent=primary, text=f"Secondary {i}.{j}", order=j
            )
            for k in range(3):
                idea = ChangeIdea.objects.create(
                    project=project, driver=secondary, text=f"Idea {i}.{j}.{k}"
                )
                PDSACycle.objects.create(project=project, change_idea=idea, title="c")


def test_the_diagram_and_an_edit_answer_take_the_same_queries_at_any_size(
    world, client_for, project
):
    client = client_for(world.member)
    url = reverse("improvement:diagram", args=[project.pk])
    grow(project, 0, 1)
    small, _ = queries(client, url)
    grow(project, 1, 6)
    large, page = queries(client, url)
    assert "Idea 5.2.2" in page and large == small


def test_an_inline_edit_without_the_csrf_token_is_refused(world, project):
    primary = Driver.objects.create(project=project, text="Safe environment")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.member)
    response = inline(client, project, op="rename_driver", driver=primary.pk, text="Forged")
    assert response.status_code == 403
    primary.refresh_from_db()
    assert primary.text == "Safe environment"


def test_an_aim_sent_with_crlf_line_breaks_is_not_taken_for_a_rival_edit(
    world, client_for, project
):
    project.aim_statement = "Reduce falls on Ward A\r\nfrom 8 to 4 a month by June 2026."
    project.save()
    response = inline(
        client_for(world.member),
        project,
        op="rename_aim",
        was="Reduce falls on Ward A\nfrom 8 to 4 a month by June 2026.",
        text="Reduce falls on Ward A from 8 to 3 a month by June 2026.",
    )
    assert response.status_code == 200
