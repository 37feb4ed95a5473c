"""The X-matrix of an area and a year: breakthrough objectives (south), annual goals (west),
improvement projects (north), metrics with their targets (east) and the owners of the projects
(far east), with a dot where two items are correlated.

The four corners:

- annual goal × breakthrough objective: the goal serves that objective (strong);
- annual goal × project: the project serves the goal (`GoalProject`, strong or weak);
- project × metric: the project tracks the metric's measure in its own family of measures
  (strong), or serves the goal the metric belongs to without tracking it (weak);
- metric × breakthrough objective: the metric's goal serves that objective (strong);

and project × owner: the project's lead (strong) or sponsor (weak).

`x_matrix(user, area, year)` reads a fixed number of queries (Improve through its services),
whatever the size of the area. The drawing shows at most `MAX_ITEMS` of each kind (the page
says how many more there are and offers the table and a narrower unit). `svg(matrix)` draws it
on the server; the page puts the same content in a table for phones and screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from champion.improvement.services import Project, ProjectMember
from champion.leadership.strategy.models import GoalProject, GoalStatus, Level, Objective

MAX_ITEMS = 12

INK, LINE, SOFT, BRAND = "#1f2937", "#94a3b8", "#f1f5f9", "#1e3a8a"


@dataclass
class Item:
    code: str
    title: str
    url: str = ""
    detail: str = ""  # owner, target...


@dataclass
class XMatrix:
    year: int
    breakthroughs: list[Item] = field(default_factory=list)
    annual: list[Item] = field(default_factory=list)
    projects: list[Item] = field(default_factory=list)
    metrics: list[Item] = field(default_factory=list)
    owners: list[Item] = field(default_factory=list)
    #: (code, code) -> "strong" | "weak", each pair once, in the order the corner names them.
    marks: dict[tuple[str, str], str] = field(default_factory=dict)
    more: dict[str, int] = field(default_factory=dict)  # kind -> how many are not drawn
    metric_of: dict[str, str] = field(default_factory=dict)  # annual goal code -> metric code

    @property
    def empty(self) -> bool:
        return not (self.breakthroughs or self.annual)

    def mark(self, a: str, b: str) -> str:
        return self.marks.get((a, b)) or self.marks.get((b, a)) or ""

    def rows(self) -> list[dict[str, Any]]:
        """The table view: each annual goal with what it serves, its metric, projects, owners."""
        out = []
        for a in self.annual:
            out.append(
                {
                    "goal": a,
                    "serves": [b for b in self.breakthroughs if self.mark(a.code, b.code)],
                    "metrics": [m for m in self.metrics if self.metric_of.get(a.code) == m.code],
                    "projects": [
                        (p, self.mark(a.code, p.code))
                        for p in self.projects
                        if self.mark(a.code, p.code)
                    ],
                }
            )
        return out

    def owner_rows(self) -> list[tuple[Item, list[tuple[Item, str]]]]:
        """Each owner with the projects they lead (strong) or sponsor (weak)."""
        return [
            (
                o,
                [
                    (p, "leads" if self.mark(p.code, o.code) == "strong" else "sponsors")
                    for p in self.projects
                    if self.mark(p.code, o.code)
                ],
            )
            for o in self.owners
        ]


def _capped(items: list[Any], kind: str, more: dict[str, int]) -> list[Any]:
    if len(items) > MAX_ITEMS:
        more[kind] = len(items) - MAX_ITEMS
    return items[:MAX_ITEMS]


def x_matrix(user: Any, area: Any, year: int) -> XMatrix:
    """The X-matrix of the accepted goals of `year` in `area` (a `leadership.permissions.Area`)."""
    x = XMatrix(year)
    visible = Objective.objects.visible_to(user)
    goals = _capped(
        list(
            visible.annual()
            .filter(area.within(), year=year, status=GoalStatus.ACCEPTED)
            .select_related("owner", "measure", "unit")
            .order_by("parent__title", "unit__path", "title", "pk")[: MAX_ITEMS + 50]
        ),
        "annual",
        x.more,
    )
    parent_ids = {g.parent_id for g in goals}
    breakthroughs = list(
        visible.filter(level=Level.BREAKTHROUGH)
        .order_by("title", "pk")
        .select_related("owner")[: MAX_ITEMS * 4]
    )
    # The objectives this area's goals serve first, then the rest of the organisation's.
    breakthroughs.sort(key=lambda b: (b.pk not in parent_ids, b.title))
    breakthroughs = _capped(breakthroughs, "breakthroughs", x.more)
    b_code = {b.pk: f"B{i}" for i, b in enumerate(breakthroughs, 1)}
    x.breakthroughs = [
        Item(
            b_code[b.pk],
            b.title,
            b.get_absolute_url(),
            f"by {b.year}" if b.year else "",
        )
        for b in breakthroughs
    ]
    a_code = {g.pk: f"A{i}" for i, g in enumerate(goals, 1)}
    x.annual = [Item(a_code[g.pk], g.title, g.get_absolute_url(), _owner_line(g)) for g in goals]
    metric_of: dict[int, str] = {}
    for g in goals:
        if g.measure is not None:
            code = f"M{len(x.metrics) + 1}"
            metric_of[g.pk] = code
            x.metric_of[a_code[g.pk]] = code
            target = f"{g.target:g}" if g.target is not None else "no target set"
            arrow = "↓" if g.direction == "down" else "↑"
            x.metrics.append(
                Item(code, g.measure.name, g.get_absolute_url(), f"{arrow} target {target}")
            )
    for g in goals:
        if g.parent_id in b_code:
            x.marks[(a_code[g.pk], b_code[g.parent_id])] = "strong"
            if g.pk in metric_of:
                x.marks[(metric_of[g.pk], b_code[g.parent_id])] = "strong"

    links = list(
        GoalProject.objects.filter(
            objective__in=[g.pk for g in goals], project__in=Project.objects.visible_to(user)
        )
        .select_related("project")
        .order_by("project__title", "project_id")
    )
    projects: dict[int, Any] = {}
    for link in links:
        projects.setdefault(link.project_id, link.project)
    chosen = _capped(list(projects.values()), "projects", x.more)
    p_code = {p.pk: f"P{i}" for i, p in enumerate(chosen, 1)}
    for link in links:
        if link.project_id in p_code:
            x.marks[(a_code[link.objective_id], p_code[link.project_id])] = link.strength
    tracked = set(
        Project.objects.filter(pk__in=list(p_code), measure_links__isnull=False).values_list(
            "pk", "measure_links__measure_id"
        )
    )
    goal_of_metric = {metric_of[g.pk]: g for g in goals if g.pk in metric_of}
    served = {(link.project_id, link.objective_id) for link in links}
    for code, g in goal_of_metric.items():
        for pk, pc in p_code.items():
            if (pk, g.measure_id) in tracked:
                x.marks[(pc, code)] = "strong"
            elif (pk, g.pk) in served:
                x.marks[(pc, code)] = "weak"

    people: dict[int, Any] = {}
    roles: list[tuple[int, int, str]] = []
    for m in (
        ProjectMember.objects.filter(project__in=list(p_code), role__in=["lead", "sponsor"])
        .select_related("user")
        .order_by("user__full_name", "user_id")
    ):
        people.setdefault(m.user_id, m.user)
        roles.append((m.project_id, m.user_id, m.role))
    owners = _capped(list(people.values()), "owners", x.more)
    o_code = {u.pk: f"O{i}" for i, u in enumerate(owners, 1)}
    x.owners = [Item(o_code[u.pk], str(u)) for u in owners]
    x.projects = [
        Item(p_code[p.pk], p.title, p.get_absolute_url(), p.get_status_display()) for p in chosen
    ]
    for project_id, user_id, role in roles:
        if user_id in o_code:
            key = (p_code[project_id], o_code[user_id])
            if role == "lead" or key not in x.marks:
                x.marks[key] = "strong" if role == "lead" else "weak"
    return x


def _owner_line(g: Objective) -> str:
    return f"{g.unit.name}, owner {g.owner}" if g.owner else f"{g.unit.name}, no owner yet"


# Drawing -----------------------------------------------------------------------------------

CELL = 28
CENTRE = 168
MARGIN = 12
LINE_H = 19


def _text(x: float, y: float, s: str, **attrs: Any) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(s)}</text>'


def _dot(x: float, y: float, strength: str) -> str:
    if strength == "strong":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="7" fill="{BRAND}"/>'
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#ffffff" stroke="{BRAND}" '
        'stroke-width="2"/>'
    )


def _grid(x0: float, y0: float, cols: int, rows: int) -> list[str]:
    parts = [
        f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{cols * CELL}" height="{rows * CELL}" '
        f'fill="#ffffff" stroke="{LINE}"/>'
    ]
    for i in range(1, cols):
        x = x0 + i * CELL
        parts.append(
            f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y0 + rows * CELL:.1f}" '
            f'stroke="{LINE}"/>'
        )
    for j in range(1, rows):
        y = y0 + j * CELL
        parts.append(
            f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x0 + cols * CELL:.1f}" y2="{y:.1f}" '
            f'stroke="{LINE}"/>'
        )
    return parts


def _short(s: str, n: int = 64) -> str:
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def svg(x: XMatrix, ident: str = "xmatrix") -> str:
    """The X-matrix drawn as SVG, with a key of every code below it."""
    a, p, m, b = (max(len(v), 1) for v in (x.annual, x.projects, x.metrics, x.breakthroughs))
    left, right, top, bottom = a * CELL, m * CELL, p * CELL, b * CELL
    owners_w = (len(x.owners) * CELL + 10) if x.owners else 0
    head = 26  # room for the owners' codes above their grid
    cx0, cy0 = MARGIN + left, MARGIN + head + top  # the centre square's corner
    rx0 = cx0 + CENTRE
    by0 = cy0 + CENTRE
    drawing_w = rx0 + right + owners_w + MARGIN
    key = [
        ("Breakthrough objectives", x.breakthroughs),
        ("Annual goals", x.annual),
        ("Improvement projects", x.projects),
        ("Metrics and targets", x.metrics),
        ("Owners", x.owners),
    ]
    key_lines = sum(1 + len(items) for _, items in key if items) + 2
    longest = max(
        (
            len(f"{i.code}  {_short(i.title)} ({_short(i.detail, 40)})")
            for _, its in key
            for i in its
        ),
        default=0,
    )
    width = max(drawing_w, longest * 7.4 + 2 * MARGIN + 8, 320)
    height = by0 + bottom + 24 + key_lines * LINE_H + MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="{ident}-t '
        f'{ident}-d" font-family="system-ui, sans-serif" font-size="13" fill="{INK}">',
        f'<title id="{ident}-t">X-matrix for {x.year}</title>',
        f'<desc id="{ident}-d">{len(x.breakthroughs)} breakthrough objectives, '
        f"{len(x.annual)} annual goals, {len(x.projects)} projects, {len(x.metrics)} metrics "
        f"and {len(x.owners)} owners; filled dots mark strong links and rings weak ones. "
        "The table on the page lists the same links.</desc>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    # The centre square and its X.
    out += [
        f'<rect x="{cx0}" y="{cy0}" width="{CENTRE}" height="{CENTRE}" fill="{SOFT}" '
        f'stroke="{INK}" stroke-width="2"/>',
        f'<line x1="{cx0}" y1="{cy0}" x2="{rx0}" y2="{by0}" stroke="{INK}" stroke-width="2"/>',
        f'<line x1="{rx0}" y1="{cy0}" x2="{cx0}" y2="{by0}" stroke="{INK}" stroke-width="2"/>',
        _text(cx0 + CENTRE / 2, cy0 + 34, "Projects", text_anchor="middle", font_weight="bold"),
        _text(cx0 + CENTRE / 2, by0 - 24, "Breakthrough", text_anchor="middle", font_weight="bold"),
        _text(cx0 + 8, cy0 + CENTRE / 2 + 4, "Annual", font_weight="bold"),
        _text(rx0 - 8, cy0 + CENTRE / 2 + 4, "Metrics", text_anchor="end", font_weight="bold"),
    ]
    # Corner grids.
    out += _grid(MARGIN, MARGIN + head, a, p)  # annual x projects
    out += _grid(rx0, MARGIN + head, m, p)  # metrics x projects
    out += _grid(MARGIN, by0, a, b)  # annual x breakthrough
    out += _grid(rx0, by0, m, b)  # metrics x breakthrough
    if x.owners:
        out += _grid(rx0 + right + 10, MARGIN + head, len(x.owners), p)

    def col(x0: float, i: int) -> float:
        return x0 + (i + 0.5) * CELL

    def row(y0: float, j: int) -> float:
        return y0 + (j + 0.5) * CELL

    # Codes: columns along the centre's middle, rows along its middle column.
    mid_y = cy0 + CENTRE / 2 + 4
    for i, item in enumerate(x.annual):
        out.append(_text(col(MARGIN, i), mid_y + 40, item.code, text_anchor="middle"))
    for i, item in enumerate(x.metrics):
        out.append(_text(col(rx0, i), mid_y + 40, item.code, text_anchor="middle"))
    for j, item in enumerate(x.projects):
        out.append(
            _text(cx0 + CENTRE / 2, row(MARGIN + head, j) + 4, item.code, text_anchor="middle")
        )
    for j, item in enumerate(x.breakthroughs):
        out.append(_text(cx0 + CENTRE / 2, row(by0, j) + 4, item.code, text_anchor="middle"))
    for i, item in enumerate(x.owners):
        out.append(
            _text(col(rx0 + right + 10, i), MARGIN + head - 8, item.code, text_anchor="middle")
        )
    # Dots.
    pos_a = {it.code: i for i, it in enumerate(x.annual)}
    pos_m = {it.code: i for i, it in enumerate(x.metrics)}
    pos_p = {it.code: j for j, it in enumerate(x.projects)}
    pos_b = {it.code: j for j, it in enumerate(x.breakthroughs)}
    pos_o = {it.code: i for i, it in enumerate(x.owners)}
    for (c1, c2), strength in sorted(x.marks.items()):
        if c1 in pos_a and c2 in pos_p:
            out.append(_dot(col(MARGIN, pos_a[c1]), row(MARGIN + head, pos_p[c2]), strength))
        elif c1 in pos_a and c2 in pos_b:
            out.append(_dot(col(MARGIN, pos_a[c1]), row(by0, pos_b[c2]), strength))
        elif c1 in pos_p and c2 in pos_m:
            out.append(_dot(col(rx0, pos_m[c2]), row(MARGIN + head, pos_p[c1]), strength))
        elif c1 in pos_m and c2 in pos_b:
            out.append(_dot(col(rx0, pos_m[c1]), row(by0, pos_b[c2]), strength))
        elif c1 in pos_p and c2 in pos_o:
            out.append(
                _dot(col(rx0 + right + 10, pos_o[c2]), row(MARGIN + head, pos_p[c1]), strength)
            )
    # Key.
    y: float = by0 + bottom + 30
    out.append(_dot(MARGIN + 8, y - 4, "strong"))
    out.append(_text(MARGIN + 22, y, "strong link"))
    out.append(_dot(MARGIN + 130, y - 4, "weak"))
    out.append(_text(MARGIN + 144, y, "weak link"))
    y += LINE_H * 1.5
    for heading, items in key:
        if not items:
            continue
        out.append(_text(MARGIN, y, heading, font_weight="bold"))
        y += LINE_H
        for item in items:
            line = f"{item.code}  {_short(item.title)}" + (
                f" ({_short(item.detail, 40)})" if item.detail else ""
            )
            out.append(_text(MARGIN + 8, y, line))
            y += LINE_H
    out.append("</svg>")
    return "".join(out)
