"""The Improve overview and the small Improve card on the home page."""

from django.urls import reverse

from champion.improvement.ideas.models import Idea


def test_the_home_page_shows_my_projects_and_ideas(world, client_for, project):
    Idea.objects.create(
        unit=world.ward_a, submitted_by=world.member, problem="p", idea="Scanner home"
    )
    page = client_for(world.member).get(reverse("home:home")).content.decode()
    assert 'id="improve-h"' in page and "Fewer falls on Ward A" in page and "Scanner home" in page


def test_leaders_see_ideas_waiting_for_them(world, client_for):
    Idea.objects.create(unit=world.ward_a, submitted_by=world.member, problem="p", idea="i")
    assert (
        "1 idea waiting for your answer"
        in client_for(world.leader).get(reverse("home:home")).content.decode()
    )
    overview = client_for(world.leader).get(reverse("improvement:home"))
    assert overview.context["awaiting"] == 1


def test_the_improve_section_is_in_the_main_navigation_in_product_order(world, client_for):
    response = client_for(world.member).get(reverse("home:home"))
    assert [item.label for item in response.context["nav_items"]][:3] == [
        "Learn",
        "Improve",
        "Measure",
    ]
    # The home page's cards follow the same order: Learn before Improve.
    page = response.content.decode()
    assert page.index('id="learn-card"') < page.index('id="improve-h"')
