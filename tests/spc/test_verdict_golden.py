"""Golden summaries: one fixed data set read by each rule set the platform offers.

The files in `golden/` were written by `spc.verdict` and read by a person before being kept;
a change to any word, period or grouping shows here. Regenerate only on purpose."""

import datetime
import json
from pathlib import Path

import numpy as np
import pytest

from champion import spc

GOLDEN = Path(__file__).parent / "golden"
SETS = ("anhoej", "ihi", "western-electric", "nelson", "mdc")
# Two years of months: a baseline around 10 with one wild month (Sep 2024), then a steady
# climb through 2025 that settles higher. Lower is better; the limits are frozen on 2024.
DATA = [10, 11, 9, 10, 12, 9, 10, 11, 20, 10, 9, 11,
        10, 11, 12, 13, 14, 15, 16, 15, 16, 15, 16, 17]  # fmt: skip
FREEZE = 12
MONTHS_X = np.array(
    [datetime.date(2024 + k // 12, k % 12 + 1, 1) for k in range(24)], dtype="datetime64[D]"
)


@pytest.mark.parametrize("rule_set", SETS)
def test_the_summary_of_each_rule_set_is_as_kept(rule_set):
    a = spc.analyze(DATA, x=MONTHS_X, chart="i", freeze=FREEZE, rules=(rule_set,))
    got = spc.verdict(a, improvement="down").to_dict()
    assert got == json.loads((GOLDEN / f"verdict-{rule_set}.json").read_text())
    assert got["rule_set"] == rule_set
