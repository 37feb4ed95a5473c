"""Create an organisation, its top unit and its first admin: the first step of a real installation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from champion.accounts.models import Membership, Organisation, Role, Unit, UnitKind, User
from champion.accounts.tasks import set_password_url
from champion.core import audit


class Command(BaseCommand):
    help = "Create an organisation with its top unit and first admin, and print the admin's set-password link."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="The organisation's name, e.g. 'Riverside Health'")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument("--kind", default=UnitKind.SYSTEM, choices=UnitKind.values)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        email = options["admin_email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from None
        if Organisation.objects.filter(name__iexact=name).exists():
            raise CommandError(f"An organisation called {name!r} already exists.")
        if User.objects.filter(email=email).exists():
            raise CommandError(f"{email} already has an account.")
        with audit.acting_as(None), transaction.atomic():
            organisation = Organisation.objects.create(name=name)
            root = Unit.objects.create(organisation=organisation, name=name, kind=options["kind"])
            admin = User.objects.create_user(
                email, full_name=options["admin_name"], organisation=organisation
            )
            Membership.objects.create(user=admin, unit=root, role=Role.ADMIN)
        self.stdout.write(f"Created {organisation} with admin {admin.email}.")
        self.stdout.write("The admin chooses a password here (valid for 24 hours):")
        self.stdout.write(set_password_url(admin))
