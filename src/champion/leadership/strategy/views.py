"""Pages of strategy deployment: the area's strategy (true north, breakthrough objectives,
the X-matrix, goals waiting for a decision, the annual goals with their bowling charts), an
objective's page with its catchball, and the forms.

Every view asks `area_for` (the area page and a new objective) or `objective_for` (an
objective's pages) first; the steps live in `catchball`, the numbers in `bowling` and
`xmatrix`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from champion.accounts.models import Unit
from champion.core.http import NOT_CONFIRMED, AuthedRequest, confirmed
from champion.core.words import quoted
from champion.improvement.services import Project
from champion.leadership.permissions import area_for
from champion.leadership.strategy import catchball, xmatrix
from champion.leadership.strategy.bowling import bowling_charts
from champion.leadership.strategy.forms import ObjectiveForm
from champion.leadership.strategy.models import (
    ORGANISATION_LEVELS,
    GoalProject,
    GoalStatus,
    Level,
    Objective,
    PlanMonth,
    Strength,
)
from champion.leadership.strategy.permissions import (
    can_change,
    can_decide,
    can_take_part,
    decides_over,
    objective_for,
    sets_strategy,
)
from champion.measures.services import Measure, measure_for

PER_PAGE = 20
SEARCH_RESULTS = 20


def _page(
    request: AuthedRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("tab", "strategy")
    return render(request, template, context, status=status)


def _year(raw: str | None) -> int | None:
    """The year asked for (None when it is not a plausible year)."""
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(str(raw))
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    area = area_for(user, request.GET.get("unit"))
    year = _year(request.GET.get("year"))
    if year is None:
        return HttpResponseBadRequest("The year must be a number between 2000 and 2100.")
    visible = Objective.objects.visible_to(user)
    organisation = list(
        visible.filter(level__in=ORGANISATION_LEVELS)
        .select_related("owner", "parent")
        .order_by("-level", "title", "pk")[:20]
    )
    waiting = [
        g
        for g in visible.annual()
        .filter(area.within(), status=GoalStatus.PROPOSED)
        .select_related("unit", "created_by")
        .order_by("created_at", "pk")[:50]
        if decides_over(user, g.unit)
    ]
    query = request.GET.get("q", "").strip()[:100]
    goals = (
        visible.annual()
        .filter(area.within(), year=year)
        .select_related("unit", "owner", "measure", "parent")
        .order_by("unit__path", "title", "pk")
    )
    if query:
        goals = goals.filter(title__icontains=query)
    page = Paginator(goals, PER_PAGE).get_page(request.GET.get("page"))
    charts = bowling_charts(list(page.object_list))
    matrix = xmatrix.x_matrix(user, area, year)
    return _page(
        request,
        "strategy/index.html",
        {
            "area": area,
            "year": year,
            "years": [year - 1, year, year + 1],
            "true_north": [o for o in organisation if o.level == Level.TRUE_NORTH],
            "breakthroughs": [o for o in organisation if o.level == Level.BREAKTHROUGH],
            "waiting": waiting,
            "page": page,
            "goals": [(g, charts.get(g.pk)) for g in page.object_list],
            "query": query,
            "matrix": matrix,
            "matrix_svg": mark_safe(xmatrix.svg(matrix)),  # every text in it is escaped
            "sets_strategy": sets_strategy(user),
        },
    )


def new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    area = area_for(user, request.GET.get("unit"))
    initial: dict[str, Any] = {"unit": area.unit or (area.roots[0] if area.roots else None)}
    level = request.GET.get("level", "")
    if level in Level.values:
        initial["level"] = level
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = ObjectiveForm(
        request.POST or None,
        instance=Objective(level=Level.ANNUAL),
        user=user,
        units=area.units,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = catchball.create(
                form.save(commit=False), by=user, note=form.data.get("note", "")
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if goal.is_proposed:
                messages.success(request, "Goal proposed. The leaders above your unit are told.")
            else:
                messages.success(request, "Saved.")
            return redirect(goal)
    return _page(
        request,
        "strategy/form.html",
        {"area": area, "form": form, "creating": True},
        status=422 if request.method == "POST" else 200,
    )


def _detail_context(request: AuthedRequest, o: Objective, **extra: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "o": o,
        "area": None,
        "can_change": can_change(user, o),
        "can_take_part": can_take_part(user, o),
        "can_decide": can_decide(user, o) and o.is_proposed,
        "can_propose_again": can_change(user, o) and o.status == GoalStatus.RETURNED,
        "catches": list(o.catches.select_related("author").order_by("-at", "-pk")[:50])[::-1],
        "strengths": Strength.choices,
    }
    if o.level in ORGANISATION_LEVELS:
        children = (
            Objective.objects.visible_to(user)
            .filter(parent=o)
            .select_related("unit", "owner")
            .order_by("-year", "unit__path", "title", "pk")
        )
        context["children"] = Paginator(children, PER_PAGE).get_page(request.GET.get("page"))
    else:
        context["bowling"] = bowling_charts([o]).get(o.pk)
        context["links"] = list(
            GoalProject.objects.filter(
                objective=o, project__in=Project.objects.visible_to(user)
            ).select_related("project", "project__unit")
        )
        if context["can_take_part"]:
            mq = request.GET.get("mq", "").strip()[:100]
            pq = request.GET.get("pq", "").strip()[:100]
            context["mq"], context["pq"] = mq, pq
            if len(mq) >= 2:
                context["measure_results"] = list(
                    Measure.objects.visible_to(user)
                    .filter(name__icontains=mq)
                    .select_related("unit")
                    .order_by("name", "pk")[:SEARCH_RESULTS]
                )
            if len(pq) >= 2:
                context["project_results"] = list(
                    Project.objects.visible_to(user)
                    .filter(title__icontains=pq, unit__path__startswith=o.unit.path)
                    .exclude(strategy_links__objective=o)
                    .select_related("unit")
                    .order_by("title", "pk")[:SEARCH_RESULTS]
                )
    context.update(extra)
    return context


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    o = objective_for(request.user, pk)
    return _page(request, "strategy/objective.html", _detail_context(request, o))


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    o = objective_for(user, pk, "change")
    # The units the person oversees, and the goal's own (a proposer or owner who oversees
    # no unit keeps it).
    overseen = Unit.objects.overseen_by(user).values("pk")
    units = Unit.objects.filter(Q(pk__in=overseen) | Q(pk=o.unit_id))
    form = ObjectiveForm(request.POST or None, instance=o, user=user, units=units)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            goal = form.save()
            PlanMonth.objects.filter(objective=goal).exclude(month__in=goal.months()).delete()
        messages.success(request, "Saved.")
        return redirect(goal)
    return _page(
        request,
        "strategy/form.html",
        {"form": form, "o": o, "creating": False},
        status=422 if request.method == "POST" else 200,
    )


def _parse_plan(post: Any, months: list[datetime.date]) -> tuple[dict[Any, Any], dict[str, str]]:
    values: dict[datetime.date, float | None] = {}
    errors: dict[str, str] = {}
    for m in months:
        key = f"plan-{m:%Y-%m}"
        raw = str(post.get(key, "")).strip().replace(",", "")
        if not raw:
            values[m] = None
            continue
        try:
            number = float(raw)
        except ValueError:
            errors[key] = f"{m:%B %Y}: {quoted(raw[:20])} is not a number."
            continue
        if number != number or number in (float("inf"), float("-inf")):
            errors[key] = f"{m:%B %Y}: give a finite number."
            continue
        values[m] = number
    return values, errors


def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    o = objective_for(request.user, pk, "change")
    if not o.is_annual or o.start is None:
        messages.error(request, "Only an annual goal with a first month has a monthly plan.")
        return redirect(o)
    months = o.months()
    current = {p.month: p.plan for p in o.plan.all()}
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        values, errors = _parse_plan(request.POST, months)
        typed = {f"plan-{m:%Y-%m}": str(request.POST.get(f"plan-{m:%Y-%m}", "")) for m in months}
        if not errors:
            catchball.save_plan(o, values)
            messages.success(request, "Plan saved.")
            return redirect(o)
    rows = [
        {
            "month": m,
            "name": f"plan-{m:%Y-%m}",
            "value": typed.get(f"plan-{m:%Y-%m}", "")
            if typed
            else ("" if current.get(m) is None else f"{current[m]:g}"),
            "error": errors.get(f"plan-{m:%Y-%m}", ""),
        }
        for m in months
    ]
    return _page(
        request,
        "strategy/plan.html",
        {"o": o, "rows": rows, "errors": errors},
        status=422 if errors else 200,
    )


@require_POST
def catch(request: AuthedRequest, pk: int) -> HttpResponse:
    """One throw of catchball: a comment, accepting or returning, proposing again."""
    user = request.user
    kind = request.POST.get("kind", "")
    text = str(request.POST.get("text", ""))
    needs = {"comment": "take_part", "accept": "decide", "return": "decide", "propose": "change"}
    o = objective_for(user, pk, needs.get(kind, "take_part"))  # type: ignore[arg-type]
    try:
        if kind == "comment":
            catchball.comment(o, by=user, text=text)
        elif kind in ("accept", "return"):
            catchball.decide(o, by=user, accept=kind == "accept", text=text)
        elif kind == "propose":
            catchball.propose_again(o, by=user, text=text)
        else:
            raise ValidationError("Choose what to do: comment, accept, return or propose again.")
    except ValidationError as e:
        context = _detail_context(request, o, catch_error=" ".join(e.messages), text=text)
        return _page(request, "strategy/objective.html", context, status=422)
    except catchball.StateError as e:
        context = _detail_context(request, o, catch_error=str(e), text=text)
        return _page(request, "strategy/objective.html", context, status=409)
    return redirect(o.get_absolute_url() + "#catchball")


@require_POST
def link(request: AuthedRequest, pk: int) -> HttpResponse:
    """Link or unlink the goal's measure, or a project that serves it."""
    user = request.user
    o = objective_for(user, pk, "take_part")
    what, ident = request.POST.get("what", ""), request.POST.get("id", "")
    remove = request.POST.get("remove") == "1"
    error = ""
    if not o.is_annual:
        error = "Measures and projects are linked to annual goals."
    elif remove and not confirmed(request):
        error = NOT_CONFIRMED
    elif what == "measure":
        if remove:
            o.measure = None
        else:
            o.measure = measure_for(user, ident)  # 404 for a measure they cannot see
            if not o.direction and o.measure.improvement:
                o.direction = o.measure.improvement
        o.save(update_fields=["measure", "direction", "updated_at"])
        messages.success(request, "Measure removed." if remove else "Measure linked.")
        return redirect(o)
    elif what == "project":
        project = (
            Project.objects.visible_to(user).filter(pk=ident).first() if ident.isdigit() else None
        )
        if project is None:
            error = "Choose a project from the search results."
        elif remove:
            GoalProject.objects.filter(objective=o, project=project).delete()
            messages.success(request, "Project unlinked.")
            return redirect(o)
        else:
            try:
                catchball.link_project(
                    o, project, by=user, strength=request.POST.get("strength", "strong")
                )
            except ValidationError as e:
                error = " ".join(e.messages)
            else:
                messages.success(request, "Project linked.")
                return redirect(o)
    else:
        error = "Choose a measure or a project to link."
    context = _detail_context(request, o, link_error=error)
    return _page(request, "strategy/objective.html", context, status=422)
