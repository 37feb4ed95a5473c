"""The seam between projects and the Measure app: a project's family of measures and the
PDSA annotations on their charts.

Everything the improvement app needs from Measure goes through these functions, so the
link is one small module: until the Measure app is installed they report "no measures"
and do nothing.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps


def measures_available() -> bool:
    return apps.is_installed("champion.measures")


def project_measures(project: Any) -> list[Any]:
    """The project's family of measures (outcome, process, balancing); empty without Measure."""
    return []


def annotate_cycle_start(cycle: Any) -> int:
    """Mark the cycle's start date on each of its project's measures; returns how many.

    Called when a cycle moves from Plan to Do. Without the Measure app, nothing to mark.
    """
    return 0
