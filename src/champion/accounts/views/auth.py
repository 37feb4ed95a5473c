"""Signing in and out, password reset and change (Django's views with our forms and templates)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from champion.accounts import twofactor
from champion.accounts.forms import SignInForm
from champion.accounts.models import PasswordResetRequest
from champion.accounts.tasks import send_password_reset
from champion.accounts.throttle import account_key
from champion.core.middleware import client_ip


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "allow_signup": settings.ALLOW_SIGNUP}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """The password is right. With an authenticator app set up, the person is only half
        signed in until the second step (accounts.twofactor); otherwise they are signed in."""
        user = form.get_user()
        if twofactor.has_two_factor(user):
            twofactor.start_pending(self.request, user, self.get_success_url())
            return HttpResponseRedirect(reverse("accounts:sign-in-verify"))
        response = super().form_valid(form)
        twofactor.after_sign_in(self.request, user)
        return response


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The request does the same work whether or not the address has an
    account (records the request, queues one task after commit), so its timing reveals
    nothing; the task looks the address up and sends the e-mail. Throttled per address typed
    (beyond the limit, silently nothing is sent: the page is the same) and per client address
    (beyond that limit, the page says to wait)."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        account = account_key(email)
        ip = client_ip(self.request)
        now = timezone.now()
        recent = PasswordResetRequest.objects.filter(at__gte=now - timedelta(hours=1))
        if ip and recent.filter(ip_address=ip).count() >= settings.PASSWORD_RESET_MAX_PER_ADDRESS:
            form.add_error(
                None,
                "Too many password reset requests from your network. Wait an hour and try again.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        with transaction.atomic():
            PasswordResetRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
            if recent.filter(account=account).count() < settings.PASSWORD_RESET_MAX_PER_ACCOUNT:
                transaction.on_commit(lambda: send_password_reset.enqueue(email))
            PasswordResetRequest.objects.create(account=account, ip_address=ip, at=now)
        return HttpResponseRedirect(self.get_success_url())


password_reset = PasswordResetView.as_view()
password_reset_sent = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_sent.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password-change-done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
