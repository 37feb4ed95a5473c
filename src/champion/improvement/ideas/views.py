"""Idea pages: capture, the list, one idea (endorse, comment, respond), huddle boards, my ideas."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from champion.accounts import picker
from champion.accounts.models import Unit
from champion.accounts.permissions import unit_for
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.core.words import quoted
from champion.improvement.ideas.forms import CommentForm, IdeaForm, RespondForm, ResponseTimeForm
from champion.improvement.ideas.models import (
    BOARD_ORDER,
    RESPONDER_ROLES,
    Endorsement,
    Idea,
    IdeaEvent,
    Status,
    UnitIdeaSettings,
    WallDisplay,
    with_response_days,
)
from champion.improvement.ideas.permissions import can_convert, can_respond, idea_for


def idea_list(request: AuthedRequest) -> HttpResponse:
    """All the organisation's ideas, newest first, filtered by unit, status or "mine"."""
    user = request.user
    # Counted and paged without the endorsement counts (a GROUP BY over every idea); the
    # page's 30 ideas get theirs afterwards.
    ideas = (
        Idea.objects.visible_to(user)
        .select_related("unit", "submitted_by")
        .order_by("-created_at", "-pk")
    )
    filters = {k: request.GET.get(k, "") for k in ("unit", "status", "q", "mine", "awaiting")}
    if filters["awaiting"]:
        # Exactly the ideas the "waiting for your answer" counts count.
        ideas = ideas.awaiting_answer_from(user)
    if filters["unit"].isdigit():
        # A unit and the units within it: a hospital's ideas include its wards'.
        chosen = Unit.objects.visible_to(user).filter(pk=int(filters["unit"])).first()
        ideas = ideas.filter(unit__path__startswith=chosen.path) if chosen else ideas.none()
    if filters["status"] in Status.values:
        ideas = ideas.filter(status=filters["status"])
    if filters["q"]:
        ideas = ideas.filter(Q(idea__icontains=filters["q"]) | Q(problem__icontains=filters["q"]))
    if filters["mine"]:
        ideas = ideas.filter(submitted_by=user)
    page = Paginator(ideas, 30).get_page(request.GET.get("page"))
    page.object_list = with_response_days(page.object_list)
    endorsed = dict(
        Endorsement.objects.filter(idea__in=[i.pk for i in page.object_list])
        .order_by()
        .values_list("idea_id")
        .annotate(n=Count("pk"))
        .values_list("idea_id", "n")
    )
    for idea in page.object_list:
        idea.endorsement_count = endorsed.get(idea.pk, 0)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "filters": filters,
        "unit_picker": picker.unit_picker(
            user, "visible", "unit", filters["unit"], label="Unit (and the units within it)"
        ),
        "statuses": Status.choices,
        "awaiting": Idea.objects.awaiting_answer_from(user).count(),
        "funnel": _funnel(user),
    }
    return render(request, "ideas/list.html", context)


def _funnel(user: object) -> list[tuple[str, str, int]] | None:
    """For leaders and coaches: how many of their units' ideas sit at each status."""
    mine = Idea.objects.respondable_by(user)
    counts = dict(mine.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    if not counts:
        return None
    return [(s.value, s.label, counts.get(s.value, 0)) for s in BOARD_ORDER]


def idea_new(request: AuthedRequest) -> HttpResponse:
    form = IdeaForm(
        request.POST or None, user=request.user, initial={"unit": request.GET.get("unit")}
    )
    if request.method == "POST" and form.is_valid():
        already = form.same_idea_just_shared(request.user)
        if already is not None:
            # A double tap or a resent form: one idea, not two for the leaders to answer.
            messages.info(request, "You had already shared this idea: here it is.")
            return redirect(already)
        form.instance.submitted_by = request.user
        idea = form.save()
        messages.success(
            request,
            f"Thank you: your idea is with the leaders of {idea.unit}. "
            "You will hear from them here and by e-mail.",
        )
        return redirect("ideas:detail", pk=idea.pk)
    return render(request, "ideas/new.html", {"form": form})


def idea_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    idea = idea_for(request.user, pk)
    return render(request, "ideas/detail.html", _detail_context(request, idea))


def _detail_context(request: AuthedRequest, idea: Idea, **extra: object) -> dict[str, object]:
    user = request.user
    context: dict[str, object] = {
        "idea": idea,
        "comments": idea.comments.select_related("author"),
        "events": idea.events.select_related("actor")[:20],
        "endorsements": idea.endorsements.count(),
        "endorsed": idea.endorsements.filter(user=user).exists(),
        "can_respond": can_respond(user, idea),
        "can_convert": can_convert(user, idea),
        "respond_form": RespondForm(initial={"status": idea.status, "seen": idea.status}),
        "comment_form": CommentForm(),
    }
    context.update(extra)
    return context


@require_POST
def idea_endorse(request: AuthedRequest, pk: int) -> HttpResponse:
    idea = idea_for(request.user, pk)
    idea.toggle_endorsement(request.user)
    if request.htmx:
        return render(request, "ideas/detail.html#endorse", _detail_context(request, idea))
    return redirect("ideas:detail", pk=idea.pk)


@require_POST
def idea_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    idea = idea_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        idea.add_comment(by=request.user, body=form.cleaned_data["body"])
        return redirect(f"{idea.get_absolute_url()}#comments")
    return render(request, "ideas/detail.html", _detail_context(request, idea, comment_form=form))


@require_POST
def idea_respond(request: AuthedRequest, pk: int) -> HttpResponse:
    idea = idea_for(request.user, pk, "respond")
    form = RespondForm(request.POST)
    if form.is_valid() and form.cleaned_data["seen"] not in ("", idea.status):
        # Someone answered meanwhile: show their answer, keep this one's note, save nothing.
        latest = idea.events.filter(kind="status").select_related("actor").first()
        who = latest.actor if latest and latest.actor else "Someone"
        form.add_error(
            None,
            f"{who} moved this idea to {quoted(idea.get_status_display())} while you were answering"
            + (f" ({quoted(idea.status_reason)})" if idea.status_reason else "")
            + ". Nothing was changed: check, then save again.",
        )
        data = request.POST.copy()
        data["seen"] = idea.status
        form = _rebound(data, form)
        return render(
            request, "ideas/detail.html", _detail_context(request, idea, respond_form=form)
        )
    if form.is_valid():
        try:
            idea.move_to(
                form.cleaned_data["status"], by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                f"Moved to {quoted(idea.get_status_display())}. {idea.submitted_by} will be told.",
            )
            back = request.POST.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)  # the huddle board, where the leader moved it
            return redirect("ideas:detail", pk=idea.pk)
    return render(request, "ideas/detail.html", _detail_context(request, idea, respond_form=form))


def _rebound(data: object, old: RespondForm) -> RespondForm:
    """The same answer, now aware of the current status, with the conflict message kept."""
    form = RespondForm(data)
    form.is_valid()
    for error in old.non_field_errors():
        form.add_error(None, error)
    return form


def my_ideas(request: AuthedRequest) -> HttpResponse:
    """The submitter's in-app notifications: what happened to each of their ideas."""
    user = request.user
    events = (
        IdeaEvent.objects.filter(idea__submitted_by=user)
        .exclude(actor=user)
        .select_related("idea", "actor")[:50]
    )
    ideas = (
        Idea.objects.visible_to(user)
        .filter(submitted_by=user)
        .select_related("unit")
        .annotate(endorsement_count=Count("endorsements", distinct=True))
        .order_by("-created_at")
    )
    return render(request, "ideas/mine.html", {"events": events, "ideas": ideas})


def boards(request: AuthedRequest) -> HttpResponse:
    """Pick a unit's huddle board: your own units first."""
    user = request.user
    counts = dict(
        Idea.objects.visible_to(user)
        .exclude(status__in=[Status.ADOPTED, Status.NOT_NOW])
        .values_list("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    units = [(u, counts.get(u.pk, 0)) for u in Unit.objects.visible_to(user)]
    own = {m.unit_id for m in user.memberships.all()}
    return render(request, "ideas/boards.html", {"units": units, "own": own})


def board(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    """The huddle board: one column per status, for the huddle itself.

    The signed-in board does not refresh itself: polling would keep a person's session
    alive for ever on an unattended screen. Wall screens use a wall link instead
    (`champion.improvement.ideas.wall`), which leaders make below the board.
    """
    user = request.user
    unit = unit_for(user, unit_pk)
    leads = user.has_role_at(unit, *RESPONDER_ROLES)
    settings_row = UnitIdeaSettings.objects.filter(unit=unit).first()
    full_screen = request.GET.get("wall") == "1"
    context = {
        "unit": unit,
        "columns": board_columns(Idea.objects.visible_to(user), unit),
        "quick_moves": [(s.value, s.label) for s in BOARD_ORDER if s != Status.NOT_NOW],
        "wall": full_screen,
        "leads": leads,
        # Leaders move ideas during the huddle; the full-screen view is for reading.
        "quick": leads and not full_screen,
        "response_form": ResponseTimeForm(instance=settings_row) if leads else None,
        "response_days": settings_row.response_days if settings_row else None,
        "wall_displays": WallDisplay.objects.visible_to(user).filter(unit=unit) if leads else None,
    }
    return render(request, "ideas/board.html", context)


#: Cards a huddle board's column shows: open statuses, and the closed ones (adopted, not now).
SHOWN = 30
SHOWN_CLOSED = 12


class Column(NamedTuple):
    """One column of a huddle board: the cards shown, and how many ideas have that status."""

    status: Status
    ideas: list[Idea]
    total: int

    @property
    def more(self) -> bool:
        """Whether the column shows only some of its ideas (the rest are in the ideas list)."""
        return self.total > len(self.ideas)


def board_columns(ideas: QuerySet[Idea], unit: Unit) -> list[Column]:
    """`ideas` of `unit` and the units below it, one column per status, most endorsed first
    (then oldest first): at most 30 a column (12 of the closed ones), with the number of
    ideas of each status, so a column of a large area says how many it does not show.

    Two queries a column, whatever the number of ideas (issue 15: the whole system's board
    read all 50,000 ideas to show 184), and one count of them all: the endorsed ideas,
    counted, then the oldest of the rest, so the database never counts endorsements of
    every idea to sort them. 30 a column keeps the whole system's board under 200 KB.
    """
    on_board = ideas.filter(unit__path__startswith=unit.path).select_related("submitted_by", "unit")
    endorsed = Endorsement.objects.filter(idea=OuterRef("pk"))
    totals = dict(
        on_board.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    columns: list[Column] = []
    for s in BOARD_ORDER:
        limit = SHOWN_CLOSED if s in _CLOSED else SHOWN
        column: list[Any] = list(
            on_board.filter(status=s, endorsements__isnull=False)
            .annotate(endorsement_count=Count("endorsements", distinct=True))
            .order_by("-endorsement_count", "created_at", "pk")[:limit]
        )
        if len(column) < limit:
            rest = (
                on_board.filter(~Exists(endorsed), status=s)
                .annotate(endorsement_count=Value(0))
                .order_by("created_at", "pk")
            )
            column += rest[: limit - len(column)]
        columns.append(Column(Status(s), column, totals.get(s, 0)))
    # Each card says whether it is overdue: every unit's response time in one query.
    with_response_days([idea for c in columns for idea in c.ideas])
    return columns


_CLOSED = (Status.ADOPTED, Status.NOT_NOW)


@require_POST
def board_settings(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    unit = unit_for(request.user, unit_pk)
    require(request.user.has_role_at(unit, *RESPONDER_ROLES), "Only the unit's leaders set this.")
    instance = UnitIdeaSettings.objects.filter(unit=unit).first() or UnitIdeaSettings(unit=unit)
    form = ResponseTimeForm(request.POST, instance=instance)
    if form.is_valid():
        form.save()
        messages.success(
            request, f"{unit} now answers new ideas within {instance.response_days} days."
        )
    else:
        messages.error(request, "Choose a response time between 1 and 90 days.")
    return redirect("ideas:board", unit_pk=unit.pk)
