"""Refreshing many measures at once goes through the engine's bulk path (issue 9, item 10)."""

import pytest

from champion import spc
from champion.measures import analysis
from champion.measures import months as months_kept
from champion.measures.models import DataPoint, Measure, Phase, StoredAnalysis
from champion.measures.summary import Summary

from .conftest import months

pytestmark = pytest.mark.django_db


def _measure(world, name, chart="i", values=None, denominators=None, **extra):
    m = Measure.objects.create(
        unit=world.ward_a, name=name, definition="x", chart=chart, denominator="d", **extra
    )
    values = values or [5 + (k * 7) % 4 for k in range(20)]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=float(v),
                  denominator=None if denominators is None else denominators[k])
        for k, (d, v) in enumerate(zip(months(len(values)), values, strict=True))
    )  # fmt: skip
    return m


def test_refresh_many_gives_what_one_by_one_gives_through_analyze_many(world, monkeypatch):
    measures = [
        _measure(world, "A", improvement="down", target=6.0),
        _measure(world, "B", improvement="down", target=6.0, values=[5] * 12 + [9] * 8),
        _measure(world, "C", improvement="up"),
        _measure(world, "P", chart="p", values=[40 + k % 5 for k in range(20)],
                 denominators=[50.0] * 20, multiply=100),
        _measure(world, "Phased", values=[5] * 10 + [9] * 10),
        Measure.objects.create(unit=world.ward_a, name="Empty", definition="x", chart="run"),
    ]  # fmt: skip
    Phase.objects.create(measure=measures[4], period=months(11)[10], label="Change")
    bulk_calls = []
    real = spc.analyze_many
    monkeypatch.setattr(
        spc,
        "analyze_many",
        lambda *a, **k: bulk_calls.append(len(set(k["series"]))) or real(*a, **k),
    )
    batch = Measure.objects.filter(pk__in=[m.pk for m in measures]).prefetch_related(
        *analysis.BATCH_PREFETCH
    )
    seen = []
    assert (
        analysis.refresh_many(batch, progress=lambda done, total: seen.append((done, total))) == 6
    )
    assert seen[-1] == (6, 6)
    # A and B share a chart and its options: one vectorised call; C, P alone in theirs.
    assert sorted(bulk_calls) == [1, 1, 2]
    for m in measures[:5]:
        m.refresh_from_db()
        expected = spc.analyze(**analysis.engine_arguments(m, analysis.series(m)))
        assert StoredAnalysis.objects.get(measure=m).data == expected.to_dict(), m.name
        assert m.summary.n == 20 and m.summary.variation == expected.variation_icon
    empty = Measure.objects.get(name="Empty")
    assert empty.summary == Summary() and not StoredAnalysis.objects.filter(measure=empty).exists()


def test_one_bad_measure_does_not_cost_the_others_their_analysis(world):
    good = _measure(world, "Good", chart="t", values=[3, 4, 5, 3, 4, 6, 5, 4])
    bad = _measure(world, "Bad", chart="t", values=[3, 4, 0, 3, 4, 6, 5, 4])  # t needs > 0
    analysis.refresh_many(Measure.objects.filter(pk__in=[good.pk, bad.pk]))
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.summary.n == 8 and not good.summary.error
    assert bad.summary.n == 0 and "times between events above zero" in bad.summary.error


def test_the_command_reports_its_progress_and_tells_nobody(
    world, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    from champion.core.models import Notification
    from champion.measures import tasks
    from champion.measures.models import RefreshRun

    for k in range(5):
        _measure(world, f"M{k}", values=[5] * 12 + [9] * 8, improvement="down")
    out = StringIO()
    old = tasks.REFRESH_BATCH
    tasks.REFRESH_BATCH = 2
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("refresh_measures", stdout=out)
    finally:
        tasks.REFRESH_BATCH = old
    text = out.getvalue()
    last = f"{months_kept.last_month():%B %Y}'s board report summaries"
    assert "Testshire Health: Re-analysed 2 of 5 measures...\n" in text
    # Then the last step, with its own progress, and the end only once it is done.
    said = [line for line in text.splitlines() if line.startswith("Testshire Health:")]
    assert said[-4:] == [
        f"Testshire Health: Re-analysed 5 of 5 measures; preparing {last}: counting those to "
        "compute...",
        f"Testshire Health: Re-analysed 5 of 5 measures; preparing {last}: 0 of 5...",
        f"Testshire Health: Re-analysed 5 of 5 measures; preparing {last}: 5 of 5...",
        f"Testshire Health: Re-analysed 5 of 5 measures; prepared {last}: 5 of 5.",
    ]
    assert "5 measure summaries refreshed in" in text
    # The nightly run is recorded where the organisation's admins see it.
    run = RefreshRun.objects.get(organisation=world.org)
    assert (run.status, run.done, run.total, run.prepared, run.to_prepare) == ("done", 5, 5, 5, 5)
    assert all(m.summary.variation == "concern" for m in Measure.objects.all())
    assert not Notification.objects.exists()


def test_the_command_says_when_the_preparation_step_stopped(world, monkeypatch):
    """The measures were re-analysed: the nightly mail says so, and which step stopped."""
    from io import StringIO

    from django.core.management import call_command

    from champion.measures.models import RefreshRun

    for k in range(2):
        _measure(world, f"M{k}")

    def broken(measures, month, *, progress):
        progress(0, 2)
        raise MemoryError

    monkeypatch.setattr(months_kept, "prepare", broken)
    out, err = StringIO(), StringIO()
    with pytest.raises(MemoryError):
        call_command("refresh_measures", "--organisation", world.org.name, stdout=out, stderr=err)
    last = f"{months_kept.last_month():%B %Y}'s board report summaries"
    assert err.getvalue().strip() == (
        f"Testshire Health: Re-analysed 2 of 2 measures; preparing {last} stopped by an error "
        "(MemoryError) after 0 of 2."
    )
    run = RefreshRun.objects.get(organisation=world.org)
    assert run.status == "failed" and run.failed_preparing and run.done == 2


def test_the_bulk_path_stores_what_one_by_one_stores(world):
    """Summaries, stored analyses and signals of a batch are those `refresh` gives one measure
    at a time, for a subgroup chart (its measurements read apart) and a phased chart too."""
    measures = [
        _measure(world, "Shifted", values=[5] * 12 + [9] * 8, improvement="down", target=6.0),
        _measure(world, "P", chart="p", values=[40 + k % 5 for k in range(20)],
                 denominators=[50.0] * 20, multiply=100),
        _measure(world, "Phased", values=[5] * 10 + [9] * 10),
    ]  # fmt: skip
    Phase.objects.create(measure=measures[2], period=months(11)[10], label="Change")
    xbar = Measure.objects.create(
        unit=world.ward_a, name="Waits", definition="x", chart="xbar", frequency="monthly"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=xbar, period=d, value=sum(v) / 3, values=v)
        for d, v in zip(
            months(14), [[10.0 + k % 3, 12.0, 14.0 + (k % 2)] for k in range(10)]
            + [[20.0, 22.0, 24.0]] * 4, strict=True,
        )
    )  # fmt: skip
    measures.append(xbar)

    def stored() -> list[tuple]:
        out = []
        for m in Measure.objects.filter(pk__in=[m.pk for m in measures]).order_by("pk"):
            signals = sorted(m.signals.values_list("kind", "direction", "meaning", "start", "end"))
            out.append((m.summary, StoredAnalysis.objects.get(measure=m).data, signals))
        return out

    for m in measures:
        analysis.refresh(m)
    one_by_one = stored()
    assert one_by_one[0][2] and one_by_one[3][2], "the shifts are signals"
    assert one_by_one[3][0].n == 14
    StoredAnalysis.objects.all().delete()
    Measure.objects.filter(pk__in=[m.pk for m in measures]).update(summary={})
    for m in measures:
        m.signals.all().delete()
    analysis.refresh_many(
        Measure.objects.filter(pk__in=[m.pk for m in measures]).prefetch_related(
            *analysis.BATCH_PREFETCH
        )
    )
    assert stored() == one_by_one


def test_an_unchanged_analysis_is_kept_and_a_changed_one_rewritten(world):
    same = _measure(world, "Same")
    changed = _measure(world, "Changed")
    emptied = _measure(world, "Emptied")
    batch = Measure.objects.filter(pk__in=[same.pk, changed.pk, emptied.pk]).prefetch_related(
        *analysis.BATCH_PREFETCH
    )
    analysis.refresh_many(batch)
    before = {a.measure_id: a for a in StoredAnalysis.objects.all()}
    DataPoint.objects.filter(measure=changed).order_by("period").first().delete()
    emptied.data_points.all().delete()
    analysis.refresh_many(batch.all())
    after = {a.measure_id: a for a in StoredAnalysis.objects.all()}
    assert after[same.pk].pk == before[same.pk].pk  # not rewritten: the same inputs
    assert after[changed.pk].pk != before[changed.pk].pk
    expected = spc.analyze(**analysis.engine_arguments(changed, analysis.series(changed)))
    assert after[changed.pk].data == expected.to_dict()
    assert after[changed.pk].fingerprint != before[changed.pk].fingerprint
    assert emptied.pk not in after
