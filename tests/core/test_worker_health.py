"""The task worker stays alive and visible (issue 16, High 5): a supervisor restarts it with
back-off, it writes a heartbeat, and /healthz reports the heartbeat and the queue's age."""

import itertools
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from champion.core.management.commands.task_worker import beat
from champion.core.models import WorkerHeartbeat
from champion.supervisor import Supervisor

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _dying_worker(log):
    """A worker that records its start time and dies at once with status 3."""
    code = (
        f"import sys, time; open({str(log)!r}, 'a').write(f'{{time.monotonic()}}\\n'); sys.exit(3)"
    )
    return [sys.executable, "-c", code]


def test_the_supervisor_restarts_a_dying_worker_with_growing_back_off(tmp_path):
    log = tmp_path / "starts"
    said = []
    supervisor = Supervisor(
        _dying_worker(log), min_backoff=0.2, max_backoff=0.8, healthy_after=60, say=said.append
    )
    runner = threading.Thread(target=supervisor.run)
    runner.start()
    try:
        for _ in range(200):
            if log.exists() and len(log.read_text().split()) >= 5:
                break
            time.sleep(0.05)
    finally:
        supervisor.stop()
        runner.join(timeout=10)
    assert not runner.is_alive()
    starts = [float(t) for t in log.read_text().split()]
    assert len(starts) >= 5, said
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # 0.2, 0.4, 0.8, 0.8 s: doubling, capped (a process start adds a little to each).
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4 and gaps[2] >= 0.8 and gaps[3] >= 0.8
    assert gaps[3] < 0.8 + 2.0  # capped, not still doubling
    assert "exited with status 3" in said[0] and "restarting it in 0.2 s" in said[0]


def test_stopping_the_supervisor_stops_its_worker(tmp_path):
    supervisor = Supervisor([sys.executable, "-c", "import time; time.sleep(60)"])
    runner = threading.Thread(target=supervisor.run)
    runner.start()
    for _ in range(100):
        if supervisor.process is not None:
            break
        time.sleep(0.05)
    supervisor.stop()
    runner.join(timeout=15)
    assert not runner.is_alive()
    assert supervisor.process.poll() is not None and supervisor.starts == 1


@pytest.mark.django_db
def test_a_heartbeat_records_the_worker_and_forgets_long_silent_ones():
    WorkerHeartbeat.objects.create(
        worker_id="old", hostname="h", pid=1, beat_at=timezone.now() - timedelta(days=2)
    )
    beat("w1")
    first = WorkerHeartbeat.objects.get(worker_id="w1")
    beat("w1")
    again = WorkerHeartbeat.objects.get(worker_id="w1")
    assert again.beat_at >= first.beat_at and again.started_at == first.started_at
    assert not WorkerHeartbeat.objects.filter(worker_id="old").exists()


def _health(client):
    response = client.get(reverse("core:healthz"))
    return response.status_code, response.json()


@pytest.mark.django_db
@override_settings(TASK_WORKER_EXPECTED=True)
def test_healthz_reports_the_heartbeat_and_answers_503_when_it_is_stale(client):
    status, body = _health(client)
    assert status == 503 and body["tasks"]["worker"] == "none seen"
    assert body["tasks"]["worker_heartbeat_age"] is None
    beat("w1")
    status, body = _health(client)
    assert status == 200 and body["tasks"]["worker"] == "ok"
    assert 0 <= body["tasks"]["worker_heartbeat_age"] < 5
    stale = timezone.now() - timedelta(seconds=settings.TASK_WORKER_STALE_SECONDS + 5)
    WorkerHeartbeat.objects.update(beat_at=stale)
    status, body = _health(client)
    assert status == 503 and body["status"] == "error" and body["tasks"]["worker"] == "stale"
    assert body["tasks"]["worker_heartbeat_age"] >= settings.TASK_WORKER_STALE_SECONDS


@pytest.mark.django_db
def test_healthz_does_not_need_a_worker_when_none_is_expected(client):
    assert settings.TASK_WORKER_EXPECTED is False  # the tests run tasks immediately
    status, body = _health(client)
    assert status == 200 and body["tasks"]["worker"] == "none seen"


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_QUEUE)
def test_healthz_reports_the_age_of_the_oldest_queued_task(client):
    from django_tasks_db.models import DBTaskResult

    from champion.core.tasks import send_notification_emails

    assert _health(client)[1]["tasks"]["oldest_queued_age"] is None
    send_notification_emails.enqueue([])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    age = _health(client)[1]["tasks"]["oldest_queued_age"]
    assert 600 <= age < 660


def test_stale_database_connections_are_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
