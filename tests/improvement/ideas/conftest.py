"""Ideas fixtures: one idea from the Ward A member."""

import pytest

from champion.improvement.ideas.models import Idea


@pytest.fixture
def idea(world):
    return Idea.objects.create(
        unit=world.ward_a,
        submitted_by=world.member,
        problem="We hunt for the bladder scanner every shift.",
        idea="Give the bladder scanner a marked home\nand a sign-out sheet.",
    )
