"""`champion spc`: the command-line analysis of CSV and Excel files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from champion.spc_cli import main

P_CSV = """month,events,patients
2024-01-01,6,50
2024-02-01,9,80
2024-03-01,15,120
2024-04-01,7,60
2024-05-01,10,90
2024-06-01,26,200
2024-07-01,3,70
2024-08-01,4,100
2024-09-01,6,150
2024-10-01,3,75
2024-11-01,2,60
2024-12-01,5,110
2025-01-01,30,100
2025-02-01,3,80
"""


@pytest.fixture
def p_csv(tmp_path: Path) -> Path:
    path = tmp_path / "ulcers.csv"
    path.write_text(P_CSV)
    return path


@pytest.fixture
def i_csv(tmp_path: Path) -> Path:
    values = [10, 11, 9, 10, 12, 10, 9, 11, 10, 30, 10, 11, 9, 10, 11]
    path = tmp_path / "waits.csv"
    path.write_text("ward,minutes\n" + "\n".join(f"W{i:02d},{v}" for i, v in enumerate(values)))
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_p_chart_summary_per_part_with_varying_limits(capsys, p_csv):
    code, out, err = run(
        capsys, str(p_csv), "--chart", "p", "--y", "events", "--n", "patients",
        "--x", "month", "--parts", "6",
    )  # fmt: skip
    assert code == 0, err
    assert "P chart (proportions): 14 points in 2 parts" in out
    assert "Part 1: points 2024-01-01 to 2024-06-01 (6)" in out
    assert "Part 2: points 2024-07-01 to 2025-02-01 (8)" in out
    assert "Centre line        0.1217" in out  # 73 / 600
    assert "(vary with n)" in out
    assert "Runs analysis      longest run" in out


def test_points_outside_and_rule_columns_with_reasons(capsys, p_csv):
    code, out, _ = run(
        capsys, str(p_csv), "--chart", "p", "--y", "events", "--n", "patients",
        "--x", "month", "--parts", "6", "--rules", "mdc,nelson", "--improvement", "down",
        "--target", "0.1",
    )  # fmt: skip
    assert code == 0
    assert "Points outside the limits (1):" in out
    assert "2025-01-01" in out and "Above the upper control limit" in out
    assert "mdc:outside       1 point: 2025-01-01" in out
    assert "nelson:2          none" in out
    assert "Making Data Count icons: variation common cause, assurance hit and miss" in out


def test_icons_when_the_last_point_is_a_concern(capsys, tmp_path):
    path = tmp_path / "ulcers.csv"
    path.write_text(P_CSV.rsplit("\n", 2)[0] + "\n")  # end on the 30 % month
    code, out, _ = run(
        capsys, str(path), "--chart", "p", "--y", "events", "--n", "patients", "--x", "month",
        "--parts", "6", "--rules", "mdc", "--improvement", "down", "--target", "0.5",
    )  # fmt: skip
    assert code == 0
    assert "Making Data Count icons: variation concern, assurance pass" in out


def test_i_chart_with_text_x_and_freeze(capsys, i_csv):
    code, out, _ = run(
        capsys, str(i_csv), "--chart", "i", "--y", "minutes", "--x", "ward", "--freeze", "8"
    )
    assert code == 0
    assert "I chart (individual values): 15 points" in out
    assert "Baseline           first 8 points" in out
    assert "W09" in out  # the 30-minute wait is outside the limits


def test_run_chart_is_the_default_and_has_no_limits(capsys, i_csv):
    code, out, _ = run(capsys, str(i_csv), "--y", "minutes")
    assert code == 0
    assert out.splitlines()[2].startswith("Run chart: 15 points")
    assert "Control limits" not in out


def test_xlsx_with_real_dates(capsys, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["week", "falls"])
    for i, v in enumerate([3, 4, 2, 5, 3, 4, 6, 3, 2, 4, 3, 5]):
        sheet.append([dt.date(2025, 1, 6) + dt.timedelta(weeks=i), v])
    path = tmp_path / "falls.xlsx"
    book.save(path)
    out_json = tmp_path / "falls.json"
    code, out, err = run(
        capsys, str(path), "--chart", "c", "--y", "falls", "--x", "week", "--out", str(out_json)
    )
    assert code == 0, err
    assert "C chart (counts): 12 points" in out
    result = json.loads(out_json.read_text())
    assert result["points"]["x"][0] == "2025-01-06"
    assert result["chart"] == "c"


def test_text_dates_in_csv_become_dates(capsys, p_csv, tmp_path):
    out_json = tmp_path / "r.json"
    run(
        capsys,
        str(p_csv),
        "--chart",
        "p",
        "--y",
        "events",
        "--n",
        "patients",
        "--x",
        "month",
        "--out",
        str(out_json),
    )
    # chronological, not alphabetical: the parse made them dates
    assert json.loads(out_json.read_text())["points"]["x"][:2] == ["2024-01-01", "2024-02-01"]


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".svg", b"<svg"), (".png", b"\x89PNG"), (".pdf", b"%PDF")]
)
def test_out_writes_the_chart(capsys, p_csv, tmp_path, suffix, magic):
    out = tmp_path / f"chart{suffix}"
    code, stdout, _ = run(
        capsys, str(p_csv), "--chart", "p", "--y", "events", "--n", "patients", "--x", "month",
        "--out", str(out), "--title", "Pressure ulcers",
    )  # fmt: skip
    assert code == 0
    assert out.read_bytes().lstrip()[: len(magic)] == magic
    assert f"Wrote {out}" in stdout


def test_multiply_scales_the_summary(capsys, p_csv):
    _, out, _ = run(
        capsys, str(p_csv), "--chart", "p", "--y", "events", "--n", "patients", "--multiply", "100"
    )
    assert "Centre line        9.591" in out  # 129 / 1345 * 100


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["missing.csv", "--y", "a"], "file not found: missing.csv"),
        (
            ["{csv}", "--y", "nope"],
            "no column 'nope' in ulcers.csv; available columns: month, events, patients",
        ),
        (
            ["{csv}", "--y", "events", "--n", "patients", "--chart", "p", "--x", "nope"],
            "no column 'nope'",
        ),
        (["{csv}", "--y", "events", "--chart", "bogus"], "invalid choice: 'bogus'"),
        (["{csv}", "--y", "events", "--rules", "mdc,foo"], "unknown rule set foo"),
        (["{csv}", "--y", "events", "--parts", "a,b"], "whole numbers"),
        (["{csv}", "--y", "events", "--out", "chart.gif"], "--out must end in"),
        (["{csv}"], "the following arguments are required: --y"),
        (
            ["{csv}", "--y", "events", "--n", "patients", "--chart", "p", "--exclude", "99"],
            "exclude",
        ),
    ],
)
def test_errors_are_one_line_on_stderr_with_status_2(capsys, p_csv, argv, message):
    code, out, err = run(capsys, *[a.replace("{csv}", str(p_csv)) for a in argv])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("champion spc: error: ")
    assert message in err


def test_non_numeric_value_names_the_row(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("y\n1\n2\nthree\n4\n")
    code, _, err = run(capsys, str(path), "--y", "y")
    assert code == 2
    assert "column 'y' (--y) must hold numbers; row 3 has 'three'" in err


def test_spc_error_from_the_engine_is_reported(capsys, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("e,n\n5,10\n12,10\n3,10\n")
    code, _, err = run(capsys, str(path), "--chart", "p", "--y", "e", "--n", "n")
    assert code == 2
    assert err.startswith("champion spc: error: ")


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "--chart" in capsys.readouterr().out


def test_semicolon_separated_csv_is_read(capsys, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("week;falls\n1;3\n2;4\n3;2\n4;5\n")
    code, out, err = run(capsys, str(path), "--y", "falls", "--x", "week")
    assert code == 0, err
    assert "Run chart: 4 points" in out


def test_named_sheet_of_a_workbook(capsys, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["nothing here"])
    sheet = book.create_sheet("Data")
    sheet.append(["ward", "count"])
    for ward, count in [("A", 3), ("B", 5), ("C", 4)]:
        sheet.append([ward, count])
    path = tmp_path / "wards.xlsx"
    book.save(path)
    code, out, err = run(
        capsys, str(path), "--sheet", "Data", "--chart", "c", "--y", "count", "--x", "ward"
    )
    assert code == 0, err
    assert "points A to C (3)" in out


@pytest.mark.parametrize(
    ("labels", "first"),
    [
        ([f"2025-W{w:02d}" for w in range(1, 13)], "2024-12-30"),  # ISO week 1 starts on a Monday
        ([f"2024-{m:02d}" for m in range(1, 13)], "2024-01-01"),
    ],
)
def test_week_and_month_labels_are_dates_so_run_rules_apply(capsys, tmp_path, labels, first):
    values = [1, 2, 1, 2, 1, 2, 9, 9, 9, 9, 9, 9]
    path = tmp_path / "periods.csv"
    path.write_text(
        "period,v\n" + "\n".join(f"{p},{v}" for p, v in zip(labels, values, strict=True))
    )
    out_json = tmp_path / "r.json"
    code, out, _ = run(
        capsys,
        str(path),
        "--chart",
        "i",
        "--y",
        "v",
        "--x",
        "period",
        "--rules",
        "ihi",
        "--out",
        str(out_json),
    )
    assert code == 0
    assert json.loads(out_json.read_text())["points"]["x"][0] == first
    assert "6 points in a row above the centre line: a shift" in out
    assert "x is text" not in out


def test_text_x_is_called_categorical_in_the_summary(capsys, i_csv):
    _, out, _ = run(capsys, str(i_csv), "--chart", "i", "--y", "minutes", "--x", "ward")
    assert "x is text, so the order of the points carries no information" in out


def test_reasons_about_a_whole_part_are_said_once(capsys, tmp_path):
    values = [1, 2, 1, 2, 1, 2, 9, 9, 9, 9, 9, 9]
    path = tmp_path / "shift.csv"
    path.write_text("v\n" + "\n".join(str(v) for v in values))
    _, out, _ = run(capsys, str(path), "--y", "v", "--rules", "ihi")
    sentence = "The line crosses the centre line only once in this part"
    assert out.count(sentence) == 1
    assert f"  Signal             {sentence}" in out
