"""The `champion` command: serve the platform, load the demo, run Django commands, analyse data.

champion serve                 serve on $HOST:$PORT (default 127.0.0.1:8000)
champion demo [--scale large]  create or complete the demo organisation (idempotent)
champion manage CMD [ARGS...]  any Django management command (migrate, task_worker, ...)
champion worker                run a task worker, restarting it with back-off whenever it exits
champion spc FILE [OPTIONS]    SPC analysis of a CSV/XLSX file (see `champion spc --help`)
champion token create --email E [--name N]
                               create an API token for a person; prints it alone on the last line
champion export --out FILE     write the whole installation to one archive (docs/deploy.md, "Backups")
champion import FILE           restore such an archive into a new, migrated, empty database
champion content check|load|stats [--json]
                               check, load or count the curriculum in content/
champion report board --unit UNIT_ID --month YYYY-MM --out FILE.pdf [--as EMAIL]
                               write a unit's board report for a month as a PDF

Each command imports what it needs inside its function, after `champion.setup_django()`
where it needs the database: models cannot be imported before Django is set up, and
`champion spc` must start without Django at all.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from champion import SETTINGS_MODULE, setup_django

USAGE = __doc__ or ""


def manage(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["champion manage", *args])
    return 0


def site_url(host: str, port: str) -> str:
    """The address people reach `champion serve` at, for links in e-mails: a wildcard bind
    (0.0.0.0, ::) is reached by the machine's name."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve(args: list[str]) -> int:
    """Serve with gunicorn: the same server on a laptop as in production.

    With the database task queue (`TASKS_BACKEND=database`), a task worker runs beside
    the web server unless `SERVE_TASK_WORKER=0` (when the worker runs on its own, as in
    a larger deployment): background work such as big imports then runs off the request
    with visible progress, on one machine too. The worker is supervised (`champion worker`):
    whenever it exits it is started again, with back-off.
    """
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    # Links in e-mails and certificates use the address the site is served at, unless
    # SITE_URL names it (as behind a proxy or on a public name, docs/deploy.md).
    os.environ.setdefault("SITE_URL", site_url(host, port))
    setup_django()
    import atexit

    import gunicorn.http.wsgi  # noqa: F401  (loaded first, so its Server header is dropped)
    from gunicorn.app.base import BaseApplication

    from champion.web.wsgi import application

    options = {
        "bind": f"{host}:{port}",
        "workers": int(os.environ.get("WEB_CONCURRENCY", "2")),
        "threads": int(os.environ.get("WEB_THREADS", "4")),
        "accesslog": "-",
        "timeout": 120,
        # Each web worker starts the chart engine before it takes requests (charts.warm_up).
        "post_worker_init": _warm_up,
    }

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> object:
            return application

    if task_worker_command():
        worker = subprocess.Popen([sys.executable, "-m", "champion.cli", "worker"])
        # Only the process that started it stops it: gunicorn's forked web workers
        # inherit this exit handler and must leave the task worker alone.
        atexit.register(_stop, worker, os.getpid())
        print("Background tasks: a task worker runs beside the web server.", flush=True)
    print(f"PI Champion is serving at http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    Server().run()
    return 0


def _warm_up(worker: object) -> None:
    from champion import charts

    charts.warm_up()


def task_worker_command() -> list[str] | None:
    """The command of the task worker `champion serve` starts, or None when it needs none."""
    from django.conf import settings

    from champion.web.env import env_bool

    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db.") or not env_bool("SERVE_TASK_WORKER", True):
        return None
    return [sys.executable, "-m", "champion.cli", "manage", "task_worker", "--no-reload"]


def worker(args: list[str]) -> int:
    """Run `champion manage task_worker` and restart it with back-off whenever it exits."""
    from champion.supervisor import Supervisor

    command = [sys.executable, "-m", "champion.cli", "manage", "task_worker", "--no-reload", *args]
    return Supervisor(command).run_until_signalled()


def _stop(process: subprocess.Popen[bytes], owner: int) -> None:
    if os.getpid() != owner:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def demo(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="champion demo")
    parser.add_argument(
        "--scale",
        choices=["standard", "small", "large"],
        default="standard",
        help="large: a generated health system of 20,000 staff (issue 15); small: the same, tiny",
    )
    options = parser.parse_args(args)
    setup_django()
    from champion.web.demo import load_demo
    from champion.web.demo_large import SCALES, load_large

    if options.scale == "standard":
        load_demo(verbose=True)
    else:
        load_large(SCALES[options.scale], verbose=True)
        load_demo(verbose=True)  # prints the sign-ins; the demo is already there
    return 0


def spc(args: list[str]) -> int:
    from champion.spc_cli import main as spc_main

    return spc_main(args)


def token(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="champion token", description="Personal API tokens.")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="create a token for a person")
    create.add_argument("--email", required=True, help="the person's e-mail address")
    create.add_argument("--name", default="Created on the command line", help="what it is for")
    options = parser.parse_args(args)
    setup_django()
    from champion.core import audit
    from champion.core.models import ApiToken

    try:
        with audit.acting_as(None):
            raw = ApiToken.create_for_email(options.email, options.name)
    except LookupError as exc:
        print(f"champion token: {exc}", file=sys.stderr)
        return 1
    print(f"API token for {options.email} (shown once; store it safely):")
    print(raw)
    return 0


def export(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="champion export", description="Write the whole installation to one archive."
    )
    parser.add_argument("--out", required=True, help="the archive to write (a .zip)")
    options = parser.parse_args(args)
    setup_django()
    from pathlib import Path

    from champion.backup import export as export_to

    counts = export_to(Path(options.out))
    print(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {options.out}.")
    return 0


def import_(args: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="champion import",
        description="Restore an archive from `champion export` into a new, empty database.",
    )
    parser.add_argument("file", help="the archive written by `champion export`")
    options = parser.parse_args(args)
    setup_django()
    from pathlib import Path

    from champion.backup import BackupError, restore

    try:
        counts = restore(Path(options.file))
    except (BackupError, OSError) as exc:
        print(f"champion import: {exc}", file=sys.stderr)
        return 1
    print(f"Imported {sum(counts.values())} rows into {len(counts)} tables.")
    return 0


def report(args: list[str]) -> int:
    """`champion report board`: the board report's PDF, the same file the Lead page downloads,
    made as the unit's nearest leader, coach or admin (or the person named by --as)."""
    import argparse

    parser = argparse.ArgumentParser(prog="champion report", description="Reports as PDF files.")
    sub = parser.add_subparsers(dest="kind", required=True)
    board_parser = sub.add_parser("board", help="a unit's board report for one month")
    board_parser.add_argument("--unit", required=True, help="the unit's id (shown in its address)")
    board_parser.add_argument("--month", required=True, help="the month, as YYYY-MM")
    board_parser.add_argument("--out", required=True, help="the PDF file to write")
    board_parser.add_argument(
        "--as", dest="email", default="", help="make it as this leader (default: the nearest)"
    )
    options = parser.parse_args(args)
    setup_django()
    from pathlib import Path

    from champion.accounts.models import Unit
    from champion.core.pdf import render_pdf
    from champion.leadership import board
    from champion.leadership.permissions import area_for

    def fail(message: str) -> int:
        print(f"champion report board: {message}", file=sys.stderr)
        return 2

    try:
        month = board.parse_month(options.month)
    except board.BadMonth as exc:
        return fail(str(exc))
    if not str(options.unit).isdigit():
        return fail(f"--unit takes a unit's number, not {options.unit!r}.")
    unit = Unit.objects.filter(pk=int(options.unit)).first()
    if unit is None:
        return fail(f"there is no unit {options.unit}.")
    person = board.overseer_of(unit, options.email)
    if person is None:
        who = options.email or "a leader, coach or admin"
        return fail(f"{who} does not oversee {unit.name}, so there is nobody to make it as.")
    report_ = board.board_report(person, area_for(person, unit.pk), month, for_print=True)
    pdf = render_pdf("leadership/board/print.html", {"report": report_})
    try:
        Path(options.out).write_bytes(pdf)
    except OSError as exc:
        return fail(f"could not write {options.out}: {exc.strerror or exc}")
    print(f"Wrote the board report of {unit.name} for {month:%B %Y} to {options.out}.")
    return 0


def content(args: list[str]) -> int:
    from champion.learning.content.cli import main as content_main

    return content_main(args)


COMMANDS = {
    "serve": serve,
    "demo": demo,
    "manage": manage,
    "worker": worker,
    "spc": spc,
    "token": token,
    "content": content,
    "report": report,
    "export": export,
    "import": import_,
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command = COMMANDS.get(args[0])
    if command is None:
        print(f"champion: unknown command {args[0]!r}\n{USAGE}", file=sys.stderr)
        return 2
    return command(args[1:])


if __name__ == "__main__":
    sys.exit(main())
