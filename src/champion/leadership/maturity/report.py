"""A finished round's report: the consensus profile, strengths, opportunities, the spread of
individual answers, the change since the unit's previous round, and what to try next.

Rules, stated once here and on the page:
- a **strength** is a component the group placed at advancing or approaching;
- an **opportunity** is one at beginning or developing (lowest first, then widest spread);
- the **spread** counts the stages chosen in the answers people *sent* (drafts never count);
  it is **wide** when answers differ by two stages or more;
- the **change** compares each component's consensus with the unit's previous finished round.
Four queries, however many people answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from champion.leadership.maturity.framework import Component, Framework, Suggestion
from champion.leadership.models import Answer, Assessment, Perspective, Stage

#: Frontline answers are shown apart from the leaders' only from this many frontline people.
MIN_FRONTLINE_SHOWN = 3


@dataclass
class Spread:
    counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # per stage 1-4
    frontline: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    notes: list[str] = field(default_factory=list)

    def add(self, stage: int, perspective: str, note: str) -> None:
        self.counts[stage - 1] += 1
        if perspective == Perspective.FRONTLINE:
            self.frontline[stage - 1] += 1
        if note:
            self.notes.append(note)

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def low(self) -> int | None:
        return next((i + 1 for i, c in enumerate(self.counts) if c), None)

    @property
    def high(self) -> int | None:
        return next((4 - i for i, c in enumerate(reversed(self.counts)) if c), None)

    @property
    def width(self) -> int:
        return (self.high - self.low) if self.n else 0  # type: ignore[operator]

    @property
    def wide(self) -> bool:
        return self.width >= 2

    @property
    def leaders(self) -> list[int]:
        return [a - f for a, f in zip(self.counts, self.frontline, strict=True)]

    @property
    def has_frontline(self) -> bool:
        return any(self.frontline)

    def columns(self) -> list[tuple[int, str, int, int, int]]:
        """(stage, stage name, answers, of which frontline, percent of answers) per stage."""
        names = [s.label for s in Stage]
        return [
            (i + 1, names[i], c, f, round(100 * c / self.n) if self.n else 0)
            for i, (c, f) in enumerate(zip(self.counts, self.frontline, strict=True))
        ]

    @property
    def label(self) -> str:
        """The spread in words, for screen readers and print."""
        if not self.n:
            return "No answers sent."
        parts = [f"{name} {c}" for _, name, c, _, _ in self.columns() if c]
        text = f"{self.n} answer{'s' if self.n != 1 else ''}: " + ", ".join(parts)
        if self.has_frontline:
            front = [f"{name} {f}" for _, name, _, f, _ in self.columns() if f]
            text += " (frontline: " + ", ".join(front) + ")"
        return text + "."


@dataclass
class Row:
    component: Component
    stage: int | None  # the consensus (None while it is being agreed)
    note: str
    spread: Spread
    previous: int | None = None

    @property
    def stage_name(self) -> str:
        return Stage(self.stage).label if self.stage else ""

    @property
    def change(self) -> int | None:
        if self.stage is None or self.previous is None:
            return None
        return self.stage - self.previous

    @property
    def change_size(self) -> int:
        return abs(self.change or 0)

    @property
    def next_stage(self) -> str:
        """What the next stage looks like, in the framework's words (empty at the top)."""
        if not self.stage or self.stage >= Stage.APPROACHING:
            return ""
        return self.component.stage(self.stage + 1).text

    @property
    def next_steps(self) -> tuple[Suggestion, ...]:
        return self.component.stage(self.stage).tries if self.stage else ()


@dataclass
class Report:
    assessment: Assessment
    framework: Framework
    rows: list[Row]
    previous: Assessment | None
    participants: int  # people who sent their answers
    frontline: int
    frontline_shown: bool = True  # frontline answers shown apart (enough of them to be anonymous)

    def domains(self) -> list[tuple[str, list[Row]]]:
        grouped: dict[str, list[Row]] = {}
        for row in self.rows:
            grouped.setdefault(row.component.domain_name, []).append(row)
        return list(grouped.items())

    @property
    def strengths(self) -> list[Row]:
        return sorted(
            (r for r in self.rows if r.stage and r.stage >= Stage.ADVANCING),
            key=lambda r: (-(r.stage or 0), r.spread.width),
        )

    @property
    def opportunities(self) -> list[Row]:
        return sorted(
            (r for r in self.rows if r.stage and r.stage <= Stage.DEVELOPING),
            key=lambda r: (r.stage or 0, -r.spread.width),
        )

    @property
    def wide(self) -> list[Row]:
        return [r for r in self.rows if r.spread.wide]

    @property
    def by_stage(self) -> list[tuple[str, int]]:
        counts = [0, 0, 0, 0]
        for r in self.rows:
            if r.stage:
                counts[r.stage - 1] += 1
        return list(zip(self.framework.stage_names, counts, strict=True))

    @property
    def changes(self) -> dict[str, int]:
        moved = [r.change for r in self.rows if r.change is not None]
        return {
            "up": sum(1 for c in moved if c > 0),
            "same": sum(1 for c in moved if c == 0),
            "down": sum(1 for c in moved if c < 0),
        }


def build(assessment: Assessment, *, with_previous: bool = True) -> Report:
    """The report (or, before the round finishes, the spread beside any consensus so far)."""
    fw = assessment.framework
    spreads = {c.key: Spread() for c in fw.components}
    sent = Answer.objects.filter(
        participant__assessment=assessment, participant__submitted_at__isnull=False
    ).values_list("component", "stage", "note", "participant__perspective", "participant_id")
    rows_sent = list(sent.order_by("pk"))
    people: dict[int, str] = {p: perspective for _, _, _, perspective, p in rows_sent}
    frontline = sum(1 for p in people.values() if p == Perspective.FRONTLINE)
    # Frontline answers are shown apart only when enough frontline staff answered that
    # no one's answer can be picked out; otherwise they count in the totals only.
    split = frontline >= MIN_FRONTLINE_SHOWN
    for component, stage, note, perspective, _ in rows_sent:
        if component in spreads:
            spreads[component].add(stage, perspective if split else Perspective.LEADER, note)
    agreed = {c.component: c for c in assessment.consensus.all()}
    previous = assessment.previous() if with_previous else None
    before = (
        dict(previous.consensus.values_list("component", "stage")) if previous is not None else {}
    )
    rows = [
        Row(
            component=c,
            stage=agreed[c.key].stage if c.key in agreed else None,
            note=agreed[c.key].note if c.key in agreed else "",
            spread=spreads[c.key],
            previous=before.get(c.key),
        )
        for c in fw.components
    ]
    return Report(
        assessment=assessment,
        framework=fw,
        rows=rows,
        previous=previous,
        participants=len(people),
        frontline=frontline,
        frontline_shown=split,
    )


def profile(assessment: Assessment) -> list[tuple[Component, int | None]]:
    """Each component the round asked with its consensus stage (one query): for the Lead
    overview's card."""
    agreed = dict(assessment.consensus.values_list("component", "stage"))
    return [(c, agreed.get(c.key)) for c in assessment.framework.components]
