"""The personas' pages on the database in DATABASE_URL: server time, HTML size, queries.

Usage: ``DATABASE_URL=postgres://... .venv/bin/python bench/pages.py [--repeat 5] [--json]``

Each of the five demo accounts (`champion demo --scale large`) opens the pages of its
journey through Django's test client (no network: the server's own time), ``--repeat``
times; the median time, the HTML size and the number of queries are printed per page.
``--urls`` prints the journeys as JSON instead (the load benchmark's locustfile reads them).
Used by ``bench/sections/load.py``; also useful on its own after changing a page. A page
whose first call takes over ``SLOW_SECONDS`` is timed once more rather than ``--repeat`` times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

DEMO = "riverside.example"
#: Issue 15's budget for every page, one user, at the large scale (server time, HTML size).
BUDGET_MS = 300.0
BUDGET_BYTES = 200 * 1024
#: A page slower than this (the whole system's board report) is timed once after its warm-up.
SLOW_SECONDS = 20.0


def journeys() -> dict[str, list[tuple[str, str]]]:
    """(label, url) per persona, with ids read from the demo data."""
    from champion.accounts.models import Unit
    from champion.improvement.ideas.models import Idea
    from champion.improvement.models import Project
    from champion.leadership.board import last_month
    from champion.leadership.models import Assessment
    from champion.learning.models import Lesson
    from champion.measures.models import Measure

    ward7 = Unit.objects.get(name="Ward 7 - Acute Medicine")
    lesson = (
        Lesson.objects.filter(retired=False, module__retired=False, module__tier__slug="foundation")
        .order_by("module__order", "order")
        .first()
    )
    measure = Measure.objects.filter(unit=ward7).order_by("pk").first()
    project = Project.objects.filter(unit=ward7).order_by("pk").first() or Project.objects.first()
    idea = Idea.objects.filter(unit=ward7).order_by("-pk").first()
    assessment = Assessment.objects.order_by("pk").first()
    # The executive leads the root unit: the board report of the whole system, last month.
    root = Unit.objects.filter(organisation=ward7.organisation, parent=None).order_by("pk").first()
    board_report = f"/lead/board/{root.pk}/?month={last_month():%Y-%m}" if root else "/lead/board/"
    lesson_url = f"/learn/lessons/{lesson.slug}/" if lesson else "/learn/"
    member = [
        ("home", "/"),
        ("learn", "/learn/"),
        ("lesson", lesson_url),
        ("quiz", f"{lesson_url}quiz/" if lesson else "/learn/"),
        ("idea board", f"/improve/ideas/boards/{ward7.pk}/"),
        ("ideas list", "/improve/ideas/"),
        ("idea", f"/improve/ideas/{idea.pk}/" if idea else "/improve/ideas/"),
        ("measure board", "/measures/board/"),
        ("measure chart", f"/measures/{measure.pk}/" if measure else "/measures/"),
        ("data entry", f"/measures/{measure.pk}/data/" if measure else "/measures/"),
    ]
    leader = [
        ("home", "/"),
        ("team progress", "/learn/team/"),
        ("assignments", "/learn/assignments/"),
        ("measure board", "/measures/board/"),
        ("lead overview", "/lead/"),
        ("project", f"/improve/projects/{project.pk}/" if project else "/improve/"),
        ("improve", "/improve/"),
    ]
    executive = [
        ("home", "/"),
        ("lead overview", "/lead/"),
        ("measures list", "/measures/"),
        ("measure board", "/measures/board/"),
        ("project library", "/improve/projects/"),
        (
            "maturity report",
            f"/lead/maturity/{assessment.pk}/report/" if assessment else "/lead/maturity/",
        ),
        ("board report", board_report),
    ]
    coach = [
        ("home", "/"),
        ("project library", "/improve/projects/"),
        ("project", f"/improve/projects/{project.pk}/" if project else "/improve/"),
        ("team progress", "/learn/team/"),
        ("ideas list", "/improve/ideas/"),
    ]
    admin = [
        ("home", "/"),
        ("people", "/people/"),
        ("units", "/units/"),
        ("audit log", "/audit/"),
        ("re-analyse", "/measures/re-analyse/"),
    ]
    return {
        "member": member,
        "leader": leader,
        "executive": executive,
        "coach": coach,
        "admin": admin,
    }


def measure(repeat: int) -> list[dict[str, Any]]:
    from django.test import Client

    from champion.accounts.models import User

    rows = []
    for persona, pages in journeys().items():
        client = Client()
        client.force_login(User.objects.get(email=f"{persona}@{DEMO}"))
        for label, url in pages:
            rows.append({"persona": persona, "page": label, **time_get(client, url, repeat)})
    return rows


def time_get(client: Any, url: str, repeat: int, **headers: Any) -> dict[str, Any]:
    """GET `url` once to warm up, then `repeat` more times (once more only when the first call
    took over SLOW_SECONDS): url, status, median wall and CPU ms, bytes and queries of the
    last call. `headers` go with each request (an API token)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    size = queries = status = 0
    runs, i = repeat + 1, 0
    while i < runs:
        connection.queries_log.clear()  # a full log (9,000 queries) would count 0 from then on
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, **headers)
            if getattr(response, "streaming", False):  # a file: its making is timed too
                size = sum(len(chunk) for chunk in response.streaming_content)
            else:
                size = len(response.content)
            elapsed = time.perf_counter() - start
            used = time.process_time() - start_cpu
        status = response.status_code
        queries = len(captured)
        if i:  # the first call warms caches and connections
            times.append(elapsed)
            cpu.append(used)
        elif elapsed > SLOW_SECONDS:
            runs = min(runs, 2)  # timed once more, not `repeat` times
        i += 1
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(times) * 1000, 1) if times else 0.0,
        # This process's CPU (no database time): the fairer figure on a busy machine.
        "cpu_ms": round(statistics.median(cpu) * 1000, 1) if cpu else 0.0,
        "bytes": size,
        "queries": queries,
    }


def over_budget(row: dict[str, Any]) -> bool:
    """Whether a measured page (a row of `measure` or `time_get`) is slower or bigger than the
    budget."""
    return row["median_ms"] > BUDGET_MS or row["bytes"] > BUDGET_BYTES


def setup() -> None:
    """Django set up for the test client on the database in DATABASE_URL (DEBUG by default)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "champion.web.settings")
    os.environ.setdefault("DEBUG", "1")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test client's host


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/pages.py")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--urls", action="store_true", help="print the journeys as JSON")
    args = parser.parse_args(argv)
    setup()
    if args.urls:
        print(json.dumps(journeys()))
        return 0
    rows = measure(args.repeat)
    if args.json:
        print(json.dumps(rows))
        return 0
    for r in rows:
        print(
            f"{r['persona']:10} {r['page']:16} {r['status']} {r['median_ms']:8.1f} ms "
            f"{r['bytes'] / 1024:8.1f} KB {r['queries']:4} queries  {r['url']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
