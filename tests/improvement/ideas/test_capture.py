"""Anyone captures an idea in three fields; the organisation reads it; outsiders see nothing."""

import datetime

from django.urls import reverse
from django.utils import timezone

from champion.improvement.ideas.models import Idea, Status


def test_a_member_shares_an_idea_in_three_fields(world, client_for):
    client = client_for(world.member)
    page = client.get(reverse("ideas:new"))
    assert page.status_code == 200
    assert page.context["form"].initial["unit"] == world.ward_a.pk  # their own unit, preselected
    response = client.post(
        reverse("ideas:new"),
        {
            "problem": "Handover overruns",
            "idea": "Bedside handover by bay",
            "unit": world.ward_a.pk,
        },
    )
    idea = Idea.objects.get()
    assert response.url == reverse("ideas:detail", args=[idea.pk])
    assert (idea.submitted_by, idea.status, idea.title) == (
        world.member,
        Status.NEW,
        "Bedside handover by bay",
    )


def test_problem_and_idea_are_required(world, client_for):
    response = client_for(world.member).post(reverse("ideas:new"), {"unit": world.ward_a.pk})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"problem", "idea"}
    assert not Idea.objects.exists()


def test_a_unit_of_another_organisation_is_refused(world, client_for):
    response = client_for(world.member).post(
        reverse("ideas:new"), {"problem": "p", "idea": "i", "unit": world.other_ward.pk}
    )
    assert "unit" in response.context["form"].errors


def test_the_whole_organisation_reads_ideas_and_outsiders_get_404(world, client_for, idea):
    assert client_for(world.leader_elsewhere).get(idea.get_absolute_url()).status_code == 200
    assert client_for(world.outsider).get(idea.get_absolute_url()).status_code == 404
    listing = client_for(world.outsider).get(reverse("ideas:list"))
    assert idea not in listing.context["page"].object_list


def test_the_title_is_the_first_line_of_the_idea(idea):
    assert idea.title == "Give the bladder scanner a marked home"


def test_leaders_see_their_units_ideas_by_status(world, client_for, idea):
    funnel = client_for(world.leader).get(reverse("ideas:list")).context["funnel"]
    assert funnel[0] == ("new", "New", 1) and sum(n for *_, n in funnel) == 1
    assert client_for(world.member).get(reverse("ideas:list")).context["funnel"] is None


def test_a_double_tap_or_resent_form_shares_the_idea_once(world, client_for):
    client = client_for(world.member)
    data = {"problem": "Handover overruns", "idea": "Bedside handover", "unit": world.ward_a.pk}
    first = client.post(reverse("ideas:new"), data)
    second = client.post(reverse("ideas:new"), data, follow=True)
    idea = Idea.objects.get()
    assert first.url == second.redirect_chain[-1][0] == reverse("ideas:detail", args=[idea.pk])
    assert "You had already shared this idea" in second.content.decode()
    # Different words are a different idea, and so is the same idea from a colleague.
    client.post(reverse("ideas:new"), {**data, "idea": "Bedside handover by bay"})
    client_for(world.colleague).post(reverse("ideas:new"), data)
    assert Idea.objects.count() == 3


def test_the_same_words_shared_again_later_are_a_new_idea(world, client_for):
    client = client_for(world.member)
    data = {"problem": "Handover overruns", "idea": "Bedside handover", "unit": world.ward_a.pk}
    client.post(reverse("ideas:new"), data)
    Idea.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    client.post(reverse("ideas:new"), data)
    assert Idea.objects.count() == 2


def test_an_idea_naming_a_patients_number_is_refused_and_what_was_typed_is_kept(world, client_for):
    response = client_for(world.member).post(
        reverse("ideas:new"),
        {
            "problem": "MRN 4471234 waited four hours for a commode",
            "idea": "A commode in every bay",
            "unit": world.ward_a.pk,
        },
    )
    assert response.status_code == 200 and not Idea.objects.exists()
    page = response.content.decode()
    assert "without anything that identifies a patient" in page
    assert "A commode in every bay" in page  # nothing typed is lost


def test_a_comment_with_an_nhs_number_is_refused(world, client_for):
    idea = Idea.objects.create(unit=world.ward_a, submitted_by=world.member, problem="P", idea="I")
    response = client_for(world.colleague).post(
        reverse("ideas:comment", args=[idea.pk]), {"body": "Same for 943 476 5919 last week"}
    )
    assert response.status_code == 200 and not idea.comments.exists()
    assert "looks like an NHS number" in response.content.decode()


def test_filtering_by_a_unit_includes_the_units_within_it(world, client_for, idea):
    from champion.improvement.ideas.models import Idea

    other = Idea.objects.create(
        unit=world.ward_c, submitted_by=world.member, problem="p", idea="Elsewhere"
    )
    client = client_for(world.leader_elsewhere)
    listed = lambda unit: set(  # noqa: E731
        client.get(reverse("ideas:list"), {"unit": unit.pk}).context["page"].object_list
    )
    assert listed(world.north) == {idea}  # Ward A is in North Hospital
    assert listed(world.ward_a) == {idea}
    assert listed(world.root) == {idea, other}
    assert listed(world.other_ward) == set()  # another organisation's unit: nothing
