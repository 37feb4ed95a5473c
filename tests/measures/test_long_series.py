"""The chart page of a long series (issue 15: every page under 200 KB).

Beyond `LONG_SERIES` points the data table shows the latest periods (all of them on
request), the chart settings ask for a period in the browser's own date or month picker
(checked by the server against the data's periods) instead of listing every period, and
the chart under the chart is fetched as the page scrolls to it. A series of ordinary
length keeps the page it had.
"""

import datetime
import json
import re

import pytest
from django.urls import reverse

from champion.core.models import AuditEvent
from champion.measures import analysis
from champion.measures.models import DataPoint, Measure
from champion.measures.views.chart import LONG_SERIES, TABLE_LATEST

from .conftest import months

pytestmark = pytest.mark.django_db

WEEKS = [datetime.date(2020, 1, 6) + datetime.timedelta(weeks=k) for k in range(200)]


def _measure(world, periods, frequency="weekly", chart="i") -> Measure:
    """An I chart of Ward A that nobody owns: its leader governs it, its members enter data."""
    measure = Measure.objects.create(
        unit=world.ward_a, name="Door to provider", definition="Minutes", chart=chart,
        improvement="down", frequency=frequency, unit_label="minutes",
    )  # fmt: skip
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=day, value=40.0 + k * 7 % 9)
        for k, day in enumerate(periods)
    )
    analysis.refresh(measure)
    return measure


@pytest.fixture
def weekly(world) -> Measure:
    return _measure(world, WEEKS)


def _page(client, measure, **params) -> str:
    response = client.get(reverse("measures:detail", args=[measure.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def _table(page: str) -> str:
    return page.split('id="table-title"')[1].split("</section>")[0]


def _row_periods(page: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', _table(page))


def _settings(page: str) -> str:
    return page.split('id="settings"')[1].split("</section>")[0]


def _post(client, measure, kind, data):
    """A chart setting as the page's form sends it; the page it comes back to."""
    if kind == "freeze":
        url = reverse("measures:freeze", args=[measure.pk])
    else:
        url = reverse("measures:setting-add", args=[measure.pk, kind])
    return client.post(url, {f"{kind}-{k}": v for k, v in data.items()}, follow=True)


# The data table


def test_a_long_series_table_shows_its_latest_periods_and_says_so(client_for, world, weekly):
    page = _page(client_for(world.member), weekly)
    assert TABLE_LATEST == 60
    assert _row_periods(page) == [f"{d.day} {d:%b %Y}" for d in WEEKS[-60:]]
    table = _table(page)
    assert "The latest 60 of 200 periods." in table
    assert 'href="?table=all#table-title">Show all 200</a>' in table
    assert f'href="{reverse("measures:csv", args=[weekly.pk])}" download>Data (CSV)' in table
    assert "Door to provider: the latest 60 of 200 points with their centre line" in table


def test_show_all_lists_every_period_and_offers_the_latest_again(client_for, world, weekly):
    page = _page(client_for(world.member), weekly, table="all")
    assert len(_row_periods(page)) == 200 and _row_periods(page)[0] == "6 Jan 2020"
    table = _table(page)
    assert "All 200 periods." in table and "The latest" not in table
    url = reverse("measures:detail", args=[weekly.pk])
    assert f'href="{url}#table-title">Show only the latest 60</a>' in table
    assert "Door to provider: every point with its centre line" in table


def test_a_series_of_ordinary_length_lists_every_period_as_before(client_for, world):
    measure = _measure(world, WEEKS[:LONG_SERIES])
    client = client_for(world.leader)
    for page in (_page(client, measure), _page(client, measure, table="all")):
        assert len(_row_periods(page)) == LONG_SERIES
        assert "The latest" not in page and "Show all" not in page and "All 150" not in page
        assert "every point with its centre line" in page


# The settings' periods


def test_a_series_of_ordinary_length_offers_every_period_in_lists(client_for, world):
    measure = _measure(world, WEEKS[:LONG_SERIES])
    settings = _settings(_page(client_for(world.leader), measure))
    assert settings.count("<select") == 4
    assert settings.count('<option value="2022-11-14">14 Nov 2022 (') == 4
    assert '<option value="" selected>(no frozen baseline)</option>' in settings
    assert 'type="date"' not in settings


def test_a_long_series_asks_for_a_period_in_a_date_picker(client_for, world, weekly):
    settings = _settings(_page(client_for(world.leader), weekly))
    assert "<select" not in settings and "<option" not in settings
    inputs = re.findall(r"<input [^>]*type=\"date\"[^>]*>", settings)
    assert len(inputs) == 4
    for tag in inputs:
        # The browser's calendar offers the weeks' own Mondays, from the first to the last.
        assert 'min="2020-01-06"' in tag and 'max="2023-10-30"' in tag and 'step="7"' in tag
    required = {re.search(r'name="([^"]+)"', t)[1]: " required" in t for t in inputs}
    assert required == {
        "annotate-period": True, "phase-period": True, "exclude-period": True,
        "freeze-freeze_until": False,
    }  # fmt: skip
    assert settings.count("From 6 Jan 2020 to 30 Oct 2023.") == 4
    assert "Leave it empty for no frozen baseline." in settings


def test_a_long_monthly_series_asks_for_a_month(client_for, world):
    measure = _measure(world, months(160, datetime.date(2010, 1, 1)), frequency="monthly")
    client = client_for(world.leader)
    settings = _settings(_page(client, measure))
    inputs = re.findall(r"<input [^>]*type=\"month\"[^>]*>", settings)
    assert len(inputs) == 4 and all('min="2010-01" max="2023-04"' in t for t in inputs)
    page = _post(client, measure, "annotate", {"period": "2015-03", "text": "New triage"})
    assert measure.annotations.get().period == datetime.date(2015, 3, 1)
    assert "The note was added to the chart." in page.content.decode()
    _post(client, measure, "freeze", {"freeze_until": "2012-12"})
    measure.refresh_from_db()
    assert measure.freeze_until == datetime.date(2012, 12, 1)
    assert 'name="freeze-freeze_until" value="2012-12"' in _settings(_page(client, measure))


def test_a_period_of_the_data_is_accepted_and_audited_as_before(client_for, world, weekly):
    client = client_for(world.leader)
    _post(client, weekly, "annotate", {"period": "2022-11-21", "text": "Rapid assessment"})
    _post(client, weekly, "phase", {"period": "2022-11-21", "label": "Rapid assessment"})
    _post(client, weekly, "exclude", {"period": "2020-02-03", "reason": "The scanner was down"})
    _post(client, weekly, "freeze", {"freeze_until": "2020-06-29"})
    weekly.refresh_from_db()
    assert weekly.annotations.get().period == datetime.date(2022, 11, 21)
    assert weekly.phases.get().period == datetime.date(2022, 11, 21)
    assert weekly.exclusions_set.get().period == datetime.date(2020, 2, 3)
    assert weekly.freeze_until == datetime.date(2020, 6, 29)
    audited = set(AuditEvent.objects.values_list("content_type__model", flat=True))
    assert {"annotation", "phase", "exclusion", "measure"} <= audited
    result = analysis.analyze(weekly)
    assert result.points["part"].tolist()[149:151] == [1, 2]
    assert not result.points["include"][4]


@pytest.mark.parametrize("kind", ["annotate", "phase", "exclude", "freeze"])
def test_a_day_that_is_not_a_period_is_refused_naming_the_nearest(client_for, world, weekly, kind):
    data = {
        "annotate": {"period": "2022-11-24", "text": "Rapid assessment"},
        "phase": {"period": "2022-11-24", "label": "Rapid assessment"},
        "exclude": {"period": "2022-11-24", "reason": "The scanner was down"},
        "freeze": {"freeze_until": "2022-11-24"},
    }[kind]
    page = _post(client_for(world.leader), weekly, kind, data).content.decode()
    assert "There is no point on 24 Nov 2022; the nearest are 21 Nov 2022 and 28 Nov 2022." in page
    _assert_nothing_changed(weekly)


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("2019-12-30", "There is no point on 30 Dec 2019: the first is 6 Jan 2020."),
        ("2030-01-07", "There is no point on 7 Jan 2030: the latest is 30 Oct 2023."),
    ],
)
@pytest.mark.parametrize("kind", ["annotate", "freeze"])
def test_a_day_outside_the_data_is_refused(client_for, world, weekly, kind, day, said):
    data = {"annotate": {"period": day, "text": "Note"}, "freeze": {"freeze_until": day}}[kind]
    page = _post(client_for(world.leader), weekly, kind, data).content.decode()
    assert said in page
    _assert_nothing_changed(weekly)


@pytest.mark.parametrize("typed", ["2022-13-45", "next Monday", "21/11/2022 12:00", "20221121"])
@pytest.mark.parametrize("kind", ["annotate", "exclude", "freeze"])
def test_what_is_not_a_date_is_refused(client_for, world, weekly, kind, typed):
    field = "freeze_until" if kind == "freeze" else "period"
    data = {field: typed, "text": "Note", "reason": "The scanner was down"}
    settings = _settings(_post(client_for(world.leader), weekly, kind, data).content.decode())
    assert "Nothing was changed." in settings and "Enter a valid date." in settings
    _assert_nothing_changed(weekly)


def test_an_empty_period_unfreezes_but_is_needed_elsewhere(client_for, world, weekly):
    client = client_for(world.leader)
    weekly.freeze_until = WEEKS[30]
    weekly.save()
    _post(client, weekly, "freeze", {"freeze_until": ""})
    weekly.refresh_from_db()
    assert weekly.freeze_until is None
    page = _post(client, weekly, "annotate", {"period": "", "text": "Note"}).content.decode()
    assert "This field is required." in _settings(page)
    assert not weekly.annotations.exists()


def test_a_refused_setting_comes_back_as_sent_with_why(client_for, world, weekly):
    """Beside its form, not at the top of the page the refusal leads back to: what was typed,
    why it was refused, the field in focus; once (the next visit shows empty forms)."""
    client = client_for(world.leader)
    data = {"period": "2022-11-24", "reason": "The scanner was down"}
    settings = _settings(_post(client, weekly, "exclude", data).content.decode())
    form = settings.split("<h3>Exclude a point</h3>")[1].split("</form>")[0]
    assert "Nothing was changed." in form
    assert "There is no point on 24 Nov 2022; the nearest are 21 Nov 2022" in form
    period = re.search(r'<input [^>]*name="exclude-period"[^>]*>', form)[0]
    assert 'value="2022-11-24"' in period and "autofocus" in period
    assert 'aria-invalid="true"' in period
    assert 'value="The scanner was down"' in form
    assert "Nothing was changed" not in settings.split("<h3>Exclude a point</h3>")[0]
    again = _settings(_page(client, weekly))
    assert "Nothing was changed" not in again and "2022-11-24" not in again


def test_a_refused_setting_of_a_short_series_keeps_its_chosen_period(client_for, world):
    measure = _measure(world, WEEKS[:30])
    client = client_for(world.leader)
    data = {"period": "2020-03-02", "reason": "x"}
    form = _settings(_post(client, measure, "exclude", data).content.decode())
    assert "Say why this point is excluded" in form and "Nothing was changed." in form
    assert '<option value="2020-03-02" selected>2 Mar 2020' in form
    assert "autofocus" in re.search(r'<input [^>]*name="exclude-reason"[^>]*>', form)[0]
    assert not measure.exclusions_set.exists()


def _assert_nothing_changed(measure: Measure) -> None:
    measure.refresh_from_db()
    assert not measure.annotations.exists() and not measure.phases.exists()
    assert not measure.exclusions_set.exists() and measure.freeze_until is None


def test_who_may_set_what_is_unchanged(client_for, world, weekly):
    """A member of the ward annotates but neither starts a phase, excludes nor freezes; a
    member of another ward reads the page without the settings; another organisation sees
    nothing."""
    member = client_for(world.member)
    settings = _settings(_page(member, weekly))
    assert 'name="annotate-period"' in settings and 'type="date"' in settings
    assert "phase-period" not in settings and "freeze_until" not in settings
    _post(member, weekly, "annotate", {"period": "2022-11-21", "text": "Rapid assessment"})
    assert weekly.annotations.count() == 1
    for kind, data in [
        ("phase", {"period": "2022-11-21", "label": "x"}),
        ("exclude", {"period": "2022-11-21", "reason": "The scanner was down"}),
        ("freeze", {"freeze_until": "2022-11-21"}),
    ]:
        assert _post(member, weekly, kind, data).status_code == 403, kind
    assert 'id="settings"' not in _page(client_for(world.colleague), weekly)
    outsider = client_for(world.outsider)
    assert _post(outsider, weekly, "annotate", {"period": "2022-11-21"}).status_code == 404
    weekly.refresh_from_db()
    assert weekly.annotations.count() == 1 and not weekly.phases.exists()
    assert not weekly.exclusions_set.exists() and weekly.freeze_until is None


# The chart under the chart


def test_a_long_series_fetches_its_moving_range_chart(client_for, world, weekly):
    client = client_for(world.colleague)
    page = _page(client, weekly)
    url = reverse("measures:second-chart", args=[weekly.pk])
    assert 'id="chart-spec"' in page and 'id="mr-chart-spec"' not in page
    assert f'<div id="mr-chart" class="chart" data-vega-spec-url="{url}"></div>' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == json.loads(
        json.dumps(analysis.moving_range_spec(weekly, width="container"))
    )


def test_a_short_series_carries_its_moving_range_chart_inline(client_for, world):
    page = _page(client_for(world.member), _measure(world, WEEKS[:30]))
    assert 'id="mr-chart-spec"' in page and "data-vega-spec-url" not in page


def test_a_chart_with_nothing_under_it_has_no_second_chart(client_for, world):
    measure = _measure(world, WEEKS, chart="run")
    client = client_for(world.member)
    assert "mr-chart" not in _page(client, measure)
    assert client.get(reverse("measures:second-chart", args=[measure.pk])).status_code == 404
