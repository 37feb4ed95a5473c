"""Operations: the health check, settings from the environment, production checks, the CLI."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from champion.web.env import ConfigError, env_bool, env_int, env_text


def run(args, env_overrides, **kwargs):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
        and not k.startswith(("SECURE_", "BADGE_"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "champion.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@pytest.mark.django_db
def test_healthz_reports_the_database_without_signing_in(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_broken_database_as_503(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503 and response.json()["database"].startswith("error")


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("0", False), ("", False), ("true", True)])
def test_env_bool_reads_1_and_0(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    with pytest.raises(ConfigError, match="X_FLAG must be 1 or 0"):
        env_bool("X_FLAG")


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ConfigError, match="whole number"):
        env_int("X_NUM", 1)


def test_production_refuses_to_start_without_a_secret_key():
    result = run(["manage", "check"], {"DEBUG": "0"})
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def test_a_malformed_debug_value_stops_the_process():
    result = run(["manage", "check"], {"DEBUG": "yes"})
    assert result.returncode != 0 and "DEBUG must be 1 or 0" in result.stderr


def production_env(tmp_path):
    return {
        "DEBUG": "0",
        "SECRET_KEY": "a" * 20 + "-production-like-secret-" + "b" * 30,
        "ALLOWED_HOSTS": "champion.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_MANIFEST": "1",
        "DATA_DIR": str(tmp_path),
        "TASKS_BACKEND": "database",
        "BEHIND_PROXY": "1",
    }


def test_check_deploy_passes_for_the_documented_production_configuration(tmp_path):
    env = production_env(tmp_path)
    # docs/deploy.md: the key made by `badge_key generate`, kept in a file the service reads.
    generated = run(["manage", "badge_key", "generate"], env)
    assert generated.returncode == 0 and generated.stdout.startswith("-----BEGIN PRIVATE KEY")
    (tmp_path / "badge-key.pem").write_text(generated.stdout)
    env["BADGE_SIGNING_KEY_FILE"] = str(tmp_path / "badge-key.pem")
    result = run(["manage", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = run(["manage", "badge_key", "show"], env)
    assert "Signing with RS256" in shown.stdout, shown.stdout + shown.stderr


def test_check_deploy_warns_that_badges_are_unsigned_without_a_key(tmp_path):
    result = run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode != 0
    assert "learning.W001" in result.stderr and "unsigned" in result.stderr


def test_an_unreadable_badge_key_stops_the_process(tmp_path):
    env = {**production_env(tmp_path), "BADGE_SIGNING_KEY": "-----BEGIN PRIVATE KEY-----\nxx"}
    result = run(["manage", "check"], env)
    assert result.returncode != 0 and "BADGE_SIGNING_KEY is not an unencrypted PEM" in result.stderr
    env = {**production_env(tmp_path), "BADGE_SIGNING_KEY_FILE": str(tmp_path / "missing.pem")}
    result = run(["manage", "check"], env)
    assert result.returncode != 0 and "BADGE_SIGNING_KEY_FILE cannot be read" in result.stderr


def test_env_text_reads_a_file_and_refuses_both_forms(monkeypatch, tmp_path):
    (tmp_path / "key.pem").write_text("PEM TEXT\n")
    monkeypatch.delenv("X_KEY", raising=False)
    monkeypatch.setenv("X_KEY_FILE", str(tmp_path / "key.pem"))
    assert env_text("X_KEY") == "PEM TEXT\n"
    monkeypatch.setenv("X_KEY", "inline")
    with pytest.raises(ConfigError, match="not both"):
        env_text("X_KEY")


def test_the_manage_command_passes_through_to_django(tmp_path):
    result = run(
        ["manage", "showmigrations", "accounts"], {"DEBUG": "1", "DATA_DIR": str(tmp_path)}
    )
    assert result.returncode == 0 and "0001_initial" in result.stdout


def test_unknown_commands_are_refused_with_usage():
    result = run(["frobnicate"], {"DEBUG": "1"})
    assert result.returncode == 2 and "unknown command" in result.stderr


def test_demo_is_idempotent_and_its_sign_ins_work(tmp_path):
    env = {"DEBUG": "1", "DATA_DIR": str(tmp_path)}
    assert run(["manage", "migrate", "-v", "0"], env).returncode == 0
    first = run(["demo"], env)
    assert first.returncode == 0 and "admin@riverside.example" in first.stdout
    script = (
        "import django, json; django.setup();"
        "from champion.accounts.models import User, Unit, Membership;"
        "from champion.core.models import AuditEvent;"
        "from django.contrib.auth import authenticate;"
        "print(json.dumps({'people': User.objects.count(), 'units': Unit.objects.count(),"
        " 'memberships': Membership.objects.count(), 'events': AuditEvent.objects.count(),"
        " 'roles': sorted({m.role for m in Membership.objects.all()}),"
        " 'sign_ins': [bool(authenticate(username=e + '@riverside.example', password='champion-demo'))"
        " for e in ('member', 'leader', 'executive', 'coach', 'admin')]}))"
    )

    def counts():
        return json.loads(
            subprocess.run(
                [sys.executable, "-c", script],
                env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "champion.web.settings"},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

    before = counts()
    assert 55 <= before["people"] <= 70 and before["units"] >= 13
    assert before["roles"] == ["admin", "coach", "leader", "member"]
    assert before["sign_ins"] == [True] * 5
    assert run(["demo"], env).returncode == 0
    assert counts() == before  # a second run changes nothing


@pytest.mark.django_db
def test_create_organisation_sets_up_the_top_unit_and_its_admin():
    from io import StringIO

    from django.core.management import call_command

    from champion.accounts.models import Organisation, User

    out = StringIO()
    call_command(
        "create_organisation",
        "Northfield Trust",
        admin_email="Boss@Northfield.example",
        admin_name="Bo Boss",
        stdout=out,
    )
    organisation = Organisation.objects.get(name="Northfield Trust")
    admin = User.objects.get(email="boss@northfield.example")
    assert admin.organisation == organisation and admin.is_org_admin
    assert "/accounts/password/reset/" in out.getvalue().splitlines()[-1]


@pytest.mark.django_db
def test_create_organisation_refuses_duplicates_and_bad_emails(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_organisation", "testshire health", admin_email="new@x.example", admin_name="N"
        )
    with pytest.raises(CommandError, match="not a valid e-mail"):
        call_command("create_organisation", "New Org", admin_email="nope", admin_name="N")
    with pytest.raises(CommandError, match="already has an account"):
        call_command(
            "create_organisation", "New Org", admin_email="member@test.example", admin_name="N"
        )


def _children(pid):
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(c) for c in handle.read().split()]
    return found


def _command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _task_workers(pid):
    """The task_worker processes under the `champion worker` supervisor that `pid` started."""
    supervisors = [c for c in _children(pid) if "champion.cli worker" in _command_line(c)]
    return supervisors, [
        w for s in supervisors for w in _children(s) if "task_worker" in _command_line(w)
    ]


def test_serve_runs_a_supervised_task_worker_that_comes_back_when_it_dies(tmp_path):
    import signal
    import time
    import urllib.request

    port = _free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env.update(
        DEBUG="1",
        TASKS_BACKEND="database",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    migrate = subprocess.run(
        [sys.executable, "-m", "champion.cli", "manage", "migrate", "-v", "0"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr
    server = subprocess.Popen(
        [sys.executable, "-m", "champion.cli", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )

    def health():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return json.load(r)
        except urllib.error.HTTPError as error:  # 503 still has a body
            return json.load(error)

    try:
        # The web answers, and /healthz turns healthy once the worker's heartbeat arrives.
        for _ in range(300):
            try:
                body = health()
                if body["status"] == "ok":
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("champion serve did not answer /healthz with a live task worker")
        assert body["database"] == "ok" and body["tasks"]["worker"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            assert r.headers.get("Server") is None  # no server banner
        supervisors, workers = _task_workers(server.pid)
        assert len(supervisors) == 1 and len(workers) == 1
        # An out-of-memory kill: the supervisor starts a new worker.
        os.kill(workers[0], signal.SIGKILL)
        for _ in range(150):
            replaced = _task_workers(server.pid)[1]
            if replaced and replaced != workers:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the task worker was not restarted after it died")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    # Stopping the server stops the supervisor and its task worker too.
    for _ in range(100):
        if not any(_command_line(p) for p in [*supervisors, *replaced]):
            break
        time.sleep(0.1)
    assert not any(_command_line(p) for p in [*supervisors, *replaced])


def test_serve_starts_no_task_worker_for_immediate_tasks_or_when_told_not_to(monkeypatch):
    from django.test import override_settings

    from champion.cli import task_worker_command

    assert task_worker_command() is None  # the tests run tasks immediately
    database = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=database):
        assert task_worker_command()[-3:] == ["manage", "task_worker", "--no-reload"]
        monkeypatch.setenv("SERVE_TASK_WORKER", "0")
        assert task_worker_command() is None
