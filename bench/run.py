"""`make bench`: the SPC engine's budgets, measured as ratios in one run.

Usage: ``.venv/bin/python bench/run.py [--quick] [--only floor,many] [--no-peers]``

Prints one table per section and a closing table of budgets (SPC.md,
Budgets). It never fails on wall time: the exit status is 0 whenever the
bench itself ran. Sections live in ``bench/sections/*.py`` (see
``bench/harness.py`` for how to add one).
"""

from __future__ import annotations

import os

# One core, as the budgets say: keep any BLAS/OpenMP pool from spreading out.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from harness import ROOT, SECTIONS, Context, Table  # noqa: E402


def load_sections() -> None:
    for path in sorted((BENCH / "sections").glob("*.py")):
        if path.stem != "__init__":
            importlib.import_module(f"sections.{path.stem}")


def header() -> str:
    import numpy as np

    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (
        f"champion bench  {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}  commit {commit}\n"
        f"Python {platform.python_version()}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPU(s), {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> int:
    load_sections()
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats; peers at 10,000 points only"
    )
    parser.add_argument("--only", help=f"comma-separated sections: {', '.join(SECTIONS)}")
    parser.add_argument("--no-peers", action="store_true", help="do not create or run .venv-bench")
    parser.add_argument(
        "--reinstall-peers", action="store_true", help="retry peers that failed to install"
    )
    parser.add_argument(
        "--peer-timeout", type=float, default=60.0, help="seconds per peer run (default 60)"
    )
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    args = parser.parse_args(argv)
    if args.list:
        for s in SECTIONS.values():
            print(f"{s.key:<10} {s.title}")
        return 0
    keys = list(SECTIONS)
    if args.only:
        keys = [k.strip() for k in args.only.split(",") if k.strip()]
        unknown = [k for k in keys if k not in SECTIONS]
        if unknown:
            parser.error(
                f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}"
            )
    ctx = Context(
        quick=args.quick,
        peer_timeout=args.peer_timeout,
        skip_peers=args.no_peers,
        reinstall_peers=args.reinstall_peers,
    )
    print(header())
    for key in keys:
        sec = SECTIONS[key]
        print(f"\n== {sec.title}", flush=True)
        started = time.perf_counter()
        try:
            tables = sec.run(ctx)
        except Exception:  # one broken section must not hide the others' numbers
            print(f"section {key!r} failed:\n{traceback.format_exc(limit=3)}")
            continue
        for table in tables:
            print(table.render())
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    if ctx.budgets:
        summary = Table("Budgets (SPC.md)", ["budget", "measured", "target", "met"])
        for b in ctx.budgets:
            summary.rows.append(
                [b.name, b.measured, b.budget, {True: "yes", False: "NO", None: "?"}[b.met]]
            )
        print()
        print(summary.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
