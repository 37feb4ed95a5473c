"""Load: the five personas' journeys on PostgreSQL with the large demo, one user and under load.

Needs PostgreSQL with the large demo loaded (skipped, with the reason, otherwise):

    createdb champion_scale   # or any name; then point BENCH_DATABASE_URL at it
    DATABASE_URL=postgres://champion:champion-ci@127.0.0.1:5432/champion_scale \\
        .venv/bin/champion manage migrate
    DATABASE_URL=... .venv/bin/champion demo --scale large

First each page of each persona's journey is opened by one user through Django's test client
(`bench/pages.py`): the server's median time, the HTML size and the number of queries. Then
gunicorn serves the platform on loopback (2 workers x 4 threads, as `champion serve`) and
locust runs 25 and then 100 simulated users, each signing in as one of the five demo accounts
and walking its journey, pausing 5 to 15 s between pages (a person reading the page: 100
such users ask for about 10 pages a second), for a bounded time each (BENCH_LOAD_SECONDS,
default 60; 20 with --quick). A last run, the stress run, has 100 users pausing only 0.5 to
1.5 s (about ten times a real crowd's demand): it finds the throughput the server can give,
not a response time to expect. Printed: median and 95th percentile per page, requests per
second, failures, counted after a warm-up of BENCH_WARMUP seconds (20; the run lasts that much
longer): the sign-ins and each user's first, cold page, all at once while the users start,
are not the steady state. Wall time never fails the bench: the budgets (p95 under 300 ms at 100
users, no errors) are reported, not enforced.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import ROOT, Context, Table, section
from pages import over_budget

DEFAULT_URL = "postgres://champion:champion-ci@127.0.0.1:5432/champion_scale"
#: (users, think time in seconds "low,high", what the run is for): two crowds reading pages, then
#: the stress run that finds the most requests a second the server gives.
RUNS = (
    (25, "5,15", "reading"),
    (100, "5,15", "reading"),
    (100, "0.5,1.5", "stress"),
)
PEOPLE_NEEDED = 20_000
MEASURES_NEEDED = 10_000
BIN = Path(sys.executable).parent


def _ms(text: str) -> str:
    """A time from locust's CSV in whole milliseconds (it writes a median of few requests with
    all its decimals, and "N/A" where there was no request)."""
    try:
        return f"{float(text):.0f} ms"
    except ValueError:
        return "N/A"


def _skip(reason: str) -> list[Table]:
    table = Table("Load benchmark", ["status"])
    table.rows.append(["skipped"])
    table.notes.append(reason)
    return [table]


def _check_database(url: str) -> str | None:
    """None when PostgreSQL answers and holds the large demo; else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[dev]')."
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            people = conn.execute("SELECT count(*) FROM accounts_user").fetchone()[0]
            measures = conn.execute("SELECT count(*) FROM measures_measure").fetchone()[0]
    except psycopg.errors.UndefinedTable:
        return (
            "The database at BENCH_DATABASE_URL holds no PI Champion tables: run "
            "DATABASE_URL=<url> champion manage migrate && "
            "DATABASE_URL=<url> champion demo --scale large first."
        )
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"PostgreSQL is not reachable at BENCH_DATABASE_URL ({first}). Start it and load "
            "the large demo: DATABASE_URL=<url> champion manage migrate && "
            "DATABASE_URL=<url> champion demo --scale large."
        )
    if people < PEOPLE_NEEDED or measures < MEASURES_NEEDED:
        return (
            f"The database holds {people:,} people and {measures:,} measures, not the large "
            f"demo ({PEOPLE_NEEDED:,} and {MEASURES_NEEDED:,}): run "
            "DATABASE_URL=<url> champion demo --scale large first."
        )
    return None


def _env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        TASKS_BACKEND="immediate",
        SERVE_TASK_WORKER="0",
        DJANGO_SETTINGS_MODULE="champion.web.settings",
    )
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def _pages(env: dict[str, str]) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages.py"), "--json", "--repeat",
         os.environ.get("BENCH_PAGES_REPEAT", "5")],
        env=env, capture_output=True, text=True, check=True, timeout=1800,  # the board report
    )  # fmt: skip
    return list(json.loads(out.stdout))


def _locust(
    env: dict[str, str], port: int, users: int, seconds: int, folder: str
) -> list[dict[str, str]]:
    prefix = os.path.join(folder, f"u{users}-{env['BENCH_THINK']}")
    warmup = int(env.setdefault("BENCH_WARMUP", "20"))
    subprocess.run(
        [
            str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
            "-u", str(users), "-r", str(min(users, 10)), "-t", f"{seconds + warmup}s",
            "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary",
            "--stop-timeout", "5", "--loglevel", "WARNING",
        ],
        env=env, capture_output=True, text=True, timeout=seconds + warmup + 120, check=False,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        return list(csv.DictReader(f))


@section("load", "Load: the personas on PostgreSQL with the large demo (locust, loopback)")
def run(ctx: Context) -> list[Table]:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    why = _check_database(url)
    if why:
        return _skip(why)
    if not (BIN / "locust").exists():
        return _skip("locust is not installed: pip install -e '.[dev]' (it is in the dev extra).")
    env = _env(url)
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", "20" if ctx.quick else "60"))
    # BENCH_PAGES_REPEAT=0 skips the one-user table (the load runs alone).
    pages = _pages(env) if os.environ.get("BENCH_PAGES_REPEAT", "5") != "0" else []
    single = Table(
        "One user, server time through the test client (median of the repeats)",
        ["persona / page", "status", "median", "HTML KB", "queries"],
    )
    queries: dict[str, int] = {}
    for r in pages:
        single.rows.append(
            [f"{r['persona']} / {r['page']}", r["status"], f"{r['median_ms']:.0f} ms",
             f"{r['bytes'] / 1024:.0f}", r["queries"]]
        )  # fmt: skip
        queries[r["page"]] = max(queries.get(r["page"], 0), r["queries"])
    slow = [r for r in pages if over_budget(r)]
    single.notes.append(
        f"{len(slow)} page(s) over 300 ms or 200 KB"
        + (": " + ", ".join(f"{r['persona']} / {r['page']}" for r in slow) if slow else ".")
    )
    ctx.budget(
        "every page < 300 ms, < 200 KB (one user)",
        f"{len(slow)} over",
        "0 over",
        (not slow) if pages else None,
    )
    tables = [single]
    journeys = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "pages.py"), "--urls"],
        env=env, capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    port = _free_port()
    server_env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "BENCH_JOURNEYS": journeys}
    server = subprocess.Popen(
        [str(BIN / "champion"), "serve"],
        env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        if not _wait_for(port):
            return [*tables, *_skip("the server did not start on loopback within 60 s.")]
        with tempfile.TemporaryDirectory(prefix="champion-load-") as folder:
            for users, think, purpose in RUNS:
                low, high = think.split(",")
                rows = _locust({**server_env, "BENCH_THINK": think}, port, users, seconds, folder)
                table = Table(
                    f"{users} simulated users for {seconds} s, {low} to {high} s between pages"
                    + (" (stress: the throughput ceiling)" if purpose == "stress" else ""),
                    ["page", "requests", "failures", "median", "p95", "queries"],
                )
                total = next((r for r in rows if r["Name"] == "Aggregated"), None)
                for r in rows:
                    if r["Name"] == "Aggregated":
                        continue
                    table.rows.append(
                        [r["Name"], r["Request Count"], r["Failure Count"],
                         _ms(r["Median Response Time"]), _ms(r["95%"]),
                         queries.get(r["Name"], "-")]
                    )  # fmt: skip
                if total:
                    table.rows.append(
                        ["all pages", total["Request Count"], total["Failure Count"],
                         _ms(total["Median Response Time"]), _ms(total["95%"]), ""]
                    )  # fmt: skip
                    rps = float(total["Requests/s"])
                    table.notes.append(
                        f"throughput {rps:.1f} requests/s; errors {total['Failure Count']}"
                    )
                    p95 = float(total["95%"]) if total["95%"] not in ("", "N/A") else None
                    if purpose == "reading":  # the stress run measures a ceiling, not a budget
                        ctx.budget(
                            f"p95 at {users} users, errors",
                            f"{_ms(total['95%'])}, {total['Failure Count']} errors",
                            "< 300 ms, 0",
                            None if p95 is None else (p95 < 300 and total["Failure Count"] == "0"),
                        )
                tables.append(table)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return tables
