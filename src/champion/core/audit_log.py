"""The audit log in words: "Helen Okafor changed the measure “Falls per 1,000 bed-days”
(target 5 → 4)" instead of model names, ids and raw field values.

`describe(events)` turns one page of events into `Entry` rows at a fixed cost: the actor
comes with the events (`select_related`), field names and choices come from the models'
metadata (no query), and the ids of related records named in the changes (a measure's unit,
an action's owner) are resolved in **one** query per page, from the names the audit log itself
stored when those records were written (their latest `object_repr`). A record the log never
saw shows as "record #id". Times are shown by the template in the active time zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from champion.core.models import AuditEvent
from champion.core.words import quoted

VERBS = {"create": "created", "update": "changed", "delete": "deleted"}
#: Field values longer than this are cut in the log (the full text is in the record).
MAX_VALUE = 80
#: An update names its change in the sentence itself when it changed at most this many fields.
INLINE_FIELDS = 2
EMPTY = "—"


@dataclass
class Change:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label} {self.before} → {self.after}"


@dataclass
class Entry:
    event: AuditEvent
    who: str  # the person's name (or "The system")
    email: str  # the address they acted with, kept beside the name
    verb: str
    what: str  # "the measure"
    name: str  # the record's name when it was written
    changes: list[Change] = field(default_factory=list)

    @property
    def inline(self) -> str:
        """The changes named in the sentence, for a small update ("" otherwise)."""
        if self.event.action == "update" and 0 < len(self.changes) <= INLINE_FIELDS:
            return "; ".join(str(c) for c in self.changes)
        return ""

    @property
    def sentence(self) -> str:
        text = f"{self.who} {self.verb} {self.what} {quoted(self.name)}"
        return f"{text} ({self.inline})" if self.inline else text


def _model(event: AuditEvent) -> type[models.Model] | None:
    return event.content_type.model_class()


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # a field since removed: the log keeps its name
        return None


def _plain_value(f: Any, value: Any, names: dict[tuple[int, str], str]) -> str:
    if value is None or value == "":
        return EMPTY
    if f is not None and f.many_to_one and f.related_model is not None:
        ct = _content_type_id(f.related_model)
        return names.get((ct, str(value)), f"record #{value}")
    if f is not None and f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{value:,}"
    if isinstance(f, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, datetime.UTC)
            return date_format(timezone.localtime(moment), "j M Y H:i")
    if isinstance(f, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "j M Y")
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _content_type_id(model: type[models.Model]) -> int:
    """The content type id of `model` (Django caches it: a query at most once per process)."""
    return ContentType.objects.get_for_model(model).pk


def _related_names(events: list[AuditEvent]) -> dict[tuple[int, str], str]:
    """(content type id, object id) -> the latest name the log stored, for every related record
    named in these events' changes: one query, or none when no change names a related record."""
    wanted: dict[int, set[str]] = {}
    for event in events:
        model = _model(event)
        for name, values in (event.changes or {}).items():
            f = _field(model, name)
            if f is None or not f.many_to_one or f.related_model is None:
                continue
            ct = _content_type_id(f.related_model)
            for v in values if isinstance(values, list) else []:
                if v not in (None, ""):
                    wanted.setdefault(ct, set()).add(str(v))
    if not wanted:
        return {}
    condition = Q(pk__in=[])
    for ct, ids in wanted.items():
        condition |= Q(content_type_id=ct, object_id__in=sorted(ids))
    names: dict[tuple[int, str], str] = {}
    rows = AuditEvent.objects.filter(condition).order_by("at", "pk")
    for ct, oid, text in rows.values_list("content_type_id", "object_id", "object_repr"):
        names[(ct, oid)] = text  # oldest first, so the latest name wins
    return names


def describe(events: Iterable[AuditEvent]) -> list[Entry]:
    """One page of events in words (see the module's docstring for what it costs)."""
    events = list(events)
    names = _related_names(events)
    entries = []
    for event in events:
        model = _model(event)
        what = f"the {model._meta.verbose_name}" if model is not None else "a record"
        actor = event.actor
        who = (actor.full_name or actor.email) if actor is not None else ""
        if not who:
            who = "The system" if event.actor_label in ("", "system") else event.actor_label
        email = event.actor_label if event.actor_label not in ("", "system", who) else ""
        changes = []
        for name, values in (event.changes or {}).items():
            f = _field(model, name)
            label = str(f.verbose_name) if f is not None and hasattr(f, "verbose_name") else name
            before, after = (
                [*values, None, None][:2] if isinstance(values, list) else (None, values)
            )
            changes.append(
                Change(label, _plain_value(f, before, names), _plain_value(f, after, names))
            )
        entries.append(
            Entry(
                event=event,
                who=who,
                email=email,
                verb=VERBS.get(event.action, event.action),
                what=what,
                name=event.object_repr,
                changes=changes,
            )
        )
    return entries


def type_choices(models_named: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(content type model, its name in words) for the filter, from (app label, model) pairs."""
    choices = []
    for app_label, model_name in models_named:
        try:
            label = str(apps.get_model(app_label, model_name)._meta.verbose_name)
        except LookupError:
            label = model_name
        choices.append((model_name, label[:1].upper() + label[1:]))
    return sorted(set(choices), key=lambda c: c[1])
