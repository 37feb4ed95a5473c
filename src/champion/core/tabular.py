"""Reading uploaded CSV and XLSX files into rows of text, with errors a person can act on.

Every upload in the platform (staff lists now, measure data later) comes through here,
so they all refuse the same bad files with the same clear messages. Values stay text:
each importer validates its own columns and reports every bad row with its line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

CSV_TYPES = (".csv", ".txt")
EXCEL_TYPES = (".xlsx",)


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, not a table, empty...)."""


@dataclass(frozen=True)
class Table:
    """A header and the data rows, each with the line number a person sees in a spreadsheet."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_frame(name: str, data: bytes) -> pl.DataFrame:
    """Read a CSV (UTF-8, comma-separated, header on line 1) or XLSX file (first sheet) as text columns.

    For large files (a million event rows) that an importer processes with Polars
    rather than row by row; `read_table` builds on it.
    """
    lower = name.lower()
    if not data.strip():
        raise TableError("The file is empty.")
    try:
        if lower.endswith(CSV_TYPES):
            try:
                data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise TableError(
                    "The file is not UTF-8 text. In Excel use 'Save as > CSV UTF-8', or upload the .xlsx file."
                ) from None
            return pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8-lossy")
        if lower.endswith(EXCEL_TYPES):
            frame = pl.read_excel(io.BytesIO(data), infer_schema_length=0)
            return frame.with_columns(pl.all().cast(pl.String))
        raise TableError("Upload a .csv or .xlsx file.")
    except TableError:
        raise
    except pl.exceptions.ComputeError as exc:
        message = str(exc).splitlines()[0]
        if "more fields" in message:
            message = "some rows have more values than the header has columns"
        raise TableError(f"The file could not be read as a table: {message}.") from None
    except Exception as exc:  # fastexcel and polars raise several types for corrupt files
        raise TableError(
            f"The file could not be read as a spreadsheet ({type(exc).__name__})."
        ) from None


def read_table(name: str, data: bytes, *, max_rows: int = 100_000) -> Table:
    """Read a CSV (UTF-8, comma-separated, header on line 1) or XLSX file (first sheet)."""
    frame = read_frame(name, data)
    columns = [str(c).strip() for c in frame.columns]
    if len({c.lower() for c in columns}) != len(columns):
        raise TableError("Two columns have the same name; give every column a unique header.")
    if frame.height == 0:
        raise TableError("The file has a header but no rows.")
    if frame.height > max_rows:
        raise TableError(f"The file has {frame.height:,} rows; the limit is {max_rows:,}.")
    rows = []
    for offset, record in enumerate(frame.iter_rows()):
        values = {
            col: ("" if v is None else str(v).strip())
            for col, v in zip(columns, record, strict=True)
        }
        if any(values.values()):
            rows.append((offset + 2, values))  # line 1 is the header
    if not rows:
        raise TableError("The file has a header but every row is empty.")
    return Table(columns, rows)


def find_column(columns: list[str], *aliases: str) -> str | None:
    """The first column whose header matches one of `aliases`, ignoring case, spaces and _ -."""

    def norm(text: str) -> str:
        return "".join(ch for ch in text.lower() if ch.isalnum())

    wanted = {norm(a) for a in aliases}
    return next((c for c in columns if norm(c) in wanted), None)
