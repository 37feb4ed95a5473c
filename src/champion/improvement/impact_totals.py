"""Impact summed across projects: what a leader's area has to show for its improvement work.

Only confirmed results count (a level change the engine confirmed against the level before
it, `measures.impact`): each project's first outcome measure, as its last refresh stored it
(`measures_link.impacts`: one query for every project). Results are grouped by what was
measured (the shared definition when the measure follows one, else its unit of measure and
name) and direction, and by unit, topic and method: "falls per 1,000 bed-days down 2.1 on
average on 4 wards". Levels of different units are averaged, never added as if they were
one rate; the sum is shown beside it for what it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from champion.charts import format_number
from champion.improvement.measures_link import ProjectImpact, impacts
from champion.improvement.models import MeasureRole, Project, ProjectMeasure


@dataclass
class Group:
    """Confirmed results sharing a key (a measure, a unit, a topic or a method)."""

    key: str
    label: str
    direction: str
    meaning: str
    differences: list[float] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    unit_kinds: set[str] = field(default_factory=set)
    projects: list[Any] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(self.differences)

    @property
    def mean(self) -> float:
        return self.total / len(self.differences) if self.differences else 0.0

    @property
    def where(self) -> str:
        count = len(self.units)
        kind = next(iter(self.unit_kinds)) if len(self.unit_kinds) == 1 else "unit"
        return f"{count} {kind}{'' if count == 1 else 's'}"

    @property
    def sentence(self) -> str:
        """ "falls per 1,000 bed-days down 2.1 on average on 4 wards (8.4 summed)"."""
        size = format_number(abs(self.mean))
        text = f"{self.label} {self.direction} {size}"
        if len(self.differences) > 1:
            text += f" on average on {self.where} ({format_number(abs(self.total))} summed)"
        else:
            text += f" on {self.where}"
        return text


@dataclass
class ImpactTotals:
    by_measure: list[Group]
    by_unit: dict[str, list[Group]]
    by_topic: dict[str, list[Group]]
    by_method: dict[str, list[Group]]
    confirmed: int
    improvements: int
    deteriorations: int
    without: int  # projects with no confirmed result (no phase, too few points, unconfirmed)


def _label(found: ProjectImpact) -> tuple[str, str]:
    m: Any = found.measure
    shared = getattr(m, "shared", None)
    if shared is not None:
        return f"shared:{shared.pk}", _named(shared.name, shared.unit_label)
    return f"{m.name}|{m.unit_label}", _named(m.name, m.unit_label)


def _named(name: str, unit_label: str) -> str:
    """What was measured, as a sentence starts: "falls per 1,000 bed-days" when the name
    already says it, else the name with its unit ("Discharges before noon (%)")."""
    if unit_label and unit_label.lower() in name.lower():
        return name
    return f"{name} ({unit_label})" if unit_label else name


def _add(
    groups: dict[tuple[str, str], Group], key: str, label: str, p: Any, f: ProjectImpact
) -> None:
    i = f.impact
    assert i is not None and i.difference is not None
    group = groups.setdefault((key, i.direction), Group(key, label, i.direction, i.meaning))
    group.differences.append(i.difference)
    group.units.add(p.unit.name)
    group.unit_kinds.add(p.unit.get_kind_display().lower())
    group.projects.append(p)


def impact_totals(projects: Iterable[Project]) -> ImpactTotals:
    """Group the confirmed results of `projects` (a list or a queryset already narrowed by the
    caller: the area and `visible_to`). Three queries whatever the number of projects: with a
    queryset, the projects are counted in the database and only those with an outcome
    measure (the only ones that can have a result) are read as rows."""
    if isinstance(projects, QuerySet):
        total = projects.count()
        outcomes = ProjectMeasure.objects.filter(role=MeasureRole.OUTCOME).values("project_id")
        projects = list(projects.filter(pk__in=outcomes))
    else:
        projects = list(projects)
        total = len(projects)
    found = impacts(projects)
    measures: dict[tuple[str, str], Group] = {}
    units: dict[str, dict[tuple[str, str], Group]] = {}
    topics: dict[str, dict[tuple[str, str], Group]] = {}
    methods: dict[str, dict[tuple[str, str], Group]] = {}
    improvements = deteriorations = 0
    for p in projects:
        f = found.get(p.pk)
        if f is None or not f.confirmed:
            continue
        assert f.impact is not None
        if f.impact.meaning == "improvement":
            improvements += 1
        elif f.impact.meaning == "deterioration":
            deteriorations += 1
        key, label = _label(f)
        _add(measures, key, label, p, f)
        _add(units.setdefault(p.unit.name, {}), key, label, p, f)
        for topic in {t.strip().lower() for t in p.topic.split(",") if t.strip()}:
            _add(topics.setdefault(topic, {}), key, label, p, f)
        _add(methods.setdefault(p.get_method_display(), {}), key, label, p, f)
    confirmed = sum(len(g.differences) for g in measures.values())

    def ordered(groups: dict[tuple[str, str], Group]) -> list[Group]:
        return sorted(groups.values(), key=lambda g: (-len(g.units), g.label))

    return ImpactTotals(
        by_measure=ordered(measures),
        by_unit={k: ordered(v) for k, v in sorted(units.items())},
        by_topic={k: ordered(v) for k, v in sorted(topics.items())},
        by_method={k: ordered(v) for k, v in sorted(methods.items())},
        confirmed=confirmed,
        improvements=improvements,
        deteriorations=deteriorations,
        without=total - confirmed,
    )
