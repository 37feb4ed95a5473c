"""Each component's agreed stage across a unit's finished rounds, as a table and small charts.

Two queries however many rounds and components: the rounds, then their consensus rows. The
charts are SVG drawn here on the server (one small line per component, stage 1-4 up the side,
rounds along the bottom); the table beside them carries the same numbers for screen readers
and print, so each chart is `aria-hidden`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from champion.leadership.maturity.framework import Component, framework
from champion.leadership.models import Assessment, Consensus, Stage

#: Most rounds shown (the latest ones).
MAX_ROUNDS = 6

_W, _H, _PAD = 140, 44, 6


@dataclass
class TrendRow:
    component: Component
    stages: list[int | None]  # one per round, oldest first

    @property
    def change(self) -> int | None:
        """Latest stage minus the first assessed one (None with fewer than two)."""
        known = [s for s in self.stages if s]
        return known[-1] - known[0] if len(known) >= 2 else None

    @property
    def change_size(self) -> int:
        return abs(self.change or 0)

    @property
    def names(self) -> list[str]:
        return [Stage(s).label if s else "" for s in self.stages]

    def svg(self) -> str:
        return sparkline(self.stages, title=self.component.name)


@dataclass
class Trend:
    rounds: list[Assessment]  # oldest first
    rows: list[TrendRow]

    @property
    def enough(self) -> bool:
        return len(self.rounds) >= 2


def history(unit_id: int, until: Assessment | None = None) -> Trend:
    """The unit's finished rounds (up to `until`, the latest `MAX_ROUNDS`), oldest first."""
    rounds_qs = Assessment.objects.finished().filter(unit_id=unit_id)
    if until is not None and until.finished_at is not None:
        rounds_qs = rounds_qs.filter(finished_at__lte=until.finished_at)
    rounds = list(rounds_qs.order_by("-finished_at", "-pk")[:MAX_ROUNDS])[::-1]
    agreed: dict[tuple[int, str], int] = {
        (a, c): s
        for a, c, s in Consensus.objects.filter(assessment__in=[r.pk for r in rounds]).values_list(
            "assessment_id", "component", "stage"
        )
    }
    # The latest round's components (a local unit's rounds leave out the board and executive);
    # a component an earlier round did not ask shows as a gap in its line.
    fw = rounds[-1].framework if rounds else framework()
    rows = [
        TrendRow(component=c, stages=[agreed.get((r.pk, c.key)) for r in rounds])
        for c in fw.components
    ]
    return Trend(rounds=rounds, rows=rows)


def _y(stage: int) -> float:
    return _H - _PAD - (stage - 1) * (_H - 2 * _PAD) / 3


def sparkline(stages: list[int | None], title: str = "") -> str:
    """A small line of stages 1-4 across rounds (gaps where a round did not assess it)."""
    n = len(stages)
    step = (_W - 2 * _PAD) / (n - 1) if n > 1 else 0
    xs = [_PAD + i * step if n > 1 else _W / 2 for i in range(n)]
    grid = "".join(
        f'<line x1="{_PAD}" x2="{_W - _PAD}" y1="{_y(s):.1f}" y2="{_y(s):.1f}" class="trend-grid"/>'
        for s in (1, 2, 3, 4)
    )
    segments: list[list[tuple[float, float]]] = [[]]
    for x, s in zip(xs, stages, strict=True):
        if s:
            segments[-1].append((x, _y(s)))
        elif segments[-1]:
            segments.append([])
    lines = "".join(
        '<polyline class="trend-line" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
        + '"/>'
        for seg in segments
        if len(seg) > 1
    )
    dots = "".join(
        f'<circle class="trend-dot stage-{s}" cx="{x:.1f}" cy="{_y(s):.1f}" r="3"/>'
        for x, s in zip(xs, stages, strict=True)
        if s
    )
    return (
        f'<svg class="trend" viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" '
        f'aria-hidden="true" focusable="false" data-component="{escape(title)}">'
        f"{grid}{lines}{dots}</svg>"
    )
