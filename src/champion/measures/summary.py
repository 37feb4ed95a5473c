"""The stored summary of a measure's latest analysis: a typed object, a dict only in the database.

Boards, lists, the home card and Lead read only this (one query for hundreds of
measures). It stays small whatever the length of the series: the last point, the
icons, the latest reasons and a sparkline of at most `SPARK_POINTS`; the signals
themselves are rows (`Signal`). Its words are the engine's (`spc.VARIATION`,
`spc.ASSURANCE`), used as they are by the templates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from typing import Any

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from champion.measures.impact import Impact

SPARK_POINTS = 36  # three years of months: enough to see a shift, small enough to store
#: Raised when the summary's shape or meaning changes. A summary written by an older version
#: says nothing about which signals people were told of, so its first refresh tells nobody.
VERSION = 2


@dataclass(frozen=True)
class Spark:
    """The last points for a board's sparkline, with each point's category (`spc.VARIATION`)."""

    y: tuple[float | None, ...] = ()
    cl: tuple[float | None, ...] = ()
    cat: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    """What boards show of a measure; `n == 0` when it has no data (or could not be analysed,
    then `error` says why)."""

    n: int = 0
    last_period: datetime.date | None = None
    last_value: float | None = None
    cl: float | None = None
    lcl: float | None = None
    ucl: float | None = None
    #: `spc.VARIATION`: common_cause, improvement, concern, neither (None: no mdc analysis).
    variation: str | None = None
    #: `spc.ASSURANCE`: pass, fail, hit_and_miss (None: no target or no better direction).
    assurance: str | None = None
    #: The side or slope of the latest point's special cause: "up", "down" or None.
    direction: str | None = None
    #: What the latest point itself shows, when it is a special cause.
    last_reasons: tuple[str, ...] = ()
    runs_signal: bool = False
    #: How soon the measure needs a look (`attention.py`); -1 without data.
    attention: int = -1
    spark: Spark = field(default_factory=Spark)
    error: str = ""
    version: int = VERSION
    #: The impact of the latest phase (`impact.compute`); None before the first refresh that
    #: computed it.
    impact: Impact | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON stored in the database."""
        # Field by field rather than `asdict`, whose deep copy of the sparkline was most of the
        # cost of storing thousands of summaries; the same dict.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["last_period"] = self.last_period.isoformat() if self.last_period else None
        data["last_reasons"] = list(self.last_reasons)
        spark = self.spark
        data["spark"] = {"y": list(spark.y), "cl": list(spark.cl), "cat": list(spark.cat)}
        data["impact"] = self.impact.to_dict() if self.impact else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Summary:
        """The summary from its JSON; keys it does not know are ignored, missing ones default
        (an empty dict is a measure not analysed yet)."""
        if not data:
            return cls(version=1)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        period = values.get("last_period")
        if isinstance(period, str):
            values["last_period"] = datetime.date.fromisoformat(period[:10])
        values["last_reasons"] = tuple(values.get("last_reasons") or ())
        spark = values.get("spark") or {}
        values["spark"] = Spark(**{k: tuple(spark.get(k) or ()) for k in ("y", "cl", "cat")})
        values.setdefault("version", 1)
        values["impact"] = Impact.from_dict(values.get("impact"))
        return cls(**values)


def as_summary(value: Any) -> Summary:
    if isinstance(value, Summary):
        return value
    if isinstance(value, dict):
        return Summary.from_dict(value)
    return Summary(version=1)


class _SummaryAttribute(DeferredAttribute):
    """Whatever is assigned (a dict from the database or a test, a Summary) reads as a Summary."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = as_summary(value)


class SummaryField(models.JSONField):
    """A JSON column that holds a `Summary` (a dict only at the database boundary)."""

    descriptor_class = _SummaryAttribute

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Summary):
            value = value.to_dict()
        return super().get_prep_value(value)

    def to_python(self, value: Any) -> Any:
        return as_summary(value)

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(as_summary(value).to_dict(), model_instance)

    def value_to_string(self, obj: Any) -> Any:
        return as_summary(self.value_from_object(obj)).to_dict()
