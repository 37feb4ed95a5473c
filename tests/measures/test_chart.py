"""The chart page: the chart spec, the data table, actions (audited) and downloads."""

import json
import re

import pytest
from django.urls import reverse

from champion.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_page_has_the_chart_spec_the_signals_and_a_data_table(client_for, world, measure):
    page = (
        client_for(world.member).get(reverse("measures:detail", args=[measure.pk])).content.decode()
    )
    spec = json.loads(
        page.split('id="chart-spec" type="application/json">')[1].split("</script>")[0]
    )
    assert spec["title"]["text"] == "Falls" and spec["width"] == "container"
    assert "<caption" in page and "Centre" in page
    assert "vega-embed-" in page  # the bundle is served locally, never from a CDN
    # No script or stylesheet from another site ("cdn" anywhere in the page was a flaky test:
    # a random nonce or token may spell it).
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']?(https?:)?//", page, re.I)


def test_the_vega_bundle_is_served_by_us(client_for, world):
    from champion import charts

    response = client_for(world.member).get(
        reverse("measures:vega-bundle", args=[charts.VEGA_LITE_VERSION])
    )
    assert response.status_code == 200 and b"vegaEmbed" in response.content


def test_actions_change_the_analysis_and_are_audited(client_for, world, measure):
    client = client_for(world.leader)
    url = lambda kind: reverse("measures:setting-add", args=[measure.pk, kind])  # noqa: E731
    client.post(url("annotate"), {"annotate-period": "2024-01-01", "annotate-text": "Falls bundle"})
    client.post(url("phase"), {"phase-period": "2024-01-01", "phase-label": "Falls bundle"})
    client.post(
        url("exclude"),
        {"exclude-period": "2023-05-01", "exclude-reason": "Datix outage for two weeks"},
    )
    assert measure.annotations.count() == 1 and measure.phases.count() == 1
    assert measure.exclusions_set.get().reason == "Datix outage for two weeks"
    measure.refresh_from_db()
    from champion.measures.analysis import analyze

    result = analyze(measure)
    assert result.points["part"].tolist()[11:13] == [1, 2]
    assert not result.points["include"][4]
    types = set(AuditEvent.objects.values_list("content_type__model", flat=True))
    assert {"annotation", "phase", "exclusion"} <= types


def test_an_exclusion_needs_a_reason_and_a_real_point(client_for, world, measure):
    client = client_for(world.leader)
    url = reverse("measures:setting-add", args=[measure.pk, "exclude"])
    client.post(url, {"exclude-period": "2023-05-01", "exclude-reason": ""})
    client.post(url, {"exclude-period": "2030-01-01", "exclude-reason": "Not a real month"})
    assert not measure.exclusions_set.exists()


def test_freezing_the_baseline(client_for, world, measure):
    client_for(world.leader).post(
        reverse("measures:freeze", args=[measure.pk]), {"freeze-freeze_until": "2023-12-01"}
    )
    measure.refresh_from_db()
    from champion.measures.analysis import analyze

    result = analyze(measure)
    assert result.points["baseline"].tolist() == [True] * 12 + [False] * 12


@pytest.mark.parametrize("fmt,magic", [("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_chart_downloads(client_for, world, measure, fmt, magic):
    response = client_for(world.member).get(reverse("measures:chart-file", args=[measure.pk, fmt]))
    assert response.status_code == 200 and response.content[: len(magic)] == magic
    assert "attachment" in response["Content-Disposition"]


def test_csv_download(client_for, world, measure):
    text = client_for(world.member).get(reverse("measures:csv", args=[measure.pk])).content.decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("period,value,denominator,plotted,centre_line")
    assert len(lines) == 25 and lines[1].startswith("2023-01-01,9")


def test_a_new_phase_is_labelled_on_the_chart(client_for, world, measure):
    from champion.measures.analysis import analyze, chart_spec

    client_for(world.leader).post(
        reverse("measures:setting-add", args=[measure.pk, "phase"]),
        {"phase-period": "2024-01-01", "phase-label": "Falls bundle"},
    )
    spec = chart_spec(measure, analyze(measure))
    assert [(n["x"], n["text"]) for n in spec["datasets"]["annotations"]] == [
        ("2024-01-01", "Falls bundle")
    ]


def test_a_frozen_baseline_with_phases_is_shown_as_not_used(client_for, world, measure):
    client = client_for(world.leader)
    client.post(
        reverse("measures:freeze", args=[measure.pk]), {"freeze-freeze_until": "2023-06-01"}
    )
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "Baseline</span> up to" in page and "not used while the chart has phases" not in page
    client.post(
        reverse("measures:setting-add", args=[measure.pk, "phase"]),
        {"phase-period": "2024-01-01", "phase-label": "Falls bundle"},
    )
    page = client.get(reverse("measures:detail", args=[measure.pk])).content.decode()
    assert "not used while the chart has phases" in page
    from champion.measures.analysis import analyze

    # As in qicharts2, phases win: each part has its own limits from all its points.
    assert analyze(measure).points["baseline"].all()
