"""Background tasks for accounts: e-mails that should not slow down a request."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from champion.accounts import signup, staff_import
from champion.accounts.models import StaffImport, User
from champion.core import audit


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@task()
def send_welcome_emails(user_ids: list[int]) -> int:
    """Invite each new person to choose a password; returns how many e-mails were sent."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).select_related("organisation"):
        context = {"user": user, "url": set_password_url(user), "site_url": settings.SITE_URL}
        send_mail(
            subject=f"Welcome to PI Champion at {user.organisation}",
            message=render_to_string("accounts/email/welcome.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return sent


@task()
def send_password_reset(email: str) -> int:
    """E-mail a reset link to the active account(s) with this address, if any; returns how
    many were sent. Runs off the request, so the reset page takes as long for an address
    that has an account as for one that has none."""
    from urllib.parse import urlsplit

    from django.contrib.auth.forms import PasswordResetForm

    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return 0
    site = urlsplit(settings.SITE_URL)
    users = list(form.get_users(form.cleaned_data["email"]))
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="accounts/email/password_reset_subject.txt",
        email_template_name="accounts/email/password_reset.txt",
    )
    return len(users)


@task()
def send_sign_up_link(email: str) -> int:
    """E-mail the sign-up confirmation link to `email`; or, when the address already has an
    account, a note saying so (the page said the same either way). Returns 1 when sent."""
    existing = User.objects.filter(email__iexact=email).exists()
    context: dict[str, object] = {"url": signup.make_link(email), "site_url": settings.SITE_URL}
    if existing:
        subject, template = (
            "You already have a PI Champion account",
            "accounts/email/sign_up_existing.txt",
        )
        context["url"] = f"{settings.SITE_URL}{reverse('accounts:password-reset')}"
    else:
        subject, template = (
            "Confirm your e-mail address for PI Champion",
            "accounts/email/sign_up.txt",
        )
    context["hours"] = settings.SIGNUP_LINK_HOURS
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[email],
    )
    return 1


def welcome_after_commit(user_ids: list[int]) -> None:
    """E-mail the people just created once the transaction that created them commits."""
    transaction.on_commit(lambda: send_welcome_emails.enqueue(user_ids))


@task()
def run_staff_import(import_id: int) -> str:
    """Import a long staff list (all or nothing); its progress is visible to the page meanwhile."""
    pending = StaffImport.objects.select_related("uploaded_by").get(pk=import_id)
    if not pending.working:
        return pending.status
    StaffImport.objects.filter(pk=pending.pk).update(
        status=StaffImport.Status.RUNNING, progress=1, touched_at=timezone.now()
    )

    def progress(percent: int) -> None:
        # Outside the saving transaction (its own connection would be needed on PostgreSQL
        # to be seen meanwhile; the step also marks the work alive for `fail_if_stale`).
        StaffImport.objects.filter(pk=pending.pk).update(
            progress=percent, touched_at=timezone.now()
        )

    admin = pending.uploaded_by
    with audit.acting_as(admin):
        try:
            staff_import.apply_import(
                pending.pk, admin=admin, welcome=welcome_after_commit, progress=progress
            )
        except staff_import.ImportNotPending:
            pass
        except ValueError as exc:  # no longer validates: say so, save nothing
            StaffImport.objects.filter(pk=pending.pk).update(
                status=StaffImport.Status.FAILED, progress=100, message=str(exc)
            )
        except Exception as exc:  # a crash must not leave the page waiting for ever
            StaffImport.objects.filter(pk=pending.pk).update(
                status=StaffImport.Status.FAILED,
                progress=100,
                message=f"The list could not be imported ({type(exc).__name__}); nothing was saved.",
            )
            raise
    return StaffImport.objects.get(pk=pending.pk).status
