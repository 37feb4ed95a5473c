"""The one CSV writer for every export, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula, and some also
when it starts with a tab or a carriage return, so a name typed as `=HYPERLINK(...)` could
run in a leader's spreadsheet (CSV or formula injection). Every text cell that starts with
one of those characters gets a leading `'`, so the spreadsheet shows it as text.

Numbers stay numbers. An `int`, `float` or `Decimal` (a `bool` too) is written as it is (`-3`, `-0.25`),
and so is text that is a plain decimal number and nothing else (`-3`, `+2.5`, as a cell of a
tool's table typed by hand): a spreadsheet reads such a cell as that number and it cannot hold
a formula. Anything more (`-3+1`, `-2+cmd|...`) is text and is escaped. `None` is an empty
cell; dates are written in ISO form.

Every export writes its rows through `write_csv`; `CONTENT_TYPE` is the type they are served as.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

CONTENT_TYPE = "text/csv; charset=utf-8"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def cell(value: object) -> object:
    """One cell made safe: formulas in text neutralised, numbers and dates kept readable."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The CSV text of a header row and the rows under it, every cell through `cell`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()
