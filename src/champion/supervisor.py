"""Keep a child process running: restart it with back-off whenever it exits.

`champion serve` runs its task worker under this (`champion worker`), so a database outage
or an out-of-memory kill does not silently stop imports, e-mail and notifications.
No Django here: it must keep working when everything else is broken.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from types import FrameType


def _say(message: str) -> None:
    print(f"[supervisor] {message}", file=sys.stderr, flush=True)


class Supervisor:
    """Run `command`; when it exits (for any reason), wait and start it again.

    The wait starts at `min_backoff` seconds and doubles after each quick exit up to
    `max_backoff`; a run that lasted `healthy_after` seconds resets it (a worker that
    crashes at once is not restarted in a tight loop; one that ran for hours restarts fast).
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        min_backoff: float = 1.0,
        max_backoff: float = 60.0,
        healthy_after: float = 60.0,
        say: Callable[[str], None] = _say,
    ) -> None:
        self.command = list(command)
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.healthy_after = healthy_after
        self.say = say
        self.stopping = threading.Event()
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def run(self) -> int:
        backoff = self.min_backoff
        while not self.stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(self.command)
            self.starts += 1
            if self.stopping.is_set():  # stopped while it was starting
                self.process.terminate()
            code = self.process.wait()
            if self.stopping.is_set():
                break
            ran = time.monotonic() - started
            if ran >= self.healthy_after:
                backoff = self.min_backoff
            self.say(
                f"the task worker exited with status {code} after {ran:.0f} s; "
                f"restarting it in {backoff:g} s"
            )
            if self.stopping.wait(backoff):
                break
            backoff = min(backoff * 2, self.max_backoff)
        return 0

    def stop(self, timeout: float = 10.0) -> None:
        """Stop supervising and stop the child (SIGTERM, then SIGKILL after `timeout`)."""
        self.stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()

    def run_until_signalled(self) -> int:
        """`run` in the foreground; SIGTERM or SIGINT stops the child and returns."""

        def handler(signum: int, frame: FrameType | None) -> None:
            threading.Thread(target=self.stop, daemon=True).start()

        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)
        return self.run()
