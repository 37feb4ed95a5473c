"""Riverside Health: the fictional demo organisation's units and ~60 people across every role.

Every name here is invented. The five fixed sign-ins (see champion.web.demo) share the
demo password; everyone else has no usable password.
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from champion.accounts.models import Membership, Organisation, Role, Unit, UnitKind, User

ORGANISATION = "Riverside Health"
DOMAIN = "riverside.example"

# (name, kind, children)
TREE = (
    ORGANISATION, UnitKind.SYSTEM, [
        ("Riverside General Hospital", UnitKind.HOSPITAL, [
            ("Emergency Department", UnitKind.DEPARTMENT, []),
            ("Medicine", UnitKind.DIVISION, [
                ("Ward 7 - Acute Medicine", UnitKind.WARD, []),
                ("Ward 9 - Respiratory", UnitKind.WARD, []),
            ]),
            ("Surgery", UnitKind.DIVISION, [
                ("Surgical Ward 3", UnitKind.WARD, []),
                ("Operating Theatres", UnitKind.DEPARTMENT, []),
            ]),
            ("Pharmacy", UnitKind.DEPARTMENT, []),
        ]),
        ("Hillside Community Hospital", UnitKind.HOSPITAL, [
            ("Rehabilitation Ward", UnitKind.WARD, []),
            ("Outpatients", UnitKind.DEPARTMENT, []),
            ("Community Nursing", UnitKind.SERVICE, []),
            ("Patient Access", UnitKind.DEPARTMENT, []),
        ]),
    ],
)  # fmt: skip

# email local part, name, job title, unit, role
FIXED = [
    ("member", "Alex Morgan", "Staff nurse", "Ward 7 - Acute Medicine", Role.MEMBER),
    ("leader", "Priya Raman", "Ward manager", "Ward 7 - Acute Medicine", Role.LEADER),
    ("executive", "Dr Helen Okafor", "Chief nurse", ORGANISATION, Role.LEADER),
    ("coach", "Marcus Lindqvist", "Improvement coach", ORGANISATION, Role.COACH),
    ("admin", "Jo Bennett", "Systems administrator", ORGANISATION, Role.ADMIN),
]

# Unit -> (leader title, member titles); each unit gets a leader and several members.
STAFFING = {
    "Riverside General Hospital": ("Director of operations", []),
    "Hillside Community Hospital": ("Hospital director", []),
    "Emergency Department": ("Emergency department matron", ["Emergency nurse", "Emergency physician", "Healthcare assistant", "Receptionist", "Emergency nurse"]),
    "Medicine": ("Clinical director, medicine", []),
    "Ward 7 - Acute Medicine": (None, ["Staff nurse", "Healthcare assistant", "Physiotherapist", "Ward clerk", "Consultant physician"]),
    "Ward 9 - Respiratory": ("Ward sister", ["Staff nurse", "Respiratory physiotherapist", "Healthcare assistant", "Staff nurse"]),
    "Surgery": ("Clinical director, surgery", []),
    "Surgical Ward 3": ("Ward manager", ["Staff nurse", "Healthcare assistant", "Surgical registrar", "Staff nurse"]),
    "Operating Theatres": ("Theatre manager", ["Scrub nurse", "Anaesthetist", "Operating department practitioner", "Porter"]),
    "Pharmacy": ("Chief pharmacist", ["Pharmacist", "Pharmacy technician", "Pharmacy assistant"]),
    "Rehabilitation Ward": ("Ward manager", ["Occupational therapist", "Staff nurse", "Physiotherapist", "Healthcare assistant"]),
    "Outpatients": ("Outpatients manager", ["Clinic nurse", "Clinic coordinator", "Healthcare assistant"]),
    "Community Nursing": ("Community nursing lead", ["District nurse", "District nurse", "Community matron"]),
    "Patient Access": ("Patient access manager", ["Registration clerk", "Booking coordinator", "Registration clerk"]),
}  # fmt: skip

FIRST = ["Aisha", "Ben", "Chloe", "Daniel", "Elena", "Farah", "George", "Hannah", "Ibrahim", "Jade",
         "Kofi", "Laura", "Mohammed", "Nadia", "Oliver", "Patrick", "Rosa", "Samuel", "Tara", "Usman",
         "Vera", "William", "Yasmin", "Zoe", "Amir", "Bethany", "Callum", "Deepa", "Ewan", "Grace"]  # fmt: skip
LAST = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernandes", "Gallagher", "Hughes", "Iqbal",
        "Jones", "Kowalski", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn", "Roberts",
        "Singh", "Taylor", "Walsh", "Wright", "Young", "Zielinski"]  # fmt: skip


def _build_units(org: Organisation) -> dict[str, Unit]:
    units: dict[str, Unit] = {}

    def add(node: tuple, parent: Unit | None) -> None:
        name, kind, children = node
        unit = Unit.objects.create(organisation=org, parent=parent, name=name, kind=kind)
        units[name] = unit
        for child in children:
            add(child, unit)

    add(TREE, None)
    return units


def build(org: Organisation | None) -> Organisation:
    """Create Riverside Health once; return it unchanged when it already exists."""
    existing = Organisation.objects.filter(name=ORGANISATION).first()
    if existing is not None:
        return existing
    org = Organisation.objects.create(name=ORGANISATION)
    units = _build_units(org)
    demo_hash = make_password("champion-demo")
    for local, name, title, unit, role in FIXED:
        user = User.objects.create_user(
            f"{local}@{DOMAIN}", full_name=name, job_title=title, organisation=org
        )
        user.password = demo_hash
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, unit=units[unit], role=role)

    rng = random.Random(2024)
    used = {name for _, name, *_ in FIXED}

    def person(title: str) -> User:
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used:
                used.add(name)
                break
        local = name.lower().replace("'", "").replace(" ", ".")
        return User.objects.create_user(
            f"{local}@{DOMAIN}", full_name=name, job_title=title, organisation=org
        )

    for unit_name, (leader_title, member_titles) in STAFFING.items():
        staffed = units[unit_name]
        if leader_title:
            Membership.objects.create(user=person(leader_title), unit=staffed, role=Role.LEADER)
        for title in member_titles:
            Membership.objects.create(user=person(title), unit=staffed, role=Role.MEMBER)
    # Two more coaches, one per hospital, and a hospital-level admin.
    Membership.objects.create(
        user=person("Quality improvement facilitator"),
        unit=units["Riverside General Hospital"],
        role=Role.COACH,
    )
    Membership.objects.create(
        user=person("Quality improvement facilitator"),
        unit=units["Hillside Community Hospital"],
        role=Role.COACH,
    )
    Membership.objects.create(
        user=person("Workforce systems officer"),
        unit=units["Hillside Community Hospital"],
        role=Role.ADMIN,
    )
    return org
