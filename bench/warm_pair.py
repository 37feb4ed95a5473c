"""Floor and engine on the same points in a fresh process, warm, alternating blocks of calls.

``python bench/warm_pair.py DATA.npy ROUNDS`` prints one JSON object with the
warm single-call times of both (see ``harness.block_times``). The floor section
runs it with malloc told to keep freed memory (``GLIBC_TUNABLES``), so that no
call pays page faults for memory the previous call returned: what is left is
the code's own work.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import block_times, minor_faults
from numpy_floor import floor_i_chart

from champion import spc

ALL_RULES = ("anhoej", "ihi", "western-electric", "nelson", "mdc")


def main() -> None:
    y = np.load(sys.argv[1])
    rounds = int(sys.argv[2])

    def champion() -> object:
        return spc.analyze(y, chart="i", rules=ALL_RULES)

    def floor() -> object:
        return floor_i_chart(y)

    champion()
    floor()
    before = minor_faults()
    t_champ, t_floor = block_times(champion, floor, rounds, per_block=3)
    after = minor_faults()
    faults = None if before is None or after is None else after - before
    print(json.dumps({"champion": t_champ, "floor": t_floor, "faults": faults}))


main()
