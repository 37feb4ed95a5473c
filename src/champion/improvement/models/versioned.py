"""Optimistic locking: a version number checked on save, so two editors never overwrite silently.

A form carries the version it was opened at. `save_versioned` locks the row, compares,
and either saves with version + 1 or raises `StaleEdit` holding the newer copy, so the
page can show both what is saved now and what the second editor typed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class Versioned(models.Model):
    """Abstract base for anything two people may edit at once."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


V = TypeVar("V", bound=Versioned)


class StaleEdit(Exception):
    """Someone saved a newer version since this edit began."""

    def __init__(self, current: Versioned) -> None:
        super().__init__(f"{current} was changed by someone else (now version {current.version}).")
        self.current = current


def save_versioned(obj: V, expected_version: Any, *, by: Any) -> V:
    """Save `obj` if the stored version is still `expected_version`; else raise StaleEdit."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    model = type(obj)
    with transaction.atomic():
        # The row lock (PostgreSQL) or the IMMEDIATE write transaction (SQLite) makes the
        # compare-and-save one step: a second writer waits here, then sees the new version.
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        if current.version != expected:
            raise StaleEdit(current)
        obj.version = current.version + 1
        obj.updated_at = timezone.now()
        obj.updated_by = by
        obj.save()
    return obj
