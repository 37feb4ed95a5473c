"""Where each person stands on each tier: the one home of "started", "completed" and
"certified", kept up to date in `TierStatus` so head counts over a whole health system read
a small table (one row per person and tier they have begun) instead of a million progress rows.

The rule, for a person and a tier:

- **started**: they opened at least one live lesson of the tier (a lesson and its module not
  retired);
- **completed**: they completed every live lesson of the tier, and it has at least one;
- **certified**: they hold the tier's certificate.

`TierStatus` stores the counts behind it (live lessons opened, live lessons completed, the
certificate), computed from scratch by `computed` for the people whose records change:

- a save or delete of one `LessonProgress` or `Certificate` (`post_save`, `post_delete`: a
  lesson opened, read, its quiz or exercise passed and so completed, a certificate issued);
- a bulk write of them (`records_changed`, sent by their querysets: `bulk_create`,
  `bulk_update`, `update`, `delete`);
- `champion content load` when the live lessons of a tier change (a lesson retired or moved;
  a new lesson needs nothing: "completed" compares with the tier's live lessons when read);
- `rebuild` (`champion manage rebuild_learning_status`): everyone, nightly, and after bulk
  loads that suspend the upkeep (`suspended()`, `champion demo --scale large`).

A person's memberships are not in the table: moving someone to another ward moves their
standing with them, since readers join memberships to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from champion.accounts.models import User
from champion.learning.models import Certificate, Lesson, LessonProgress, Tier, TierStatus
from champion.learning.signals import records_changed

#: (person id, tier id) -> (live lessons opened, live lessons completed, certified)
Computed = dict[tuple[int, int], tuple[int, int, bool]]

#: People refreshed per batch (keeps each `IN` list short on every database).
BATCH = 500

_suspended: ContextVar[bool] = ContextVar("learning_status_suspended", default=False)


@contextmanager
def suspended() -> Iterator[None]:
    """Keep nothing up to date inside the block: for bulk loads of generated data, which
    call `rebuild()` once at the end instead of refreshing people batch by batch."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


# The rule, as readers use it: querysets of person ids, for `user_id IN (...)` conditions.


def started(tier: Tier) -> QuerySet[Any]:
    """Ids of the people who opened a live lesson of `tier`."""
    return TierStatus.objects.filter(tier=tier, started__gt=0).values("user_id")


def completed(tier: Tier, live: int) -> QuerySet[Any]:
    """Ids of the people who completed every one of the `live` live lessons of `tier`
    (`team.live_lesson_counts`); nobody when the tier has none."""
    if not live:
        return TierStatus.objects.none().values("user_id")
    return TierStatus.objects.filter(tier=tier, completed=live).values("user_id")


def certified(tier: Tier) -> QuerySet[Any]:
    """Ids of the people who hold `tier`'s certificate."""
    return TierStatus.objects.filter(tier=tier, certified=True).values("user_id")


def condition(kind: str, tier: Tier, live: int, via: str = "tier_status") -> Q:
    """The rule as a condition on a joined `TierStatus` row (reached through `via` from the
    rows being counted: "tier_status" from people, "user__tier_status" from memberships):
    `kind` is "started", "completed" (of the tier's `live` live lessons) or "certified".
    One join serves every tier and kind, where `started()` and friends are one set each."""
    on_tier = Q(**{f"{via}__tier": tier})
    if kind == "started":
        return on_tier & Q(**{f"{via}__started__gt": 0})
    if kind == "completed":
        return on_tier & Q(**{f"{via}__completed": live}) if live else Q(pk__in=[])
    if kind == "certified":
        return on_tier & Q(**{f"{via}__certified": True})
    raise ValueError(f"Unknown standing {kind!r}")


def live_lessons() -> set[tuple[int, int]]:
    """(lesson id, tier id) of every live lesson: what the stored counts depend on."""
    return set(
        Lesson.objects.filter(retired=False, module__retired=False).values_list(
            "pk", "module__tier_id"
        )
    )


# Keeping the table up to date.


def after_content_change(before: set[tuple[int, int]]) -> bool:
    """After a content load: rebuild when a live lesson was retired or moved to another
    tier, or a lesson someone has opened became live (what was `live_lessons()` is `before`).
    A new lesson changes nobody's counts. Returns whether it rebuilt."""
    after = live_lessons()
    revived = [lesson_id for lesson_id, _ in after - before]
    if before - after or LessonProgress.objects.filter(lesson_id__in=revived).exists():
        rebuild()
        return True
    return False


def computed(user_ids: Iterable[int] | None = None) -> Computed:
    """Each person's counts per tier from their records, from scratch: for `user_ids`, or
    for everyone. Two grouped queries."""
    progress = LessonProgress.objects.filter(lesson__retired=False, lesson__module__retired=False)
    certificates = Certificate.objects.all()
    if user_ids is not None:
        ids = list(user_ids)
        progress = progress.filter(user_id__in=ids)
        certificates = certificates.filter(user_id__in=ids)
    result: Computed = {}
    rows = (
        progress.order_by()
        .values_list("user_id", "lesson__module__tier_id")
        .annotate(opened=Count("pk"), done=Count("pk", filter=Q(completed_at__isnull=False)))
    )
    for user_id, tier_id, opened, done in rows.iterator(chunk_size=5000):
        result[user_id, tier_id] = (opened, done, False)
    for user_id, tier_id in certificates.order_by().values_list("user_id", "tier_id"):
        opened, done, _ = result.get((user_id, tier_id), (0, 0, False))
        result[user_id, tier_id] = (opened, done, True)
    return result


def _write(wanted: Computed, user_ids: list[int] | None) -> int:
    """Make the stored rows of `user_ids` (everyone when None) equal `wanted`; returns how
    many rows were added, changed or removed."""
    stored = (
        TierStatus.objects.all()
        if user_ids is None
        else TierStatus.objects.filter(user_id__in=user_ids)
    )
    current = {
        (user_id, tier_id): (pk, (opened, done, cert))
        for pk, user_id, tier_id, opened, done, cert in stored.values_list(
            "pk", "user_id", "tier_id", "started", "completed", "certified"
        ).iterator(chunk_size=5000)
    }
    stale = [pk for key, (pk, _) in current.items() if key not in wanted]
    changed = [
        TierStatus(user_id=user_id, tier_id=tier_id, started=s, completed=c, certified=cert)
        for (user_id, tier_id), (s, c, cert) in wanted.items()
        if (user_id, tier_id) not in current or current[user_id, tier_id][1] != (s, c, cert)
    ]
    if changed:
        TierStatus.objects.bulk_create(
            changed,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["user", "tier"],
            update_fields=["started", "completed", "certified"],
        )
    for i in range(0, len(stale), 2000):
        TierStatus.objects.filter(pk__in=stale[i : i + 2000]).delete()
    return len(changed) + len(stale)


def refresh(user_ids: Iterable[int]) -> int:
    """Recompute the standing of these people (a few queries per 500 people); returns how
    many stored rows changed. Nothing inside `suspended()`."""
    if _suspended.get():
        return 0
    ids = sorted(set(user_ids))
    changes = 0
    for i in range(0, len(ids), BATCH):
        batch = ids[i : i + BATCH]
        with transaction.atomic():
            changes += _write(computed(batch), batch)
    return changes


def rebuild() -> int:
    """Recompute everyone's standing from their records (nightly; after a bulk load or a
    content change); returns how many stored rows were wrong, missing or left over."""
    with transaction.atomic():
        return _write(computed(), None)


# Receivers, connected by the app's `ready()`.


def _saved(
    sender: Any, instance: Any, created: bool, update_fields: Any, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return  # loaddata (a restore) brings the stored standing with the rows it comes from
    fields = sender.objects.all().standing_fields
    if created or update_fields is None or set(update_fields) & fields:
        refresh([instance.user_id])


def _deleted(sender: Any, instance: Any, origin: Any = None, **kwargs: Any) -> None:
    if isinstance(origin, User) or (
        isinstance(origin, QuerySet) and origin.model in (User, sender)
    ):
        return  # the person goes (their rows with them), or the queryset announces it once
    refresh([instance.user_id])


def _bulk(sender: Any, user_ids: set[int], **kwargs: Any) -> None:
    refresh(user_ids)


def connect() -> None:
    for model in (LessonProgress, Certificate):
        uid = f"learning-status-{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-delete")
        records_changed.connect(_bulk, sender=model, dispatch_uid=uid + "-bulk")
