"""The words of the Making Data Count icons, keyed by the engine's own words (`spc.VARIATION`,
`spc.ASSURANCE`): one home for what the measure pages and the Learn exercises say."""

from __future__ import annotations

VARIATION = {
    "common_cause": "Common cause variation: no significant change",
    "improvement": "Special cause variation: improvement",
    "concern": "Special cause variation: concern",
    "neither": "Special cause variation: a change, neither better nor worse",
}
ASSURANCE = {
    "pass": ("P", "The target will consistently be met"),
    "fail": ("F", "The target will consistently be missed"),
    "hit_and_miss": ("?", "The target will be met and missed at random"),
}
