"""Staff lists: validate every row of an uploaded CSV/XLSX, preview the changes, apply all or nothing.

A row is one person's role in one unit: name, e-mail, unit path ("Riverside Health >
Riverside General > Emergency Department"), role, and optionally a job title. A person
with roles in several units has several rows. Validation reports every bad row with
its line number and reason, and the bad rows are grouped by reason with counts and a
likely fix (`Preview.reasons`); a clean preview says what will happen in sentences
(`Preview.sentences`). Nothing is saved until the admin confirms a clean preview, and then
everything is saved in one transaction. A list only adds people and roles and changes
roles: it never removes anyone's access.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
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
from champion.accounts.names import join_name, split_name
from champion.core import audit, limits
from champion.core.models import AuditAction
from champion.core.stale_work import stalled
from champion.core.tabular import Table, find_column
from champion.core.words import quoted

MAX_ROWS = 20_000
COLUMNS = {
    "name": ("name", "full name", "fullname", "person"),
    "given_name": ("given name", "first name", "forename", "given names"),
    "family_name": ("family name", "surname", "last name"),
    "title": ("title", "honorific", "salutation", "prefix"),
    "email": ("email", "e-mail", "email address", "e-mail address"),
    "unit": ("unit", "unit path", "department", "ward"),
    "role": ("role",),
    "job_title": ("job title", "job", "position"),
}
REQUIRED = ("email", "unit", "role")


@dataclass
class RowResult:
    line: int
    name: str
    email: str
    unit: str
    role: str
    job_title: str = ""
    given_name: str = ""
    family_name: str = ""
    title: str = ""
    action: str = ""  # "new person", "new role", "role change", "no change"
    errors: list[str] = field(default_factory=list)
    #: The reason of each error (a key of `REASONS`), beside it.
    kinds: list[str] = field(default_factory=list)
    #: The unit's name and the role the person has there now ("" if none), for the sentences.
    unit_name: str = ""
    was_role: str = ""

    def fail(self, kind: str, text: str) -> None:
        self.errors.append(text)
        self.kinds.append(kind)

    @property
    def action_text(self) -> str:
        """What the row will do, as a person says it."""
        if self.action == "new person":
            return f"New person, {self.role} of {self.unit_name}"
        if self.action == "new role":
            return f"Becomes {self.role} of {self.unit_name} (other roles stay)"
        if self.action.startswith("role change"):
            return f"Changes from {self.was_role} to {self.role} in {self.unit_name}"
        return "No change"


#: Each reason a row fails: its title on the page and the likely fix.
REASONS = {
    "name-empty": ("the name is empty", "Fill in the names, or delete empty rows at the end."),
    "name-long": ("a name is too long", "Shorten the name; put a job title in its own column."),
    "job-title-long": ("the job title is too long", "Shorten the job title."),
    "email-empty": ("the e-mail address is empty", "Every person needs their work address."),
    "email-invalid": (
        "the e-mail address is not valid",
        "Look for spaces, a missing @, or two addresses in one cell.",
    ),
    "unit-empty": ("the unit is empty", "Fill in the unit of each row."),
    "unit-unknown": (
        "the unit is not one of this organisation's",
        "Write the whole path from the top, separated by “>”, as the Units page shows it "
        "(for example “Riverside Health > Riverside General Hospital > Ward 7”). A new unit "
        "must be added on the Units page first.",
    ),
    "unit-not-admin": (
        "you are not an admin of the unit",
        "Leave those rows out, or ask an admin of those units to import them.",
    ),
    "role-unknown": ("the role is not known", "Write member, leader, coach or admin."),
    "address-unusable": ("the e-mail address belongs elsewhere", ""),
    "roles-elsewhere": ("the person has roles in units you do not manage", ""),
    "duplicate": (
        "the same person and unit appear twice",
        "Keep one row per person per unit: delete the repeats.",
    ),
    "name-conflict": (
        "one e-mail address has two names",
        "Write each person's name the same way on all their rows.",
    ),
}
#: The lines and examples kept for each reason.
REASON_EXAMPLES = 5
#: The units named in a sentence before "and N more units".
UNITS_NAMED = 5


@dataclass(frozen=True)
class Reason:
    """One reason rows failed: how many, the first lines, examples and the likely fix."""

    kind: str
    count: int
    title: str
    lines: list[int]
    examples: list[str]
    fix: str

    @property
    def more(self) -> bool:
        return self.count > len(self.lines)


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

    def reasons(self) -> list[Reason]:
        """The bad rows grouped by reason, most rows first (a row counts once per reason)."""
        groups: dict[str, list[tuple[int, str]]] = {}
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            for kind, text in dict(zip(row.kinds, row.errors, strict=True)).items():
                counts[kind] += 1
                examples = groups.setdefault(kind, [])
                if len(examples) < REASON_EXAMPLES:
                    examples.append((row.line, text))
        out = []
        for kind, examples in groups.items():
            title, fix = REASONS.get(kind, ("other problems", ""))
            out.append(
                Reason(
                    kind=kind,
                    count=counts[kind],
                    title=title,
                    lines=[line for line, _ in examples],
                    examples=[f"Line {line}: {text}" for line, text in examples],
                    fix=fix,
                )
            )
        return sorted(out, key=lambda r: (-r.count, r.kind))

    def sentences(self) -> list[str]:
        """What confirming will do, in sentences: who is added where, who gets a role in
        another unit, which roles change, and that nobody loses access."""
        new = [r for r in self.rows if r.action == "new person"]
        added = [r for r in self.rows if r.action == "new role"]
        changed = [r for r in self.rows if r.action.startswith("role change")]
        same = [r for r in self.rows if r.action == "no change"]
        out = []
        if new:
            people = len({r.email for r in new})
            roles = f", with {len(new):,} roles" if len(new) != people else ""
            out.append(
                f"{_many(people, 'new person', 'new people')} will be added{_where(new, roles)}. "
                "Each gets a welcome e-mail to choose a password."
            )
        if added:
            people = len({r.email for r in added})
            units = {r.unit_name for r in added}
            where = (
                f"{'a role' if len(added) == 1 else f'{len(added):,} roles'} in {units.pop()}"
                if len(units) == 1
                else f"{len(added):,} roles in other units: {_by_unit(added)}"
            )
            out.append(
                f"{_many(people, 'person', 'people')} already here will get {where}. "
                "Their other roles stay."
            )
        if changed:
            moves: dict[tuple[str, str, str], int] = defaultdict(int)
            for r in changed:
                moves[(r.unit_name, r.was_role, r.role)] += 1
            ordered = sorted(moves.items(), key=lambda m: (-m[1], m[0]))
            parts = [f"{n:,} in {unit} from {was} to {role}" for (unit, was, role), n in ordered]
            if len(parts) > UNITS_NAMED:
                rest = sum(n for _, n in ordered[UNITS_NAMED:])
                parts = [*parts[:UNITS_NAMED], f"{rest:,} more elsewhere"]
            out.append(f"{_many(len(changed), 'role', 'roles')} will change: {_and(parts)}.")
        if same:
            out.append(f"{_many(len(same), 'row is', 'rows are')} already so and change nothing.")
        out.append(
            "Nobody loses access: a staff list adds people and roles and changes roles, and "
            "removes nothing. Remove a role or a person on the People page."
        )
        return out

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.rows:
            counts[row.action] += 1
        counts["new people"] = len({r.email for r in self.rows if r.action == "new person"})
        return dict(counts)


def _many(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _where(rows: list[RowResult], roles: str) -> str:
    """ " to Ward B" when every row is in one unit (a person has one row per unit, so one
    role each), else ", with 9 roles: 7 in Ward 7 and 2 in Ward 5"."""
    units = {r.unit_name for r in rows}
    if len(units) == 1:
        return f" to {units.pop()}"
    return f"{roles}: {_by_unit(rows)}"


def _by_unit(rows: list[RowResult]) -> str:
    """How many of the rows are in each unit, most first: "7 in Ward 7 and 5 in ED"."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.unit_name] += 1
    ordered = sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    parts = [f"{n:,} in {unit}" for unit, n in ordered[:UNITS_NAMED]]
    if len(ordered) > UNITS_NAMED:
        rest = sum(n for _, n in ordered[UNITS_NAMED:])
        parts.append(f"{rest:,} in {len(ordered) - UNITS_NAMED:,} more units")
    return _and(parts)


def rows_from_table(table: Table) -> tuple[list[dict[str, Any]], list[str]]:
    """Map the file's columns to ours; a missing required column is a file error."""
    mapping = {key: find_column(table.columns, *aliases) for key, aliases in COLUMNS.items()}
    missing = [key for key in REQUIRED if mapping[key] is None]
    if mapping["name"] is None and not (mapping["given_name"] and mapping["family_name"]):
        missing.insert(0, "name (or given name and family name)")
    if missing:
        return [], [
            f"The file has no {', '.join(missing)} column. It needs columns: given name, "
            "family name (or one name column), email, unit, role (and optionally title and "
            f"job title). It has: {', '.join(table.columns)}."
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
    shared: dict[str, int] = defaultdict(int)
    for each in units.values():
        shared[each.name] += 1
    seen: dict[tuple[str, int], int] = {}
    names_by_email: dict[str, tuple[str, int]] = {}
    results = []
    for raw in rows:
        row = RowResult(
            line=raw["line"],
            name="",
            email=raw.get("email", "").strip().lower(),
            unit=raw.get("unit", "").strip(),
            role=raw.get("role", "").strip().lower(),
            job_title=raw.get("job_title", "").strip(),
        )
        _read_name(row, raw)
        if not row.name:
            row.fail("name-empty", "The name is empty.")
        elif len(row.given_name) > 100 or len(row.family_name) > 100:
            row.fail("name-long", "The given or family name is longer than 100 characters.")
        elif len(row.title) > 30:
            row.fail("name-long", "The title is longer than 30 characters.")
        if message := limits.too_long(row.job_title, limits.SHORT, "The job title"):
            row.fail("job-title-long", message)
        if not row.email:
            row.fail("email-empty", "The e-mail address is empty.")
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                row.fail("email-invalid", f"'{row.email}' is not a valid e-mail address.")
        unit = units.get(_norm_path(row.unit)) if row.unit else None
        if not row.unit:
            row.fail("unit-empty", "The unit is empty.")
        elif unit is None:
            row.fail(
                "unit-unknown",
                f"No unit '{row.unit}'. Write the whole path from the top, separated by '>', "
                "for example 'Riverside Health > Riverside General Hospital > Emergency Department'.",
            )
        elif unit.pk not in managed:
            row.fail("unit-not-admin", f"You are not an admin of '{row.unit}'.")
        if row.role not in roles:
            row.fail(
                "role-unknown",
                f"The role '{row.role}' is not one of: member, leader, coach, admin.",
            )
        person = existing.get(row.email)
        if person is not None and person.organisation_id != org_id:
            row.fail("address-unusable", UNUSABLE_ADDRESS)
        elif person is not None and person.pk not in managed_people:
            row.fail("roles-elsewhere", ROLES_ELSEWHERE)
        if row.email and unit is not None:
            key = (row.email, unit.pk)
            if key in seen:
                row.fail(
                    "duplicate", f"The same person and unit already appear on line {seen[key]}."
                )
            else:
                seen[key] = row.line
        if row.email and row.name:
            first = names_by_email.setdefault(row.email, (row.name, row.line))
            if first[0] != row.name:
                row.fail(
                    "name-conflict",
                    f"Line {first[1]} gives this e-mail address the name {quoted(first[0])}; "
                    "use one name per person.",
                )
        if not row.errors and unit is not None:
            current = memberships.get((row.email, unit.pk))
            # A name two units share ("Ward 7" of two hospitals) is said with its whole path.
            row.unit_name = unit.name if shared[unit.name] == 1 else row.unit
            row.was_role = current or ""
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


def _read_name(row: RowResult, raw: dict[str, Any]) -> None:
    """Given and family names from their own columns, or split from one name column."""
    given, family = raw.get("given_name", "").strip(), raw.get("family_name", "").strip()
    title = raw.get("title", "").strip()
    if not (given or family):
        split_title, given, family = split_name(raw.get("name", "").strip())
        title = title or split_title
    row.given_name, row.family_name, row.title = given, family, title
    row.name = join_name(given, family)


def preview_upload(table: Table, *, admin: User) -> tuple[list[dict[str, Any]], Preview]:
    rows, file_errors = rows_from_table(table)
    if file_errors:
        return rows, Preview([], file_errors)
    return rows, validate(rows, admin=admin)


class ImportNotPending(Exception):
    """The import was already applied or discarded (a double submission, a second tab)."""


#: Lists up to this many rows are imported in the request; longer ones by the task worker,
#: with progress on the page.
APPLY_AT_ONCE_ROWS = 500
#: Rows written per statement by the bulk writes.
BATCH = 1000
STOPPED = (
    "The import stopped before it finished (the background worker was probably restarted). "
    "Nothing from the list was saved. Import it again, or discard it."
)
NO_WORKER = (
    "No background worker has picked this list up, so nothing from it was saved. Ask your "
    "administrator to start the task worker (docs/deploy.md, 'Background tasks'), then try again."
)
NO_LONGER_VALID = "The staff list no longer validates; upload it again to see why."

Progress = Callable[[int], None]
#: Told the ids of the people created, inside the transaction (tasks.welcome_after_commit
#: e-mails them once it commits; this module cannot import the tasks, which import it).
Welcome = Callable[[list[int]], None]


def submit(staff_import: StaffImport, *, admin: User, welcome: Welcome) -> dict[str, int] | None:
    """Apply a short list now (returns its summary); queue a long one (returns None), which
    the caller hands to the task worker (`tasks.run_staff_import`) after commit."""
    if len(staff_import.rows) <= APPLY_AT_ONCE_ROWS:
        return apply_import(staff_import.pk, admin=admin, welcome=welcome)
    updated = StaffImport.objects.filter(
        pk=staff_import.pk, status__in=(StaffImport.Status.PENDING, StaffImport.Status.FAILED)
    ).update(status=StaffImport.Status.QUEUED, progress=0, message="", touched_at=timezone.now())
    if not updated:
        staff_import.refresh_from_db()
        raise ImportNotPending(staff_import.get_status_display())
    return None


def apply_import(
    staff_import_id: int, *, admin: User, welcome: Welcome, progress: Progress | None = None
) -> dict[str, int]:
    """Re-validate and save every row in one transaction; any bad row saves nothing.

    Set-based: a fixed number of queries whatever the rows (new people and roles written in
    bulk), and one audit entry on the import summarising the counts, not one per person."""
    assert admin.organisation_id is not None

    if progress:
        # The long check first, outside the writing transaction, so the page sees its progress
        # (and a list that no longer fits fails before anything is locked).
        progress(5)
        rows = StaffImport.objects.get(pk=staff_import_id, organisation_id=admin.organisation_id)
        if not validate(rows.rows, admin=admin).ok:
            raise ValueError(NO_LONGER_VALID)
        progress(40)
    with transaction.atomic():
        staff_import = StaffImport.objects.select_for_update().get(
            pk=staff_import_id, organisation_id=admin.organisation_id
        )
        if staff_import.status not in (
            StaffImport.Status.PENDING,
            StaffImport.Status.FAILED,
            StaffImport.Status.QUEUED,
            StaffImport.Status.RUNNING,
        ):
            raise ImportNotPending(staff_import.get_status_display())
        preview = validate(staff_import.rows, admin=admin)
        if not preview.ok:
            raise ValueError(NO_LONGER_VALID)
        units = _unit_index(admin.organisation_id)
        emails = {r.email for r in preview.rows}
        firsts: dict[str, RowResult] = {}
        for row in preview.rows:
            if row.action == "new person":
                firsts.setdefault(row.email, row)
        new_users = []
        for row in firsts.values():
            user = User(
                email=row.email,
                full_name=row.name,
                given_name=row.given_name,
                family_name=row.family_name,
                title=row.title,
                job_title=row.job_title,
                organisation_id=admin.organisation_id,
            )
            user.set_unusable_password()
            new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=BATCH)
        people = dict(
            User.objects.filter(email__in=emails, organisation_id=admin.organisation_id)
            .values_list("email", "pk")
        )  # fmt: skip
        current = {
            (m.user_id, m.unit_id): m
            for m in Membership.objects.filter(
                user__email__in=emails, unit__organisation_id=admin.organisation_id
            )
        }
        create, change = [], []
        for row in preview.rows:
            key = (people[row.email], units[_norm_path(row.unit)].pk)
            membership = current.get(key)
            if membership is None:
                create.append(Membership(user_id=key[0], unit_id=key[1], role=row.role))
            elif membership.role != row.role:
                membership.role = row.role
                change.append(membership)
        Membership.objects.bulk_create(create, batch_size=BATCH)
        Membership.objects.bulk_update(change, ["role"], batch_size=BATCH)
        summary = preview.counts()
        staff_import.status = StaffImport.Status.APPLIED
        staff_import.applied_at = timezone.now()
        staff_import.summary = summary
        staff_import.progress = 100
        staff_import.message = ""
        staff_import.save()
        audit.record(
            staff_import,
            AuditAction.CREATE,
            {
                "rows": [0, len(preview.rows)],
                "new people": [0, len(new_users)],
                "new roles": [0, len(create)],
                "role changes": [0, len(change)],
            },
        )
        new_people = list(
            User.objects.filter(email__in=list(firsts), organisation_id=admin.organisation_id)
            .values_list("pk", flat=True)
        )  # fmt: skip
        if new_people:
            welcome(new_people)
    return summary


def fail_if_stale(staff_import: StaffImport) -> StaffImport:
    """Mark an import whose work has stopped as failed, with what happened, so it can be
    retried or discarded (`core.stale_work.stalled`'s rule, shared with measure uploads)."""
    if not staff_import.working:
        return staff_import
    stall = stalled(
        queued=staff_import.status == StaffImport.Status.QUEUED,
        last_sign=staff_import.touched_at or staff_import.created_at,
    )
    if stall is None:
        return staff_import
    message = NO_WORKER if stall == "no worker" else STOPPED
    StaffImport.objects.filter(
        pk=staff_import.pk, status=staff_import.status, touched_at=staff_import.touched_at
    ).update(status=StaffImport.Status.FAILED, progress=100, message=message)
    staff_import.refresh_from_db()
    return staff_import
