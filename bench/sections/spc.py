"""The SPC engine's budgets (SPC.md, Budgets): floor ratio, peers, many series, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from harness import (
    ROOT,
    Context,
    Table,
    best_time,
    block_times,
    fmt_ratio,
    fmt_seconds,
    fmt_size,
    median,
    minor_faults,
    section,
)
from numpy_floor import floor_i_chart
from peer_env import PEERS, ensure_env, run_peer

from champion import spc

ALL_RULES = ("anhoej", "ihi", "western-electric", "nelson", "mdc")
FLOOR_BUDGET = 2.0
PEER_BUDGET = 50.0
MANY_BUDGET = 1.0
MEMORY_ARRAYS = 20
BENCH = ROOT / "bench"


def series(n: int, seed: int = 20251125) -> np.ndarray:
    """Normal noise around 100 with a sustained shift, so every rule has work to do."""
    rng = np.random.default_rng(seed)
    y = rng.normal(100.0, 10.0, n)
    y[n // 2 : n // 2 + max(1, n // 10)] += 8.0
    return y


def champion_i(y: np.ndarray) -> Any:
    return spc.analyze(y, chart="i", rules=ALL_RULES)


def _agrees(y: np.ndarray) -> str:
    """Whether the floor and the engine give the same numbers (a bench of wrong code is moot)."""
    f = floor_i_chart(y)
    a = champion_i(y)
    part = a.parts[0]
    same = (
        np.isclose(f["cl"], a.points["cl"][0])
        and np.isclose(f["ucl"], a.points["ucl"][0])
        and np.isclose(f["lcl"], a.points["lcl"][0])
        and f["n_outside"] == int(np.count_nonzero(a.points["sigma_signal"]))
        and f["longest_run"] == part["longest_run"]
        and f["n_crossings"] == part["n_crossings"]
    )
    return "yes" if same else "NO"


def cold_call(which: str, what: str, path: Path) -> dict[str, Any]:
    """Run bench/cold_call.py in a fresh interpreter (the one running the bench)."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / "cold_call.py"), which, what, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"cold_call {which} {what} failed: {proc.stderr.strip()[-300:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# glibc: never give freed memory back to the system, never serve a block with a fresh mmap
# (32 MB is the largest threshold glibc accepts); other platforms ignore these.
MALLOC_KEEPS = "glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432"


def warm_pair(path: Path, rounds: int) -> dict[str, Any]:
    """Run bench/warm_pair.py in a fresh interpreter whose malloc keeps freed memory."""
    env = {**os.environ, "GLIBC_TUNABLES": MALLOC_KEEPS}
    proc = subprocess.run(
        [sys.executable, str(BENCH / "warm_pair.py"), str(path), str(rounds)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"warm_pair failed: {proc.stderr.strip()[-300:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


@section("floor", "i chart, all five rule sets, against the bare NumPy floor")
def engine_vs_floor(ctx: Context) -> list[Table]:
    table = Table(
        "champion.spc.analyze (i chart; anhoej, ihi, western-electric, nelson, mdc) vs NumPy floor",
        ["points", "floor", "champion", "ratio (min)", "ratio (median)", "budget", "same answer"],
    )
    warm_1e6: tuple[float, float] | None = None
    for n, rounds in ((1_000, 100), (10_000, 40), (100_000, 15), (1_000_000, 10)):
        if ctx.quick:
            rounds = max(4, rounds // 3)
        y = series(n)
        champion_i(y)  # lazy imports and caches outside the timing
        floor_i_chart(y)
        t_champ, t_floor = block_times(
            lambda y=y: champion_i(y), lambda y=y: floor_i_chart(y), rounds, per_block=3
        )
        ratio = min(t_champ) / min(t_floor)
        ratio_median = median(t_champ) / median(t_floor)
        ctx.shared[f"champion_s_{n}"] = min(t_champ)
        table.rows.append(
            [fmt_size(n), fmt_seconds(min(t_floor)), fmt_seconds(min(t_champ)), fmt_ratio(ratio),
             fmt_ratio(ratio_median), f"<= {FLOOR_BUDGET:g}x" if n == 1_000_000 else "", _agrees(y)]
        )  # fmt: skip
        if n == 1_000_000:
            warm_1e6 = (ratio, ratio_median)

    # The same million points, floor and engine alternating call by call: each
    # may find the memory the other freed returned to the system (page faults).
    y = series(1_000_000)
    alt_champ, alt_floor, faults_champ, faults_floor = [], [], [], []
    for _ in range(max(4, 10 // (3 if ctx.quick else 1))):
        for fn, times, faults in (
            (champion_i, alt_champ, faults_champ),
            (floor_i_chart, alt_floor, faults_floor),
        ):
            before = minor_faults()
            start = time.perf_counter()
            fn(y)
            times.append(time.perf_counter() - start)
            after = minor_faults()
            if before is not None and after is not None:
                faults.append(after - before)
    alt_ratio = min(alt_champ) / min(alt_floor)
    alt_median = median(alt_champ) / median(alt_floor)
    table.rows.append(
        ["1,000,000 alternating", fmt_seconds(min(alt_floor)), fmt_seconds(min(alt_champ)),
         fmt_ratio(alt_ratio), fmt_ratio(alt_median), f"<= {FLOOR_BUDGET:g}x", ""]
    )  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="champion-bench-") as tmp:
        path = Path(tmp) / "y.npy"
        np.save(path, series(1_000_000))
        # The code's own work: warm blocks in a fresh process whose malloc keeps
        # what is freed, so that no call page-faults in memory another returned.
        kept = warm_pair(path, rounds=4 if ctx.quick else 10)
        # A one-off run (the command line) pays for fresh memory pages on its first large call.
        tries = 2 if ctx.quick else 3
        cold_floor = min(cold_call("floor", "time", path)["seconds"] for _ in range(tries))
        cold_champ = min(cold_call("champion", "time", path)["seconds"] for _ in range(tries))
    kept_ratio = min(kept["champion"]) / min(kept["floor"])
    kept_median = median(kept["champion"]) / median(kept["floor"])
    table.rows.append(
        ["1,000,000 no page faults", fmt_seconds(min(kept["floor"])), fmt_seconds(min(kept["champion"])),
         fmt_ratio(kept_ratio), fmt_ratio(kept_median), f"<= {FLOOR_BUDGET:g}x", ""]
    )  # fmt: skip
    cold_ratio = cold_champ / cold_floor
    table.rows.append(
        ["1,000,000 first call", fmt_seconds(cold_floor), fmt_seconds(cold_champ),
         fmt_ratio(cold_ratio), "", f"<= {FLOOR_BUDGET:g}x", ""]
    )  # fmt: skip
    table.notes.append(
        "floor: mean, moving ranges with one screening pass, limits, points outside, Anhøj "
        "longest run and crossings (bench/numpy_floor.py)"
    )
    table.notes.append(
        "rows by size: repeated calls, blocks of 3 calls of one then 3 of the other, alternating; "
        "the 2nd and 3rd call of each block timed; min and median of each side"
    )
    if faults_champ and faults_floor:
        fault_note = (
            f"; fresh pages touched per call (median): floor {int(median(faults_floor)):,}, "
            f"champion {int(median(faults_champ)):,}"
        )
    else:
        fault_note = ""
    table.notes.append(
        "alternating: single calls champion, floor, champion, ...; each call may find the heap "
        "the other freed trimmed by malloc, and pays for the page faults" + fault_note
    )
    faults = kept.get("faults")
    table.notes.append(
        "no page faults: the repeated-call blocks in a fresh process with malloc keeping freed "
        f"memory ({MALLOC_KEEPS}; bench/warm_pair.py): the code's own work"
        + ("" if faults is None else f"; pages faulted in over all its calls: {faults:,}")
    )
    table.notes.append(
        f"first call: a fresh process per measurement, best of {tries} (bench/cold_call.py)"
    )
    if warm_1e6 is not None:
        ctx.budget(
            "1e6-point i chart, all rules, vs NumPy floor (repeated calls)",
            f"{fmt_ratio(warm_1e6[0])} (median {fmt_ratio(warm_1e6[1])})",
            f"<= {FLOOR_BUDGET:g}x",
            warm_1e6[0] <= FLOOR_BUDGET,
        )
    ctx.budget(
        "1e6-point i chart, all rules, vs NumPy floor (no page faults)",
        f"{fmt_ratio(kept_ratio)} (median {fmt_ratio(kept_median)})",
        f"<= {FLOOR_BUDGET:g}x",
        kept_ratio <= FLOOR_BUDGET,
    )
    ctx.budget(
        "1e6-point i chart, all rules, vs NumPy floor (alternating single calls)",
        f"{fmt_ratio(alt_ratio)} (median {fmt_ratio(alt_median)})",
        f"<= {FLOOR_BUDGET:g}x",
        alt_ratio <= FLOOR_BUDGET,
    )
    ctx.budget(
        "1e6-point i chart, all rules, vs NumPy floor (first call in a process)",
        fmt_ratio(cold_ratio),
        f"<= {FLOOR_BUDGET:g}x",
        cold_ratio <= FLOOR_BUDGET,
    )
    return [table]


@section("peers", "i chart against Python peers (separate .venv-bench, one subprocess each)")
def against_peers(ctx: Context) -> list[Table]:
    sizes = (10_000,) if ctx.quick else (10_000, 100_000, 1_000_000)
    table = Table(
        "Python peers: seconds for one i chart with the peer's fullest rule set, and peer / champion",
        [
            "peer",
            "version",
            "rules",
            *[fmt_size(n) for n in sizes],
            *[f"x {fmt_size(n)}" for n in sizes],
        ],
    )
    if ctx.skip_peers:
        table.notes.append("skipped (--no-peers)")
        ctx.budget(
            "champion vs fastest full-rule-set peer", "-", f">= {PEER_BUDGET:g}x faster", None
        )
        return [table]
    status = ensure_env(reinstall=ctx.reinstall_peers)
    champion_s: dict[int, float] = {}
    results: dict[str, dict[int, dict[str, Any]]] = {p.name: {} for p in PEERS}
    with tempfile.TemporaryDirectory(prefix="champion-bench-") as tmp:
        for n in sizes:
            y = series(n)
            path = Path(tmp) / f"y{n}.npy"
            np.save(path, y)
            champion_s[n] = ctx.shared.get(f"champion_s_{n}") or best_time(
                lambda y=y: champion_i(y), repeats=3
            )
            repeats = 3 if n <= 10_000 else (2 if n <= 100_000 else 1)
            for peer in PEERS:
                if status.get(peer.name):
                    continue
                previous = [
                    r["seconds"] * n / m for m, r in results[peer.name].items() if "seconds" in r
                ]
                timed_out = [m for m, r in results[peer.name].items() if "timeout" in r]
                if timed_out or (previous and previous[-1] > ctx.peer_timeout):
                    guess = previous[-1] if previous else None
                    results[peer.name][n] = {"skipped": guess}
                    continue
                started = time.perf_counter()
                results[peer.name][n] = run_peer(peer, path, repeats, ctx.peer_timeout)
                results[peer.name][n].setdefault("wall", time.perf_counter() - started)

    fastest_full: tuple[float, bool, str] | None = None  # (seconds, is_lower_bound, peer)
    largest = sizes[-1]
    table.rows.append(
        ["champion.spc", "", "all five sets", *[fmt_seconds(champion_s[n]) for n in sizes], *["1x"] * len(sizes)]
    )  # fmt: skip
    for peer in PEERS:
        reason = status.get(peer.name)
        if reason:
            table.rows.append([peer.label, "", "unavailable", *["-"] * (2 * len(sizes))])
            table.notes.append(f"{peer.label}: unavailable: {reason}")
            continue
        res = results[peer.name]
        info = next((r for r in res.values() if "version" in r), {})
        cells, ratios = [], []
        for n in sizes:
            r = res.get(n, {})
            if "seconds" in r:
                cells.append(fmt_seconds(r["seconds"]))
                ratios.append(fmt_ratio(r["seconds"] / champion_s[n]))
            elif "timeout" in r:
                cells.append(f"> {r['timeout']:.0f} s")
                ratios.append(fmt_ratio(r["timeout"] / champion_s[n], lower_bound=True))
            elif r.get("skipped"):
                cells.append(f"~{fmt_seconds(r['skipped'])} est.")
                ratios.append("~" + fmt_ratio(r["skipped"] / champion_s[n]))
            elif "skipped" in r:
                cells.append("skipped")
                ratios.append("-")
            else:
                cells.append("error")
                ratios.append("-")
                if "error" in r:
                    table.notes.append(f"{peer.label} at {fmt_size(n)}: {r['error']}")
        table.rows.append(
            [peer.label, info.get("version", ""), info.get("rules", ""), *cells, *ratios]
        )
        if info.get("full_rule_set"):
            r = res.get(largest, {})
            candidate = None
            if "seconds" in r:
                candidate = (r["seconds"], False, peer.label)
            elif "timeout" in r:
                candidate = (r["timeout"], True, peer.label)
            elif r.get("skipped"):
                # Not run: its predicted time is above the timeout, so the timeout is a lower bound.
                candidate = (ctx.peer_timeout, True, peer.label)
            if candidate and (fastest_full is None or candidate[0] < fastest_full[0]):
                fastest_full = candidate
    skipped = [p.label for p in PEERS if any("skipped" in r for r in results[p.name].values())]
    if skipped:
        table.notes.append(
            f"not run: {', '.join(skipped)} where the previous size predicts more than the "
            f"{ctx.peer_timeout:.0f} s timeout ('est.': linear extrapolation; the budget counts "
            "it as the timeout)"
        )
    table.notes.append(
        "peer times are the analysis call only (imports and data loading excluded), best of 1-3; "
        "'full rule set' peers: shewhart (Nelson 1-8), controlchartspy (MDC rules)"
    )
    if fastest_full is None:
        ctx.budget(
            "champion vs fastest full-rule-set peer",
            "no peer ran",
            f">= {PEER_BUDGET:g}x faster",
            None,
        )
    else:
        seconds, lower, label = fastest_full
        ratio = seconds / champion_s[largest]
        ctx.budget(
            f"champion vs fastest full-rule-set peer ({label}) at {fmt_size(largest)} points",
            fmt_ratio(ratio, lower_bound=lower),
            f">= {PEER_BUDGET:g}x faster",
            ratio >= PEER_BUDGET,
        )
    return [table]


@section("many", "10,000 series of 60 points through the public API")
def many_series(ctx: Context) -> list[Table]:
    n_series, length = 10_000, 60
    rng = np.random.default_rng(7)
    ids = np.repeat(np.arange(n_series), length)
    y = rng.normal(50.0, 5.0, n_series * length)
    table = Table(
        "10,000 series x 60 points (i chart), one call",
        ["rule sets", "API", "time", "CPU time", "per series", "budget"],
    )
    repeats = 2 if ctx.quick else 5
    many = getattr(spc, "analyze_many", None)
    for rules in (("anhoej", "mdc"), ALL_RULES):
        if many is not None:
            api = "spc.analyze_many (long table)"

            def call(rules: tuple[str, ...] = rules) -> Any:
                return many(series=ids, y=y, chart="i", rules=rules)
        else:
            api = "loop of spc.analyze"

            def call(rules: tuple[str, ...] = rules) -> Any:
                rows = y.reshape(n_series, length)
                return [spc.analyze(row, chart="i", rules=rules) for row in rows]

        result = call()
        if len(result) != n_series:
            raise RuntimeError(f"expected {n_series} analyses, got {len(result)}")
        walls, cpus = [], []
        for _ in range(repeats):
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        seconds = min(walls)
        table.rows.append(
            [", ".join(rules), api, fmt_seconds(seconds), fmt_seconds(min(cpus)),
             fmt_seconds(seconds / n_series), f"< {MANY_BUDGET:g} s"]
        )  # fmt: skip
        ctx.budget(
            f"10,000 x 60-point series ({', '.join(rules)})",
            fmt_seconds(seconds),
            f"< {MANY_BUDGET:g} s",
            seconds < MANY_BUDGET,
        )
    table.notes.append(
        f"best of {repeats} calls after one untimed call; the budget is judged on wall time; "
        "one process, BLAS threads pinned to 1 by bench/run.py"
    )
    return [table]


@section("memory", "peak memory for one million points")
def memory(ctx: Context) -> list[Table]:
    n = 1_000_000
    y = series(n)
    array_bytes = y.nbytes
    table = Table(
        "Peak memory traced during the first analysis of 1,000,000 points in a fresh process "
        "(tracemalloc; input excluded)",
        ["what", "peak", "float64 arrays of 1e6", "budget"],
    )
    with tempfile.TemporaryDirectory(prefix="champion-bench-") as tmp:
        path = Path(tmp) / "y.npy"
        np.save(path, y)
        floor_peak = cold_call("floor", "memory", path)["peak_bytes"]
        champ_peak = cold_call("champion", "memory", path)["peak_bytes"]
    budget_bytes = MEMORY_ARRAYS * array_bytes
    table.rows.append(
        ["NumPy floor", f"{floor_peak / 1e6:.0f} MB", f"{floor_peak / array_bytes:.1f}", ""]
    )
    table.rows.append(
        ["champion i chart, all rules", f"{champ_peak / 1e6:.0f} MB", f"{champ_peak / array_bytes:.1f}",
         f"< {MEMORY_ARRAYS} ({budget_bytes / 1e6:.0f} MB)"]
    )  # fmt: skip
    table.notes.append(
        "NumPy reports its allocations to tracemalloc; Python objects are counted too"
    )
    ctx.budget(
        "peak memory, 1e6-point i chart, all rules",
        f"{champ_peak / 1e6:.0f} MB ({champ_peak / array_bytes:.1f} arrays)",
        f"< {budget_bytes / 1e6:.0f} MB ({MEMORY_ARRAYS} arrays)",
        champ_peak < budget_bytes,
    )
    return [table]
