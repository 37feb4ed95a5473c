"""What needs attention first: the board's order and its "needs attention" rule, in one place.

Both read only the stored summaries (`Measure.summary`, written by `analysis.refresh`), so
they cost no query beyond fetching the measures. The measure board and the Lead overview
use these functions, so a measure is "needing attention" on both or on neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from champion.measures.models import Measure

#: A concern (8), a change in a measure with no better direction (2) or a target that will be
#: missed (4). A target met and missed at random (1) is common and would fill the list.
ATTENTION_THRESHOLD = 2


def attention(measure: Measure) -> int:
    """How soon the measure needs a look (higher sooner; -1 when it has no data)."""
    return measure.summary.attention


def needs_attention(measure: Measure) -> bool:
    return attention(measure) >= ATTENTION_THRESHOLD


def by_attention(measures: Iterable[Measure]) -> list[Measure]:
    """Concerns first, then targets that will be missed, then the rest; by name within each."""
    return sorted(measures, key=lambda m: (-attention(m), m.name))


@dataclass(frozen=True)
class SignalCounts:
    """How many measures show each kind of signal (the board's "at a glance" line)."""

    total: int
    concern: int
    improvement: int
    fail: int
    attention: int
    no_data: int


def signal_counts(measures: Iterable[Measure]) -> SignalCounts:
    summaries = [(m.summary, m) for m in measures]
    return SignalCounts(
        total=len(summaries),
        concern=sum(s.variation == "concern" for s, _ in summaries),
        improvement=sum(s.variation == "improvement" for s, _ in summaries),
        fail=sum(s.assurance == "fail" for s, _ in summaries),
        attention=sum(needs_attention(m) for _, m in summaries),
        no_data=sum(not s.n for s, _ in summaries),
    )


# ---------------------------------------------------------------------------------------------
# The same rules in the database, for boards over thousands of measures: the order and the
# counts read the stored summary's keys, kept as generated columns beside it
# (`Measure.board_attention`, `board_points`, `board_variation`, `board_assurance`), so a page
# fetches only the measures it shows and counting parses no JSON.


def ranked(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """`by_attention` as a queryset: concerns first, then missed targets; by name within each."""
    return measures.order_by("-board_attention", "name", "pk")


def attention_only(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """The measures that `needs_attention` (on a queryset from `ranked`)."""
    return measures.filter(board_attention__gte=ATTENTION_THRESHOLD)


def counts_of(measures: QuerySet[Measure]) -> SignalCounts:
    """`signal_counts` as one aggregate query."""
    found = measures.order_by().aggregate(
        total=Count("pk"),
        concern=Count("pk", filter=Q(board_variation="concern")),
        improvement=Count("pk", filter=Q(board_variation="improvement")),
        fail=Count("pk", filter=Q(board_assurance="fail")),
        attention=Count("pk", filter=Q(board_attention__gte=ATTENTION_THRESHOLD)),
        no_data=Count("pk", filter=Q(board_points=0)),
    )
    return SignalCounts(**found)
