"""What needs attention, read from the stored summaries: one rule for the board and for Lead."""

from champion.measures.attention import (
    attention_only,
    by_attention,
    counts_of,
    needs_attention,
    ranked,
    signal_counts,
)
from champion.measures.models import Measure
from champion.measures.summary import Summary


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


def test_the_database_orders_and_counts_as_the_python_rules_do(world):
    """`ranked`, `attention_only` and `counts_of` read the summary's keys as generated columns
    (`board_attention`, ...): they follow every write of the summary, by save or by update."""
    concern = with_summary(world, "B concern", n=20, attention=8, variation="concern")
    missing = with_summary(world, "A missing", n=20, attention=4, assurance="fail")
    random = with_summary(world, "C random", n=20, attention=1, assurance="hit_and_miss")
    empty = with_summary(world, "D empty")
    better = with_summary(world, "E better", n=20, attention=0, variation="improvement")
    mine = Measure.objects.filter(unit=world.ward_a)
    python = [concern, missing, random, better, empty]
    assert list(ranked(mine)) == by_attention(python) == python
    assert list(attention_only(ranked(mine))) == [concern, missing]
    assert counts_of(mine) == signal_counts(python)
    # A summary written in bulk (as a re-analysis writes it) moves the measure at once.
    Measure.objects.filter(pk=empty.pk).update(
        summary=Summary(n=12, attention=8, variation="concern")
    )
    empty.summary = Summary(n=12, attention=8, variation="concern")
    assert list(ranked(mine))[:2] == [concern, empty]
    assert counts_of(mine) == signal_counts([concern, missing, random, better, empty])
    assert counts_of(mine).concern == 2 and counts_of(mine).no_data == 0
