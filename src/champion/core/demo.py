"""The demo organisation: each app contributes its part, in order, idempotently.

`champion demo` (and `make run`) call `load_demo`. Each app's builder receives the
organisation and must itself be idempotent, so a second run changes nothing and is
fast; later features add their builders to `BUILDERS`.
"""

from __future__ import annotations

import importlib

from django.db import transaction

from champion.core import audit

#: "module:function" builders, run in this order.
BUILDERS = [
    "champion.accounts.demo:build",
    "champion.measures.demo:build",
    "champion.improvement.demo:build",
    "champion.improvement.ideas.demo:build",
    "champion.learning.demo:build",
    "champion.leadership.demo:build",
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
        for spec in BUILDERS:
            module_name, func_name = spec.split(":")
            builder = getattr(importlib.import_module(module_name), func_name)
            org = builder(org)
    if verbose:
        print(
            f"Demo organisation ready: {org}. Sign in with any of these (password {DEMO_PASSWORD}):"
        )
        for email, who in DEMO_SIGN_INS:
            print(f"  {email:32} {who}")
