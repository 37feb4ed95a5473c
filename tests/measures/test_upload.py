"""Uploading data: preview, mapping, every bad row with its line and reason, all or nothing."""

import html
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from champion.measures.models import DataImport, DataPoint, Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def pchart(world):
    return Measure.objects.create(
        unit=world.ward_a, name="Hand hygiene", definition="x", denominator="Opportunities",
        chart="p", multiply=100, improvement="up",
    )  # fmt: skip


def upload(client, measure, name, text_or_bytes):
    data = text_or_bytes.encode() if isinstance(text_or_bytes, str) else text_or_bytes
    return client.post(
        reverse("measures:upload", args=[measure.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def map_and_save(client, measure, imp, **mapping):
    return client.post(reverse("measures:import", args=[measure.pk, imp.pk]), mapping)


def test_a_good_file_is_previewed_mapped_and_saved(client_for, world, pchart):
    client = client_for(world.member)
    response = upload(
        client, pchart, "hh.csv", "month,washed,observed\n2024-01,45,50\n2024-02,47,50\n"
    )
    imp = DataImport.objects.get()
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "washed" in page and "Which column is which?" in page
    response = map_and_save(client, pchart, imp, layout="periods", period="month", value="washed",
                            denominator="observed")  # fmt: skip
    assert response.status_code == 302 and response.url == reverse(
        "measures:detail", args=[pchart.pk]
    )
    assert [(p.period.isoformat(), p.value, p.denominator) for p in pchart.data_points.all()] == [
        ("2024-01-01", 45, 50), ("2024-02-01", 47, 50)
    ]  # fmt: skip


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_saved(client_for, world, pchart):
    client = client_for(world.member)
    text = (
        "month,washed,observed\n"
        "2024-01-31,45,50\n"  # line 2: good
        "2024-02-29,many,50\n"  # line 3: text in a number column
        "2024-03-31,60,50\n"  # line 4: numerator above its denominator
        "2024-01-31,40,50\n"  # line 5: duplicate period
        "31/31/2024,40,50\n"  # line 6: a date that does not parse
    )
    upload(client, pchart, "bad.csv", text)
    imp = DataImport.objects.get()
    map_and_save(
        client,
        pchart,
        imp,
        layout="periods",
        period="month",
        value="washed",
        denominator="observed",
    )
    imp.refresh_from_db()
    assert imp.status == "failed"
    errors = dict(imp.errors)
    assert set(errors) == {3, 4, 5, 6}
    assert "'many' in the numerator column is not a number" in errors[3]
    assert "numerator 60 is above its denominator 50" in errors[4]
    assert "appears twice (also on line 2)" in errors[5]
    assert "'31/31/2024' is not a date" in errors[6]
    page = client.get(reverse("measures:import", args=[pchart.pk, imp.pk])).content.decode()
    assert "Nothing was saved: 4 rows need fixing." in page and "31/31/2024" in page
    assert not DataPoint.objects.exists()


def test_an_xlsx_file_works(client_for, world, pchart):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Period", "Numerator", "Denominator"])
    sheet.append(["2024-01-01", 10, 20])
    sheet.append(["2024-02-01", 12, 20])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.member)
    upload(client, pchart, "hh.xlsx", buffer.getvalue())
    imp = DataImport.objects.get()
    assert imp.mapping["period"] == "Period" and imp.mapping["denominator"] == "Denominator"
    map_and_save(
        client,
        pchart,
        imp,
        layout="periods",
        period="Period",
        value="Numerator",
        denominator="Denominator",
    )
    assert pchart.data_points.count() == 2


@pytest.mark.parametrize(
    "header,values,reason",
    [
        ("Patient name", ["Ann Smith", "Bob Jones"], "a person's name"),
        ("MRN", ["A123", "B456"], "a medical record number"),
        ("DOB", ["1950-01-01", "1960-02-02"], "a date of birth"),
        ("ref", ["943 476 5919", "401 023 2137"], "look like NHS numbers"),
        ("code", ["123-45-6789", "987-65-4321"], "social security numbers"),
    ],
)
def test_files_with_patient_identifiers_are_refused(
    client_for, world, pchart, header, values, reason
):
    text = f"date,{header}\n" + "".join(f"2024-01-0{i + 1},{v}\n" for i, v in enumerate(values))
    response = upload(client_for(world.member), pchart, "events.csv", text)
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert "look like patient identifiers" in page and reason in page
    assert not DataImport.objects.exists()


def test_an_unreadable_file_is_explained(client_for, world, pchart):
    response = upload(client_for(world.member), pchart, "notes.docx", "hello")
    assert "Upload a .csv or .xlsx file." in response.content.decode()


def test_a_missing_column_is_a_mapping_problem(client_for, world, pchart):
    client = client_for(world.member)
    upload(client, pchart, "hh.csv", "month,washed\n2024-01,45\n")
    imp = DataImport.objects.get()
    response = map_and_save(client, pchart, imp, layout="periods", period="month", value="washed")
    assert response.status_code == 422
    assert "needs a denominator column" in response.content.decode()


def test_an_event_file_with_unusual_headers_is_mapped_from_its_values(client_for, world):
    """A hospital export names its columns its own way; the dates in it show which is which."""
    falls = Measure.objects.create(unit=world.ward_a, name="Falls", definition="x", chart="c")
    rows = "".join(
        f"{10 + k:02d}/01/2024 0{k}:30,{'low' if k % 2 else 'moderate'}\n" for k in range(9)
    )
    client = client_for(world.member)
    upload(client, falls, "export.csv", "incident_time,severity\n" + rows)
    imp = DataImport.objects.get()
    assert {k: imp.mapping[k] for k in ("layout", "period", "aggregate", "outcome")} == {
        "layout": "events", "period": "incident_time", "aggregate": "count", "outcome": "",
    }  # fmt: skip


def test_a_yes_no_event_file_is_offered_as_a_share_for_a_percentage_chart(
    client_for, world, pchart
):
    rows = "".join(f"2024-01-{10 + k:02d} 08:00,{'Yes' if k % 3 else 'No'}\n" for k in range(9))
    client = client_for(world.member)
    upload(client, pchart, "export.csv", "discharge_time,before_noon\n" + rows)
    imp = DataImport.objects.get()
    assert {k: imp.mapping[k] for k in ("layout", "period", "aggregate", "outcome")} == {
        "layout": "events",
        "period": "discharge_time",
        "aggregate": "proportion",
        "outcome": "before_noon",
    }
    # Accepting the guess as it stands saves the share of yes per month.
    response = map_and_save(client, pchart, imp, **imp.mapping)
    assert response.status_code == 302, response.content
    assert list(pchart.data_points.values_list("value", "denominator")) == [(6.0, 9.0)]
