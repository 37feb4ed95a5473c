"""The A3 assembled from the project (page and PDF) and the organisation's project library."""

import re

import weasyprint
from django.template.loader import render_to_string
from django.urls import reverse

from champion.core.pdf import BASE_URL, fetch_static
from champion.improvement.models import ChangeIdea, Method, PDSACycle, Project, ProjectStatus, Tool
from champion.improvement.views.reports import a3_context
from tests.improvement.a3_builder import a3_with_long_words


def test_the_a3_assembles_the_project(world, client_for, project):
    Tool.objects.create(
        project=project,
        kind="fishbone",
        title="F",
        data={
            "header": {"effect": "Falls"},
            "rows": [{"category": "People", "cause": "Agency staff"}],
        },
    )
    PDSACycle.objects.create(
        project=project, title="Clips — cycle 1", prediction="Fewer", decision="adopt"
    )
    page = (
        client_for(world.colleague)
        .get(reverse("improvement:a3", args=[project.pk]))
        .content.decode()
    )
    for part in (
        "1. Background",
        "3. Goal",
        "4. Root-cause analysis",
        "6. Tests of change",
        "Agency staff",
        "Clips — cycle 1",
        project.aim_statement,
    ):
        assert part in page, part


def test_the_a3_pdf_is_a_pdf(world, client_for, project):
    response = client_for(world.colleague).get(reverse("improvement:a3-pdf", args=[project.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "fewer-falls-on-ward-a-a3.pdf" in response["Content-Disposition"]


def test_the_printed_a3_says_what_is_missing_without_telling_the_board_to_add_it(
    world, rf, client_for, project
):
    long_prediction = (
        "On the next five night shifts at least four in five patients at risk will have "
        "their call bell clipped within reach at every intentional rounding check"
    )
    PDSACycle.objects.create(project=project, title="Clips — cycle 1", prediction=long_prediction)
    html = render_to_string("improvement/a3_print.html", a3_context(project), request=rf.get("/"))
    assert "Add a" not in html
    assert "No root-cause analysis recorded." in html and "No change plan recorded." in html
    assert long_prediction in html  # the whole prediction, not cut short
    # The team sees, on screen, what to add.
    page = client_for(world.member).get(reverse("improvement:a3", args=[project.pk]))
    assert "Add a fishbone, 5 whys or FMEA." in page.content.decode()


def make(world, title, **fields):
    return Project.objects.create(unit=fields.pop("unit", world.ward_a), title=title, **fields)


def test_the_library_searches_by_topic_unit_method_and_result(world, client_for, project):
    project.topic = "falls"
    project.save()
    make(
        world,
        "Discharge before noon",
        unit=world.ward_c,
        status=ProjectStatus.FINISHED,
        method=Method.A3,
        result_summary="38% before noon",
    )
    make(world, "Secret draft", status=ProjectStatus.DRAFT, unit=world.ward_c)
    client = client_for(world.colleague)

    def titles(**params):
        return {
            p.title for p in client.get(reverse("improvement:library"), params).context["projects"]
        }

    assert titles() == {"Fewer falls on Ward A", "Discharge before noon"}  # drafts are private
    assert titles(q="falls") == {"Fewer falls on Ward A"}
    assert titles(unit=world.south.pk) == {"Discharge before noon"}
    assert titles(method="a3") == {"Discharge before noon"}
    assert titles(result="yes") == {"Discharge before noon"}
    assert titles(q="noon 38%") == {"Discharge before noon"}


def test_a_charter_is_reused_in_a_new_project_with_credit(world, client_for, project):
    response = client_for(world.colleague).post(reverse("improvement:reuse", args=[project.pk]))
    copy = Project.objects.exclude(pk=project.pk).get()
    assert response.url == reverse("improvement:charter", args=[copy.pk])
    assert copy.copied_from == project and copy.unit == world.ward_b
    assert copy.aim_statement == project.aim_statement and copy.status == ProjectStatus.DRAFT
    assert copy.members.get().user == world.colleague


def test_a_change_idea_is_copied_into_my_project(world, client_for, project):
    mine = make(world, "Ward B falls", unit=world.ward_b)
    mine.members.create(user=world.colleague, role="lead")
    idea = ChangeIdea.objects.create(project=project, text="Bell clips")
    client_for(world.colleague).post(
        reverse("improvement:change-idea-reuse", args=[idea.pk]), {"project": mine.pk}
    )
    copied = mine.change_ideas.get()
    assert copied.text == "Bell clips" and copied.copied_from == idea


def test_a_change_idea_cannot_be_copied_into_someone_elses_project(world, client_for, project):
    idea = ChangeIdea.objects.create(project=project, text="Bell clips")
    response = client_for(world.colleague).post(
        reverse("improvement:change-idea-reuse", args=[idea.pk]), {"project": project.pk}
    )
    assert response.status_code == 403


def test_the_library_shows_which_changes_were_adopted(world, client_for, project):
    idea = ChangeIdea.objects.create(project=project, text="Bell clips")
    PDSACycle.objects.create(project=project, change_idea=idea, title="c1", decision="adopt")
    page = client_for(world.colleague).get(reverse("improvement:library")).content.decode()
    assert "Changes adopted:</strong> Bell clips" in page


def test_the_whole_project_exports_as_json(world, client_for, project):
    change = ChangeIdea.objects.create(project=project, text="Bell clips")
    PDSACycle.objects.create(
        project=project, change_idea=change, title="Clips 1", prediction="Fewer"
    )
    Tool.objects.create(
        project=project,
        kind="fishbone",
        title="F",
        data={"header": {"effect": "Falls"}, "rows": [{"category": "People", "cause": "Tired"}]},
    )
    data = (
        client_for(world.colleague)
        .get(reverse("improvement:project-json", args=[project.pk]))
        .json()
    )
    # Issue 12: the aim check has a fourth part, whether the aim names a result (not a solution).
    assert data["aim_check"] == {
        "result": True,
        "how much": True,
        "by when": True,
        "for whom": True,
    }
    assert data["team"]["lead"] == ["Mia Member"]
    assert (
        data["cycles"][0]["change_idea"] == "Bell clips" and data["tools"][0]["kind"] == "fishbone"
    )
    assert (
        client_for(world.outsider)
        .get(reverse("improvement:project-json", args=[project.pk]))
        .status_code
        == 404
    )


def test_the_printed_a3_tables_break_lines_only_between_words(world, rf, project):
    """Laid out by WeasyPrint (as the PDF is), every line inside an A3 table cell holds
    whole words: no ordinary word is split across two lines."""
    a3_with_long_words(project, decision="adapt")
    html = render_to_string("improvement/a3_print.html", a3_context(project), request=rf.get("/"))
    words = set(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html)))
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetch_static).render()

    def boxes(box, in_cell=False):
        in_cell = in_cell or type(box).__name__ == "TableCellBox"
        if in_cell and type(box).__name__ == "TextBox":
            yield box.text
        for child in getattr(box, "children", []):
            yield from boxes(child, in_cell)

    pieces = [text for page in document.pages for text in boxes(page._page_box)]
    assert any("Unanticipated" in text for text in pieces)
    broken = [w for text in pieces for w in re.findall(r"\w+", text) if w not in words]
    assert broken == []
