"""`champion manage task_worker`: django-tasks-db's `db_worker` that also writes a heartbeat.

Every TASK_WORKER_HEARTBEAT_SECONDS a thread records that this worker is alive (a
WorkerHeartbeat row), so `/healthz` can say when no worker has been seen for a while. Run it
under a supervisor that restarts it (`champion serve` does; docs/deploy.md shows systemd).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from champion.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat(worker_id: str) -> None:
    """Record one heartbeat for this worker, and forget workers silent for a day."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now, "hostname": socket.gethostname()[:255], "pid": os.getpid()},
        create_defaults={
            "beat_at": now,
            "started_at": now,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()


def _beat_forever(worker_id: str, every: float, stop: threading.Event) -> None:
    while True:
        try:
            beat(worker_id)
        except Exception:  # a database outage: say so and keep trying; /healthz goes stale
            logger.warning("Task worker heartbeat failed", exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only
        if stop.wait(every):
            return


class Command(DbWorkerCommand):
    help = "Run a background task worker (db_worker) that writes a heartbeat for /healthz"

    def handle(self, *args: Any, **options: Any) -> None:
        reload = options.get("reload") and not options.get("batch")
        # With --reload the outer process only watches files; the inner one runs tasks.
        if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            stop = threading.Event()
            threading.Thread(
                target=_beat_forever,
                args=(options["worker_id"], settings.TASK_WORKER_HEARTBEAT_SECONDS, stop),
                name="heartbeat",
                daemon=True,
            ).start()
        super().handle(*args, **options)
