"""Automatic audit of every create, update and delete of registered models.

Apps register their models in `AppConfig.ready`; signal handlers then record each
write with the acting person (set per request by `AuditContextMiddleware`, or with
`acting_as` in commands), so no view can forget to log. Updates store only the
fields that changed, as `{field: [before, after]}`.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from champion.core.models import AuditAction, AuditEvent

_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)
_ip: ContextVar[str | None] = ContextVar("audit_ip", default=None)
_suspended: ContextVar[bool] = ContextVar("audit_suspended", default=False)

REDACTED = "(changed)"


@dataclass(frozen=True)
class _Options:
    exclude: frozenset[str]
    redact: frozenset[str]


_registry: dict[type[models.Model], _Options] = {}


@contextlib.contextmanager
def acting_as(user: Any, ip: str | None = None) -> Iterator[None]:
    """Attribute every write inside the block to `user` (None means the system)."""
    actor_token = _actor.set(user)
    ip_token = _ip.set(ip)
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _ip.reset(ip_token)


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Record nothing inside the block: for bulk loads of generated data (`champion demo
    --scale large`), where one entry per generated row would only bury the real log."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def register(
    model: type[models.Model], *, exclude: tuple[str, ...] = (), redact: tuple[str, ...] = ()
) -> None:
    """Audit every save and delete of `model`; `redact` fields are logged as changed, never by value."""
    _registry[model] = _Options(frozenset(exclude), frozenset(redact))
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_remember_before, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_record_save, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_record_delete, sender=model, dispatch_uid=uid + "-delete")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _snapshot(instance: models.Model, options: _Options) -> dict[str, Any]:
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in options.exclude:
            continue
        values[field.name] = _plain(getattr(instance, field.attname))
    return values


def _remember_before(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any
) -> None:
    if raw or _suspended.get() or instance.pk is None or instance._state.adding:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _snapshot(old, _registry[sender]) if old else None  # type: ignore[attr-defined]


def _diff(
    before: dict[str, Any] | None, after: dict[str, Any], options: _Options
) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name, new in after.items():
        old = before.get(name) if before else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, "", False):
            continue
        changes[name] = [REDACTED, REDACTED] if name in options.redact else [old, new]
    return changes


def _write(instance: models.Model, action: str, changes: dict[str, Any]) -> None:
    actor = _actor.get()
    org_getter = getattr(instance, "audit_organisation_id", None)
    AuditEvent.objects.create(
        organisation_id=org_getter() if callable(org_getter) else None,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "email", None) or "system",
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        ip_address=_ip.get(),
    )


def record(instance: models.Model, action: str, changes: dict[str, Any]) -> None:
    """One audit entry written by hand, for a change the signals do not see (a bulk write)."""
    _write(instance, action, changes)


#: Rows deleted per statement by `delete_rows` (well under every database's parameter limit).
DELETE_BATCH = 1000


def delete_rows(queryset: models.QuerySet[Any], *, of: models.Model, label: str) -> int:
    """Delete `queryset`'s rows in the database and audit them as ONE entry on their parent `of`.

    Django's delete loads every row to send its per-row signals; for the 200,000 points of a
    measure that is slow and large, and one "deleted" entry per point helps nobody reading
    the log. The rows must have no dependants of their own (nothing cascades from them).
    The entry records the count: `{label: [count, 0]}`. Returns the count.
    """
    deleted = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), DELETE_BATCH):
        batch = queryset.model._base_manager.filter(pk__in=ids[start : start + DELETE_BATCH])
        deleted += batch._raw_delete(batch.db)
    if deleted:
        _write(of, AuditAction.DELETE, {label: [deleted, 0]})
    return deleted


def _record_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **_: Any
) -> None:
    if raw or _suspended.get():
        return
    options = _registry[sender]
    before = None if created else getattr(instance, "_audit_before", None)
    changes = _diff(before, _snapshot(instance, options), options)
    if not created and not changes:
        return
    _write(instance, "create" if created else "update", changes)
    instance._audit_before = None  # type: ignore[attr-defined]


def _record_delete(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    if _suspended.get():
        return
    options = _registry[sender]
    before = _snapshot(instance, options)
    _write(
        instance,
        "delete",
        {k: [REDACTED if k in options.redact else v, None] for k, v in before.items()},
    )
