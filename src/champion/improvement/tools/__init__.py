"""Project tools: what each holds (`kinds`), how it is drawn (`svg`, Pareto via champion.charts)
and how it is exported (CSV, JSON, SVG; PDF through the print template).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from champion import charts, spc
from champion.core.csv import write_csv
from champion.improvement.tools import svg
from champion.improvement.tools.kinds import SPECS, STANCE_ORDER, spec_for
from champion.improvement.tools.spec import Field, ToolSpec

if TYPE_CHECKING:
    from champion.improvement.models import Project, Tool

__all__ = [
    "SPECS",
    "Field",
    "ToolSpec",
    "driver_tree",
    "export_csv",
    "export_json",
    "picture_svg",
    "spec_for",
]


def pareto_chart_spec(tool: Tool) -> dict[str, Any]:
    """The Vega-Lite spec of a Pareto tool: spc.pareto does the sums, charts draws them."""
    rows = [r for r in tool.rows if r.get("category")]
    result = spc.pareto([r["category"] for r in rows], [r.get("count") or 0 for r in rows])
    header = tool.header
    return charts.pareto_spec(
        result,
        title=header.get("measure") or tool.title,
        subtitle=header.get("period") or None,
        width=640,
    )


def pareto_summary(tool: Tool) -> dict[str, Any] | None:
    rows = [r for r in tool.rows if r.get("category")]
    if not rows or not sum(r.get("count") or 0 for r in rows):
        return None
    result = spc.pareto([r["category"] for r in rows], [r.get("count") or 0 for r in rows])
    table = list(
        zip(
            result.categories, result.counts, result.percent, result.cumulative_percent, strict=True
        )
    )
    return {"table": table, "vital_few": list(result.vital_few), "total": result.total}


def picture_svg(tool: Tool) -> str | None:
    """The tool's picture as SVG text, for kinds that are drawn (None for tables)."""
    header, rows = tool.header, tool.rows
    ident = f"tool-{tool.pk}"
    if tool.kind == "fishbone":
        return svg.fishbone_svg(header.get("effect") or tool.title, rows, ident)
    if tool.kind == "process_map":
        return svg.process_map_svg(header.get("process") or tool.title, rows, ident)
    if tool.kind == "stakeholders":
        return svg.commitment_svg(rows, ident) if rows else None
    if tool.kind == "pareto":
        if pareto_summary(tool) is None:
            return None
        data = charts.export(pareto_chart_spec(tool), "svg").decode()
        return data
    return None


def driver_tree(project: Project, *, link_cycles: bool = True) -> list[svg.Node]:
    """The project's drivers and change ideas as nodes for `svg.driver_svg`."""
    from django.db.models import Count, Max
    from django.urls import reverse

    drivers = list(project.drivers.all())
    ideas = list(
        project.change_ideas.annotate(n_cycles=Count("cycles"), latest=Max("cycles__pk")).order_by(
            "order", "pk"
        )
    )
    by_driver: dict[int | None, list[Any]] = {}
    for idea in ideas:
        by_driver.setdefault(idea.driver_id, []).append(idea)

    def idea_node(idea: Any) -> svg.Node:
        note = (
            f"{idea.n_cycles} PDSA cycle{'s' if idea.n_cycles != 1 else ''}"
            if idea.n_cycles
            else "Not tested yet"
        )
        # A tested change idea links to its latest cycle, so the diagram leads into the ramp.
        href = (
            reverse("improvement:cycle", args=[idea.latest]) if link_cycles and idea.latest else ""
        )
        return svg.Node(idea.text, note=note, href=href)

    primaries = []
    for primary in (d for d in drivers if d.parent_id is None):
        children = []
        for secondary in (d for d in drivers if d.parent_id == primary.pk):
            children.append(
                svg.Node(secondary.text, [idea_node(i) for i in by_driver.get(secondary.pk, [])])
            )
        # Change ideas hung straight on a primary driver sit under an unnamed secondary slot.
        direct = by_driver.get(primary.pk, [])
        if direct:
            children.append(svg.Node("(directly)", [idea_node(i) for i in direct]))
        primaries.append(svg.Node(primary.text, children))
    return primaries


def export_rows(tool: Tool) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    spec = spec_for(tool.kind)
    return spec.export_columns(), spec.table(tool.data)


def export_csv(tool: Tool) -> str:
    columns, rows = export_rows(tool)
    return write_csv(
        [label for _, label in columns], ([row.get(name) for name, _ in columns] for row in rows)
    )


def export_json(tool: Tool) -> str:
    spec = spec_for(tool.kind)
    return json.dumps(
        {
            "project": tool.project.title,
            "tool": spec.name,
            "kind": tool.kind,
            "title": tool.title,
            "version": tool.version,
            "header": tool.header,
            "rows": spec.table(tool.data),
        },
        indent=2,
        ensure_ascii=False,
    )


def stakeholder_moves(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each stakeholder with how far they must move (positive: towards support)."""
    out = []
    for row in rows:
        now = STANCE_ORDER.index(row["current"]) if row.get("current") in STANCE_ORDER else 0
        needed = STANCE_ORDER.index(row["desired"]) if row.get("desired") in STANCE_ORDER else 0
        out.append({**row, "gap": needed - now})
    return out
