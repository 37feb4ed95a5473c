"""Leaders, coaches and admins see only their subtree's learners; outsiders see nothing."""

from __future__ import annotations

from django.utils import timezone

from champion.learning.models import LessonProgress, Submission
from champion.learning.services import progress


def test_team_progress_shows_only_the_leaders_subtree(curriculum, world, client_for):
    progress.record_view(world.member, curriculum["first"])
    progress.record_view(world.colleague, curriculum["first"])
    page = client_for(world.leader).get("/learn/team/").content.decode()
    assert "Mia Member" in page and "Cal Colleague" not in page and "Eli Elsewhere" not in page
    coach = client_for(world.coach).get("/learn/team/").content.decode()
    assert "Mia Member" in coach and "Cal Colleague" in coach and "Eli Elsewhere" not in coach
    admin = client_for(world.admin).get("/learn/team/").content.decode()
    assert "Eli Elsewhere" in admin and "Zed Other" not in admin


def test_members_and_outsiders_have_no_team_pages(curriculum, world, client_for):
    for url in (
        "/learn/team/",
        "/learn/assignments/",
        "/learn/team/completions.csv",
        "/learn/team/completions-xapi.json",
    ):
        assert client_for(world.member).get(url).status_code == 403
    page = client_for(world.outsider).get("/learn/team/").content.decode()
    assert "Mia Member" not in page


def test_evidence_is_visible_to_the_learner_and_their_overseers_only(curriculum, world, client_for):
    submission = Submission.objects.create(
        user=world.member, tier=curriculum["practitioner"], kind="project"
    )
    url = f"/learn/evidence/{submission.pk}/"
    assert client_for(world.member).get(url).status_code == 200
    assert client_for(world.leader).get(url).status_code == 200
    assert client_for(world.coach).get(url).status_code == 200
    assert client_for(world.colleague).get(url).status_code == 404
    assert client_for(world.leader_elsewhere).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


def test_lessons_are_for_people_of_an_organisation(curriculum, world, client_for):
    assert client_for(world.member).get("/learn/lessons/first/").status_code == 200
    assert client_for(world.member).get("/learn/lessons/nope/").status_code == 404
    assert (
        client_for(world.member).get("/learn/leader/").status_code == 404
    )  # no lessons: not offered


def test_the_catalogue_resumes_and_shows_no_empty_tiers(curriculum, world, client_for):
    LessonProgress.objects.create(
        user=world.member, lesson=curriculum["second"], last_viewed_at=timezone.now()
    )
    page = client_for(world.member).get("/learn/").content.decode()
    assert "Pick up where you left off" in page and "Lesson second" in page
    assert "Leader tier" not in page and "coming soon" not in page.lower()
    home = client_for(world.member).get("/").content.decode()
    assert "Resume" in home and "Lesson second" in home


def test_a_learners_record_is_seen_by_their_overseers_only(curriculum, world, client_for):
    progress.record_view(world.member, curriculum["first"])
    url = f"/learn/people/{world.member.pk}/"
    page = client_for(world.leader).get(url)
    assert page.status_code == 200 and b"Lesson first" in page.content
    assert client_for(world.member).get(url).status_code == 200
    assert client_for(world.colleague).get(url).status_code == 404
    assert client_for(world.leader_elsewhere).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


def test_team_progress_narrows_to_one_unit(curriculum, world, client_for):
    page = client_for(world.coach).get(f"/learn/team/?unit={world.ward_b.pk}").content.decode()
    assert "Cal Colleague" in page and "Mia Member" not in page
