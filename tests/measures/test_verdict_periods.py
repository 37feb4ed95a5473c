"""A verdict names its periods as a sentence would, per frequency, on the page and in the API."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from champion.core.models import ApiToken
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure
from champion.measures.templatetags.measure_tags import period_in_words

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 17)  # a Monday
STEPS = {
    "daily": lambda k: DAY + datetime.timedelta(days=k),
    "event": lambda k: DAY + datetime.timedelta(days=3 * k),
    "weekly": lambda k: DAY + datetime.timedelta(weeks=k),
    "monthly": lambda k: datetime.date(2024 + (2 + k) // 12, (2 + k) % 12 + 1, 1),
    "quarterly": lambda k: datetime.date(2022 + k // 4, 3 * (k % 4) + 1, 1),
}
# The last of 16 points is far above the limits: a single-period signal, named alone.
LAST = {
    "daily": "On 1 Apr 2025",
    "event": "On 1 May 2025",
    "weekly": "In the week of 30 Jun 2025",
    "monthly": "In June 2025",
    "quarterly": "In the quarter starting October 2025",
}


@pytest.mark.parametrize(
    "frequency, day, words",
    [
        ("daily", DAY, "17 Mar 2025"),
        ("event", DAY, "17 Mar 2025"),
        ("weekly", DAY, "the week of 17 Mar 2025"),
        ("monthly", datetime.date(2025, 3, 1), "March 2025"),
        ("quarterly", datetime.date(2025, 1, 1), "the quarter starting January 2025"),
    ],
)
def test_period_in_words(frequency, day, words):
    assert period_in_words(day, frequency) == words
    assert period_in_words(day.isoformat(), frequency) == words


@pytest.mark.parametrize("frequency", sorted(LAST))
def test_the_page_and_the_api_name_a_single_period_alike(client, client_for, world, frequency):
    m = Measure.objects.create(
        unit=world.ward_a, name="Wait", definition="x", chart="i", frequency=frequency,
        improvement="down",
    )  # fmt: skip
    values = [10, 11, 9, 10, 12, 10, 9, 11, 10, 12, 9, 10, 11, 10, 9, 40]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=STEPS[frequency](k), value=v) for k, v in enumerate(values)
    )
    refresh(m)
    token = ApiToken.issue(world.member, "test")[1]
    body = client.get(
        f"/api/v1/measures/{m.pk}/summary", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    headline = body["headline"]
    assert headline.startswith(LAST[frequency] + ","), headline
    assert body["signals"][-1]["text"].startswith(LAST[frequency] + ",")
    page = client_for(world.member).get(reverse("measures:detail", args=[m.pk]))
    assert escape(headline) in page.content.decode()
    # Never a day with "In", never a bare date after "In".
    assert "In 1" not in headline and "In 3" not in headline
