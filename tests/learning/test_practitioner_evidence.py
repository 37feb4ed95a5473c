"""The Practitioner certificate's evidence is the learner's own project, read live from Improve.

Each rubric item is met or missing from the project's records (charter and aim checker,
family of measures, baseline, cause analysis, PDSA ramp, annotated chart, change plan) and
the reflection written on the submission; submitting needs every item; the submission
keeps a snapshot the coach reviews and the certificate keeps.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from champion import spc
from champion.improvement.evidence import MIN_CAUSE_ROWS, project_evidence
from champion.improvement.measures_link import link_measure
from champion.improvement.models import (
    PDSACycle,
    Project,
    ProjectMember,
    Stage,
    TeamRole,
    Tool,
)
from champion.learning.models import Certificate, Submission, SubmissionStatus
from champion.learning.rubrics import MIN_REFLECTION_CHARS, PROJECT
from champion.learning.services import evidence
from champion.measures.models import Measure
from tests.learning.project_builder import AIM, REFLECTION, build_project, cycle, month
from tests.learning.test_certificates import complete, submit_practical


def met(project, key):
    return project_evidence(project).check(key).met


# The service: each item met or missing -------------------------------------------------


def test_a_complete_project_meets_every_item(world):
    project = build_project(world)
    found = project_evidence(project)
    assert [(c.key, c.met) for c in found.checks] == [
        (key, True)
        for key in ("charter", "measures", "baseline", "process", "pdsa", "chart", "sustain")
    ]
    assert found.roles[world.member.pk] == ["Project lead"]
    chart = found.check("chart")
    assert any("What the chart says:" in line for line in chart.found)
    # The verdict is the engine's own words for this measure.
    assert found.headline and found.headline in " ".join(chart.found)
    assert found.check("baseline").found[0].startswith("Falls outcome (Run chart): 15 points")


def test_an_aim_that_fails_the_checker_leaves_the_charter_missing(world):
    project = build_project(world, aim="Improve falls care on the ward")
    check = project_evidence(project).check("charter")
    assert not check.met
    assert any("how much, by when and for whom" in m for m in check.missing)
    assert any("the aim checker finds it incomplete" in f for f in check.found)


def test_a_charter_without_a_sponsor_is_missing(world):
    project = build_project(world)
    ProjectMember.objects.filter(project=project, role=TeamRole.SPONSOR).delete()
    check = project_evidence(project).check("charter")
    assert not check.met and "The charter needs a sponsor." in check.missing


def test_two_pdsa_cycles_are_not_enough(world):
    project = build_project(world, cycles=2)
    check = project_evidence(project).check("pdsa")
    assert not check.met
    assert "the best ramp has 2" in check.missing[0]


def test_three_cycles_must_be_linked_and_complete(world):
    project = build_project(world, cycles=2)
    # A third complete cycle in a ramp of its own does not link to the others.
    cycle(project, None, 3)
    assert not met(project, "pdsa")
    # A third cycle in the ramp that is still being done is not complete.
    last = project.cycles.filter(previous__isnull=False).get()
    cycle(project, last, 4, complete=False)
    assert not met(project, "pdsa")
    PDSACycle.objects.filter(project=project, stage=Stage.DO).update(
        stage=Stage.DONE, do_notes="Done.", study_notes="Held.", decision="adapt"
    )
    assert met(project, "pdsa")


def test_a_measure_with_too_few_points_before_the_first_change_has_no_baseline(world):
    # Cycles moved to month 9: 9 points before them, and the run chart needs 10.
    project = build_project(world, points=20)
    PDSACycle.objects.filter(project=project).update(start_date=month(9))
    check = project_evidence(project).check("baseline")
    assert not check.met
    assert f"at least {spc.MIN_POINTS['runs']} points" in check.missing[0]
    assert "has 9" in check.missing[0]
    # A control chart needs 12 (its limits), so 11 points are not enough either.
    project2 = build_project(world)
    PDSACycle.objects.filter(project=project2).update(start_date=month(11))
    Measure.objects.filter(project_links__project=project2).update(chart="i")
    check = project_evidence(project2).check("baseline")
    assert not check.met and f"at least {spc.MIN_POINTS['limits']} points" in check.missing[0]


def test_a_frozen_baseline_counts_its_own_points(world):
    project = build_project(world)
    PDSACycle.objects.filter(project=project).update(start_date=month(3))
    assert not met(project, "baseline")
    Measure.objects.filter(project_links__project=project, name="Falls outcome").update(
        freeze_until=month(11)
    )
    check = project_evidence(project).check("baseline")
    assert check.met and "12 points in its frozen baseline" in check.found[0]


def test_the_family_needs_each_role_and_definitions(world):
    project = build_project(world)
    project.measure_links.filter(role="balancing").delete()
    check = project_evidence(project).check("measures")
    assert not check.met and "Link a balancing measure to the project." in check.missing
    Measure.objects.filter(name="Falls process").update(definition=" ")
    check = project_evidence(project).check("measures")
    assert "Write the operational definition of “Falls process”." in check.missing


def test_a_cause_analysis_needs_real_content(world):
    project = build_project(world, cause_rows=MIN_CAUSE_ROWS - 1)
    assert not met(project, "process")
    Tool.objects.create(
        project=project, kind="pareto", title="Falls by place",
        data={"header": {"measure": "Falls"}, "rows": [
            {"category": "Bedside", "count": 12}, {"category": "Toilet", "count": 5},
            {"category": "Corridor", "count": 0},
        ]},
    )  # fmt: skip
    assert not met(project, "process")  # a category counted 0 times is not an entry
    Tool.objects.create(
        project=project, kind="five_whys", title="Why",
        data={"header": {"problem": "A fall"}, "rows": [{"answer": w} for w in "abc"]},
    )  # fmt: skip
    assert met(project, "process")


def test_the_result_chart_needs_the_projects_marks_and_data_after_them(world):
    project = build_project(world)
    # Cycles after the last point: marked on the charts, but no data after the change.
    PDSACycle.objects.filter(project=project).update(start_date=month(30))
    for link in project.measure_links.all():
        link_measure(project, link.measure, link.role, by=world.member)  # moves the marks
    check = project_evidence(project).check("chart")
    assert not check.met


def test_the_sustain_plan_needs_an_action_with_an_owner(world):
    project = build_project(world)
    plan = project.tools.get(kind="change_plan")
    plan.data = {"header": {}, "rows": [{"action": "Keep going", "owner": "", "status": "todo"}]}
    plan.save()
    check = project_evidence(project).check("sustain")
    assert not check.met and "no owner named" in check.found[0]


def test_evidence_costs_the_same_queries_however_much_data(world):
    small = build_project(world, cycles=3, points=20)
    big = build_project(world, cycles=9, points=60, cause_rows=12)
    for _ in range(3):
        Tool.objects.create(project=big, kind="fishbone", title="More", data={"rows": []})
    project_evidence(small), project_evidence(big)  # warm any caches
    with CaptureQueriesContext(connection) as few:
        project_evidence(small)
    with CaptureQueriesContext(connection) as many:
        project_evidence(big)
    assert len(many) == len(few)


# Choosing, submitting, the snapshot ----------------------------------------------------


def ready(world, curriculum):
    complete(world.member, [curriculum["first"], curriculum["second"], curriculum["charter"]])
    submit_practical(world.member, curriculum["foundation"])
    return evidence.submission_for_tier(world.member, curriculum["practitioner"])


def test_submitting_is_refused_with_the_list_of_what_is_missing(curriculum, world):
    submission = ready(world, curriculum)
    project = build_project(world, cycles=2)
    problems = evidence.save_project_evidence(submission, project, "Too short.", submit=True)
    assert any(p.startswith("At least 3 linked PDSA cycles:") for p in problems)
    assert any(p.startswith("Reflection:") and str(MIN_REFLECTION_CHARS) in p for p in problems)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT and submission.snapshot == {}
    # The draft keeps the choice and the words.
    assert submission.project == project and evidence.reflection_of(submission) == "Too short."


def test_no_project_no_submission(curriculum, world):
    submission = ready(world, curriculum)
    problems = evidence.save_project_evidence(submission, None, REFLECTION, submit=True)
    assert problems == ["Choose your project."]  # once, not once per item


def test_someone_removed_from_the_team_cannot_submit_it(curriculum, world):
    submission = ready(world, curriculum)
    project = build_project(world)
    ProjectMember.objects.filter(project=project, user=world.member).delete()
    ProjectMember.objects.create(project=project, user=world.colleague, role=TeamRole.LEAD)
    problems = evidence.save_project_evidence(submission, project, REFLECTION, submit=True)
    assert problems == ["You are not on this project's team, so it cannot be your evidence."]
    # Nothing of the project is shown to someone off its team.
    gathered = evidence.gather(submission)
    assert not any(status.found for status in gathered.items[:-1])


def test_the_snapshot_is_kept_when_the_project_changes(curriculum, world):
    submission = ready(world, curriculum)
    project = build_project(world)
    assert evidence.save_project_evidence(submission, project, REFLECTION, submit=True) == []
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    shot = submission.snapshot
    assert shot["project"]["title"] == "Fewer falls on Ward A" and shot["role"] == "Project lead"
    assert [i["key"] for i in shot["items"]] == [item.key for item in PROJECT]
    assert all(i["met"] for i in shot["items"]) and shot["reflection"] == REFLECTION
    assert shot["chart"]["measure"] == "Falls outcome" and shot["chart"]["headline"]
    assert shot["chart"]["svg"].lstrip().startswith("<svg")
    # The project changes after submission: the snapshot does not.
    project.aim_statement = "Improve falls"
    project.save()
    PDSACycle.objects.filter(project=project).delete()
    submission.refresh_from_db()
    assert submission.snapshot == shot
    assert not evidence.gather(submission).complete
    evidence.review(submission, world.coach, approve=True, comment="")
    cert = Certificate.objects.get(user=world.member, tier=curriculum["practitioner"])
    # Even with the project gone, the certificate's submission keeps what was found.
    project.delete()
    submission.refresh_from_db()
    assert cert.submission_id == submission.pk and submission.project is None
    assert submission.snapshot == shot


def test_a_returned_project_is_resubmitted_with_a_new_snapshot(curriculum, world):
    submission = ready(world, curriculum)
    project = build_project(world)
    evidence.save_project_evidence(submission, project, REFLECTION, submit=True)
    with pytest.raises(ValidationError):
        evidence.review(submission, world.coach, approve=False, comment=" ", item_comments={})
    evidence.review(
        submission, world.coach, approve=False, comment="",
        item_comments={"reflection": "Say what you would do differently.", "nonsense": "x"},
    )  # fmt: skip
    submission.refresh_from_db()
    review = submission.reviews.get()
    assert review.item_comments == {"reflection": "Say what you would do differently."}
    assert submission.status == SubmissionStatus.RETURNED
    better = REFLECTION + " Next time I would involve the night porters from the start."
    assert evidence.save_project_evidence(submission, None, better, submit=True) == []
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.snapshot["reflection"] == better


def test_the_old_text_form_no_longer_takes_a_project(curriculum, world):
    submission = ready(world, curriculum)
    with pytest.raises(ValidationError):
        evidence.save_evidence(submission, {}, None, submit=True)


# Pages ----------------------------------------------------------------------------------


def test_the_learner_picks_only_their_own_projects_with_their_role(curriculum, world, client_for):
    ready(world, curriculum)
    mine = build_project(world)
    ProjectMember.objects.create(project=mine, user=world.member, role=TeamRole.MEMBER)
    theirs = build_project(world, learner=world.colleague)
    theirs.title = "Someone else's project"
    theirs.save()
    client = client_for(world.member)
    page = client.get("/learn/practitioner/evidence/").content.decode()
    assert "Fewer falls on Ward A — Ward A (your role: Project lead, Team member)" in page
    assert "Someone else&#x27;s project" not in page
    assert "Ward A" in client.get("/learn/practitioner/evidence/?q=ward+a").content.decode()
    assert "your role" not in client.get("/learn/practitioner/evidence/?q=zzz").content.decode()
    # Choosing a visible project the learner is not on is refused (403), saving nothing.
    assert (
        client.post(
            "/learn/practitioner/evidence/", {"project": theirs.pk, "save": "1"}
        ).status_code
        == 403
    )
    assert (
        Submission.objects.get(user=world.member, tier=curriculum["practitioner"]).project is None
    )
    # A project of another organisation does not exist for them (404).
    other = Project.objects.create(unit=world.other_ward, title="Elsewhere", status="active")
    ProjectMember.objects.create(project=other, user=world.member, role=TeamRole.MEMBER)
    assert (
        client.post("/learn/practitioner/evidence/", {"project": other.pk, "save": "1"}).status_code
        == 404
    )
    assert (
        client.post("/learn/practitioner/evidence/", {"project": "x", "save": "1"}).status_code
        == 404
    )
    # Their own: saved, and each item is read from it.
    assert (
        client.post("/learn/practitioner/evidence/", {"project": mine.pk, "save": "1"}).status_code
        == 302
    )
    page = client.get("/learn/practitioner/evidence/").content.decode()
    assert page.count(">Met<") == 7 and "Write your reflection here" in page


def test_the_learner_page_refuses_an_incomplete_submission(curriculum, world, client_for):
    ready(world, curriculum)
    project = build_project(world, cycles=1)
    client = client_for(world.member)
    response = client.post(
        "/learn/practitioner/evidence/",
        {"project": project.pk, "reflection-text": REFLECTION, "submit": "1"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Not submitted yet" in page and "the best ramp has 1" in page
    assert (
        evidence.reflection_of(Submission.objects.get(user=world.member, kind="project"))
        == REFLECTION
    )


def test_the_coach_reviews_the_snapshot_beside_the_live_project(curriculum, world, client_for):
    submission = ready(world, curriculum)
    project = build_project(world)
    client = client_for(world.member)
    response = client.post(
        "/learn/practitioner/evidence/",
        {"project": project.pk, "reflection-text": REFLECTION, "submit": "1"},
    )
    assert response.status_code == 302
    project.aim_statement = "Improve falls"
    project.save()
    coach = client_for(world.coach)
    queue = coach.get("/learn/reviews/").content.decode()
    assert "Mia Member: Practitioner project · Fewer falls on Ward A" in queue
    page = coach.get(f"/learn/evidence/{submission.pk}/").content.decode()
    assert "As submitted" in page and "Now" in page and "<svg" in page
    assert page.count("comment-") >= len(PROJECT)
    assert AIM.replace("'", "&#x27;") in page  # the snapshot's aim, and the live one fails:
    assert "the aim checker finds it incomplete" in page
    response = coach.post(
        f"/learn/evidence/{submission.pk}/review/",
        {"decision": "return", "comment": "", "comment-charter": "Your aim lost its numbers."},
    )
    assert response.status_code == 302
    learner_page = client_for(world.member).get("/learn/practitioner/evidence/").content.decode()
    assert "Your aim lost its numbers." in learner_page


@pytest.mark.parametrize("who,status", [("leader", 403), ("outsider", 404), ("member", 403)])
def test_only_a_coach_of_the_learner_reviews_a_project(curriculum, world, client_for, who, status):
    submission = ready(world, curriculum)
    evidence.save_project_evidence(submission, build_project(world), REFLECTION, submit=True)
    client = client_for(getattr(world, who))
    response = client.post(f"/learn/evidence/{submission.pk}/review/", {"decision": "approve"})
    assert response.status_code == status
    with pytest.raises(PermissionDenied):
        evidence.review(submission, getattr(world, who), approve=True, comment="")
    assert not Certificate.objects.filter(tier=curriculum["practitioner"]).exists()


def test_outsiders_and_colleagues_see_nothing_of_the_submission(curriculum, world, client_for):
    submission = ready(world, curriculum)
    evidence.save_project_evidence(submission, build_project(world), REFLECTION, submit=True)
    for who in ("outsider", "outsider_member", "colleague"):
        assert (
            client_for(getattr(world, who)).get(f"/learn/evidence/{submission.pk}/").status_code
            == 404
        )


def test_the_evidence_page_costs_the_same_queries_however_much_data(curriculum, world, client_for):
    ready(world, curriculum)
    small = build_project(world)
    big = build_project(world, cycles=9, points=60, cause_rows=12)
    client = client_for(world.member)
    counts = []
    for project in (small, big):
        client.post("/learn/practitioner/evidence/", {"project": project.pk, "save": "1"})
        client.get("/learn/practitioner/evidence/")  # the stored analysis is made once
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/learn/practitioner/evidence/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_certificate_links_to_the_evidence_as_approved(curriculum, world, client_for):
    submission = ready(world, curriculum)
    evidence.save_project_evidence(submission, build_project(world), REFLECTION, submit=True)
    evidence.review(submission, world.coach, approve=True, comment="")
    cert = Certificate.objects.get(user=world.member, tier=curriculum["practitioner"])
    page = client_for(world.member).get(f"/learn/certificates/{cert.pk}/").content.decode()
    assert f'href="/learn/evidence/{submission.pk}/"' in page and "Fewer falls on Ward A" in page
    shown = client_for(world.member).get(f"/learn/evidence/{submission.pk}/").content.decode()
    assert "As submitted" in shown and REFLECTION[:40] in shown
