"""Certificates follow the rules: never without every piece of evidence; coaches approve projects."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from champion.learning.content.load import load_content
from champion.learning.models import Certificate, LessonProgress, Submission, SubmissionStatus
from champion.learning.rubrics import PRACTICALS
from champion.learning.services import evidence
from champion.learning.services.certificates import award_if_eligible
from tests.learning.conftest import write_lesson
from tests.learning.project_builder import REFLECTION, build_project

TEXT = "A full and honest answer about what I did on the ward, with details and numbers."


def complete(user, lessons):
    now = timezone.now()
    for lesson in lessons:
        LessonProgress.objects.update_or_create(
            user=user,
            lesson=lesson,
            defaults={
                "read_at": now,
                "quiz_passed_at": now,
                "exercise_passed_at": now,
                "completed_at": now,
            },
        )


class Files(dict):
    def getlist(self, key):
        return []


def practical_form(variant="waste-walk"):
    form = {"variant": variant}
    for item in PRACTICALS[variant][2]:
        form[f"{item.key}-text"] = TEXT
    return form


def submit_practical(user, tier, form=None):
    submission = evidence.submission_for_tier(user, tier)
    return evidence.save_evidence(submission, form or practical_form(), Files(), submit=True)


def test_foundation_is_issued_automatically_when_everything_is_done(curriculum, world):
    tier = curriculum["foundation"]
    complete(world.member, [curriculum["first"], curriculum["second"]])
    assert submit_practical(world.member, tier) == []
    cert = Certificate.objects.get(user=world.member, tier=tier)
    assert cert.credential == "PI Champion Foundation" and cert.recipient_name == "Mia Member"
    assert len(cert.public_id) >= 20


def test_foundation_needs_every_lesson(curriculum, world):
    complete(world.member, [curriculum["first"]])
    submit_practical(world.member, curriculum["foundation"])
    assert not Certificate.objects.exists()


def test_foundation_needs_the_quizzes_passed(curriculum, world):
    complete(world.member, [curriculum["first"], curriculum["second"]])
    LessonProgress.objects.filter(lesson=curriculum["second"]).update(quiz_passed_at=None)
    submit_practical(world.member, curriculum["foundation"])
    assert not Certificate.objects.exists()


def test_foundation_needs_the_practical(curriculum, world):
    complete(world.member, [curriculum["first"], curriculum["second"]])
    assert award_if_eligible(world.member, curriculum["foundation"]) is None
    # A practical with an empty answer is not accepted either.
    form = practical_form()
    form["idea-text"] = "tbc"
    problems = submit_practical(world.member, curriculum["foundation"], form)
    assert any("One improvement idea" in p for p in problems)
    assert not Certificate.objects.exists()
    assert Submission.objects.get(user=world.member).status == SubmissionStatus.DRAFT


def project_submitted(world, curriculum):
    """A Practitioner project submitted: the learner's own project, meeting every item."""
    complete(world.member, [curriculum["first"], curriculum["second"], curriculum["charter"]])
    submit_practical(world.member, curriculum["foundation"])
    submission = evidence.submission_for_tier(world.member, curriculum["practitioner"])
    project = build_project(world)
    assert evidence.save_project_evidence(submission, project, REFLECTION, submit=True) == []
    submission.refresh_from_db()
    return submission


def test_practitioner_needs_a_coachs_approval(curriculum, world):
    submission = project_submitted(world, curriculum)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert not Certificate.objects.filter(tier=curriculum["practitioner"]).exists()
    evidence.review(submission, world.coach, approve=True, comment="")
    assert Certificate.objects.filter(user=world.member, tier=curriculum["practitioner"]).exists()


def test_practitioner_needs_the_foundation_certificate(curriculum, world):
    complete(world.member, [curriculum["charter"]])
    submission = evidence.submission_for_tier(world.member, curriculum["practitioner"])
    assert (
        evidence.save_project_evidence(submission, build_project(world), REFLECTION, submit=True)
        == []
    )
    evidence.review(submission, world.coach, approve=True, comment="")
    assert not Certificate.objects.filter(tier=curriculum["practitioner"]).exists()


def test_an_incomplete_project_cannot_be_submitted(curriculum, world):
    submission = evidence.submission_for_tier(world.member, curriculum["practitioner"])
    project = build_project(world, cycles=2)
    problems = evidence.save_project_evidence(submission, project, REFLECTION, submit=True)
    assert any("PDSA" in p for p in problems)
    assert submission.status == SubmissionStatus.DRAFT


@pytest.mark.parametrize("who", ["member", "leader", "leader_elsewhere", "admin", "outsider"])
def test_only_a_coach_of_the_learners_unit_approves(curriculum, world, who):
    submission = project_submitted(world, curriculum)
    with pytest.raises(PermissionDenied):
        evidence.review(submission, getattr(world, who), approve=True, comment="")
    assert not Certificate.objects.filter(tier=curriculum["practitioner"]).exists()


def test_a_coach_returns_with_comments_and_the_learner_resubmits(curriculum, world, client_for):
    submission = project_submitted(world, curriculum)
    with pytest.raises(ValidationError):
        evidence.review(submission, world.coach, approve=False, comment=" ")
    client = client_for(world.coach)
    queue = client.get("/learn/reviews/").content.decode()
    assert "Mia Member" in queue
    response = client.post(
        f"/learn/evidence/{submission.pk}/review/",
        {"decision": "return", "comment": "Add the balancing measure."},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and submission.editable
    page = client_for(world.member).get("/learn/practitioner/evidence/").content.decode()
    assert "Add the balancing measure." in page


def test_the_review_page_refuses_non_coaches(curriculum, world, client_for):
    submission = project_submitted(world, curriculum)
    assert (
        client_for(world.leader)
        .post(f"/learn/evidence/{submission.pk}/review/", {"decision": "approve"})
        .status_code
        == 403
    )
    assert (
        client_for(world.outsider)
        .post(f"/learn/evidence/{submission.pk}/review/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert client_for(world.member).get("/learn/reviews/").status_code == 403


def test_the_leader_portfolios_written_items_come_back_and_save_again(
    curriculum, world, client_for
):
    """The Leader portfolio is read from the leader's work (tests/learning/test_leader_portfolio.py);
    its two written items (action learning, reflection) come back as typed and save again.
    (This test pinned links typed on each portfolio item; the portfolio has none now.)"""
    import re
    from html import unescape

    module = curriculum["root"] / "leader" / "01-leading"
    module.mkdir()
    (module / "module.yaml").write_text("slug: leading\ntitle: Leading\nsummary: S.\norder: 1\n")
    write_lesson(module, "01-lead", "lead")
    load_content(curriculum["root"])
    client = client_for(world.member)
    form = {"action-learning-text": TEXT + "\nSecond line.", "reflection-text": TEXT, "save": "1"}
    assert client.post("/learn/leader/evidence/", form).status_code == 302
    page = client.get("/learn/leader/evidence/").content.decode()
    shown = unescape(
        re.search(r'name="action-learning-text"[^>]*>([^<]*)</textarea>', page).group(1)
    )
    assert shown == TEXT + "\nSecond line."
    form["action-learning-text"] = shown
    assert client.post("/learn/leader/evidence/", form).status_code == 302
    submission = Submission.objects.get(user=world.member, tier__slug="leader")
    assert submission.evidence["action-learning"]["text"] == TEXT + "\nSecond line."
    assert submission.status == SubmissionStatus.DRAFT


@pytest.mark.parametrize("tier_slug", ["foundation", "practitioner"])
def test_opening_the_evidence_page_creates_no_record_saving_does(
    curriculum, world, client_for, tier_slug
):
    tier = curriculum[tier_slug]
    client = client_for(world.member)
    url = f"/learn/{tier.slug}/evidence/"
    page = client.get(url)
    assert page.status_code == 200
    assert not Submission.objects.filter(user=world.member).exists()
    form = practical_form() if tier_slug == "foundation" else {"reflection-text": ""}
    client.post(url, form)
    assert Submission.objects.filter(user=world.member, tier=tier).count() == 1
