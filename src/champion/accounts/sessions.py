"""Signing a person out everywhere: deleting every session that holds them.

Sessions live in the database (Django's default engine) and name their person only inside
their encoded data, so the unexpired ones are read in batches and those of this person
deleted. Idle sessions end after SESSION_IDLE_MINUTES, so the unexpired ones are few.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

BATCH = 2000


def sign_out_everywhere(user: Any) -> int:
    """Delete every unexpired session of `user`; returns how many."""
    mine = []
    sessions = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for session in sessions.iterator(chunk_size=BATCH):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            mine.append(session.session_key)
    Session.objects.filter(session_key__in=mine).delete()
    return len(mine)
