"""Pages of the maturity self-assessment: the list of rounds, starting one, inviting,
answering, closing, agreeing the consensus and the report.

Each view asks `assessment_for` (or `area_for` to start a round) first; state rules live in
`maturity.rounds`, numbers in `maturity.report`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from champion.accounts.models import OVERSIGHT_ROLES
from champion.actions.models import SourceKind
from champion.actions.services import from_source as actions_from
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.leadership.maturity import gaps, rounds, trend
from champion.leadership.maturity import report as reports
from champion.leadership.maturity.forms import RoundForm
from champion.leadership.maturity.framework import framework
from champion.leadership.models import Assessment, Participant, Stage
from champion.leadership.permissions import area_for, assessment_for


def _page(
    request: AuthedRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("tab", "maturity")
    # A round's pages show the components that round asks; the index shows them all.
    context.setdefault("framework", context["a"].framework if "a" in context else framework())
    return render(request, template, context, status=status)


def index(request: AuthedRequest) -> HttpResponse:
    """Rounds of the area a person oversees, and rounds they are invited to answer."""
    user = request.user
    visible = Assessment.objects.visible_to(user).select_related("unit", "facilitator")
    invited = list(
        Participant.objects.filter(user=user, assessment__in=visible, assessment__status="open")
        .select_related("assessment__unit")
        .order_by("-assessment__created_at")
    )
    area = area_for(user, request.GET.get("unit")) if user.oversees_people else None
    rounds_list = visible.filter(area.within()) if area is not None else visible.none()
    return _page(
        request,
        "leadership/maturity/index.html",
        {"area": area, "rounds": list(rounds_list[:50]), "invited": invited},
    )


def new(request: AuthedRequest) -> HttpResponse:
    area = area_for(request.user)  # 403 for a person who oversees no unit
    default_unit = area.unit or (area.roots[0] if area.roots else None)
    initial = {
        "unit": str(default_unit.pk) if default_unit else "",
        "title": f"High-reliability maturity, {timezone.localdate():%B %Y}",
    }
    form = RoundForm(request.POST or None, area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        a = rounds.start(
            unit=form.cleaned_data["unit"], title=form.cleaned_data["title"], by=request.user
        )
        local = (
            f" This is a local round: it asks {len(a.framework.components)} components, "
            "leaving out the board and the chief executive."
            if a.is_local
            else ""
        )
        messages.success(
            request,
            "Round started. You take part as a leader; now invite the people who will answer."
            + local,
        )
        return redirect(a)
    return _page(
        request,
        "leadership/maturity/new.html",
        {"area": area, "form": form},
        status=400 if form.errors else 200,
    )


def _round_context(request: AuthedRequest, a: Assessment) -> dict[str, Any]:
    user = request.user
    me = a.participants.filter(user=user).first()
    context: dict[str, Any] = {
        "a": a,
        "me": me,
        "facilitating": a.is_facilitator(user),
        "participants": a.participants.count(),
        "sent": a.participants.filter(submitted_at__isnull=False).count(),
    }
    if context["facilitating"]:
        context["progress"] = rounds.progress(a)
        invited = {p.participant.user_id for p in context["progress"]}
        context["candidates"] = [
            (person, person.pk in invited) for person in rounds.leaders_of(a.unit)
        ]
    return context


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assessment_for(request.user, pk)
    return _page(request, "leadership/maturity/round.html", _round_context(request, a))


def _refuse(request: AuthedRequest, a: Assessment, message: str, status: int) -> HttpResponse:
    context = _round_context(request, a)
    context["error"] = message
    return _page(request, "leadership/maturity/round.html", context, status=status)


@require_POST
def invite(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assessment_for(request.user, pk, "facilitate")
    candidates = {str(p.pk): p for p in rounds.leaders_of(a.unit)}
    chosen = request.POST.getlist("leaders")
    unknown = [v for v in chosen if v not in candidates]
    if unknown:
        return _refuse(
            request,
            a,
            "Only leaders, coaches and admins of this unit's area can be invited as leaders.",
            400,
        )
    leaders = [candidates[v] for v in chosen]
    emails = [
        e.strip().lower()
        for e in request.POST.get("frontline", "").replace(",", "\n").splitlines()
        if e.strip()
    ]
    staff = {u.email: u for u in rounds.people_of(a.unit).filter(email__in=emails)}
    missing = list(dict.fromkeys(e for e in emails if e not in staff))
    try:
        new_people = rounds.invite(
            a, leaders=leaders, frontline=[staff[e] for e in emails if e in staff]
        )
    except rounds.RoundError as e:
        return _refuse(request, a, str(e), 409)
    if missing:
        # Everyone found is invited; the addresses not found stay in the box to correct.
        invited = f"Invited {len(new_people)}. " if new_people else ""
        context = _round_context(request, a)
        context["error"] = (
            f"{invited}Not found among the people of {a.unit.name}: {', '.join(missing)}. "
            "Check these addresses (they are still in the box) and invite them again."
        )
        context["frontline_typed"] = "\n".join(missing)
        return _page(request, "leadership/maturity/round.html", context, status=422)
    messages.success(
        request,
        f"Invited {len(new_people)} {'person' if len(new_people) == 1 else 'people'}."
        if new_people
        else "Everyone chosen was already invited.",
    )
    return redirect(a)


def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assessment_for(request.user, pk, "answer")
    me = a.participants.get(user=request.user)
    error, status = "", 200
    if request.method == "POST":
        submit = request.POST.get("action") == "send"
        try:
            cleaned = rounds.clean_answers(request.POST, a.framework)
            answered = rounds.save_answers(me, cleaned, submit=submit)
        except rounds.BadAnswer as e:
            error, status = str(e), 400
        except rounds.RoundError as e:
            error, status = str(e), 409
        else:
            if request.htmx:
                return render(
                    request, "leadership/maturity/answer.html#saved",
                    {"answered": answered, "total": len(a.framework.components), "now": timezone.now()},
                )  # fmt: skip
            if submit:
                messages.success(request, "Thank you: your answers are in.")
                return redirect(a)
            messages.success(
                request, f"Saved: {answered} of {len(a.framework.components)} answered."
            )
            return redirect("leadership:maturity-answer", a.pk)
        if request.htmx:
            # HTMX does not swap 4xx responses, so the refusal comes back as a 200 partial with
            # the reason in the status line; HX-Refresh reloads the page (now locked) when the
            # round closed or the answers were already sent.
            response = render(request, "leadership/maturity/answer.html#saved", {"error": error})
            if status == 409:
                response["HX-Refresh"] = "true"
            return response
    mine = {ans.component: ans for ans in me.answers.all()}
    locked = not a.is_open or me.submitted_at is not None
    return _page(
        request,
        "leadership/maturity/answer.html",
        {"a": a, "me": me, "mine": mine, "locked": locked, "error": error,
         "answered": len(mine), "total": len(a.framework.components),
         "framework": a.framework},
        status=status,
    )  # fmt: skip


@require_POST
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assessment_for(request.user, pk, "facilitate")
    try:
        rounds.close_answers(a)
    except rounds.RoundError as e:
        return _refuse(request, a, str(e), 409)
    messages.success(request, "Answering is closed. Now agree a stage for each component together.")
    return redirect("leadership:maturity-consensus", a.pk)


def consensus(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assessment_for(request.user, pk, "facilitate")
    require(
        a.is_discussing,
        "The consensus is recorded after answering closes and before the round finishes.",
    )
    error, status = "", 200
    if request.method == "POST":
        finish = request.POST.get("action") == "finish"
        try:
            agreed = rounds.clean_answers(request.POST, a.framework)
            n = rounds.save_consensus(a, agreed, finish=finish)
        except rounds.BadAnswer as e:
            error, status = str(e), 400
        except rounds.RoundError as e:
            error, status = str(e), 409
        else:
            if finish:
                messages.success(request, "The round is finished and its report is published.")
                return redirect("leadership:maturity-report", a.pk)
            messages.success(request, f"Saved: {n} of {len(a.framework.components)} agreed.")
            return redirect("leadership:maturity-consensus", a.pk)
    report = reports.build(a, with_previous=False)
    return _page(
        request, "leadership/maturity/consensus.html",
        {"a": a, "report": report, "error": error, "agreed": sum(1 for r in report.rows if r.stage)},
        status=status,
    )  # fmt: skip


def report(request: AuthedRequest, pk: int) -> HttpResponse:
    a = assessment_for(request.user, pk)
    require(a.is_finished, "The report is published when the facilitator finishes the round.")
    report = reports.build(a)
    may_act = a.is_facilitator(request.user) or request.user.has_role_at(a.unit, *OVERSIGHT_ROLES)
    made = actions_from(
        request.user, SourceKind.MATURITY_GAP, [gaps.source_id(a, r.component) for r in report.rows]
    )
    return _page(
        request,
        "leadership/maturity/report.html",
        {"a": a, "report": report, "facilitating": a.is_facilitator(request.user),
         "min_plan": rounds.MIN_PLAN_CHARS, "may_act": may_act,
         "made": {key.partition(":")[2]: rows for key, rows in made.items()},
         "trend": trend.history(a.unit_id, until=a)},
    )  # fmt: skip


@require_POST
def action_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """The facilitator writes the round's 90-day action plan, under its report."""
    a = assessment_for(request.user, pk, "facilitate")
    try:
        rounds.save_action_plan(a, request.POST.get("action_plan", ""))
    except rounds.BadAnswer as e:
        messages.error(request, str(e))
    except rounds.RoundError as e:
        return _refuse(request, a, str(e), 409)
    else:
        messages.success(request, "The 90-day action plan is saved.")
    return redirect(reverse("leadership:maturity-report", args=[a.pk]) + "#action-plan")


def gap(request: AuthedRequest, pk: int, component: str) -> HttpResponse:
    """One gap of a finished round becomes an action, a project or a learning assignment."""
    a = assessment_for(request.user, pk, "act")
    require(a.is_finished, "Gaps are acted on once the round is finished.")
    found = a.framework.component(component)
    if found is None:
        raise Http404("No such component")
    stage = a.consensus.filter(component=found.key).values_list("stage", flat=True).first()
    initial = {
        "kind": "action",
        "owner": request.user.pk,
        "title": f"{found.name}: move from {Stage(stage).label.lower()} to the next stage"
        if stage and stage < Stage.APPROACHING
        else f"{found.name}: keep it at {Stage(stage).label.lower() if stage else 'its stage'}",
    }
    form = gaps.GapForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            url = gaps.act(a, found, stage, form.cleaned_data, by=request.user)
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            what = dict(gaps.KINDS)[form.cleaned_data["kind"]].split(":")[0]
            messages.success(request, f"Done: {what.lower()} made from the {found.name} gap.")
            return redirect(url)
    made = actions_from(request.user, SourceKind.MATURITY_GAP, [gaps.source_id(a, found)])
    return _page(
        request,
        "leadership/maturity/gap.html",
        {
            "a": a,
            "component": found,
            "stage": Stage(stage).label if stage else "",
            "next_stage": found.stage(stage + 1).text if stage and stage < 4 else "",
            "form": form,
            "made": made.get(gaps.source_id(a, found), []),
        },
        status=422 if form.errors else 200,
    )
