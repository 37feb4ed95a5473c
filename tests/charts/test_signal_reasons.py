"""Plain-language reasons for flagged points."""

from __future__ import annotations

from champion.charts import signal_reasons


def test_one_record_per_point_in_order(i_chart):
    reasons = signal_reasons(i_chart)
    assert [r["index"] for r in reasons] == list(range(20))
    assert reasons[0]["x"] == "2024-01-01"
    assert reasons[0]["reasons"] == []
    assert reasons[0]["signal"] is False
    assert reasons[0]["category"] == "common_cause"


def test_point_above_the_upper_limit_reads_once_though_three_columns_flag_it(i_chart):
    assert signal_reasons(i_chart)[7]["reasons"] == ["Above the upper control limit"]


def test_point_below_the_lower_limit(i_chart):
    i_chart["points"]["y"][2] = 4.0
    i_chart["points"]["sigma_signal"][2] = True
    r = signal_reasons(i_chart)[2]
    assert r["reasons"] == ["Below the lower control limit"]
    assert r["direction"] == "down"


def test_shift_names_its_length_and_side(i_chart):
    r = signal_reasons(i_chart, improvement="down")
    for i in range(12, 19):
        assert r[i]["reasons"] == ["7 points in a row below the centre line: a shift"]
        assert r[i]["category"] == "improvement"
    assert r[19]["reasons"] == []


def test_direction_and_improvement_decide_concern(i_chart):
    r = signal_reasons(i_chart, improvement="down")
    assert r[7]["direction"] == "up"
    assert r[7]["category"] == "concern"
    assert signal_reasons(i_chart)[7]["category"] == "neither"


def test_trend_reads_rising_or_falling_with_its_length(run_chart):
    r = signal_reasons(run_chart)
    assert "Part of a trend of 5 rising points" in r[1]["reasons"]
    assert r[1]["direction"] == "up"


def test_falling_trend(i_chart):
    i_chart["points"]["y"][:7] = [14.0, 13.0, 12.0, 11.0, 10.5, 9.0, 8.5]
    i_chart["points"]["mdc:trend"][:7] = [True] * 7
    r = signal_reasons(i_chart, improvement="down")
    assert r[0]["reasons"] == ["Part of a trend of 7 falling points"]
    assert r[0]["category"] == "improvement"


def test_anhoej_long_run_names_the_points_of_the_run(run_chart):
    r = signal_reasons(run_chart)
    long_run = (
        "Part of a run of 9 points above the centre line, longer than the 7 expected "
        "by chance: a shift"
    )
    assert all(long_run in r[i]["reasons"] for i in range(2, 11))
    assert not any(long_run in r[i]["reasons"] for i in (0, 1, 11, 12, 13))


def test_too_few_crossings_is_a_reason_for_the_whole_part_without_colouring_points(run_chart):
    r = signal_reasons(run_chart)
    text = (
        "The line crosses the centre line only 2 times in this part, fewer than the 4 "
        "expected by chance: a shift is likely"
    )
    assert all(text in rec["reasons"] for rec in r)
    assert r[13]["category"] == "common_cause"
    assert r[13]["signal"] is True


def test_ihi_shift_skips_points_on_the_centre_line(run_chart):
    run_chart["points"]["y"][6] = 5.5  # on the median: neither counts nor breaks
    run_chart["points"]["ihi:shift"][6] = False
    r = signal_reasons(run_chart)
    assert "8 points in a row above the centre line: a shift" in r[2]["reasons"]


def test_ihi_runs_too_few(run_chart):
    run_chart["points"]["ihi:runs"] = [True] * 14
    r = signal_reasons(run_chart)
    assert (
        "Too few runs (3) for 14 points in this part (IHI run chart rule): a shift is likely"
        in r[0]["reasons"]
    )


def test_zone_rules_read_as_early_warnings(i_chart):
    i_chart["points"]["y"][4:7] = [14.0, 10.0, 14.5]
    i_chart["points"]["western-electric:2"] = [False] * 4 + [True, False, True] + [False] * 13
    r = signal_reasons(i_chart, improvement="down")
    assert r[4]["reasons"] == [
        "2 of 3 points in a row close to the upper control limit (beyond two sigma): an early warning"
    ]
    assert r[4]["category"] == "concern"
    assert r[5]["reasons"] == []


def test_nelson_patterns_have_their_own_sentences(i_chart):
    n = 20
    i_chart["points"]["nelson:4"] = [True] * 14 + [False] * 6
    i_chart["points"]["nelson:7"] = [False] * n
    r = signal_reasons(i_chart)
    assert any("alternating up and down" in t for t in r[0]["reasons"])
    assert r[0]["category"] == "neither"


def test_unknown_rule_columns_still_get_a_true_sentence(i_chart):
    i_chart["points"]["custom:9"] = [False] * 19 + [True]
    assert signal_reasons(i_chart)[19]["reasons"] == ["Flagged by the custom rule 9"]


def test_patterns_never_span_parts(p_chart):
    p_chart["points"]["mdc:shift"] = [False] * 3 + [True] * 6 + [False] * 3
    for i in range(3, 9):  # all above their part's centre line
        p_chart["points"]["y"][i] = p_chart["points"]["cl"][i] + 0.01
    r = signal_reasons(p_chart)
    # 3 flagged points end part 1 and 3 start part 2: two runs, not one of 6
    assert any("3 points in a row" in t for t in r[3]["reasons"])
    assert any("3 points in a row" in t for t in r[6]["reasons"])


def test_adjacent_shifts_on_opposite_sides_read_as_two_shifts(i_chart):
    y = [8.0] * 7 + [12.0] * 7 + [10.5] * 6
    i_chart["points"]["y"] = y
    i_chart["points"]["sigma_signal"] = [False] * 20
    i_chart["points"]["mdc:outside"] = [False] * 20
    i_chart["points"]["mdc:shift"] = [True] * 14 + [False] * 6
    r = signal_reasons(i_chart, improvement="down")
    assert r[0]["reasons"] == ["7 points in a row below the centre line: a shift"]
    assert r[0]["category"] == "improvement"
    assert r[7]["reasons"] == ["7 points in a row above the centre line: a shift"]
    assert r[7]["category"] == "concern"


def test_part_reasons_are_marked_so_tables_can_say_them_once(run_chart):
    r = signal_reasons(run_chart)
    assert r[13]["part_reasons"] == r[13]["reasons"]  # only the crossings sentence
    long_run = [t for t in r[2]["reasons"] if t.startswith("Part of a run of 9")]
    assert long_run and long_run[0] not in r[2]["part_reasons"]
