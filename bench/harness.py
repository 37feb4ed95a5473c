"""The bench harness: a registry of sections, timing helpers and the report table.

A section is a function that takes a :class:`Context` and returns one or more
:class:`Table`. Register it with ``@section("key", "Title")`` in a module under
``bench/sections/``; ``bench/run.py`` imports every such module, so a new
feature (importing a 1,000,000-row event file, a board of 500 measures) adds a
file there and nothing else.

Budgets are judged on *ratios measured in the same run* (or on a fixed amount
of work against a stated time on one core), never as pass/fail tests: wall
time on a shared machine is evidence, not a unit test.
"""

from __future__ import annotations

import statistics
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Budget:
    """One budget of SPC.md and whether this run met it."""

    name: str
    measured: str
    budget: str
    met: bool | None  # None: could not be judged in this run


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        cells = [[str(h) for h in self.headers]] + [[str(c) for c in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.headers))]

        def line(row: Sequence[str]) -> str:
            # First column left-aligned (a label), the rest right-aligned (numbers).
            parts = [row[0].ljust(widths[0])] + [
                c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
            ]
            return "  ".join(parts).rstrip()

        out = [self.title, "-" * len(self.title), line(cells[0])]
        out += [line(r) for r in cells[1:]]
        out += [f"  {n}" for n in self.notes]
        return "\n".join(out)


@dataclass
class Context:
    quick: bool = False
    peer_timeout: float = 60.0
    skip_peers: bool = False
    reinstall_peers: bool = False
    budgets: list[Budget] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)  # results one section leaves for another

    def budget(self, name: str, measured: str, budget: str, met: bool | None) -> None:
        self.budgets.append(Budget(name, measured, budget, met))


@dataclass
class Section:
    key: str
    title: str
    run: Callable[[Context], list[Table]]


SECTIONS: dict[str, Section] = {}


def section(
    key: str, title: str
) -> Callable[[Callable[[Context], list[Table]]], Callable[..., Any]]:
    """Register a bench section under ``key`` (sections run in registration order)."""

    def register(fn: Callable[[Context], list[Table]]) -> Callable[[Context], list[Table]]:
        if key in SECTIONS:
            raise ValueError(f"bench section {key!r} registered twice")
        SECTIONS[key] = Section(key, title, fn)
        return fn

    return register


def best_time(fn: Callable[[], Any], *, repeats: int = 5, min_batch: float = 0.05) -> float:
    """The fastest time of one call, in seconds, from ``repeats`` batches.

    The minimum, not the mean: on a shared machine the noise only ever adds
    time, so the minimum is the best estimate of the code's own cost.
    """
    timer = timeit.Timer(fn)
    loops = 1
    while True:
        elapsed = timer.timeit(loops)
        if elapsed >= min_batch or loops >= 1_000_000:
            break
        loops *= 10 if elapsed < min_batch / 10 else 2
    times = [elapsed / loops] + [
        t / loops for t in timer.repeat(repeat=max(0, repeats - 1), number=loops)
    ]
    return min(times)


def block_times(
    a: Callable[[], Any], b: Callable[[], Any], rounds: int, per_block: int = 3
) -> tuple[list[float], list[float]]:
    """Warm single-call times of ``a`` and ``b``: ``rounds`` blocks of ``per_block`` calls each.

    Blocks alternate (a a a, b b b, a a a, ...) so both see the same machine
    load, and only the calls after the first of a block are kept: each is a
    call that follows a call of the same function, with the memory allocator
    in that function's own steady state. Alternating single calls instead let
    one function's frees decide whether the other finds its memory still
    mapped (glibc trims the heap when enough of its top is free), which
    measures the pair as much as either function; the floor section reports
    that case on its own row.
    """
    if per_block < 2:
        raise ValueError("per_block must be at least 2 (the first call of a block is not kept)")
    clock = time.perf_counter
    ta: list[float] = []
    tb: list[float] = []
    for _ in range(rounds):
        for fn, times in ((a, ta), (b, tb)):
            for i in range(per_block):
                start = clock()
                fn()
                elapsed = clock() - start
                if i:
                    times.append(elapsed)
    return ta, tb


def minor_faults() -> int | None:
    """Minor page faults of this process so far (None where the platform does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_size(n: int) -> str:
    return f"{n:,}"


def fmt_ratio(r: float | None, *, lower_bound: bool = False) -> str:
    if r is None:
        return "-"
    return (
        f"{'>' if lower_bound else ''}{r:,.1f}x"
        if r < 100
        else f"{'>' if lower_bound else ''}{r:,.0f}x"
    )
