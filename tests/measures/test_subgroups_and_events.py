"""Every chart type in the app: X̄, R and S charts from subgroups (typed, uploaded long or
wide, pushed through the API), T charts from the dates of events, and the capability panel
of a stable process with a specification."""

import datetime
import json

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from champion import spc
from champion.core.models import ApiToken
from champion.measures import analysis
from champion.measures.data import Subgroup
from champion.measures.models import SAME_DAY_GAP, DataImport, Measure
from champion.measures.services import record_data

from .test_upload import map_and_save, upload

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def xbar(world):
    m = Measure.objects.create(
        unit=world.ward_a, name="Door to needle", definition="Minutes, five patients a day",
        chart="xbar", frequency="daily", unit_label="minutes",
    )  # fmt: skip
    m.owners.add(world.member)
    return m


@pytest.fixture
def tchart(world):
    m = Measure.objects.create(
        unit=world.ward_a, name="Days between pressure ulcers", definition="x", chart="t",
        frequency="event", improvement="up",
    )  # fmt: skip
    m.owners.add(world.member)
    return m


def post_subgroups(client, measure, rows, columns=3, **extra):
    data = {"rows": str(len(rows)), "columns": str(columns), **extra}
    for i, (period, values, original) in enumerate(rows):
        data[f"period-{i}"] = period
        data[f"original-{i}"] = original
        for k, v in enumerate(values):
            data[f"sub-{k}-{i}"] = v
    return client.post(reverse("measures:data", args=[measure.pk]), data)


def test_subgroups_typed_in_the_grid_are_what_the_engine_charts(client_for, world, xbar):
    client = client_for(world.member)
    response = post_subgroups(client, xbar, [
        ("2024-01-01", ["10", "12", "14"], ""),
        ("2024-01-02", ["11", "", "13"], ""),  # a blank cell is skipped: a subgroup of 2
        ("2024-01-03", ["9", "10", "17"], ""),
    ])  # fmt: skip
    assert response.status_code == 302
    saved = list(xbar.data_points.all())
    assert [(p.period, p.values, p.value) for p in saved] == [
        (D(2024, 1, 1), [10, 12, 14], 12),
        (D(2024, 1, 2), [11, 13], 12),
        (D(2024, 1, 3), [9, 10, 17], 12),
    ]
    # The stored analysis is the engine's X̄ chart of the raw measurements.
    x = np.array([D(2024, 1, 1)] * 3 + [D(2024, 1, 2)] * 2 + [D(2024, 1, 3)] * 3, "datetime64[D]")
    expected = spc.analyze([10, 12, 14, 11, 13, 9, 10, 17], x=x, chart="xbar")
    got = analysis.analyze(xbar)
    assert got is not None and len(got) == 3
    np.testing.assert_allclose(got.points["ucl"], expected.points["ucl"])
    np.testing.assert_allclose(got.points["y"], [12, 12, 12])
    # The grid shows them back, one cell each, with a spare column.
    page = client.get(reverse("measures:data", args=[xbar.pk])).content.decode()
    assert 'name="sub-2-0"' in page and 'value="14"' in page and 'name="sub-3-0"' in page
    assert "Measurement 4" in page


@pytest.mark.parametrize("chart", ["r", "s"])
def test_r_and_s_charts_plot_ranges_and_standard_deviations(world, chart):
    m = Measure.objects.create(unit=world.ward_a, name=chart, definition="x", chart=chart)
    record_data(m, [Subgroup(D(2024, 1, k), (10.0, 12.0 + k, 14.0)) for k in range(1, 6)])
    got = analysis.analyze(m)
    assert got is not None
    ys = got.points["y"]
    if chart == "r":
        np.testing.assert_allclose(ys, [4, 4, 5, 6, 7])
    else:
        np.testing.assert_allclose(ys[0], np.std([10, 13, 14], ddof=1))


def test_bad_subgroups_are_explained_and_nothing_is_saved(client_for, world, xbar):
    response = post_subgroups(client_for(world.member), xbar, [
        ("2024-01-01", ["10", "12", "14"], ""),
        ("2024-01-02", ["11", "", ""], ""),
        ("2024-01-03", ["9", "ten", "17"], ""),
    ])  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 422
    assert "Row 2: A subgroup needs at least 2 measurements; this period has 1." in page
    assert "Row 3: Not a number: &#x27;ten&#x27;." in page
    assert not xbar.data_points.exists()


def test_a_column_can_be_added_without_saving(client_for, world, xbar):
    response = post_subgroups(
        client_for(world.member),
        xbar,
        [("2024-01-01", ["1", "2", "3"], "")],
        columns=5,
        add_column="1",
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'name="sub-5-0"' in page  # 5 + 1 columns
    assert 'value="3"' in page and not xbar.data_points.exists()


def test_a_long_subgroup_file_groups_rows_by_date(client_for, world, xbar):
    client = client_for(world.member)
    upload(client, xbar, "dtn.csv",
           "date,minutes\n2024-01-01,10\n2024-01-01,12\n2024-01-02,11\n2024-01-02,15\n"
           "2024-01-02,16\n")  # fmt: skip
    imp = DataImport.objects.get()
    assert imp.mapping["layout"] == "periods" and imp.mapping["value"] == "minutes"
    response = map_and_save(client, xbar, imp, layout="periods", period="date", value="minutes")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [(p.period, p.values) for p in xbar.data_points.all()] == [
        (D(2024, 1, 1), [10, 12]),
        (D(2024, 1, 2), [11, 15, 16]),
    ]


def test_a_wide_subgroup_file_reads_its_measurement_columns(client_for, world, xbar):
    client = client_for(world.member)
    upload(client, xbar, "dtn.csv", "date,m1,m2,m3\n2024-01-01,10,12,\n2024-01-02,11,15,16\n")
    imp = DataImport.objects.get()
    assert imp.mapping["value"] == "m1" and imp.mapping["more_values"] == "m2\nm3"
    page = client.get(reverse("measures:import", args=[xbar.pk, imp.pk])).content.decode()
    assert 'name="more_values" value="m2" checked' in page
    response = client.post(
        reverse("measures:import", args=[xbar.pk, imp.pk]),
        {"layout": "periods", "period": "date", "value": "m1", "more_values": ["m2", "m3"]},
    )
    assert response.status_code == 302
    assert [(p.period, p.values) for p in xbar.data_points.all()] == [
        (D(2024, 1, 1), [10, 12]),
        (D(2024, 1, 2), [11, 15, 16]),
    ]


def test_a_bad_subgroup_file_names_its_lines_and_saves_nothing(client_for, world, xbar):
    client = client_for(world.member)
    upload(client, xbar, "dtn.csv", "date,minutes\n2024-01-01,10\n2024-01-32,12\n")
    imp = DataImport.objects.get()
    map_and_save(client, xbar, imp, layout="periods", period="date", value="minutes")
    imp.refresh_from_db()
    assert imp.status == "failed" and not xbar.data_points.exists()
    assert [line for line, _ in imp.errors] == [2, 3]
    assert "at least 2 measurements" in imp.errors[0][1] and "not a date" in imp.errors[1][1]


def test_the_api_takes_subgroups(client, world, xbar):
    token = ApiToken.issue(world.member, "t")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/measures/{xbar.pk}/data"
    bad = client.post(url, {"points": [{"period": "2024-01-01", "values": [3]}]},
                      content_type="application/json", **auth)  # fmt: skip
    assert bad.status_code == 422 and "at least 2 measurements" in bad.content.decode()
    ok = client.post(url, {"points": [{"period": "2024-01-01", "values": [3, 5.5, 7]}]},
                     content_type="application/json", **auth)  # fmt: skip
    assert ok.status_code == 200, ok.content
    assert xbar.data_points.get().values == [3, 5.5, 7]


def test_a_chart_with_data_cannot_switch_between_subgroups_and_single_values(world, xbar):
    record_data(xbar, [Subgroup(D(2024, 1, 1), (1.0, 2.0))])
    xbar.chart = "i"
    with pytest.raises(ValidationError, match="several measurements per period"):
        xbar.full_clean(exclude=["owners", "created_by"])
    xbar.chart = "s"
    xbar.full_clean(exclude=["owners", "created_by"])  # another subgroup chart fits the same data


def post_dates(client, measure, rows):
    data = {"rows": str(len(rows))}
    for i, (period, original) in enumerate(rows):
        data.update({f"period-{i}": period, f"original-{i}": original})
    return client.post(reverse("measures:data", args=[measure.pk]), data)


def test_t_chart_events_are_entered_as_dates(client_for, world, tchart):
    client = client_for(world.member)
    response = post_dates(client, tchart, [("2024-01-05", ""), ("2024-02-04", ""),
                                           ("2024-02-10", "")])  # fmt: skip
    assert response.status_code == 302
    assert [(p.period, p.value) for p in tchart.data_points.all()] == [
        (D(2024, 1, 5), None),
        (D(2024, 2, 4), 30),
        (D(2024, 2, 10), 6),
    ]
    got = analysis.analyze(tchart)
    assert got is not None and np.isnan(got.points["y"][0])
    np.testing.assert_allclose(got.points["y"][1:], [30, 6])
    # An event found later between two others: the gap after it is worked out again.
    post_dates(client, tchart, [("2024-01-20", "")])
    assert [(p.period, p.value) for p in tchart.data_points.all()] == [
        (D(2024, 1, 5), None),
        (D(2024, 1, 20), 15),
        (D(2024, 2, 4), 15),
        (D(2024, 2, 10), 6),
    ]
    # A cleared date deletes its event; the one after it counts from the event before.
    post_dates(client, tchart, [("", "2024-02-04")])
    assert [(p.period, p.value) for p in tchart.data_points.all()] == [
        (D(2024, 1, 5), None),
        (D(2024, 1, 20), 15),
        (D(2024, 2, 10), 21),
    ]
    page = client.get(reverse("measures:data", args=[tchart.pk])).content.decode()
    assert "Date of the event" in page and "first event" in page and 'name="value-0"' not in page


def test_t_chart_dates_are_checked(client_for, world, tchart):
    response = post_dates(client_for(world.member), tchart, [("2024-01-05", ""),
                                                             ("not a date", "")])  # fmt: skip
    assert response.status_code == 422 and not tchart.data_points.exists()


def test_two_events_on_one_day_are_both_kept_half_a_day_apart(client_for, world, tchart):
    """Events share a date (the dates do not say the time): both are charted, the second
    SAME_DAY_GAP (half a day) after the first, since the engine's T chart needs a time above
    zero; clearing one of the two removes only that one."""
    client = client_for(world.member)
    rows = [("2024-01-05", ""), ("2024-02-04", ""), ("2024-02-04", ""), ("2024-02-10", "")]
    assert post_dates(client, tchart, rows).status_code == 302
    assert SAME_DAY_GAP == 0.5
    assert [(p.period, p.value) for p in tchart.data_points.all()] == [
        (D(2024, 1, 5), None),
        (D(2024, 2, 4), 30),
        (D(2024, 2, 4), 0.5),
        (D(2024, 2, 10), 6),
    ]
    got = analysis.analyze(tchart)
    np.testing.assert_allclose(got.points["y"][1:], [30, 0.5, 6])
    tchart.refresh_from_db()
    assert not tchart.summary.error
    chart = client.get(reverse("measures:detail", args=[tchart.pk]))
    assert chart.status_code == 200 and chart.context["rows"][2]["plotted"] == 0.5
    page = client.get(reverse("measures:data", args=[tchart.pk])).content.decode()
    assert page.count('value="2024-02-04"') == 2 * page.count('value="2024-01-05"') > 0
    # The grid posts every row; the second event of 4 Feb cleared: one event left that day.
    rows = [("2024-01-05", "2024-01-05"), ("2024-02-04", "2024-02-04"), ("", "2024-02-04"),
            ("2024-02-10", "2024-02-10")]  # fmt: skip
    assert post_dates(client, tchart, rows).status_code == 302
    assert [p.value for p in tchart.data_points.all()] == [None, 30, 6]
    # The API and files take them too: a third event on a day already holding one.
    record_data(tchart, [(D(2024, 2, 10), None), (D(2024, 2, 10), None)])
    assert [p.value for p in tchart.data_points.all()] == [None, 30, 6, 0.5]


def test_a_t_chart_file_needs_only_the_dates(client_for, world, tchart):
    client = client_for(world.member)
    upload(client, tchart, "events.csv", "occurred\n2024-03-01\n2024-01-01\n2024-01-31\n")
    imp = DataImport.objects.get()
    assert imp.mapping["layout"] == "periods" and imp.mapping["value"] == ""
    response = map_and_save(client, tchart, imp, layout="periods", period="occurred", value="")
    assert response.status_code == 302
    assert [p.value for p in tchart.data_points.all()] == [None, 30, 30]


def test_a_single_event_is_no_chart_yet(world, tchart):
    record_data(tchart, [(D(2024, 1, 5), None)])
    tchart.refresh_from_db()
    assert analysis.analyze(tchart) is None and not tchart.summary.error


def _stable(measure, spread=1.0):
    rng = np.random.default_rng(4)
    record_data(measure, [
        Subgroup(D(2024, 1, 1) + datetime.timedelta(days=k),
                 tuple(float(v) for v in np.round(rng.normal(30, spread, 4), 1)))
        for k in range(20)
    ])  # fmt: skip


def test_capability_is_shown_for_a_stable_process_with_a_specification(client_for, world, xbar):
    _stable(xbar)
    page = client_for(world.member).get(reverse("measures:detail", args=[xbar.pk])).content
    assert "Not shown: No specification limits are set" in page.decode()
    xbar.spec_lower, xbar.spec_upper = 27.0, 33.0
    xbar.save()
    page = client_for(world.member).get(reverse("measures:detail", args=[xbar.pk])).content
    text = page.decode()
    said = analysis.verdict(xbar, analysis.analyze(xbar))
    assert said.enough_data and not said.signals
    values = [v for p in xbar.data_points.all() for v in p.values]
    inside = 100 * sum(27 <= v <= 33 for v in values) / len(values)
    assert f"{inside:.1f}% of 80 measurements" in text
    cap = spc.capability(values, lsl=27, usl=33, subgroup_size=4)
    assert f"<dt>Cpk</dt><dd>{cap.cpk:.2f}" in text


def test_capability_is_not_shown_for_an_unstable_process(client_for, world, xbar):
    _stable(xbar)
    record_data(xbar, [Subgroup(D(2024, 3, 1), (60.0, 61.0, 62.0, 63.0))])
    xbar.spec_lower, xbar.spec_upper = 27.0, 33.0
    xbar.save()
    text = client_for(world.member).get(reverse("measures:detail", args=[xbar.pk])).content.decode()
    assert (
        "Not shown: Capability is shown only for a stable process: the current phase shows " in text
    )
    assert "% of " not in text


def test_capability_waits_for_enough_points(client_for, world, xbar):
    record_data(xbar, [Subgroup(D(2024, 1, k), (1.0, 2.0)) for k in range(1, 5)])
    xbar.spec_upper = 3.0
    xbar.save()
    text = client_for(world.member).get(reverse("measures:detail", args=[xbar.pk])).content.decode()
    assert "too few points to judge stability yet" in text


def test_capability_is_not_offered_for_counts(client_for, world, measure):
    text = client_for(world.member).get(reverse("measures:detail", args=[measure.pk])).content
    assert b"capability-title" not in text


def test_specification_limits_must_be_in_order(world, xbar):
    xbar.spec_lower, xbar.spec_upper = 5.0, 4.0
    with pytest.raises(ValidationError, match="above the lower one"):
        xbar.full_clean(exclude=["owners", "created_by"])


def test_the_csv_keeps_each_periods_measurements(client_for, world, xbar):
    record_data(xbar, [Subgroup(D(2024, 1, 1), (10.0, 12.5)), Subgroup(D(2024, 1, 2), (3.0, 4.0))])
    text = client_for(world.member).get(reverse("measures:csv", args=[xbar.pk])).content.decode()
    lines = text.splitlines()
    assert lines[0].endswith(",measurements") and lines[1].endswith(",10 12.5")


def test_the_s_chart_is_drawn_under_the_xbar_chart(client_for, world, xbar):
    record_data(xbar, [Subgroup(D(2024, 1, k), (10.0, 12.0 + k, 14.0)) for k in range(1, 6)])
    spec = analysis.moving_range_spec(xbar, width=600)
    assert spec is not None and "spread within each period" in json.dumps(spec)
    page = client_for(world.member).get(reverse("measures:detail", args=[xbar.pk])).content
    assert b'id="mr-chart"' in page
    svg = client_for(world.member).get(reverse("measures:chart-file", args=[xbar.pk, "svg"]))
    assert svg.status_code == 200 and b"spread within each period" in svg.content
