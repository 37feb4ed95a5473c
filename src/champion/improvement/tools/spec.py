"""What each tool holds: header fields and a table of rows, with validation and derived values.

One generic shape covers every tabular tool, so one editor, one validator and one CSV/JSON
export serve them all; each kind adds only its columns, its checks (an FMEA score outside
1-10 is refused with a message) and its picture.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from champion.core import limits
from champion.core.identifiers import patient_text_refusal

TEXT, LONG, SCORE, NUMBER, CHOICE, DATE = "text", "long", "score", "number", "choice", "date"


@dataclass(frozen=True)
class Field:
    """A header field or a column."""

    name: str
    label: str
    type: str = TEXT
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    suggestions: tuple[str, ...] = ()  # offered in a datalist; free text still allowed

    def clean(self, raw: Any) -> tuple[Any, str | None]:
        """The stored value and an error message (None when valid)."""
        value = "" if raw is None else str(raw).strip()
        if not value:
            return ("" if self.type in (TEXT, LONG, CHOICE, DATE) else None), (
                f"{self.label} is required." if self.required else None
            )
        if self.type == SCORE:
            try:
                number = int(value)
            except ValueError:
                return value, f"{self.label} must be a whole number from 1 to 10."
            if not 1 <= number <= 10:
                return value, f"{self.label} must be from 1 to 10 (you entered {number})."
            return number, None
        if self.type == NUMBER:
            try:
                amount = float(value)
            except ValueError:
                return value, f"{self.label} must be a number."
            if amount < 0:
                return value, f"{self.label} cannot be negative."
            return (int(amount) if amount.is_integer() else amount), None
        if self.type == CHOICE:
            if value not in {key for key, _ in self.choices}:
                return value, f"Choose a {self.label.lower()} from the list."
            return value, None
        if self.type == DATE:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return value, f"{self.label} must be a date (YYYY-MM-DD)."
            return value, None
        refusal = patient_text_refusal(value, what="Projects")
        if refusal:
            return value, f"{self.label}: {refusal}"
        longest = limits.LONG if self.type == LONG else limits.TEXT
        if message := limits.too_long(value, longest, self.label):
            return value, message
        return value, None


@dataclass(frozen=True)
class ToolSpec:
    kind: str
    name: str
    purpose: str
    header: tuple[Field, ...]
    columns: tuple[Field, ...]
    row_label: str = "row"
    min_rows: int = 0
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    check_rows: Callable[[list[dict[str, Any]]], list[str]] | None = None
    picture: str = "table"  # the template partial or SVG builder that draws it
    svg: bool = False  # exports as SVG (drawn pictures and charts)
    extra_columns: tuple[tuple[str, str], ...] = field(default=())  # derived, for tables/CSV

    def validate(
        self, header: dict[str, Any], rows: list[dict[str, Any]]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Return (clean data, errors); errors maps field names and (row, column) to messages."""
        errors: dict[str, Any] = {}
        clean_header = {}
        for f in self.header:
            clean_header[f.name], error = f.clean(header.get(f.name))
            if error:
                errors[f.name] = error
        clean_rows = []
        for index, row in enumerate(rows):
            if not any(str(row.get(c.name) or "").strip() for c in self.columns):
                continue  # a blank row is an unused line of the editor, not an error
            clean = {}
            for c in self.columns:
                clean[c.name], error = c.clean(row.get(c.name))
                if error:
                    errors[f"{index}-{c.name}"] = error
            clean_rows.append(clean)
        if len(clean_rows) < self.min_rows:
            errors["rows"] = (
                f"Add at least {self.min_rows} {self.row_label}{'s' if self.min_rows != 1 else ''}."
            )
        if self.check_rows and not errors:
            problems = self.check_rows(clean_rows)
            if problems:
                errors["rows"] = " ".join(problems)
        return {"header": clean_header, "rows": clean_rows}, errors

    def table(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows with their derived values (e.g. RPN), for pictures and exports."""
        rows = list(data.get("rows") or [])
        return [{**row, **self.derive(row)} if self.derive else dict(row) for row in rows]

    def export_columns(self) -> list[tuple[str, str]]:
        return [(c.name, c.label) for c in self.columns] + list(self.extra_columns)
