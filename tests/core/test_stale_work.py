"""When background work has stopped (`core.stale_work.stalled`): one rule for every import."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from champion.core.models import WorkerHeartbeat
from champion.core.stale_work import STALE_AFTER, stalled

pytestmark = pytest.mark.django_db


def test_recent_work_is_never_stalled_running_or_queued():
    now = timezone.now()
    recent = now - STALE_AFTER + timedelta(seconds=1)
    assert stalled(queued=False, last_sign=recent, now=now) is None
    assert stalled(queued=True, last_sign=recent, now=now) is None


def test_running_work_without_progress_has_stopped_whatever_the_worker():
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, beat_at=now)
    assert stalled(queued=False, last_sign=now - STALE_AFTER, now=now) == "stopped"


def test_old_queued_work_waits_while_a_worker_is_alive():
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, beat_at=now)
    assert stalled(queued=True, last_sign=now - 2 * STALE_AFTER, now=now) is None


@pytest.mark.parametrize("worker", ["never seen", "long gone"])
def test_old_queued_work_with_no_live_worker_says_so(worker):
    now = timezone.now()
    if worker == "long gone":
        gone = now - timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS + 1)
        WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, beat_at=gone)
    assert stalled(queued=True, last_sign=now - 2 * STALE_AFTER, now=now) == "no worker"
