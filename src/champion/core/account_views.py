"""A person's own things: their notifications and their API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from champion.core.http import AuthedRequest
from champion.core.limits import LimitedText
from champion.core.models import ApiToken, Delivery, Notification, NotificationPreference
from champion.core.notify import KINDS, deliveries
from champion.core.permissions import get_for
from champion.core.words import quoted


def notifications(request: AuthedRequest) -> HttpResponse:
    items = Notification.objects.visible_to(request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


class PreferencesForm(forms.Form):
    """One choice per kind of notice: in the app only, e-mail at once, or the weekly digest."""

    def __init__(self, *args: object, current: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, (label, help_text, _) in KINDS.items():
            self.fields[kind] = forms.ChoiceField(
                label=label,
                help_text=help_text,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )


def notification_settings(request: AuthedRequest) -> HttpResponse:
    """Each person chooses, per kind of notice, how it reaches them."""
    current = deliveries(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            NotificationPreference.objects.update_or_create(
                user=request.user, kind=kind, defaults={"delivery": delivery}
            )
        messages.success(request, "Your notification choices are saved.")
        return redirect("core:notification-settings")
    return render(request, "core/notification_settings.html", {"form": form})


@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
    messages.success(request, "All notifications are marked as read.")
    return redirect("core:notifications")


def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    note = get_for(request.user, Notification.objects.all(), pk)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "core:notifications")


class TokenForm(LimitedText, forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example 'Theatre system nightly feed'. You can revoke it at any time.",
    )


def tokens(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _, raw = ApiToken.issue(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {"form": form, "raw": raw, "tokens": ApiToken.objects.visible_to(request.user)},
    )


@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_for(request.user, ApiToken.objects.all(), pk)
    token.delete()
    messages.success(request, f"The token {quoted(token.name)} was revoked; it no longer works.")
    return redirect("core:tokens")
