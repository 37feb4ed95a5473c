"""The chart chooser reads a measure's own points, not only the answers to its questions."""

import pytest
from django.urls import reverse

from champion import spc
from champion.measures.chooser import laney_sigma_z, read_data


def test_too_few_points_says_how_many_are_needed():
    notes = read_data([3.0, 4.0, 5.0])
    needed = spc.MIN_POINTS["limits"]
    assert notes[0].startswith(f"{needed} points are needed for control limits; 3 so far")
    assert not any("points are needed" in n for n in read_data([1.0] * needed))


def test_denominators_present_or_absent():
    assert any("No point has a denominator" in n for n in read_data([5.0] * 12))
    notes = read_data([5.0] * 12, [100.0] * 11 + [None])
    assert any(n.startswith("11 of 12 points have a denominator") for n in notes)


def test_many_zeros_suggest_rare_event_charts():
    notes = read_data([0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 0])
    assert any("9 of 12 points are 0" in n and "T chart" in n and "G chart" in n for n in notes)
    assert not any("are 0" in n for n in read_data([0, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 1]))


def test_large_overdispersed_denominators_suggest_laney():
    # Percentages of ~50,000 patients that wander far more than binomial noise allows.
    n = [50000.0 + 500 * i for i in range(16)]
    pct = [0.80, 0.82, 0.78, 0.85, 0.79, 0.83, 0.77, 0.84, 0.81, 0.86, 0.78, 0.80, 0.83,
           0.79, 0.85, 0.82]  # fmt: skip
    y = [round(p * d) for p, d in zip(pct, n, strict=True)]
    z = laney_sigma_z(list(zip(y, n, strict=True)))
    assert z is not None and z > 1
    assert any("P′ or U′" in note for note in read_data(y, n))
    # Binomial-sized wobble on small groups: no Laney suggestion.
    small = [40.0] * 16
    ys = [30, 31, 29, 32, 30, 28, 31, 30, 29, 33, 30, 31, 29, 30, 32, 28]
    assert not any("P′ or U′" in note for note in read_data(ys, small))


def test_no_data_says_so():
    assert read_data([]) == ["No data yet: the chart can be chosen again once points are entered."]


@pytest.mark.django_db
def test_the_edit_form_shows_what_the_data_say(client_for, world, measure):
    page = client_for(world.leader).get(reverse("measures:edit", args=[measure.pk]))
    text = page.content.decode()
    assert "What this measure&#x27;s data say" in text or "What this measure's data say" in text
    assert "24 of 24 points have a denominator" in text
