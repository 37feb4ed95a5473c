"""Phases at the right moment: a shift that began after a tested change is said so in the
headline, and the chart page offers a new phase there in one click (audited, removable)."""

import datetime

import pytest
from django.urls import reverse

from champion.core.models import ApiToken, AuditEvent
from champion.measures.analysis import (
    analyze,
    change_name,
    chart_spec,
    periods_between,
    phase_offer,
    verdict,
)
from champion.measures.models import Annotation, DataPoint, Measure, Phase

pytestmark = pytest.mark.django_db

# The falls fixture: 12 months around 8, then from Jan 2024 twelve months around 4
# (lower is better): a shift of improvement that began in Jan 2024.
SHIFT_START = datetime.date(2024, 1, 1)


def note(measure, period, text):
    return Annotation.objects.create(measure=measure, period=period, text=text)


def said(measure):
    return verdict(measure, analyze(measure, reuse=False))


def test_the_shift_begins_where_the_fixture_says(measure):
    # One centre line for both years: the first year reads as a shift above it, the
    # second as a shift below it; the offer is about the latest.
    shifts = [s for s in said(measure).signals if s.kind == "shift"]
    assert [(s.start, s.direction, s.category) for s in shifts] == [
        (datetime.date(2023, 1, 1), "up", "concern"),
        (SHIFT_START, "down", "improvement"),
    ]


def test_a_shift_after_a_pdsa_cycle_names_it_with_its_timing(measure):
    note(measure, datetime.date(2023, 11, 1), "PDSA 2: Bedside handover")
    headline = said(measure).headline
    assert headline.endswith(
        "The shift began 2 months after PDSA 2 “Bedside handover” started (Nov 2023)."
    )
    offer = phase_offer(measure, said(measure))
    assert offer is not None
    assert (offer.period, offer.label) == (SHIFT_START, "PDSA 2: Bedside handover")


def test_a_change_note_in_the_same_month_as_the_shift(measure):
    note(measure, SHIFT_START, "New falls bundle")
    assert said(measure).headline.endswith(
        "The shift began in the same month as the change noted as “New falls bundle” was made "
        "(Jan 2024)."
    )


def test_the_nearest_change_before_the_shift_is_named(measure):
    note(measure, datetime.date(2023, 3, 1), "PDSA 1: Falls huddle")
    note(measure, datetime.date(2023, 10, 1), "PDSA 2: Bedside handover")
    assert "3 months after PDSA 2 “Bedside handover”" in said(measure).headline


def test_no_offer_when_the_change_came_after_the_shift_began(measure):
    note(measure, datetime.date(2024, 3, 1), "PDSA 3: Later idea")
    v = said(measure)
    assert "The shift began" not in v.headline
    assert phase_offer(measure, v) is None


def test_no_offer_for_a_note_before_the_charts_data(measure):
    note(measure, datetime.date(2021, 5, 1), "PDSA 1: Long ago")
    assert phase_offer(measure, said(measure)) is None


def test_no_offer_once_the_phase_starts_there(measure):
    note(measure, datetime.date(2023, 11, 1), "PDSA 2: Bedside handover")
    Phase.objects.create(measure=measure, period=SHIFT_START, label="Bedside handover")
    v = said(measure)
    assert phase_offer(measure, v) is None and "The shift began" not in v.headline


def test_no_offer_without_enough_data(world):
    m = Measure.objects.create(
        unit=world.ward_a, name="Few", definition="x", chart="i", improvement="down"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=datetime.date(2024, k, 1), value=v)
        for k, v in zip(range(1, 8), [9, 9, 9, 2, 2, 2, 2], strict=True)
    )
    note(m, datetime.date(2024, 3, 1), "PDSA 1: Try it")
    v = said(m)
    assert not v.enough_data and phase_offer(m, v) is None


@pytest.mark.parametrize(
    ("earlier", "later", "frequency", "expected"),
    [
        ("2025-01-06", "2025-01-27", "weekly", (3, "weeks")),
        ("2025-01-06", "2025-01-13", "weekly", (1, "week")),
        ("2025-01-01", "2025-07-01", "quarterly", (2, "quarters")),
        ("2025-01-01", "2025-01-03", "daily", (2, "days")),
        ("2024-11-01", "2025-01-01", "monthly", (2, "months")),
    ],
)
def test_periods_between(earlier, later, frequency, expected):
    d = datetime.date.fromisoformat
    assert periods_between(d(earlier), d(later), frequency) == expected


def test_change_names():
    assert change_name("PDSA 2: Bedside handover") == "PDSA 2 “Bedside handover”"
    assert change_name("PDSA: Pilot") == "PDSA “Pilot”"
    assert change_name("New rota") == "the change noted as “New rota”"


def test_a_weekly_shift_three_weeks_after_a_pdsa(world):
    m = Measure.objects.create(
        unit=world.ward_a, name="Handover minutes", definition="x", chart="i",
        frequency="weekly", improvement="down",
    )  # fmt: skip
    start = datetime.date(2025, 1, 6)
    before = [13, 12, 14, 13, 12, 13, 14, 12, 13, 14, 13, 12, 13, 14]
    values = [*before, 7, 6, 7, 8, 7, 6, 7, 8, 7, 6]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=start + datetime.timedelta(weeks=k), value=v)
        for k, v in enumerate(values)
    )
    note(m, start + datetime.timedelta(weeks=11), "PDSA 2: Bedside handover")
    v = said(m)
    assert "The shift began 3 weeks after PDSA 2 “Bedside handover” started" in v.headline
    assert phase_offer(m, v).period == start + datetime.timedelta(weeks=14)


def test_the_page_offers_the_phase_in_one_click_and_it_is_audited(client_for, world, measure):
    note(measure, datetime.date(2023, 11, 1), "PDSA 2: Bedside handover")
    client = client_for(world.leader)
    url = reverse("measures:detail", args=[measure.pk])
    page = client.get(url).content.decode()
    assert "Start a new phase at Jan 2024" in page
    assert 'name="phase-period" value="2024-01-01"' in page
    assert "csrfmiddlewaretoken" in page.split('class="phase-offer"')[1].split("</form>")[0]
    # The one click: the form's own fields, posted.
    response = client.post(
        reverse("measures:setting-add", args=[measure.pk, "phase"]),
        {"phase-period": "2024-01-01", "phase-label": "PDSA 2: Bedside handover"},
    )
    assert response.status_code == 302
    phase = measure.phases.get()
    assert (phase.period, phase.label, phase.created_by) == (
        SHIFT_START,
        "PDSA 2: Bedside handover",
        world.leader,
    )
    created = AuditEvent.objects.get(content_type__model="phase", object_id=str(phase.pk))
    assert created.actor == world.leader
    page = client.get(url).content.decode()
    assert "Start a new phase at" not in page
    assert "Remove this phase?" in page  # the removal asks first
    assert analyze(measure).points["part"].tolist()[11:13] == [1, 2]


def test_the_phase_can_be_removed_and_the_removal_is_audited(client_for, world, measure):
    phase = Phase.objects.create(measure=measure, period=SHIFT_START, label="Bedside handover")
    before = AuditEvent.objects.filter(content_type__model="phase").count()
    response = client_for(world.leader).post(
        reverse("measures:setting-remove", args=[measure.pk, "phase", phase.pk]),
        {"confirm": "yes"},
    )
    assert response.status_code == 302 and not measure.phases.exists()
    events = AuditEvent.objects.filter(content_type__model="phase", object_id=str(phase.pk))
    assert events.count() == before + 1
    assert events.order_by("-pk").first().actor == world.leader
    assert set(analyze(measure).points["part"].tolist()) == {1}


def test_one_click_removes_no_phase(client_for, world, measure):
    phase = Phase.objects.create(measure=measure, period=SHIFT_START, label="Bedside handover")
    url = reverse("measures:setting-remove", args=[measure.pk, "phase", phase.pk])
    response = client_for(world.leader).post(url, follow=True)
    assert "Nothing was removed" in response.content.decode() and measure.phases.exists()


def test_a_viewer_gets_no_offer_and_cannot_start_the_phase(client_for, world, measure):
    note(measure, datetime.date(2023, 11, 1), "PDSA 2: Bedside handover")
    client = client_for(world.colleague)  # Ward B: may read Ward A's measure, not change it
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "The shift began 2 months after" in page  # the words are for everyone
    assert "Start a new phase at" not in page
    response = client.post(
        reverse("measures:setting-add", args=[measure.pk, "phase"]),
        {"phase-period": "2024-01-01", "phase-label": "PDSA 2: Bedside handover"},
    )
    assert response.status_code == 403 and not measure.phases.exists()


def test_a_viewer_cannot_remove_a_phase(client_for, world, measure):
    phase = Phase.objects.create(measure=measure, period=SHIFT_START, label="Bedside handover")
    response = client_for(world.colleague).post(
        reverse("measures:setting-remove", args=[measure.pk, "phase", phase.pk]),
        {"confirm": "yes"},
    )
    assert response.status_code == 403 and measure.phases.exists()


def test_the_page_and_the_summary_api_say_the_same_headline(client, client_for, world, measure):
    note(measure, datetime.date(2023, 11, 1), "PDSA 2: Bedside handover")
    headline = said(measure).headline
    assert "The shift began 2 months after PDSA 2" in headline
    token = ApiToken.issue(world.member, "test")[1]
    body = client.get(
        f"/api/v1/measures/{measure.pk}/summary", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["headline"] == headline
    page = client_for(world.member).get(reverse("measures:detail", args=[measure.pk]))
    assert headline in page.content.decode().replace("&#x27;", "'")


def test_notes_outside_the_data_are_listed_not_drawn(measure):
    note(measure, datetime.date(2021, 5, 1), "PDSA 1: Long ago")
    note(measure, datetime.date(2023, 6, 1), "Huddles")
    note(measure, datetime.date(2026, 1, 1), "Planned spread")
    spec = chart_spec(measure, analyze(measure))
    assert [n["text"] for n in spec["datasets"]["annotations"]] == ["Huddles"]
    assert [n["line"] for n in spec["datasets"]["note_lines"]] == [
        "(1) Jun 2023: Huddles",
        "Before this chart's data: May 2021: PDSA 1: Long ago",
        "After this chart's data: Jan 2026: Planned spread",
    ]


def test_exports_leave_out_of_range_notes_off_the_axis(measure):
    from champion.measures.analysis import render

    note(measure, datetime.date(2019, 1, 1), "PDSA 1: Long ago")
    svg = render(measure, "svg").decode()
    assert "Before this chart" in svg
    # The axis spans the data (2023-2024), not 2019.
    assert "2019" not in svg.replace("Jan 2019", "")
