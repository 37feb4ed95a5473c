"""Improvement fixtures: an active Ward A project led by the member, coached by the coach."""

import pytest

from champion.improvement.models import Project, ProjectMember, ProjectStatus, TeamRole


@pytest.fixture
def project(world):
    project = Project.objects.create(
        unit=world.ward_a,
        title="Fewer falls on Ward A",
        status=ProjectStatus.ACTIVE,
        problem_statement="Eight falls a month.",
        aim_statement="Reduce falls on Ward A from 8 to 4 a month by June 2026.",
        scope_in="Ward A inpatients",
    )
    ProjectMember.objects.create(project=project, user=world.member, role=TeamRole.LEAD)
    return project
