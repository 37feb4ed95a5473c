"""The audit log: who changed what, when, with the fields before and after."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        """Organisation admins (admins of the root unit) see their organisation's log."""
        if not getattr(user, "is_authenticated", False) or not user.organisation_id:
            return self.none()
        if not user.is_org_admin:
            return self.none()
        return self.filter(organisation_id=user.organisation_id)


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
