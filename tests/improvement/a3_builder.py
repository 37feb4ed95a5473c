"""A project whose A3 tables hold long ordinary words: the wrapping tests (PDF and browser)."""

from champion.improvement.models import PDSACycle, Project, Tool


def a3_with_long_words(project: Project, **cycle: object) -> None:
    """A PDSA cycle and an FMEA whose cells hold long words that must never be split."""
    PDSACycle.objects.create(
        project=project,
        title="Bell clips on every bed in bay four",
        prediction="Unanticipated deteriorations and accidental disconnections decrease",
        study_notes="Implementation straightforward; notwithstanding occasional misplacement",
        **cycle,
    )
    Tool.objects.create(
        project=project,
        kind="fmea",
        title="FMEA",
        data={
            "header": {"process": "Night rounding"},
            "rows": [
                {
                    "failure_mode": "Rounding forgotten during understaffing",
                    "effect": "Unwitnessed deterioration",
                    "cause": "Overwhelming workload",
                    "severity": 8,
                    "occurrence": 3,
                    "detection": 4,
                    "action": "Electronic reminders",
                }
            ],
        },
    )
