"""Bulk writes to people's learning records, announced (the models send it,
`learning.services.status` receives it).

Django sends `post_save`/`post_delete` per row for `save()` and `delete()`, but nothing for
`bulk_create`, `bulk_update` and a queryset's `update`; and a queryset's `delete` sends one
`post_delete` per row. `RecordsQuerySet` sends `records_changed` once per such bulk write with
the ids of the people whose records changed, so their standing on each tier
(`learning.services.status`) stays up to date however the rows were written. Writes that
touch none of `standing_fields` (a lesson's `last_viewed_at`, a certificate's date) send
nothing and cost nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.dispatch import Signal

from champion.core.permissions import OrgScopedQuerySet

_T = TypeVar("_T", bound=models.Model)

#: Sent with `user_ids` (a set of person ids) after a bulk write to their learning records.
records_changed = Signal()


class RecordsQuerySet(OrgScopedQuerySet[_T]):
    """A queryset of a person's records (rows with a `user`) whose bulk writes announce
    `records_changed` when they touch `standing_fields`."""

    #: The fields a person's standing depends on (a model sets its own; none: no announcing).
    standing_fields: ClassVar[frozenset[str]] = frozenset()

    def _changed(self, user_ids: Iterable[int | None]) -> None:
        ids = {pk for pk in user_ids if pk is not None}
        if ids and self.standing_fields:
            records_changed.send(sender=self.model, user_ids=ids)

    def _touches(self, fields: Iterable[str]) -> bool:
        return bool(set(fields) & self.standing_fields)

    def bulk_create(self, objs: Iterable[_T], *args: Any, **kwargs: Any) -> list[_T]:
        created: list[Any] = super().bulk_create(objs, *args, **kwargs)
        self._changed(obj.user_id for obj in created)
        return created

    def bulk_update(self, objs: Iterable[_T], fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if self._touches(fields):
            self._changed(getattr(obj, "user_id", None) for obj in objs)
        return count

    def update(self, **kwargs: Any) -> int:
        if not self._touches(kwargs):
            return super().update(**kwargs)
        before = set(self.values_list("user_id", flat=True))
        count = super().update(**kwargs)
        moved_to = kwargs.get("user_id", kwargs.get("user"))
        if moved_to is not None:
            before.add(getattr(moved_to, "pk", moved_to))
        self._changed(before)
        return count

    def delete(self) -> tuple[int, dict[str, int]]:
        # The per-row `post_delete` of a queryset's delete is skipped by the receiver
        # (`origin` is this queryset): one announcement for all the rows instead.
        before = set(self.values_list("user_id", flat=True))
        result = super().delete()
        self._changed(before)
        return result
