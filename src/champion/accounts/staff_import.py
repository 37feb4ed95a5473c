"""Staff lists: validate every row of an uploaded CSV/XLSX, preview the changes, apply all or nothing.

A row is one person's role in one unit: name, e-mail, unit path ("Riverside Health >
Riverside General > Emergency Department"), role, and optionally a job title. A person
with roles in several units has several rows. Validation reports every bad row with
its line number and reason; nothing is saved until the admin confirms a clean preview,
and then everything is saved in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from champion.accounts.forms import ROLES_ELSEWHERE, UNUSABLE_ADDRESS
from champion.accounts.models import (
    PATH_SEPARATOR,
    Membership,
    Role,
    StaffImport,
    Unit,
    User,
)
from champion.accounts.tasks import send_welcome_emails
from champion.core.tabular import Table, find_column

MAX_ROWS = 20_000
COLUMNS = {
    "name": ("name", "full name", "fullname", "person"),
    "email": ("email", "e-mail", "email address", "e-mail address"),
    "unit": ("unit", "unit path", "department", "ward"),
    "role": ("role",),
    "job_title": ("job title", "title", "job", "position"),
}
REQUIRED = ("name", "email", "unit", "role")


@dataclass
class RowResult:
    line: int
    name: str
    email: str
    unit: str
    role: str
    job_title: str = ""
    action: str = ""  # "new person", "new role", "role change", "no change"
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    rows: list[RowResult]
    file_errors: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad_rows

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row.action] += 1
        counts["new people"] = len({r.email for r in self.rows if r.action == "new person"})
        return dict(counts)


def rows_from_table(table: Table) -> tuple[list[dict[str, Any]], list[str]]:
    """Map the file's columns to ours; a missing required column is a file error."""
    mapping = {key: find_column(table.columns, *aliases) for key, aliases in COLUMNS.items()}
    missing = [key for key in REQUIRED if mapping[key] is None]
    if missing:
        return [], [
            f"The file has no {', '.join(missing)} column. It needs columns: name, email, unit, role "
            f"(and optionally job title). It has: {', '.join(table.columns)}."
        ]
    if len(table.rows) > MAX_ROWS:
        return [], [f"The file has {len(table.rows):,} rows; the limit is {MAX_ROWS:,}."]
    rows = [
        {"line": line, **{key: values.get(col, "") if col else "" for key, col in mapping.items()}}
        for line, values in table.rows
    ]
    return rows, []


def _unit_index(organisation_id: int) -> dict[str, Unit]:
    units = list(Unit.objects.filter(organisation_id=organisation_id))
    by_id = {u.pk: u for u in units}
    index = {}
    for unit in units:
        names = [by_id[int(i)].name for i in unit.path.strip("/").split("/")]
        index[_norm_path(PATH_SEPARATOR.join(names))] = unit
    return index


def _norm_path(path: str) -> str:
    return " > ".join(
        part.strip().lower() for part in path.replace("/", ">").split(">") if part.strip()
    )


def validate(rows: list[dict[str, Any]], *, admin: User) -> Preview:
    """Check every row against the organisation as it is now; decide what each row will do."""
    org_id = admin.organisation_id
    assert org_id is not None
    units = _unit_index(org_id)
    managed = set(Unit.objects.managed_by(admin).values_list("pk", flat=True))
    emails = {r["email"].strip().lower() for r in rows if r.get("email")}
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    managed_people = set(
        User.objects.managed_by(admin).filter(email__in=emails).values_list("pk", flat=True)
    )
    memberships = {
        (m.user.email, m.unit_id): m.role
        for m in Membership.objects.filter(user__email__in=emails).select_related("user")
    }
    roles = {r.value for r in Role}
    seen: dict[tuple[str, int], int] = {}
    names_by_email: dict[str, tuple[str, int]] = {}
    results = []
    for raw in rows:
        row = RowResult(
            line=raw["line"],
            name=raw.get("name", "").strip(),
            email=raw.get("email", "").strip().lower(),
            unit=raw.get("unit", "").strip(),
            role=raw.get("role", "").strip().lower(),
            job_title=raw.get("job_title", "").strip(),
        )
        if not row.name:
            row.errors.append("The name is empty.")
        elif len(row.name) > 200:
            row.errors.append("The name is longer than 200 characters.")
        if not row.email:
            row.errors.append("The e-mail address is empty.")
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(f"'{row.email}' is not a valid e-mail address.")
        unit = units.get(_norm_path(row.unit)) if row.unit else None
        if not row.unit:
            row.errors.append("The unit is empty.")
        elif unit is None:
            row.errors.append(
                f"No unit '{row.unit}'. Write the whole path from the top, separated by '>', "
                "for example 'Riverside Health > Riverside General Hospital > Emergency Department'."
            )
        elif unit.pk not in managed:
            row.errors.append(f"You are not an admin of '{row.unit}'.")
        if row.role not in roles:
            row.errors.append(f"The role '{row.role}' is not one of: member, leader, coach, admin.")
        person = existing.get(row.email)
        if person is not None and person.organisation_id != org_id:
            row.errors.append(UNUSABLE_ADDRESS)
        elif person is not None and person.pk not in managed_people:
            row.errors.append(ROLES_ELSEWHERE)
        if row.email and unit is not None:
            key = (row.email, unit.pk)
            if key in seen:
                row.errors.append(f"The same person and unit already appear on line {seen[key]}.")
            else:
                seen[key] = row.line
        if row.email and row.name:
            first = names_by_email.setdefault(row.email, (row.name, row.line))
            if first[0] != row.name:
                row.errors.append(
                    f"Line {first[1]} gives this e-mail address the name '{first[0]}'; use one name per person."
                )
        if not row.errors and unit is not None:
            current = memberships.get((row.email, unit.pk))
            if person is None:
                row.action = "new person"
            elif current is None:
                row.action = "new role"
            elif current != row.role:
                row.action = f"role change ({current} to {row.role})"
            else:
                row.action = "no change"
        results.append(row)
    return Preview(results)


def preview_upload(table: Table, *, admin: User) -> tuple[list[dict[str, Any]], Preview]:
    rows, file_errors = rows_from_table(table)
    if file_errors:
        return rows, Preview([], file_errors)
    return rows, validate(rows, admin=admin)


class ImportNotPending(Exception):
    """The import was already applied or discarded (a double submission, a second tab)."""


def apply_import(staff_import_id: int, *, admin: User) -> dict[str, int]:
    """Re-validate and save every row in one transaction; any bad row saves nothing."""
    assert admin.organisation_id is not None
    with transaction.atomic():
        staff_import = StaffImport.objects.select_for_update().get(
            pk=staff_import_id, organisation_id=admin.organisation_id
        )
        if staff_import.status != StaffImport.Status.PENDING:
            raise ImportNotPending(staff_import.get_status_display())
        preview = validate(staff_import.rows, admin=admin)
        if not preview.ok:
            raise ValueError("The staff list no longer validates; upload it again to see why.")
        units = _unit_index(admin.organisation_id)
        people: dict[str, User] = {
            u.email: u
            for u in User.objects.filter(
                email__in={r.email for r in preview.rows}, organisation_id=admin.organisation_id
            )
        }
        new_people = []
        for row in preview.rows:
            person = people.get(row.email)
            if person is None:
                person = User.objects.create_user(
                    row.email,
                    full_name=row.name,
                    job_title=row.job_title,
                    organisation=admin.organisation,
                )
                people[row.email] = person
                new_people.append(person.pk)
            unit = units[_norm_path(row.unit)]
            membership = Membership.objects.filter(user=person, unit=unit).first()
            if membership is None:
                Membership.objects.create(user=person, unit=unit, role=row.role)
            elif membership.role != row.role:
                membership.role = row.role
                membership.save()
        summary = preview.counts()
        staff_import.status = StaffImport.Status.APPLIED
        staff_import.applied_at = timezone.now()
        staff_import.summary = summary
        staff_import.save()
        if new_people:
            transaction.on_commit(lambda: send_welcome_emails.enqueue(new_people))
    return summary
