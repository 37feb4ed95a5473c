"""Uploaded spreadsheets are bounded before any reader opens them (zip bombs, huge sheets)."""

import io
import zipfile

import openpyxl
import polars as pl
import pytest

from champion.core import tabular
from champion.core.tabular import TableError, read_frame, read_table


def xlsx(cells: dict[str, object]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def no_reader(monkeypatch):
    """Fail the test if the spreadsheet reader is reached: refusals come before it."""

    def reached(*args, **kwargs):
        raise AssertionError("the spreadsheet was read before it was checked")

    monkeypatch.setattr(pl, "read_excel", reached)


def test_an_ordinary_spreadsheet_is_read():
    table = read_table("staff.xlsx", xlsx({"A1": "name", "B1": "email", "A2": "Ann", "B2": "a@x"}))
    assert table.columns == ["name", "email"] and table.rows == [
        (2, {"name": "Ann", "email": "a@x"})
    ]


def test_a_zip_bomb_is_refused_while_it_unpacks(monkeypatch, no_reader):
    monkeypatch.setattr(tabular, "XLSX_MAX_UNPACKED", 2 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * (8 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000  # 8 MB of sheet in a small file
    with pytest.raises(TableError, match="unpacks to more than 2 MB"):
        read_frame("bomb.xlsx", data)


def test_a_cell_far_to_the_right_is_refused_before_the_reader_builds_its_grid(no_reader):
    with pytest.raises(TableError, match="as far as column XFD; the limit is 200 columns"):
        read_frame("wide.xlsx", xlsx({"A1": "period", "A2": "2025-01-01", "XFD2": "x"}))


def test_a_cell_far_down_is_refused(no_reader):
    with pytest.raises(TableError, match="1,048,575 rows under the header; the limit is 1,000,000"):
        read_frame("deep.xlsx", xlsx({"A1": "period", "A1048576": "x"}))


def test_the_importers_row_limit_is_checked_on_the_sheet_before_reading(no_reader):
    cells = {"A1": "name", **{f"A{i}": f"Person {i}" for i in range(2, 8)}}
    with pytest.raises(TableError, match="6 rows under the header; the limit is 5"):
        read_table("staff.xlsx", xlsx(cells), max_rows=5)


def test_a_file_that_is_not_a_zip_gets_a_clear_message(no_reader):
    with pytest.raises(
        TableError, match=r"could not be read as a spreadsheet: it is not a valid \.xlsx file"
    ):
        read_frame("fake.xlsx", b"name,email\nAnn,a@x\n")


def test_a_csv_with_nul_characters_is_refused_with_the_likely_cause():
    with pytest.raises(TableError, match="contains NUL characters"):
        read_frame("staff.csv", "name,email\nAnn,a@x\n".encode("utf-16"))


def test_nul_characters_inside_spreadsheet_cells_are_dropped(monkeypatch):
    # Spreadsheet writers refuse NUL in cells, so the reader is given one directly.
    monkeypatch.setattr(pl, "read_excel", lambda *a, **k: pl.DataFrame({"name": ["An\x00n"]}))
    table = read_table("staff.xlsx", xlsx({"A1": "name", "A2": "Ann"}))
    assert table.rows == [(2, {"name": "Ann"})]
