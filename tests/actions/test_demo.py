"""The demo's actions: from the latest maturity round's gaps and from a huddle, with one due
soon, one overdue and one done, shown on the owners' home cards; loading twice adds nothing."""

from django.utils import timezone

from champion.accounts.models import User
from champion.actions.models import Action, SourceKind, Status
from champion.actions.services import home_card
from champion.leadership.maturity import trend
from champion.leadership.models import Assessment
from champion.web.demo import load_demo


def test_the_demo_has_actions_from_gaps_and_a_huddle_and_two_rounds_to_chart(db):
    load_demo()
    load_demo()  # idempotent
    today = timezone.localdate()
    actions = list(Action.objects.all())
    assert sorted(a.source_kind for a in actions) == sorted(
        [SourceKind.MATURITY_GAP] * 3 + [SourceKind.HUDDLE]
    )
    assert Action.objects.overdue(today).count() == 1
    assert Action.objects.due_soon(today).count() == 1
    assert Action.objects.live().count() == 3
    assert Action.objects.filter(status=Status.DONE).count() == 1
    latest = Assessment.objects.finished().order_by("-finished_at").first()
    assert all(
        a.source_id.startswith(f"{latest.pk}:")
        for a in actions
        if a.source_kind == SourceKind.MATURITY_GAP
    )
    member = User.objects.get(email="member@riverside.example")
    card = home_card(member)
    assert card is not None and card["open"] == 1
    t = trend.history(latest.unit_id, until=latest)
    assert t.enough and len(t.rounds) == 2
    assert sum(1 for r in t.rows if (r.change or 0) > 0) >= 7
