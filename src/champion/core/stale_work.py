"""When background work has stopped: one rule for every import that runs as a task.

Measure uploads (`measures/imports.py`) and staff lists (`accounts/staff_import.py`) show
progress while a task worker saves them. If the worker is killed or never started, the page
would say "Checking and saving… 70 %" for ever; each import asks `stalled` and, when it
answers, marks itself failed with its own words for what happened.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from django.utils import timezone

from champion.core.models import WorkerHeartbeat

#: Work with no sign of progress for this long has stopped (its worker was killed or restarted).
STALE_AFTER = datetime.timedelta(minutes=15)

Stall = Literal["stopped", "no worker"]


def stalled(
    *, queued: bool, last_sign: datetime.datetime, now: datetime.datetime | None = None
) -> Stall | None:
    """Why work last seen at `last_sign` has stopped, or None while it may still finish.

    Running work is stale after `STALE_AFTER` without progress ("stopped"). Queued work only
    when, as well, no task worker has been seen recently ("no worker"); otherwise it is
    waiting its turn behind other work."""
    now = now or timezone.now()
    if now - last_sign < STALE_AFTER:
        return None
    if not queued:
        return "stopped"
    beat = WorkerHeartbeat.latest()
    if beat is not None and (now - beat).total_seconds() < settings.TASK_WORKER_STALE_SECONDS:
        return None
    return "no worker"
