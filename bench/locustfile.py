"""The personas' journeys under load (`bench/sections/load.py` runs this with locust).

Each simulated user signs in as one of the five demo accounts (the password of
`champion demo`), then walks that persona's pages (`bench/pages.py --urls`, passed in
BENCH_JOURNEYS as JSON: the executive's ends with the board report of the whole system for
last month), pausing between pages for a time drawn from BENCH_THINK ("low,high" seconds;
default 5 to 15 s, a person reading a page before the next click; the stress run uses 0.5 to
1.5 s). Requests are named by page, so locust's statistics are per page.
"""

from __future__ import annotations

import json
import os
import re

import gevent
from locust import HttpUser, between, events, task

JOURNEYS: dict[str, list[list[str]]] = json.loads(os.environ.get("BENCH_JOURNEYS", "{}"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "champion-demo")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next = {"n": 0}
#: One sign-in per persona, its session shared by that persona's simulated users: a sign-in
#: is a deliberately slow password hash, and 100 of them at once would measure the hash.
SESSIONS: dict[str, dict[str, str]] = {}
SIGNING_IN: set[str] = set()
THINK = tuple(float(s) for s in os.environ.get("BENCH_THINK", "5,15").split(","))
#: Seconds after the start when the statistics are reset: the sign-ins and every user's first,
#: cold page (all at once while the users start) are not the steady state being measured.
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))


@events.test_start.add_listener
def _reset_after_warm_up(environment, **_kwargs) -> None:
    if WARMUP > 0:
        gevent.spawn_later(WARMUP, environment.runner.stats.reset_all)


class Persona(HttpUser):
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        names = sorted(JOURNEYS)
        self.persona = names[_next["n"] % len(names)]
        _next["n"] += 1
        self.step = 0
        if self.persona in SIGNING_IN:  # another user of this persona signs in: wait for it
            while self.persona not in SESSIONS:
                gevent.sleep(0.2)
        if self.persona in SESSIONS:
            self.client.cookies.update(SESSIONS[self.persona])
            return
        SIGNING_IN.add(self.persona)
        page = self.client.get("/accounts/sign-in/", name="sign in (form)")
        found = TOKEN.search(page.text)
        self.client.post(
            "/accounts/sign-in/",
            {
                "username": f"{self.persona}@riverside.example",
                "password": PASSWORD,
                "csrfmiddlewaretoken": found.group(1) if found else "",
            },
            headers={"Referer": f"{self.host}/accounts/sign-in/"},
            name="sign in",
        )
        SESSIONS[self.persona] = self.client.cookies.get_dict()

    @task
    def next_page(self) -> None:
        pages = JOURNEYS[self.persona]
        label, url = pages[self.step % len(pages)]
        self.step += 1
        with self.client.get(url, name=label, catch_response=True) as response:
            if response.status_code != 200 or "/accounts/sign-in/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")
