"""Walk every URL pattern that takes an id and request it as three people.

For each pattern, REGISTRY names a factory that makes its object (in Ward A of the shared
`world`, unless said otherwise) and who may use it, and the methods the view answers:
GET for pages that show something, POST for requests that change something, both for
forms. Each (method, URL) is then requested

1. as an outsider (an admin of another organisation): 404, the object does not exist
   for them;
2. as a neighbour (a member of another unit of the same organisation, Ward B): 403, they
   may not; unless the design says they may (NEIGHBOUR_MAY: reading is open to the whole
   organisation for measures, ideas, shared projects...) or that they cannot even see it
   (NEIGHBOUR_UNSEEN: a person's records, a round they have no part in...), with reasons;
3. as someone allowed: success (a page, a redirect, or a form refusing the empty input).

A new URL pattern with an id fails `test_every_url_with_an_id_is_registered` until it is
added here, and a view added without a permission check fails the walk (see
docs/architecture.md, "Permissions").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from champion.accounts.models import Membership, Passkey, Role, StaffImport
from champion.actions.models import Action
from champion.core.models import ApiToken, Notification, TokenScope
from champion.improvement.ideas.models import Idea, WallDisplay
from champion.improvement.models import (
    ChangeIdea,
    MeasureRole,
    PDSACycle,
    Project,
    ProjectMeasure,
    ProjectMember,
    ProjectStatus,
    TeamRole,
    Tool,
)
from champion.leadership.maturity import rounds
from champion.leadership.strategy import catchball
from champion.leadership.strategy.models import Level, Objective
from champion.learning.content.load import load_content
from champion.learning.models import (
    Assignment,
    Certificate,
    EvidenceFile,
    Submission,
    SubmissionStatus,
    Tier,
)
from champion.learning.services import progress
from champion.measures.models import Annotation, DataImport, Measure, SharedDefinition
from champion.measures.permissions import measure_for
from tests.leadership.conftest import measure as make_measure
from tests.learning.conftest import make_tree

GET, POST = "get", "post"
BOTH = (GET, POST)

# ---------------------------------------------------------------------------------------
# Factories: each makes the object a URL is about and says who may use it.


@dataclass
class Case:
    kwargs: dict[str, Any]  # every URL kwarg the object fills (the walk takes those it needs)
    allowed: Any  # someone who may do what the view does
    data: dict[str, Any] = field(default_factory=dict)  # what a POST sends


def measure(w: SimpleNamespace) -> Case:
    m = make_measure(w.ward_a, "Falls", [5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5])
    m.owners.add(w.member)
    w.measure = m
    return Case({"pk": m.pk, "measure_id": m.pk}, w.member)


def measure_api_data(w: SimpleNamespace) -> Case:
    case = measure(w)
    case.data = {"points": [{"period": "2024-01-01", "value": 5}]}
    return case


def data_import(w: SimpleNamespace) -> Case:
    case = measure(w)
    imp = DataImport.objects.create(
        measure=w.measure,
        uploaded_by=w.member,
        filename="falls.csv",
        data=b"period,value\n2024-01-01,3\n",
        columns=["period", "value"],
        preview=[["2024-01-01", "3"]],
    )
    case.kwargs["item"] = imp.pk
    return case


def annotation(w: SimpleNamespace) -> Case:
    case = measure(w)
    note = Annotation.objects.create(
        measure=w.measure, period=datetime.date(2023, 3, 1), text="New bundle"
    )
    case.kwargs["item"] = note.pk
    return case


def notification(w: SimpleNamespace) -> Case:
    note = Notification.objects.create(user=w.member, title="Hello", url="/")
    return Case({"pk": note.pk}, w.member)


def provisioning_token(w: SimpleNamespace) -> Case:
    token, _ = ApiToken.issue(w.admin, "Entra ID", TokenScope.SCIM)
    return Case({"pk": token.pk}, w.admin)


def passkey(w: SimpleNamespace) -> Case:
    key = Passkey.objects.create(
        user=w.member, credential_id=b"walk-credential", public_key=b"key", name="Laptop"
    )
    return Case({"passkey_id": key.pk}, w.member, {"confirm": "yes"})


def api_token(w: SimpleNamespace) -> Case:
    token, _ = ApiToken.issue(w.member, "ED feed")
    return Case({"pk": token.pk}, w.member)


def person(w: SimpleNamespace) -> Case:
    return Case({"pk": w.member.pk}, w.leader)


def person_managed(w: SimpleNamespace) -> Case:
    return Case({"pk": w.member.pk}, w.admin)


def membership(w: SimpleNamespace) -> Case:
    role = Membership.objects.get(user=w.member, unit=w.ward_a)
    return Case({"pk": role.pk}, w.admin, {"role": Role.MEMBER})


def staff_import(w: SimpleNamespace) -> Case:
    pending = StaffImport.objects.create(
        organisation=w.org, uploaded_by=w.admin, filename="staff.csv", rows=[]
    )
    return Case({"pk": pending.pk}, w.admin)


def unit(w: SimpleNamespace) -> Case:
    return Case({"pk": w.ward_a.pk, "unit_pk": w.ward_a.pk}, w.member)


def unit_led(w: SimpleNamespace) -> Case:
    return Case({"pk": w.ward_a.pk, "unit_pk": w.ward_a.pk}, w.leader, {"name": "Staff room"})


def unit_overseen(w: SimpleNamespace) -> Case:
    """A unit's Lead pages (the board report): for those who lead, coach or administer it."""
    return Case({"unit_pk": w.ward_a.pk}, w.leader)


def unit_managed(w: SimpleNamespace) -> Case:
    return Case({"pk": w.ward_a.pk}, w.admin)


def idea(w: SimpleNamespace) -> Case:
    w.idea = Idea.objects.create(
        unit=w.ward_a,
        submitted_by=w.member,
        problem="We hunt for the bladder scanner every shift.",
        idea="Give the scanner a marked home.",
    )
    return Case({"pk": w.idea.pk, "idea_pk": w.idea.pk}, w.member, {"text": "Yes, and a sign."})


def idea_to_respond(w: SimpleNamespace) -> Case:
    case = idea(w)
    case.allowed = w.leader
    return case


def wall_display(w: SimpleNamespace) -> Case:
    display, _ = WallDisplay.create_for(w.ward_a, name="Staff room", by=w.leader)
    return Case({"pk": display.pk}, w.leader)


def project(w: SimpleNamespace) -> Case:
    p = Project.objects.create(
        unit=w.ward_a,
        title="Fewer falls on Ward A",
        status=ProjectStatus.ACTIVE,
        problem_statement="Eight falls a month.",
        aim_statement="Reduce falls on Ward A from 8 to 4 a month by June 2026.",
        scope_in="Ward A inpatients",
    )
    ProjectMember.objects.create(project=p, user=w.member, role=TeamRole.LEAD)
    w.project = p
    return Case({"pk": p.pk}, w.member)


def project_tollgate(w: SimpleNamespace) -> Case:
    case = project(w)
    case.allowed = w.leader  # the lead alone does not pass a tollgate
    return case


def project_measure_link(w: SimpleNamespace) -> Case:
    case = project(w)
    measure(w)
    link = ProjectMeasure.objects.create(
        project=w.project, measure=w.measure, role=MeasureRole.OUTCOME
    )
    case.kwargs["link_pk"] = link.pk
    return case


def change_idea(w: SimpleNamespace) -> Case:
    project(w)
    change = ChangeIdea.objects.create(project=w.project, text="A marked home for the scanner")
    target = Project.objects.create(unit=w.ward_a, title="Scanner", status=ProjectStatus.ACTIVE)
    ProjectMember.objects.create(project=target, user=w.member, role=TeamRole.LEAD)
    return Case({"pk": change.pk}, w.member, {"project": target.pk})


def new_tool(w: SimpleNamespace) -> Case:
    case = project(w)
    case.data = {"kind": "five_whys"}
    return case


def tool(w: SimpleNamespace) -> Case:
    project(w)
    t = Tool.objects.create(project=w.project, kind="five_whys", title="Why falls", data={})
    return Case({"pk": t.pk}, w.member)


def cycle(w: SimpleNamespace) -> Case:
    project(w)
    c = PDSACycle.objects.create(project=w.project, title="Test 1")
    return Case({"pk": c.pk}, w.member)


def curriculum(w: SimpleNamespace) -> None:
    load_content(make_tree(w.tmp_path))


def lesson(w: SimpleNamespace) -> Case:
    curriculum(w)
    return Case({"slug": "first"}, w.member)


def module(w: SimpleNamespace) -> Case:
    curriculum(w)
    return Case({"slug": "basics"}, w.member)


def tier(w: SimpleNamespace) -> Case:
    curriculum(w)
    return Case({"slug": "practitioner"}, w.member)


def quiz_attempt(w: SimpleNamespace) -> Case:
    curriculum(w)
    from champion.learning.models import Lesson

    attempt = progress.start_attempt(w.member, Lesson.objects.get(slug="first"))
    return Case({"pk": attempt.pk}, w.member)


def submission(w: SimpleNamespace) -> Case:
    curriculum(w)
    w.submission = Submission.objects.create(
        user=w.member,
        tier=Tier.objects.get(slug="practitioner"),
        kind="project",
        status=SubmissionStatus.SUBMITTED,
    )
    return Case({"pk": w.submission.pk}, w.member)


def submission_to_review(w: SimpleNamespace) -> Case:
    case = submission(w)
    case.allowed = w.coach
    return case


def evidence_file(w: SimpleNamespace) -> Case:
    submission(w)
    file = EvidenceFile.objects.create(
        submission=w.submission,
        item="charter",
        filename="charter.txt",
        content_type="text/plain",
        size=5,
        content=b"aim.\n",
    )
    return Case({"pk": file.pk}, w.member)


def certificate(w: SimpleNamespace) -> Case:
    curriculum(w)
    cert = Certificate.objects.create(
        user=w.member,
        tier=Tier.objects.get(slug="foundation"),
        recipient_name="Mia Member",
        credential="PI Champion Foundation",
        organisation_name=w.org.name,
    )
    return Case({"pk": cert.pk}, w.member)


def learner(w: SimpleNamespace) -> Case:
    return Case({"pk": w.member.pk}, w.leader)


def assignment(w: SimpleNamespace) -> Case:
    curriculum(w)
    a = Assignment.objects.create(
        organisation=w.org,
        assigned_by=w.leader,
        tier=Tier.objects.get(slug="foundation"),
        unit=w.ward_a,
        due_on=datetime.date(2030, 1, 1),
    )
    return Case({"pk": a.pk}, w.leader)


def shared_definition(w: SimpleNamespace) -> Case:
    """A definition Ward A's falls measure follows; North's coach compares the units."""
    d = SharedDefinition.objects.create(
        organisation=w.org, name="Falls", definition="Falls per 1,000 bed-days", chart="u"
    )
    m = make_measure(w.ward_a, "Falls", [5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5])
    m.shared = d
    m.save()
    return Case({"pk": d.pk}, w.coach)


def maturity_round(w: SimpleNamespace) -> Case:
    """A round for North Hospital run by its coach; Ward A's leader and member answer it."""
    a = rounds.start(unit=w.north, title="North maturity", by=w.coach)
    rounds.invite(a, leaders=[w.leader], frontline=[w.member])
    w.round = a
    return Case({"pk": a.pk}, w.coach)


def maturity_answer(w: SimpleNamespace) -> Case:
    case = maturity_round(w)
    case.allowed = w.member
    return case


def maturity_discussing(w: SimpleNamespace) -> Case:
    case = maturity_round(w)
    type(w.round).objects.filter(pk=w.round.pk).update(
        status="discussing", answers_closed_at=w.round.created_at
    )
    return case


def maturity_finished(w: SimpleNamespace) -> Case:
    case = maturity_round(w)
    type(w.round).objects.filter(pk=w.round.pk).update(
        status="finished", answers_closed_at=w.round.created_at, finished_at=w.round.created_at
    )
    return case


def maturity_gap(w: SimpleNamespace) -> Case:
    case = maturity_finished(w)
    case.kwargs["component"] = "trust"
    return case


def action(w: SimpleNamespace) -> Case:
    """An action in Ward A owned by its member and made by its leader."""
    a = Action.objects.create(
        unit=w.ward_a,
        title="Fix the bed alarms",
        owner=w.member,
        created_by=w.leader,
        due_on=datetime.date(2030, 1, 1),
    )
    return Case({"pk": a.pk}, w.leader)


def strategy_goal(w: SimpleNamespace) -> Case:
    """An annual goal Ward A's leader proposed under the root's breakthrough objective."""
    b1 = catchball.create(
        Objective(unit=w.root, level=Level.BREAKTHROUGH, title="Halve harm"), by=w.admin
    )
    goal = catchball.create(
        Objective(
            unit=w.ward_a,
            level=Level.ANNUAL,
            parent=b1,
            title="Falls under 5",
            start=datetime.date(2026, 1, 1),
            direction="down",
        ),
        by=w.leader,
    )
    return Case({"pk": goal.pk}, w.leader)


Factory = Callable[[SimpleNamespace], Case]

#: URL name: (factory, methods, fixed kwargs that are not ids).
REGISTRY: dict[str, tuple[Factory, tuple[str, ...], dict[str, str]]] = {
    "core:notification": (notification, (GET,), {}),
    "core:token-revoke": (api_token, (POST,), {}),
    "accounts:provisioning-token-revoke": (provisioning_token, (POST,), {}),
    "accounts:passkey-remove": (passkey, (POST,), {}),
    "accounts:person": (person, (GET,), {}),
    "accounts:person-update": (person_managed, (POST,), {}),
    "accounts:person-active": (person_managed, (POST,), {}),
    "accounts:person-invite": (person_managed, (POST,), {}),
    "accounts:membership-add": (person_managed, (POST,), {}),
    "accounts:membership-update": (membership, (POST,), {}),
    "accounts:membership-delete": (membership, (POST,), {}),
    "accounts:staff-import": (staff_import, (GET,), {}),
    "accounts:staff-import-progress": (staff_import, (GET,), {}),
    "accounts:staff-import-apply": (staff_import, (POST,), {}),
    "accounts:staff-import-discard": (staff_import, (POST,), {}),
    "accounts:unit": (unit, (GET,), {}),
    "accounts:unit-edit": (unit_managed, BOTH, {}),
    "measures:detail": (measure, (GET,), {}),
    "measures:edit": (measure, BOTH, {}),
    "measures:delete": (measure, BOTH, {}),
    "measures:data": (measure, BOTH, {}),
    "measures:upload": (measure, BOTH, {}),
    "measures:import": (data_import, BOTH, {}),
    "measures:import-progress": (data_import, (GET,), {}),
    "measures:import-discard": (data_import, (POST,), {}),
    "measures:import-errors": (data_import, (GET,), {}),
    "measures:freeze": (measure, (POST,), {}),
    "measures:setting-add": (measure, (POST,), {"kind": "annotate"}),
    "measures:setting-remove": (annotation, (POST,), {"kind": "annotate"}),
    "measures:chart-file": (measure, (GET,), {"fmt": "svg"}),
    "measures:csv": (measure, (GET,), {}),
    "measures:second-chart": (measure, (GET,), {}),
    "api:get_measure": (measure, (GET,), {}),
    "api:push_data": (measure_api_data, (POST,), {}),
    "api:get_analysis": (measure, (GET,), {}),
    "api:get_chart": (measure, (GET,), {"fmt": "svg"}),
    "api:get_summary": (measure, (GET,), {}),
    "ideas:board": (unit, (GET,), {}),
    "ideas:board-settings": (unit_led, (POST,), {}),
    "ideas:wall-create": (unit_led, (POST,), {}),
    "ideas:wall-revoke": (wall_display, (POST,), {}),
    "ideas:detail": (idea, (GET,), {}),
    "ideas:endorse": (idea, (POST,), {}),
    "ideas:comment": (idea, (POST,), {}),
    "ideas:respond": (idea_to_respond, (POST,), {}),
    "improvement:project": (project, (GET,), {}),
    "improvement:charter": (project, BOTH, {}),
    "improvement:status": (project, BOTH, {}),
    "improvement:tollgate": (project_tollgate, (POST,), {}),
    "improvement:team": (project, BOTH, {}),
    "improvement:reuse": (project, (POST,), {}),
    "improvement:diagram": (project, BOTH, {}),
    "improvement:diagram-export": (project, (GET,), {"fmt": "svg"}),
    "improvement:tool-new": (new_tool, (POST,), {}),
    "improvement:cycle-new": (project, BOTH, {}),
    "improvement:measures": (project, BOTH, {}),
    "improvement:measure-new": (project, BOTH, {}),
    "improvement:measure-unlink": (project_measure_link, (POST,), {}),
    "improvement:a3": (project, (GET,), {}),
    "improvement:a3-pdf": (project, (GET,), {}),
    "improvement:project-json": (project, (GET,), {}),
    "improvement:change-idea-reuse": (change_idea, (POST,), {}),
    "improvement:tool": (tool, (GET,), {}),
    "improvement:tool-edit": (tool, BOTH, {}),
    "improvement:tool-export": (tool, (GET,), {"fmt": "json"}),
    "improvement:cycle": (cycle, BOTH, {}),
    "improvement:cycle-next": (cycle, (POST,), {}),
    "improvement:from-idea": (idea, BOTH, {}),
    "learning:lesson": (lesson, (GET,), {}),
    "learning:mark-read": (lesson, (POST,), {}),
    "learning:quiz": (lesson, (GET,), {}),
    "learning:quiz-start": (lesson, (POST,), {}),
    "learning:exercise": (lesson, BOTH, {}),
    "learning:attempt": (quiz_attempt, BOTH, {}),
    "learning:module": (module, (GET,), {}),
    "learning:tier": (tier, (GET,), {}),
    "learning:evidence": (tier, BOTH, {}),
    "learning:submission": (submission, (GET,), {}),
    "learning:review": (submission_to_review, (POST,), {}),
    "learning:evidence-file": (evidence_file, (GET,), {}),
    "learning:certificate": (certificate, (GET,), {}),
    "learning:learner": (learner, (GET,), {}),
    "learning:assignment-delete": (assignment, (POST,), {}),
    "leadership:board": (unit_overseen, (GET,), {}),
    "leadership:board-pdf": (unit_overseen, (GET,), {}),
    "leadership:board-csv": (unit_overseen, (GET,), {}),
    "leadership:compare": (shared_definition, (GET,), {}),
    "leadership:maturity-round": (maturity_round, (GET,), {}),
    "leadership:maturity-invite": (maturity_round, (POST,), {}),
    "leadership:maturity-answer": (maturity_answer, BOTH, {}),
    "leadership:maturity-close": (maturity_round, (POST,), {}),
    "leadership:maturity-consensus": (maturity_discussing, BOTH, {}),
    "leadership:maturity-report": (maturity_finished, (GET,), {}),
    "leadership:maturity-plan": (maturity_finished, (POST,), {}),
    "leadership:maturity-gap": (maturity_gap, BOTH, {}),
    "actions:detail": (action, (GET,), {}),
    "actions:edit": (action, BOTH, {}),
    "actions:complete": (action, (POST,), {}),
    "actions:reopen": (action, (POST,), {}),
    "leadership:strategy-objective": (strategy_goal, (GET,), {}),
    "leadership:strategy-edit": (strategy_goal, BOTH, {}),
    "leadership:strategy-plan": (strategy_goal, BOTH, {}),
    "leadership:strategy-catch": (strategy_goal, (POST,), {}),
    "leadership:strategy-link": (strategy_goal, (POST,), {}),
}

#: Patterns with an id that are public by design: the id is an unguessable secret or names
#: only what is already public. Each is covered by tests/core/test_url_walk.py (anonymous
#: visitors) and by its app's tests.
PUBLIC = {
    "accounts:password-reset-confirm": "the e-mailed reset link, checked against its token",
    "accounts:sign-up-complete": "the e-mailed sign-up link, a signed and dated address "
    "(tests/accounts/test_sign_up.py)",
    "ideas:wall": "a wall screen opens a unit's board by the secret in a leader's link",
    "learning:verify": "certificate verification by its unguessable number",
    "learning:verify-pdf": "certificate verification by its unguessable number",
    "learning:verify-badge": "certificate verification by its unguessable number",
    "learning:verify-jwt": "certificate verification by its unguessable number",
    "learning:badge-key": "public keys of signed badges",
    "learning:issuer": "the issuer profile named on public certificates",
    # SCIM answers a provisioning token, never a session (401 without one, as for the REST
    # API); another organisation's token gets 404: tests/accounts/test_scim.py.
    "accounts:scim-user": "SCIM provisioning, by bearer token (tests/accounts/test_scim.py)",
    "accounts:scim-group": "SCIM provisioning, by bearer token (tests/accounts/test_scim.py)",
}

#: URL kwargs that are not ids (a file format, a kind of setting, an asset version).
NOT_IDS = {"fmt", "kind", "version"}

#: What a member of another unit of the same organisation may do, by design.
_READ_BY_ALL = "everyone in the organisation reads it"
_SHARED_PROJECT = "active and finished projects are shared with the whole organisation"
_CURRICULUM = "the curriculum is shared: anyone with an organisation learns from it"
_OWN_RECORD = "each person acts on their own learning record, for anyone's lesson"
NEIGHBOUR_MAY = {
    "GET accounts:unit": "the organisation chart is not secret",
    "GET measures:detail": _READ_BY_ALL,
    "GET measures:chart-file": _READ_BY_ALL,
    "GET measures:csv": _READ_BY_ALL,
    "GET measures:second-chart": _READ_BY_ALL,
    "GET api:get_measure": _READ_BY_ALL,
    "GET api:get_analysis": _READ_BY_ALL,
    "GET api:get_chart": _READ_BY_ALL,
    "GET api:get_summary": _READ_BY_ALL,
    "GET ideas:board": "every unit's huddle board is open to the organisation",
    "GET ideas:detail": _READ_BY_ALL,
    "POST ideas:endorse": "peers back peers' ideas, whatever their unit",
    "POST ideas:comment": "peers discuss peers' ideas, whatever their unit",
    "GET improvement:project": _SHARED_PROJECT,
    "POST improvement:reuse": "a shared charter may be copied into one's own unit",
    "GET improvement:diagram": _SHARED_PROJECT,
    "GET improvement:diagram-export": _SHARED_PROJECT,
    "GET improvement:a3": _SHARED_PROJECT,
    "GET improvement:a3-pdf": _SHARED_PROJECT,
    "GET improvement:project-json": _SHARED_PROJECT,
    "GET improvement:tool": _SHARED_PROJECT,
    "GET improvement:tool-export": _SHARED_PROJECT,
    "GET improvement:cycle": _SHARED_PROJECT,
    "GET learning:lesson": _CURRICULUM,
    "GET learning:quiz": _CURRICULUM,
    "GET learning:module": _CURRICULUM,
    "GET learning:tier": _CURRICULUM,
    "GET learning:exercise": _CURRICULUM,
    "POST learning:mark-read": _OWN_RECORD,
    "POST learning:quiz-start": _OWN_RECORD,
    "POST learning:exercise": _OWN_RECORD,
    "GET learning:evidence": _OWN_RECORD,
    "POST learning:evidence": _OWN_RECORD,
}
#: The same, for an outsider of another organisation: only the shared curriculum.
OUTSIDER_MAY = {
    key: reason
    for key, reason in NEIGHBOUR_MAY.items()
    if key.split(" ")[1].startswith("learning:")
}

#: What a member of another unit cannot even see (404, not 403), by design.
_PERSON = "people are seen by themselves and those who oversee them"
_MINE = "it is its person's alone"
_GOAL = "a unit's annual goal is seen by those who oversee the unit, its owner and proposer"
_ROUND = "a round is seen by its facilitator, its participants and the unit's overseers"
_ACTION = "an action is seen by its owner, its creator and its unit's overseers"
NEIGHBOUR_UNSEEN = {
    "GET core:notification": _MINE,
    "POST core:token-revoke": _MINE,
    "POST accounts:passkey-remove": _MINE,
    "GET accounts:person": _PERSON,
    "POST accounts:person-update": _PERSON,
    "POST accounts:person-active": _PERSON,
    "POST accounts:person-invite": _PERSON,
    "POST accounts:membership-add": _PERSON,
    "POST accounts:membership-update": _PERSON,
    "POST accounts:membership-delete": _PERSON,
    "POST ideas:wall-revoke": "wall links are the business of the unit's leaders and coaches",
    "GET learning:attempt": _MINE,
    "POST learning:attempt": _MINE,
    "GET learning:submission": _PERSON,
    "POST learning:review": _PERSON,
    "GET learning:evidence-file": _PERSON,
    "GET learning:certificate": _PERSON,
    "GET learning:learner": _PERSON,
    "POST learning:assignment-delete": "assignments are seen by their people and overseers",
    "GET leadership:maturity-round": _ROUND,
    "POST leadership:maturity-invite": _ROUND,
    "GET leadership:maturity-answer": _ROUND,
    "POST leadership:maturity-answer": _ROUND,
    "POST leadership:maturity-close": _ROUND,
    "GET leadership:maturity-consensus": _ROUND,
    "POST leadership:maturity-consensus": _ROUND,
    "GET leadership:maturity-report": _ROUND,
    "POST leadership:maturity-plan": _ROUND,
    "GET leadership:maturity-gap": _ROUND,
    "POST leadership:maturity-gap": _ROUND,
    "GET actions:detail": _ACTION,
    "GET actions:edit": _ACTION,
    "POST actions:edit": _ACTION,
    "POST actions:complete": _ACTION,
    "POST actions:reopen": _ACTION,
    "GET leadership:strategy-objective": _GOAL,
    "GET leadership:strategy-edit": _GOAL,
    "POST leadership:strategy-edit": _GOAL,
    "GET leadership:strategy-plan": _GOAL,
    "POST leadership:strategy-plan": _GOAL,
    "POST leadership:strategy-catch": _GOAL,
    "POST leadership:strategy-link": _GOAL,
}

# ---------------------------------------------------------------------------------------
# The walk.


def url_kwargs(resolver: Any = None, namespace: str = "") -> dict[str, set[str]]:
    """Every named URL pattern (outside the operators' admin) with its kwargs."""
    resolver = resolver or get_resolver()
    found: dict[str, set[str]] = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django's admin: operators only, its own staff permissions
            found.update(url_kwargs(entry, ":".join(filter(None, [namespace, entry.namespace]))))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            found[name] = set(entry.pattern.regex.groupindex)
    return found


KWARGS = url_kwargs()
PATTERNS = {name for name, kwargs in KWARGS.items() if kwargs - NOT_IDS}


def unregistered(kwargs: dict[str, set[str]]) -> list[str]:
    with_ids = {name for name, names in kwargs.items() if names - NOT_IDS}
    return sorted(with_ids - set(REGISTRY) - set(PUBLIC))


def test_every_url_with_an_id_is_registered():
    missing = unregistered(KWARGS)
    assert not missing, (
        f"URL patterns with an id but no entry in REGISTRY of {__file__}: {missing}. "
        "Add each with a factory that makes its object and the person allowed to use it, "
        "and the methods its view answers (see docs/architecture.md, 'Permissions')."
    )


def test_the_tables_name_only_real_urls_and_methods():
    assert len(PATTERNS) > 60 and not set(REGISTRY) & set(PUBLIC)
    assert set(REGISTRY) | set(PUBLIC) <= set(PATTERNS), "remove entries of removed URLs"
    keys = {f"{m.upper()} {name}" for name, (_, methods, _) in REGISTRY.items() for m in methods}
    for table in (NEIGHBOUR_MAY, NEIGHBOUR_UNSEEN, OUTSIDER_MAY):
        assert set(table) <= keys, sorted(set(table) - keys)
    assert not set(NEIGHBOUR_MAY) & set(NEIGHBOUR_UNSEEN)


SUCCESS = {200, 201, 204, 301, 302, 303}
# A POST in the walk carries little or no data: a form refusing it (422) has already let the
# person past the permission check, as has an answer that the thing is in another state (409).
ALLOWED = SUCCESS | {409, 422}


def request(client: Any, method: str, url: str, user: Any, data: dict[str, Any]) -> int:
    if url.startswith("/api/"):
        client.logout()
        _, raw = ApiToken.issue(user, "walk")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        if method == POST:
            return client.post(url, data, content_type="application/json", **auth).status_code
        return client.get(url, **auth).status_code
    client.force_login(user)
    return getattr(client, method)(url, data if method == POST else None).status_code


def expected(key: str, who: str) -> set[int]:
    if who == "outsider":
        return ALLOWED if key in OUTSIDER_MAY else {404}
    if key in NEIGHBOUR_MAY:
        return ALLOWED
    return {404} if key in NEIGHBOUR_UNSEEN else {403}


def walk_one(name: str, w: SimpleNamespace, client: Any) -> list[str]:
    """Every way `name` breaks the rules, as readable lines (none when it keeps them)."""
    factory, methods, fixed = REGISTRY[name]
    case = factory(w)
    kwargs = {k: v for k, v in {**case.kwargs, **fixed}.items() if k in KWARGS[name]}
    url = reverse(name, kwargs=kwargs)
    problems = []
    for method in methods:
        key = f"{method.upper()} {name}"
        for who, user in (("outsider", w.outsider), ("neighbour", w.colleague)):
            status = request(client, method, url, user, case.data)
            if status not in expected(key, who):
                problems.append(
                    f"{key} {url} as the {who}: {status}, expected {expected(key, who)}"
                )
    # The allowed person last: their POST may delete the object.
    for method in methods:
        status = request(client, method, url, case.allowed, case.data)
        if status not in ALLOWED:
            problems.append(f"{method.upper()} {name} {url} as {case.allowed}: {status}")
    return problems


@pytest.fixture
def w(world, tmp_path):
    world.tmp_path = tmp_path
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_outsiders_get_404_neighbours_403_and_the_allowed_get_in(name, w, client):
    problems = walk_one(name, w, client)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------
# The walk itself is tested: a view without a check, or a pattern left out, fails it.


def leaky_detail(request: Any, pk: int) -> HttpResponse:
    """Fetches a measure without asking who is asking."""
    return HttpResponse(Measure.objects.get(pk=pk).name)


def leaky_edit(request: Any, pk: int) -> HttpResponse:
    """Checks that the person may see the measure, but not that they may change it."""
    return HttpResponse(measure_for(request.user, pk).name)


urlpatterns = [
    path("leaky/<int:pk>/", leaky_detail, name="leaky"),
    path("leaky/<int:pk>/edit/", leaky_edit, name="leaky-edit"),
]


@pytest.mark.django_db
def test_a_view_without_a_check_fails_the_walk(w, client, settings, monkeypatch):
    settings.ROOT_URLCONF = __name__
    assert unregistered(url_kwargs()) == ["leaky", "leaky-edit"]
    monkeypatch.setattr(f"{__name__}.KWARGS", url_kwargs())
    monkeypatch.setitem(REGISTRY, "leaky", (measure, (GET,), {}))
    monkeypatch.setitem(REGISTRY, "leaky-edit", (measure, (POST,), {}))
    problems = walk_one("leaky", w, client)
    url = f"/leaky/{w.measure.pk}/"
    assert problems == [
        f"GET leaky {url} as the outsider: 200, expected {{404}}",
        f"GET leaky {url} as the neighbour: 200, expected {{403}}",
    ]
    w.measure.delete()
    problems = walk_one("leaky-edit", w, client)
    assert problems == [
        f"POST leaky-edit {url}edit/ as the neighbour: 200, expected {{403}}".replace(
            url, f"/leaky/{w.measure.pk}/"
        )
    ]
