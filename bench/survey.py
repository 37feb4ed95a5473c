"""Every GET page and API answer of the site on the database in DATABASE_URL (issue 15).

Usage: ``DATABASE_URL=postgres://... .venv/bin/python bench/survey.py [--repeat 3] [--only X]
[--json]``

`bench/pages.py` times the five personas' journeys; this walks the rest of the site as well:
every named URL pattern answering GET (outside Django's admin), each opened as the person who
would use it (the demo accounts ``<persona>@riverside.example``, or the object's own person
for records only they see), with ids read from the data, plus the list pages with their
filters and searches, and the JSON API with a bearer token. Each is timed as pages.py does
(``time_get``: a warm-up, then the median of ``--repeat``), and the table shows the status,
the median server time, the size, the queries and ``OVER`` where a page is over the budget
of issue 15 (300 ms, 200 KB). ``--only`` keeps the rows whose URL name or address contains
the text.

Patterns not opened are listed at the end with the reason (POST only, a sign-in step, a
file download, no such object in the data). The API token the survey needs is made inside
a transaction that is rolled back: the survey leaves behind only what page visits write.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages import BUDGET_BYTES, BUDGET_MS, DEMO, setup, time_get

#: URL names not opened, and why.
SKIP = {
    "core:healthz": "a probe, not a page",
    "core:notifications-read": "POST only",
    "accounts:sign-out": "signs the persona out",
    "accounts:oidc-start": "a sign-in step (redirects to the identity provider)",
    "accounts:oidc-callback": "a sign-in step",
    "accounts:saml-start": "a sign-in step",
    "accounts:saml-acs": "a sign-in step",
    "accounts:saml-metadata": "a sign-in step",
    "accounts:sign-in-verify": "a sign-in step",
    "accounts:sign-up-complete": "a signed, e-mailed link",
    "accounts:password-reset-confirm": "a signed, e-mailed link",
    "accounts:two-factor-setup": "starts enrolment (writes a pending device)",
    "accounts:passkey-add": "starts enrolment",
    "accounts:two-factor-replace": "two-factor enrolment",
    "accounts:two-factor-recovery-codes": "makes new recovery codes",
    "accounts:two-factor-disable": "two-factor enrolment",
    "accounts:scim-config": "SCIM: provisioning tokens only (tests/accounts/test_scim.py)",
    "accounts:scim-resource-types": "SCIM: provisioning tokens only",
    "accounts:scim-users": "SCIM: provisioning tokens only",
    "accounts:scim-user": "SCIM: provisioning tokens only",
    "accounts:scim-groups": "SCIM: provisioning tokens only",
    "accounts:scim-group": "SCIM: provisioning tokens only",
    "ideas:wall": "a secret link (only its hash is stored)",
    "measures:vega-bundle": "a static script",
    "improvement:a3-pdf": "a PDF download",
    "leadership:board-pdf": "a PDF download (the board report is someone else's)",
    "leadership:board-csv": "the board report is someone else's",
    "learning:verify-pdf": "a PDF download",
    "learning:verify-jwt": "a signed download",
    "learning:badge-key": "a public key",
    "api:create_measure": "POST only",
    "api:api-root": "answers 404 (no operation at /api/v1/ itself)",
    "accounts:organisation-rules": "POST only",
    "accounts:sign-up": "self sign-up is off in the demo (404)",
    "accounts:welcome": "for a person's first sign-in only (403 afterwards)",
    "api:push_data": "POST only",
}

#: (URL name, who, address): who is a persona, a user, or None for an anonymous visitor.
Row = tuple[str, Any, str]


def _first(queryset: Any) -> Any:
    return queryset.order_by("pk").first()


def pages() -> Iterator[Row]:
    from django.urls import reverse

    from champion.accounts.models import Membership, Unit, User
    from champion.actions.models import Action
    from champion.core.models import Notification
    from champion.improvement.ideas.models import Idea
    from champion.improvement.models import PDSACycle, Project, ProjectMeasure, Tool
    from champion.leadership.models import Assessment, Participant, RoundStatus
    from champion.leadership.strategy.models import Objective
    from champion.learning.models import (
        Assignment,
        Certificate,
        EvidenceFile,
        Lesson,
        QuizAttempt,
        Submission,
    )
    from champion.measures.models import Annotation, DataImport, Measure, SharedDefinition

    def url(name: str, *args: Any, query: str = "") -> str:
        return reverse(name, args=args) + (f"?{query}" if query else "")

    ward7 = Unit.objects.get(name="Ward 7 - Acute Medicine")
    root = _first(Unit.objects.filter(organisation=ward7.organisation, parent=None))
    member = User.objects.get(email=f"member@{DEMO}")
    measure = _first(Measure.objects.filter(unit=ward7))
    idea = Idea.objects.filter(unit=ward7).order_by("-pk").first()
    project = _first(Project.objects.filter(unit=ward7)) or _first(Project.objects)
    lesson = (
        Lesson.objects.filter(retired=False, module__retired=False, module__tier__slug="foundation")
        .order_by("module__order", "order")
        .first()
    )

    # Whole-organisation lists, each as the persona who uses it, with their filters.
    yield "home:home", "member", url("home:home")
    yield "core:audit-log", "admin", url("core:audit-log")
    yield "core:audit-log", "admin", url("core:audit-log", query="type=measure&action=update")
    yield "core:notifications", "member", url("core:notifications")
    yield "core:notification-settings", "member", url("core:notification-settings")
    yield "core:tokens", "member", url("core:tokens")
    yield "accounts:sign-in", None, url("accounts:sign-in")
    yield "accounts:password-reset", None, url("accounts:password-reset")
    yield "accounts:password-reset-sent", None, url("accounts:password-reset-sent")
    yield "accounts:password-reset-complete", None, url("accounts:password-reset-complete")
    yield "accounts:two-factor", "member", url("accounts:two-factor")
    yield "accounts:password-change", "member", url("accounts:password-change")
    yield "accounts:password-change-done", "member", url("accounts:password-change-done")
    yield "accounts:organisation-security", "admin", url("accounts:organisation-security")
    yield "accounts:people", "admin", url("accounts:people")
    yield "accounts:people", "admin", url("accounts:people", query="q=smith")
    yield "accounts:people", "admin", url("accounts:people", query=f"unit={root.pk}")
    yield "accounts:person-add", "admin", url("accounts:person-add")
    yield (
        "accounts:people-search",
        "leader",
        url("accounts:people-search", query="field=people&scope=overseen&people__q=ann"),
    )
    yield (
        "accounts:people-search",
        "executive",
        url("accounts:people-search", query="field=people&scope=colleagues&people__q=smith"),
    )
    yield (
        "accounts:unit-search",
        "executive",
        url("accounts:unit-search", query="field=unit&scope=visible&unit__q=ward"),
    )
    yield "accounts:staff-upload", "admin", url("accounts:staff-upload")
    yield "accounts:units", "admin", url("accounts:units")
    yield "accounts:unit-add", "admin", url("accounts:unit-add")
    yield "measures:index", "executive", url("measures:index")
    yield "measures:index", "executive", url("measures:index", query=f"unit={root.pk}")
    yield "measures:index", "leader", url("measures:index", query=f"unit={ward7.pk}&mine=1")
    yield "measures:create", "leader", url("measures:create")
    yield "measures:chooser", "member", url("measures:chooser")
    yield "measures:board", "executive", url("measures:board", query=f"unit={root.pk}")
    yield "measures:board", "leader", url("measures:board", query="attention=1")
    yield "measures:refresh", "admin", url("measures:refresh")
    yield "ideas:list", "executive", url("ideas:list")
    yield "ideas:list", "executive", url("ideas:list", query=f"unit={root.pk}&status=new")
    yield "ideas:list", "leader", url("ideas:list", query="awaiting=1")
    yield "ideas:list", "member", url("ideas:list", query="q=scanner&page=2")
    yield "ideas:new", "member", url("ideas:new")
    yield "ideas:mine", "member", url("ideas:mine")
    yield "ideas:boards", "executive", url("ideas:boards")
    yield "improvement:home", "member", url("improvement:home")
    yield "improvement:library", "coach", url("improvement:library")
    yield "improvement:library", "coach", url("improvement:library", query="status=finished")
    yield "improvement:library", "coach", url("improvement:library", query="q=falls&page=2")
    yield "improvement:project-new", "member", url("improvement:project-new")
    yield "improvement:aim-check", "member", url("improvement:aim-check")
    yield "learning:index", "member", url("learning:index")
    yield "learning:reviews", "coach", url("learning:reviews")
    yield "learning:team", "leader", url("learning:team")
    yield "learning:export-csv", "leader", url("learning:export-csv")
    yield "learning:export-xapi", "leader", url("learning:export-xapi")
    yield "learning:assignments", "leader", url("learning:assignments")
    yield "learning:badge-keys", None, url("learning:badge-keys")
    yield "learning:issuer-platform", None, url("learning:issuer-platform")
    yield "leadership:overview", "executive", url("leadership:overview")
    yield "leadership:board-choose", "executive", url("leadership:board-choose")
    yield "leadership:compare-index", "executive", url("leadership:compare-index")
    yield "leadership:maturity", "executive", url("leadership:maturity")
    yield "leadership:maturity-new", "leader", url("leadership:maturity-new")
    yield "leadership:strategy", "executive", url("leadership:strategy")
    yield "leadership:strategy-new", "executive", url("leadership:strategy-new")
    yield "actions:list", "leader", url("actions:list")
    yield "actions:list", "executive", url("actions:list", query="scope=oversee&status=all")
    yield "actions:new", "leader", url("actions:new")

    # Pages about one thing, with ids from the data.
    yield "accounts:person", "admin", url("accounts:person", member.pk)
    yield "accounts:person", "executive", url("accounts:person", member.pk)
    yield "accounts:unit", "member", url("accounts:unit", ward7.pk)
    yield "accounts:unit", "executive", url("accounts:unit", root.pk)
    yield "accounts:unit-edit", "admin", url("accounts:unit-edit", root.pk)
    if measure:
        yield "measures:detail", "member", url("measures:detail", measure.pk)
        yield "measures:edit", "leader", url("measures:edit", measure.pk)
        yield "measures:delete", "leader", url("measures:delete", measure.pk)
        yield "measures:data", "member", url("measures:data", measure.pk)
        yield "measures:upload", "member", url("measures:upload", measure.pk)
        yield "measures:chart-file", "member", url("measures:chart-file", measure.pk, "svg")
        yield "measures:csv", "member", url("measures:csv", measure.pk)
    busiest = Measure.objects.order_by("-summary__n", "pk").first()
    if busiest:
        yield "measures:detail", "executive", url("measures:detail", busiest.pk)
    # A long series' moving-range chart comes as its own answer (the spec, fetched by the page).
    busiest_i = Measure.objects.filter(chart="i").order_by("-summary__n", "pk").first()
    if busiest_i:
        yield "measures:second-chart", "executive", url("measures:second-chart", busiest_i.pk)
    data_import = _first(DataImport.objects)
    if data_import:
        who = data_import.uploaded_by
        for name in ("measures:import", "measures:import-progress", "measures:import-errors"):
            yield name, who, url(name, data_import.measure_id, data_import.pk)
    if Annotation.objects.exists():
        pass  # setting-add / setting-remove are POST only
    yield "ideas:board", "member", url("ideas:board", ward7.pk)
    yield "ideas:board", "executive", url("ideas:board", root.pk)
    if idea:
        yield "ideas:detail", "member", url("ideas:detail", idea.pk)
        yield "improvement:from-idea", "leader", url("improvement:from-idea", idea.pk)
    if project:
        who = project.created_by or "coach"
        for name in (
            "improvement:project",
            "improvement:charter",
            "improvement:status",
            "improvement:team",
            "improvement:diagram",
            "improvement:cycle-new",
            "improvement:measures",
            "improvement:measure-new",
            "improvement:a3",
            "improvement:project-json",
        ):
            yield name, who, url(name, project.pk)
        yield (
            "improvement:diagram-export",
            who,
            url("improvement:diagram-export", project.pk, "svg"),
        )
    tool = _first(Tool.objects.filter(project=project)) or _first(Tool.objects)
    if tool:
        who = tool.project.created_by or "coach"
        yield "improvement:tool", who, url("improvement:tool", tool.pk)
        yield "improvement:tool-edit", who, url("improvement:tool-edit", tool.pk)
        yield "improvement:tool-export", who, url("improvement:tool-export", tool.pk, "json")
    cycle = _first(PDSACycle.objects.filter(project=project)) or _first(PDSACycle.objects)
    if cycle:
        yield (
            "improvement:cycle",
            cycle.project.created_by or "coach",
            url("improvement:cycle", cycle.pk),
        )
    if ProjectMeasure.objects.exists():
        pass  # measure-unlink is POST only
    if lesson:
        for name in ("learning:lesson", "learning:quiz", "learning:exercise"):
            yield name, "member", url(name, lesson.slug)
        yield "learning:module", "member", url("learning:module", lesson.module.slug)
        yield "learning:tier", "member", url("learning:tier", lesson.module.tier.slug)
        yield "learning:evidence", "member", url("learning:evidence", lesson.module.tier.slug)
    attempt = QuizAttempt.objects.filter(user=member).order_by("-pk").first()
    if attempt:
        yield "learning:attempt", member, url("learning:attempt", attempt.pk)
    submission = _first(Submission.objects)
    if submission:
        yield "learning:submission", submission.user, url("learning:submission", submission.pk)
    evidence = _first(EvidenceFile.objects)
    if evidence:
        owner = evidence.submission.user
        yield "learning:evidence-file", owner, url("learning:evidence-file", evidence.pk)
    certificate = _first(Certificate.objects)
    if certificate:
        yield "learning:certificate", certificate.user, url("learning:certificate", certificate.pk)
        public = certificate.public_id
        yield "learning:verify", None, url("learning:verify", public)
        yield "learning:verify-badge", None, url("learning:verify-badge", public)
        yield "learning:issuer", None, url("learning:issuer", certificate.user.organisation.slug)
    yield "learning:learner", "leader", url("learning:learner", member.pk)
    notification = _first(Notification.objects)
    if notification:
        yield "core:notification", notification.user, url("core:notification", notification.pk)
    definition = _first(SharedDefinition.objects)
    if definition:
        yield "leadership:compare", "executive", url("leadership:compare", definition.pk)
    for assessment in Assessment.objects.order_by("pk"):
        who = assessment.facilitator or "executive"
        yield "leadership:maturity-round", who, url("leadership:maturity-round", assessment.pk)
        if assessment.status == RoundStatus.FINISHED:
            yield (
                "leadership:maturity-report",
                who,
                url("leadership:maturity-report", assessment.pk),
            )
        elif assessment.status == RoundStatus.DISCUSSING:
            yield (
                "leadership:maturity-consensus",
                who,
                url("leadership:maturity-consensus", assessment.pk),
            )
        else:
            participant = _first(Participant.objects.filter(assessment=assessment))
            if participant:
                yield (
                    "leadership:maturity-answer",
                    participant.user,
                    url("leadership:maturity-answer", assessment.pk),
                )
    goal = _first(Objective.objects)
    if goal:
        yield (
            "leadership:strategy-objective",
            "executive",
            url("leadership:strategy-objective", goal.pk),
        )
        yield "leadership:strategy-edit", "executive", url("leadership:strategy-edit", goal.pk)
        yield "leadership:strategy-plan", "executive", url("leadership:strategy-plan", goal.pk)
    action = _first(Action.objects)
    if action:
        yield "actions:detail", action.owner or "executive", url("actions:detail", action.pk)
        yield "actions:edit", action.owner or "executive", url("actions:edit", action.pk)
    assignment = _first(Assignment.objects)
    if assignment:
        pass  # assignment-delete is POST only
    if Membership.objects.exists():
        pass  # membership-update / -delete are POST only


def api_pages() -> Iterator[Row]:
    """The JSON API's GET operations, as the executive (sees every unit and measure)."""
    from django.urls import reverse

    from champion.accounts.models import Unit
    from champion.measures.models import Measure

    ward7 = Unit.objects.get(name="Ward 7 - Acute Medicine")
    root = Unit.objects.filter(organisation=ward7.organisation, parent=None).order_by("pk")[0]
    measure = Measure.objects.filter(unit=ward7).order_by("pk").first()
    yield "api:openapi-json", "executive", reverse("api:openapi-json")
    yield "api:units", "executive", reverse("api:units")
    yield "api:list_measures", "executive", reverse("api:list_measures")
    yield "api:list_measures", "executive", reverse("api:list_measures") + f"?unit={root.pk}"
    yield "api:list_measures", "executive", reverse("api:list_measures") + f"?unit={ward7.pk}"
    if measure:
        for name in ("api:get_measure", "api:get_analysis", "api:get_summary"):
            yield name, "executive", reverse(name, args=[measure.pk])
        yield "api:get_chart", "executive", reverse("api:get_chart", args=[measure.pk, "svg"])


def get_patterns() -> set[str]:
    """Every named URL pattern outside Django's admin."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver: Any, namespace: str) -> Iterator[str]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name != "admin":
                    inner = ":".join(filter(None, [namespace, entry.namespace]))
                    yield from walk(entry, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    return set(walk(get_resolver(), ""))


def post_only() -> set[str]:
    """URL names the permission walk (tests/core/test_object_permissions.py) lists as POST only."""
    path = Path(__file__).resolve().parents[1] / "tests" / "core" / "test_object_permissions.py"
    found = set()
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith('"') and "(POST,)" in line and ":" in line.split(",")[0]:
            found.add(line.split('"')[1])
    return found


def survey(repeat: int, only: str = "") -> tuple[list[dict[str, Any]], dict[str, str]]:
    from django.db import transaction
    from django.test import Client

    from champion.accounts.models import User
    from champion.core.models import ApiToken

    clients: dict[Any, Client] = {}

    def client_for(who: Any) -> Client:
        key = who if isinstance(who, str) or who is None else f"user {who.pk}"
        if key not in clients:
            clients[key] = Client()
            if who is not None:
                user = who if isinstance(who, User) else User.objects.get(email=f"{who}@{DEMO}")
                clients[key].force_login(user)
        return clients[key]

    def wanted(name: str, address: str) -> bool:
        return not only or only in name or only in address

    def label(who: Any) -> str:
        return "anonymous" if who is None else who if isinstance(who, str) else who.email

    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name, who, address in pages():
        seen.add(name)
        if wanted(name, address):
            row = time_get(client_for(who), address, repeat)
            rows.append({"name": name, "who": label(who), **row})
    with transaction.atomic():  # the token goes again: nothing is left behind
        executive = User.objects.get(email=f"executive@{DEMO}")
        _, raw = ApiToken.issue(executive, "bench/survey.py")
        api = Client()
        for name, _who, address in api_pages():
            seen.add(name)
            if wanted(name, address):
                row = time_get(api, address, repeat, HTTP_AUTHORIZATION=f"Bearer {raw}")
                rows.append({"name": name, "who": "API token", **row})
        transaction.set_rollback(True)
    posts = post_only()
    left = {}
    for name in sorted(get_patterns() - seen):
        left[name] = SKIP.get(name) or (
            "POST only" if name in posts else "no such object in this database"
        )
    return rows, left


def over(row: dict[str, Any]) -> str:
    flags = []
    if row["median_ms"] > BUDGET_MS:
        flags.append("OVER-ms")
    if row["bytes"] > BUDGET_BYTES:
        flags.append("OVER-KB")
    if row["status"] >= 400:
        flags.append(f"HTTP-{row['status']}")
    return " ".join(flags)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/survey.py")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="rows whose URL name or address has this")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    setup()
    rows, left = survey(args.repeat, args.only)
    if args.json:
        print(json.dumps({"rows": rows, "not_opened": left}))
        return 0
    print(f"{'URL name':34} {'who':24} st  {'ms':>8} {'cpu ms':>8} {'KB':>8} {'q':>4}  url")
    for r in rows:
        print(
            f"{r['name']:34} {r['who'][:24]:24} {r['status']} {r['median_ms']:8.1f} "
            f"{r['cpu_ms']:8.1f} "
            f"{r['bytes'] / 1024:8.1f} {r['queries']:4}  {r['url']}  {over(r)}"
        )
    flagged = [r for r in rows if over(r)]
    print(f"\n{len(rows)} answers, {len(flagged)} over budget or failing.")
    if left and not args.only:
        print("\nNot opened:")
        for name, why in left.items():
            print(f"  {name:40} {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
