"""Learn's pages pass the automated WCAG 2.1 A/AA check (axe-core), on a desktop and a phone."""

import pytest

from champion.learning.content.load import load_content
from champion.learning.models import Certificate, Tier
from champion.learning.services import evidence, progress
from tests.browser.test_accessibility import sideways, violations
from tests.learning.conftest import make_tree
from tests.learning.project_builder import REFLECTION, build_project

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375])
def test_learn_pages_pass_automated_wcag_checks(page, world, login, tmp_path, width):
    load_content(make_tree(tmp_path))
    from champion.learning.models import Lesson

    attempt = progress.start_attempt(world.member, Lesson.objects.get(slug="first"))
    cert = Certificate.objects.create(
        user=world.leader,
        tier=Tier.objects.get(slug="foundation"),
        recipient_name="Lee Leader",
        credential="PI Champion Foundation",
        organisation_name="Testshire Health",
    )
    pages = {
        "member": ["/learn/", "/learn/foundation/", "/learn/lessons/second/", f"/learn/quiz/{attempt.pk}/",
                   "/learn/lessons/first/exercise/", "/learn/foundation/evidence/", "/"],
        "leader": ["/learn/team/", "/learn/assignments/", f"/learn/certificates/{cert.pk}/", f"/learn/people/{world.member.pk}/"],
        None: [f"/verify/{cert.public_id}/"],
    }  # fmt: skip
    page.set_viewport_size({"width": width, "height": 800})
    found = {}
    for persona, paths in pages.items():
        page.context.clear_cookies()
        if persona:
            login(getattr(world, persona))
        for path in paths:
            page.goto(path)
            problems = violations(page)
            if problems:
                found[f"{persona}:{path}"] = problems
    assert not found, found


@pytest.mark.parametrize("width", [1280, 375])
def test_practitioner_evidence_pages_pass_automated_wcag_checks(
    page, world, login, tmp_path, width
):
    """The learner's page with items missing, and the coach's review of a submitted project."""
    load_content(make_tree(tmp_path))
    tier = Tier.objects.get(slug="practitioner")
    draft = evidence.submission_for_tier(world.member, tier)
    evidence.save_project_evidence(draft, build_project(world, cycles=2), "Short.", submit=False)
    submitted = evidence.submission_for_tier(world.colleague, tier)
    project = build_project(world, learner=world.colleague)
    assert evidence.save_project_evidence(submitted, project, REFLECTION, submit=True) == []
    page.set_viewport_size({"width": width, "height": 800})
    found = {}
    for persona, path in (
        ("member", "/learn/practitioner/evidence/"),
        ("colleague", "/learn/practitioner/evidence/"),
        ("coach", f"/learn/evidence/{submitted.pk}/"),
    ):
        page.context.clear_cookies()
        login(getattr(world, persona))
        page.goto(path)
        problems = violations(page)
        if problems:
            found[f"{persona}:{path}"] = problems
        # Nothing scrolls sideways on a phone (the chart scrolls in its own region).
        assert not sideways(page), (path, sideways(page))
    assert not found, found
