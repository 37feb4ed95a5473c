"""Helpers for the maturity tests: a round for North Hospital, run by its coach.

Participants: the Ward A leader (as a leader) and the Ward A member (as frontline staff).
The org admin oversees North but is not invited; the Ward B colleague, the Ward C leader and
the outsider have nothing to do with it.
"""

from __future__ import annotations

from django.urls import reverse

from champion.leadership.maturity import rounds
from champion.leadership.maturity.framework import framework

KEYS = [c.key for c in framework().components]


def start_round(w, title="North maturity, spring"):
    a = rounds.start(unit=w.north, title=title, by=w.coach)
    rounds.invite(a, leaders=[w.leader, w.coach], frontline=[w.member])
    return a


def form(stages, notes=None, action="save"):
    """POST data choosing `stages` ({key: stage} or one stage for every component)."""
    if isinstance(stages, int):
        stages = dict.fromkeys(KEYS, stages)
    data = {f"stage-{k}": str(v) for k, v in stages.items()}
    data.update({f"note-{k}": v for k, v in (notes or {}).items()})
    data["action"] = action
    return data


def url(name, a):
    return reverse(f"leadership:maturity-{name}", args=[a.pk])


def participant(a, user):
    return a.participants.get(user=user)


def answer_all(a, user, stages, notes=None):
    """Save and send answers directly through the service (for tests about later steps)."""
    if isinstance(stages, int):
        stages = dict.fromkeys(KEYS, stages)
    cleaned = {k: (v, (notes or {}).get(k, "")) for k, v in stages.items()}
    rounds.save_answers(participant(a, user), cleaned, submit=True)


def finish(a, stages):
    if isinstance(stages, int):
        stages = dict.fromkeys(KEYS, stages)
    rounds.close_answers(a)
    rounds.save_consensus(a, {k: (v, "") for k, v in stages.items()}, finish=True)
