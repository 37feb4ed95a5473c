"""What every app shares in the database: the audit log, in-app notifications and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from champion.core.permissions import OrgScopedQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"


class AuditEventQuerySet(OrgScopedQuerySet["AuditEvent"]):
    def narrow(self, user: Any) -> AuditEventQuerySet:
        """Organisation admins (admins of the root unit) see their organisation's log."""
        return self if user.is_org_admin else self.none()


class AuditEvent(models.Model):
    """One create, update or delete made through the platform. Never edited after it is written."""

    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the log still says who acted after their account is removed.
    actor_label = models.CharField(max_length=254)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_repr}"

    @property
    def object_type(self) -> str:
        return str(self.content_type.model_class()._meta.verbose_name).capitalize()  # type: ignore[union-attr]


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> NotificationQuerySet:
        """A person sees only their own notifications."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know about (a new signal on a measure...), shown in the header."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    #: One of `champion.core.notify.KINDS`: what the person chooses how to receive.
    kind = models.CharField(max_length=20, default="general")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: When it went out by e-mail, on its own or in a weekly digest (None: not e-mailed yet).
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Delivery(models.TextChoices):
    APP = "app", "In the app only"
    EMAIL = "email", "In the app and by e-mail at once"
    DIGEST = "digest", "In the app and in a weekly e-mail digest"


class NotificationPreference(models.Model):
    """How a person wants one kind of notice; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


TOKEN_PREFIX = "pic_"


def _digest(raw: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user: Any) -> ApiTokenQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal token for the REST API. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'ED dashboard feed'."
    )
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: Any, name: str) -> tuple[ApiToken, str]:
        """Create a token for `user`; returns it and the raw token, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:10], digest=_digest(raw))
        return token, raw

    @classmethod
    def create_for_email(cls, email: str, name: str) -> str:
        """For `champion token create`: a token for the active person with this e-mail address."""
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise LookupError(f"no active person has the e-mail address {email!r}")
        return cls.issue(user, name)[1]

    @classmethod
    def authenticate(cls, raw: str) -> Any:
        """The active person a raw token belongs to, or None."""
        if not raw or not raw.startswith(TOKEN_PREFIX):
            return None
        token = cls.objects.select_related("user").filter(digest=_digest(raw)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            # At most one write a minute per token: API clients push often.
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def audit_organisation_id(self) -> int | None:
        return self.user.organisation_id


class WorkerHeartbeat(models.Model):
    """A task worker's latest sign of life, written every few seconds by `task_worker`
    (docs/deploy.md, "Background tasks"); `/healthz` reports the newest one's age."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Task worker {self.hostname}:{self.pid} at {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def latest(cls) -> Any:
        """When any task worker was last seen alive (None when none ever was)."""
        return cls.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
