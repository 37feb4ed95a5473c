"""What needs attention, read from the stored summaries: one rule for the board and for Lead."""

from champion.measures.attention import by_attention, needs_attention, signal_counts
from champion.measures.models import Measure


def with_summary(world, name, **summary):
    return Measure.objects.create(
        unit=world.ward_a, name=name, definition="x", chart="i", summary=summary
    )


def test_concerns_come_first_then_missed_targets_and_random_misses_are_not_urgent(world):
    concern = with_summary(world, "B concern", n=20, attention=8, variation="concern")
    missing = with_summary(world, "A missing", n=20, attention=4, assurance="fail")
    random = with_summary(world, "C random", n=20, attention=1, assurance="hit_and_miss")
    empty = with_summary(world, "D empty")
    assert by_attention([empty, random, missing, concern]) == [concern, missing, random, empty]
    assert [needs_attention(m) for m in (concern, missing, random, empty)] == [
        True, True, False, False,
    ]  # fmt: skip
    counts = signal_counts([concern, missing, random, empty])
    assert (counts.total, counts.concern, counts.fail, counts.attention, counts.no_data) == (
        4, 1, 1, 2, 1,
    )  # fmt: skip
