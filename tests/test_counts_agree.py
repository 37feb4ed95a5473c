"""Numbers that describe the same thing agree wherever they appear (issue 18): each comes
from one function, and these tests read them off the pages side by side.

- Ideas waiting for your answer: the home page's Improve card, the Improve page and the ideas
  list all count `Idea.objects.awaiting_answer_from(user)`, and the link they give lists
  exactly those ideas (`?awaiting=1`), not every new idea of the organisation.
- Measures needing attention: the home page's Measure card, the measure board and the Lead
  overview all count with `measures.attention.counts_of` over the same unit.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from champion.improvement.ideas.models import Idea
from champion.measures.models import Measure


def number(pattern: str, html: str) -> int:
    found = re.search(pattern, re.sub(r"\s+", " ", html))
    assert found, pattern
    return int(found.group(1))


def test_ideas_waiting_for_an_answer_agree_on_every_page_and_the_list_they_link(world, client_for):
    def idea(unit, problem, **extra):
        return Idea.objects.create(
            unit=unit, submitted_by=world.member, problem=problem, idea="Try it", **extra
        )

    idea(world.ward_a, "Waiting one")
    idea(world.ward_a, "Waiting two")
    idea(world.ward_a, "Answered but still new", responded_at=timezone.now())
    idea(world.ward_a, "Being looked at", status="review")
    idea(world.ward_c, "Another ward's new idea")  # new, but not Lee's to answer
    client = client_for(world.leader)
    home = client.get(reverse("home:home")).content.decode()
    improve = client.get(reverse("improvement:home")).content.decode()
    ideas = client.get(reverse("ideas:list")).content.decode()
    on_home = number(r"(\d+) ideas? waiting for your answer", home)
    on_improve = number(r"(\d+) ideas? in your units (?:is|are) waiting", improve)
    on_list = number(r"(\d+) ideas? in your units (?:is|are) waiting", ideas)
    assert on_home == on_improve == on_list == 2
    for page in (home, improve, ideas):  # each count links to the list of exactly those ideas
        assert re.search(r'href="[^"]*\?awaiting=1"', page)
    listed = client.get(reverse("ideas:list") + "?awaiting=1").content.decode()
    assert "Waiting one" in listed and "Waiting two" in listed
    for other in ("Answered but still new", "Being looked at", "Another ward"):
        assert other not in listed, other
    # Someone who answers for no unit sees no count, and the filter lists nothing for them.
    member = client_for(world.member)
    assert "waiting for your answer" not in member.get(reverse("home:home")).content.decode()
    assert "Waiting one" not in member.get(reverse("ideas:list") + "?awaiting=1").content.decode()


def test_measures_needing_attention_agree_on_home_board_and_lead_overview(world, client_for):
    concern = {"n": 20, "variation": "concern", "attention": 8}
    missed = {"n": 20, "variation": "common", "assurance": "fail", "attention": 4}
    calm = {"n": 20, "variation": "common", "attention": 0}
    for i, summary in enumerate([concern, missed, calm, calm]):
        m = Measure.objects.create(unit=world.ward_a, name=f"A{i}", definition="x", chart="run")
        Measure.objects.filter(pk=m.pk).update(summary=summary)
    m = Measure.objects.create(unit=world.ward_b, name="B elsewhere", definition="x", chart="run")
    Measure.objects.filter(pk=m.pk).update(summary=concern)  # not Lee's ward
    client = client_for(world.leader)
    home = client.get(reverse("home:home")).content.decode()
    board = client.get(reverse("measures:board")).content.decode()
    lead = client.get(reverse("leadership:overview")).content.decode()
    on_home = number(r"(\d+) needs? a look", home)
    on_lead = number(
        r'kpi-value">(\d+)</div><div class="kpi-label">measures? needing attention', lead
    )
    attention_only = client.get(reverse("measures:board") + "?attention=1").content.decode()
    on_board = number(r"\((\d+) shown\)", attention_only)
    assert on_home == on_lead == on_board == 2
    assert number(r"<strong>(\d+)</strong> measures?", board) == 4
    assert number(r"of (\d+) measured", lead) == 4
