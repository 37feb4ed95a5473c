"""One step from an idea to a project or a PDSA cycle, keeping the link and the credit."""

from django.urls import reverse

from champion.improvement.ideas.models import Status
from champion.improvement.models import PDSACycle, Project, TeamRole


def test_an_idea_becomes_a_project_and_its_author_joins_the_team(world, client_for, idea):
    response = client_for(world.leader).post(
        reverse("improvement:from-idea", args=[idea.pk]), {"as": "project"}
    )
    project = Project.objects.get()
    assert response.url == project.get_absolute_url()
    idea.refresh_from_db()
    assert idea.project == project and idea.status == Status.TESTING
    assert project.members.filter(user=world.member, role=TeamRole.MEMBER).exists()
    assert project.members.filter(user=world.leader, role=TeamRole.LEAD).exists()
    assert project.problem_statement == idea.problem
    assert project.change_ideas.get().source_idea == idea


def test_an_idea_becomes_a_pdsa_cycle_in_a_new_small_project(world, client_for, idea):
    client_for(world.leader).post(reverse("improvement:from-idea", args=[idea.pk]), {"as": "cycle"})
    cycle = PDSACycle.objects.get()
    idea.refresh_from_db()
    assert idea.cycle == cycle and idea.project == cycle.project
    assert cycle.change_idea.source_idea == idea and cycle.plan_what == idea.idea


def test_an_idea_becomes_a_cycle_in_an_existing_project(world, client_for, idea):
    project = Project.objects.create(unit=world.ward_a, title="Equipment hunting")
    client_for(world.leader).post(
        reverse("improvement:from-idea", args=[idea.pk]), {"as": "cycle", "project": project.pk}
    )
    assert PDSACycle.objects.get().project == project


def test_the_submitter_may_convert_their_own_idea(world, client_for, idea):
    response = client_for(world.member).post(
        reverse("improvement:from-idea", args=[idea.pk]), {"as": "project"}
    )
    assert response.status_code == 302


def test_a_colleague_cannot_convert_someone_elses_idea(world, client_for, idea):
    response = client_for(world.colleague).post(
        reverse("improvement:from-idea", args=[idea.pk]), {"as": "project"}
    )
    assert response.status_code == 403


def test_converting_an_idea_twice_goes_to_the_existing_project(world, client_for, idea):
    client = client_for(world.leader)
    client.post(reverse("improvement:from-idea", args=[idea.pk]), {"as": "project"})
    again = client.post(reverse("improvement:from-idea", args=[idea.pk]), {"as": "project"})
    assert Project.objects.count() == 1 and again.url == Project.objects.get().get_absolute_url()


def test_converting_twice_makes_one_project_and_one_cycle(world, client_for, idea):
    client = client_for(world.leader)
    url = reverse("improvement:from-idea", args=[idea.pk])
    client.post(url, {"as": "cycle"})
    again = client.post(url, {"as": "cycle"})
    cycle = PDSACycle.objects.get()
    assert again.url == cycle.get_absolute_url() and Project.objects.count() == 1
    client.post(url, {"as": "project"})
    assert Project.objects.count() == 1  # the cycle's small project already is its project


def test_a_second_press_arriving_together_still_converts_once(world, idea):
    # Both requests read the idea before either saved: the service re-reads it under a lock.
    from champion.improvement.services import cycle_from_idea, project_from_idea

    stale = type(idea).objects.get(pk=idea.pk)
    first = project_from_idea(idea, by=world.leader)
    assert project_from_idea(stale, by=world.leader) == first
    cycle = cycle_from_idea(stale, None, by=world.leader)
    assert cycle_from_idea(stale, None, by=world.leader) == cycle
    assert Project.objects.count() == 1 and PDSACycle.objects.count() == 1
    assert cycle.project == first  # tested inside the project the idea already became


def test_testing_an_idea_that_is_already_a_project_happens_in_that_project(world, client_for, idea):
    client = client_for(world.leader)
    url = reverse("improvement:from-idea", args=[idea.pk])
    client.post(url, {"as": "project"})
    project = Project.objects.get()
    page = client.get(url, {"as": "cycle"}).content.decode()
    # No choice of another project: the page names the one the idea became.
    assert "the project this idea already became" in page and 'name="project"' in page
    assert "A new small project for this test" not in page
    client.post(url, {"as": "cycle", "project": project.pk})
    assert PDSACycle.objects.get().project == project and Project.objects.count() == 1
