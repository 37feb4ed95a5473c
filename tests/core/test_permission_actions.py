"""Permission helpers fail closed: each takes a closed set of actions and refuses any other.

Before, `measure_for(user, pk, "edit")` (a typo for "change") quietly checked nothing more
than "view", and `project_for(user, pk, "edit")` handed a reader an object to change.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Literal, get_args

import pytest

import champion
from champion.core.permissions import UnknownAction, actions, get_for
from champion.measures.models import Measure

# `*_for` functions of the permissions modules that are not about one object, with the reason.
NOT_OBJECT_HELPERS = {
    "area_for": "the Lead pages' scope (a set of units), not one object",
    "get_for": "the shared helper the others are built on (tested on its own below)",
}


def helpers():
    for info in pkgutil.walk_packages(champion.__path__, "champion."):
        if not info.name.endswith(".permissions"):
            continue
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            public = not name.startswith("_")
            if public and name.endswith("_for") and fn.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", fn


HELPERS = sorted(helpers())


def test_the_walk_finds_the_helpers():
    names = {name.rsplit(".", 1)[1] for name, _ in HELPERS}
    assert {"measure_for", "project_for", "idea_for", "lesson_for", "membership_for"} <= names


@pytest.mark.parametrize(("name", "fn"), HELPERS, ids=[n for n, _ in HELPERS])
def test_every_object_helper_takes_a_closed_set_of_actions(name, fn):
    if name.rsplit(".", 1)[1] in NOT_OBJECT_HELPERS:
        return
    params = inspect.signature(fn).parameters
    assert "action" in params, f"{name} must take an `action` (see champion.core.permissions)"
    declared = get_args(inspect.get_annotations(fn, eval_str=True)["action"])
    assert declared and all(isinstance(a, str) for a in declared), f"{name}: type it as a Literal"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fn"), HELPERS, ids=[n for n, _ in HELPERS])
def test_an_unknown_action_raises_instead_of_falling_back_to_view(world, name, fn):
    if name.rsplit(".", 1)[1] in NOT_OBJECT_HELPERS:
        return
    args = {p: None for p in inspect.signature(fn).parameters if p not in ("user", "action")}
    for unknown in ("frobnicate", "VIEW", ""):
        with pytest.raises(UnknownAction):
            fn(world.admin, action=unknown, **args)


@pytest.mark.django_db
def test_a_mistyped_action_on_a_measure_is_refused_not_treated_as_view(world):
    from champion.measures.permissions import measure_for

    measure = Measure.objects.create(unit=world.ward_a, name="Falls", definition="x", chart="run")
    assert measure_for(world.colleague, measure.pk) == measure  # reading: everyone in the org
    with pytest.raises(UnknownAction, match="'edit' is not an action on Measure: use one of"):
        measure_for(world.colleague, measure.pk, "edit")  # type: ignore[arg-type]


@pytest.mark.django_db
def test_get_for_refuses_an_action_its_rules_do_not_name(world):
    from champion.accounts.models import Unit

    with pytest.raises(UnknownAction):
        get_for(world.admin, Unit.objects.all(), world.ward_a.pk, action="manage")
    assert get_for(world.admin, Unit.objects.all(), world.ward_a.pk) == world.ward_a


def test_actions_must_match_their_literal():
    Two = Literal["view", "change"]
    assert set(actions(Two, view=None, change=lambda u, o: True)) == {"view", "change"}
    with pytest.raises(UnknownAction):
        actions(Two, view=None)  # "change" would have no rule
    with pytest.raises(UnknownAction):
        actions(Two, view=None, change=None, delete=None)  # "delete" is not declared
    rules = actions(Two, view=None, change=None)
    with pytest.raises(TypeError):
        rules["delete"] = None  # type: ignore[index]  # the set stays closed


# Querysets whose rows belong to one person, not to an organisation, with the reason.
PERSONAL = {
    "Notification": "a notification is its person's alone",
    "ApiToken": "a token is its person's alone",
}


def test_every_visible_to_keeps_the_one_organisation_guard():
    """Each model that filters by viewer derives its queryset from OrgScopedQuerySet, so the
    guard (no organisation: nothing; another organisation: nothing) is written once."""
    from django.apps import apps

    from champion.core.permissions import OrgScopedQuerySet

    filtering = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("champion.") and hasattr(m._default_manager, "visible_to")
    ]
    assert len(filtering) > 15
    strays = [
        m.__name__
        for m in filtering
        if not isinstance(m._default_manager.all(), OrgScopedQuerySet)
        and m.__name__ not in PERSONAL
    ]
    assert not strays, f"derive these querysets from OrgScopedQuerySet: {strays}"


@pytest.mark.django_db
def test_the_guard_hides_everything_from_people_without_an_organisation(world):
    from django.contrib.auth.models import AnonymousUser

    from champion.accounts.models import Unit, User
    from tests.conftest import make_person

    drifter = make_person("drifter@test.example", None)  # type: ignore[arg-type]
    Measure.objects.create(unit=world.ward_a, name="Falls", definition="x", chart="run")
    for person in (AnonymousUser(), drifter):
        assert not Unit.objects.visible_to(person).exists()
        assert not User.objects.visible_to(person).exists()
        assert not Measure.objects.visible_to(person).exists()
    assert set(Unit.objects.visible_to(world.outsider)) == {world.other_root, world.other_ward}
