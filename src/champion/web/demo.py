"""The demo organisation: each app contributes its part, in order, idempotently.

`champion demo` (and `make run`) call `load_demo`. Each app's builder receives the
organisation and must itself be idempotent, so a second run changes nothing and is
fast; later features add their builders to `BUILDERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from champion.accounts import demo as accounts_demo
from champion.core import audit
from champion.improvement import demo as improvement_demo
from champion.improvement.ideas import demo as ideas_demo
from champion.leadership import demo as leadership_demo
from champion.leadership.strategy import demo as strategy_demo
from champion.learning import demo as learning_demo
from champion.measures import demo as measures_demo

#: The builders, run in this order; each takes the organisation (None for the first).
BUILDERS: list[Callable[[Any], Any]] = [
    accounts_demo.build,
    measures_demo.build,
    improvement_demo.build,
    ideas_demo.build,
    leadership_demo.build,  # before Learn: the Leader certificate's evidence includes its round
    strategy_demo.build,  # after Measure and Improve: goals name their measures and projects
    learning_demo.build,
]

DEMO_PASSWORD = "champion-demo"
DEMO_SIGN_INS = [
    ("member@riverside.example", "a frontline nurse on Ward 7"),
    ("leader@riverside.example", "the ward manager who leads Ward 7"),
    ("executive@riverside.example", "the chief nurse, who leads the whole system"),
    ("coach@riverside.example", "a PI coach for the whole system"),
    ("admin@riverside.example", "the organisation's administrator"),
]


def load_demo(*, verbose: bool = False) -> None:
    with audit.acting_as(None), transaction.atomic():
        org = None
        for builder in BUILDERS:
            org = builder(org)
    if verbose:
        print(
            f"Demo organisation ready: {org}. Sign in with any of these (password {DEMO_PASSWORD}):"
        )
        for email, who in DEMO_SIGN_INS:
            print(f"  {email:32} {who}")
