"""One cold call in a fresh process: the first 1,000,000-point analysis a CLI run pays for.

``python bench/cold_call.py floor|champion time|memory DATA.npy`` prints one
JSON object. Imports and lazy set-up are paid first on a tiny series, so the
number is the first *large* call: fresh memory pages, no buffer reuse.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from numpy_floor import floor_i_chart

from champion import spc

ALL_RULES = ("anhoej", "ihi", "western-electric", "nelson", "mdc")


def main() -> None:
    which, what, path = sys.argv[1], sys.argv[2], sys.argv[3]
    y = np.load(path)

    def champion(v: np.ndarray) -> object:
        return spc.analyze(v, chart="i", rules=ALL_RULES)

    fn = floor_i_chart if which == "floor" else champion
    fn(y[:100].copy())  # imports, caches
    if what == "memory":
        tracemalloc.start()
        fn(y)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(json.dumps({"peak_bytes": peak}))
    else:
        start = time.perf_counter()
        fn(y)
        print(json.dumps({"seconds": time.perf_counter() - start}))


main()
