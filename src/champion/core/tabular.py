"""Reading uploaded CSV and XLSX files into rows of text, with errors a person can act on.

Every upload in the platform (staff lists now, measure data later) comes through here,
so they all refuse the same bad files with the same clear messages. Values stay text:
each importer validates its own columns and reports every bad row with its line.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import polars as pl

CSV_TYPES = (".csv", ".txt")
EXCEL_TYPES = (".xlsx",)


#: Bounds checked on an XLSX file's zip BEFORE a spreadsheet reader opens it: a 5 MB file can
#: unpack to gigabytes (a "zip bomb"), or name a cell at XFD1048576 so that the reader builds a
#: grid of 17 billion cells. Nothing a ward exports comes near them.
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
XLSX_MAX_ROWS = 1_000_001  # a header and the measure importer's million events
XLSX_MAX_COLUMNS = 200
_CHUNK = 1024 * 1024
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")


class TableError(ValueError):
    """The file as a whole cannot be read (wrong type, not a table, empty...)."""


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_xlsx(data: bytes, *, max_rows: int = XLSX_MAX_ROWS) -> None:
    """Refuse an XLSX file that would unpack too large or too wide, reading it in 1 MB pieces.

    The sizes a zip declares are not trusted: each part is unpacked as a stream and counted,
    so memory stays at one piece whatever the file claims. Worksheets are scanned for their
    rows and for the furthest cell they name.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise TableError(
            "The file could not be read as a spreadsheet: it is not a valid .xlsx file. Open it "
            "in Excel and save it again, or save it as CSV UTF-8."
        ) from None
    budget = XLSX_MAX_UNPACKED
    for part in parts:
        sheet = part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")
        rows = widest = deepest = 0
        tail = b""
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    budget -= len(chunk)
                    if budget < 0:
                        raise TableError(
                            f"The spreadsheet unpacks to more than {XLSX_MAX_UNPACKED // 2**20} MB. "
                            "Save it as CSV UTF-8, or split it into smaller files."
                        )
                    if not sheet:
                        continue
                    text = tail + chunk
                    rows += len(_ROW_TAG.findall(chunk))
                    for letters, number in _CELL_REF.findall(text):
                        widest = max(widest, _column_number(letters))
                        deepest = max(deepest, int(number))
                    tail = text[-64:]  # a cell reference cut between two pieces
        except TableError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
            raise TableError(
                "The file could not be read as a spreadsheet: its .xlsx packaging is damaged. "
                "Open it in Excel and save it again, or save it as CSV UTF-8."
            ) from None
        if max(rows, deepest) > max_rows:
            raise TableError(
                f"The sheet has {max(rows, deepest) - 1:,} rows under the header; the limit is "
                f"{max_rows - 1:,}. Split the file."
            )
        if widest > XLSX_MAX_COLUMNS:
            raise TableError(
                f"The sheet has cells as far as column {_column_letters(widest)}; the limit is "
                f"{XLSX_MAX_COLUMNS} columns. Delete the unused columns and save it again."
            )


@dataclass(frozen=True)
class Table:
    """A header and the data rows, each with the line number a person sees in a spreadsheet."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_frame(name: str, data: bytes, *, max_rows: int = XLSX_MAX_ROWS - 1) -> pl.DataFrame:
    """Read a CSV (UTF-8, comma-separated, header on line 1) or XLSX file (first sheet) as text columns.

    For large files (a million event rows) that an importer processes with Polars
    rather than row by row; `read_table` builds on it.
    """
    lower = name.lower()
    if not data.strip():
        raise TableError("The file is empty.")
    try:
        if lower.endswith(CSV_TYPES):
            if b"\x00" in data:
                raise TableError(
                    "The file contains NUL characters, so it is not CSV text (Excel's "
                    "'Unicode text' is UTF-16). Use 'Save as > CSV UTF-8', or upload the .xlsx file."
                )
            try:
                data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise TableError(
                    "The file is not UTF-8 text. In Excel use 'Save as > CSV UTF-8', or upload the .xlsx file."
                ) from None
            return pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8-lossy")
        if lower.endswith(EXCEL_TYPES):
            check_xlsx(data, max_rows=max_rows + 1)
            frame = pl.read_excel(io.BytesIO(data), infer_schema_length=0)
            # A NUL inside a cell cannot be stored as text by every database: drop it.
            return frame.with_columns(
                pl.all().cast(pl.String).str.replace_all("\x00", "", literal=True)
            )
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
    frame = read_frame(name, data, max_rows=max_rows)
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
