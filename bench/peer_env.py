"""The separate virtualenv for peer packages (.venv-bench) and running their adapters.

Peers are what a user might pick instead of champion.spc. They are never
product dependencies, so they live in their own environment, created on first
use. A peer that fails to install is remembered (``.venv-bench/failed-<peer>.txt``)
so that later runs report it without retrying pip; ``--reinstall-peers``
clears that memory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import ROOT

VENV = ROOT / ".venv-bench"
PEER_DIR = Path(__file__).resolve().parent / "peers"
BASE_PACKAGES = ("numpy", "pandas")


@dataclass(frozen=True)
class Peer:
    name: str  # the adapter is peers/<name>.py
    label: str  # the PyPI name people know
    packages: tuple[str, ...]
    module: str


PEERS: tuple[Peer, ...] = (
    Peer("shewhart", "shewhart", ("shewhart",), "shewhart"),
    Peer("pyspc", "pyspc", ("pyspc", "matplotlib"), "pyspc"),
    Peer("controlchartspy", "controlchartspy", ("controlchartspy",), "controlchartspy"),
    Peer(
        "process_improvement",
        "process-improvement",
        ("process-improvement",),
        "process_improvement",
    ),
)


def _python() -> Path:
    return VENV / "bin" / "python"


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    useful = [ln for ln in lines if not ln.startswith("WARNING")]
    return (useful or lines or ["no output"])[-1][:160]


def _importable(peer: Peer) -> bool:
    proc = subprocess.run(
        [str(_python()), "-I", "-c", f"import {peer.module}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode == 0


def ensure_env(*, reinstall: bool = False, log: Any = print) -> dict[str, str | None]:
    """Create .venv-bench if needed and install the peers; peer name -> failure reason or None."""
    if not _python().exists():
        base = shutil.which("python3") or sys.executable
        log(f"creating {VENV} with {base} (first run only)")
        proc = subprocess.run([base, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if proc.returncode != 0:
            reason = f"cannot create {VENV.name}: {_last_line(proc.stderr or proc.stdout)}"
            return {p.name: reason for p in PEERS}
    status: dict[str, str | None] = {}
    for peer in PEERS:
        marker = VENV / f"failed-{peer.name}.txt"
        if reinstall and marker.exists():
            marker.unlink()
        if marker.exists():
            status[peer.name] = marker.read_text().strip()
            continue
        if _importable(peer):
            status[peer.name] = None
            continue
        log(f"installing {peer.label} into {VENV.name} ...")
        proc = subprocess.run(
            [str(_python()), "-m", "pip", "install", "--quiet", *BASE_PACKAGES, *peer.packages],
            capture_output=True,
            text=True,
        )
        if proc.returncode == 0 and _importable(peer):
            status[peer.name] = None
        else:
            reason = f"install failed: {_last_line(proc.stderr or proc.stdout)}"
            marker.write_text(reason + "\n")
            status[peer.name] = reason
    return status


def run_peer(peer: Peer, data: Path, repeats: int, timeout: float) -> dict[str, Any]:
    """Run one adapter; returns its JSON, or {"error": reason} / {"timeout": seconds}."""
    cmd = [str(_python()), "-I", str(PEER_DIR / f"{peer.name}.py"), str(data), str(repeats)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if proc.returncode != 0:
        return {"error": _last_line(proc.stderr or proc.stdout)}
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": f"unreadable adapter output: {proc.stdout.strip()[:120]!r}"}
