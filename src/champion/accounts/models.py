"""The organisation, its unit tree, people and their roles in units.

Visibility rules (DESIGN.md, "People, roles and visibility") live here as
queryset methods, so list views cannot forget them:

- Everyone in an organisation may see its units (the organisation chart is not secret).
- A person sees themselves; a leader or coach sees the people of their unit's subtree;
  an admin of a unit manages that unit's subtree (an admin of the root unit manages the
  whole organisation).
- Nobody sees anything of another organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django.dispatch
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.text import slugify

from champion.accounts.names import initials, join_name, split_name
from champion.core.limits import SHORT
from champion.core.permissions import OrgScopedQuerySet, belongs_to_an_organisation

if TYPE_CHECKING:
    from collections.abc import Iterable

PATH_SEPARATOR = " > "


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    LEADER = "leader", "Leader"
    COACH = "coach", "Coach"
    ADMIN = "admin", "Admin"


#: Roles that see the people (and later the learning records) of a unit's whole subtree.
OVERSIGHT_ROLES = (Role.LEADER, Role.COACH, Role.ADMIN)


#: Sent (with `organisation`) once an organisation's rule set has changed and been saved; the
#: measures app re-analyses its measures (accounts may not import measures).
rule_set_changed = django.dispatch.Signal()


class RuleSet(models.TextChoices):
    """The SPC rule sets a chart's signals can follow: the engine's names (`spc.RULE_SETS`,
    with "anhoej", always computed). Which points are signals and what the verdict says follow
    the chosen set; the Making Data Count icons always follow the MDC rules."""

    ANHOEJ = "anhoej", "Anhøj (runs analysis and points outside the limits)"
    IHI = "ihi", "IHI run chart rules"
    WESTERN_ELECTRIC = "western-electric", "Western Electric"
    NELSON = "nelson", "Nelson"
    MDC = "mdc", "Making Data Count"


class Organisation(models.Model):
    """A healthcare organisation (a system, a trust, a hospital) using the platform."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    rule_set = models.CharField(
        "SPC rule set",
        max_length=20,
        choices=RuleSet.choices,
        default=RuleSet.ANHOEJ,
        help_text="The rules that decide which points are signals on every chart, unless a "
        "measure chooses its own.",
    )
    password_sign_in = models.BooleanField(
        "Password sign-in allowed",
        default=True,
        help_text="Off: its people sign in only with single sign-on (OIDC or SAML). Superusers "
        "can still sign in with a password (the break-glass route, docs/deploy.md).",
    )
    require_two_factor = models.BooleanField(
        "Admins must use two-factor sign-in",
        default=False,
        help_text="Admins who sign in with a password and have not set up an authenticator "
        "app are sent to set one up before they can do anything else.",
    )

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:200]
        super().save(*args, **kwargs)

    @property
    def root_unit(self) -> Unit | None:
        return self.units.filter(parent__isnull=True).order_by("pk").first()


class UnitKind(models.TextChoices):
    SYSTEM = "system", "Health system"
    HOSPITAL = "hospital", "Hospital"
    DIVISION = "division", "Division"
    DEPARTMENT = "department", "Department"
    WARD = "ward", "Ward"
    TEAM = "team", "Team"
    SERVICE = "service", "Service"


class UnitQuerySet(OrgScopedQuerySet["Unit"]):
    """Everyone in an organisation sees all its units (`visible_to` keeps the organisation's)."""

    def subtree_of(self, units: Iterable[Unit]) -> UnitQuerySet:
        """Every unit at or below any of `units`."""
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)

    def managed_by(self, user: Any) -> UnitQuerySet:
        """Units whose people and structure `user` may change (admin of the unit or an ancestor)."""
        return self.visible_to(user).subtree_of(user.units_with_roles(Role.ADMIN))

    def overseen_by(self, user: Any) -> UnitQuerySet:
        """Units whose people `user` oversees as a leader, coach or admin (whole subtrees)."""
        return self.visible_to(user).subtree_of(user.units_with_roles(*OVERSIGHT_ROLES))


class Unit(models.Model):
    """A node of the organisation's tree: system > hospital > department > ward, any depth."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    # Materialised path of primary keys ("/1/4/9/"): subtree queries are one indexed prefix match.
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(parent__isnull=True),
                name="unit_one_root_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path == old_path:
            return
        depth = new_path.count("/") - 2
        Unit.objects.filter(pk=self.pk).update(path=new_path, depth=depth)
        if old_path:
            # The unit moved: rewrite its descendants' paths and depths in one statement.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (depth - self.depth),
            )
        self.path, self.depth = new_path, depth

    def clean(self) -> None:
        if self.parent_id is not None:
            parent = self.parent
            assert parent is not None
            if parent.organisation_id != self.organisation_id:
                raise ValidationError(
                    {"parent": "The parent unit belongs to another organisation."}
                )
            if self.pk and parent.path.startswith(self.path):
                raise ValidationError({"parent": "A unit cannot be moved under itself."})

    def ancestors(self) -> list[Unit]:
        """From the root down to (and including) this unit."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    @property
    def full_path(self) -> str:
        return PATH_SEPARATOR.join(u.name for u in self.ancestors())

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)

    def audit_organisation_id(self) -> int:
        return self.organisation_id


class UserQuerySet(OrgScopedQuerySet["User"]):
    def narrow(self, user: Any) -> UserQuerySet:
        """People `user` may see: themselves and the people of the subtrees they oversee.

        The memberships are a subquery, not a join: each person once without a DISTINCT,
        which a whole health system (20,000 people) would otherwise sort on every count."""
        members = Membership.objects.filter(unit__in=Unit.objects.overseen_by(user))
        return self.filter(Q(pk=user.pk) | Q(pk__in=members.values("user_id")))

    def managed_by(self, user: Any) -> UserQuerySet:
        """People whose every role lies in units `user` administers (their own subtrees).

        A hospital's admin must not rename or deactivate someone who also holds a role above
        or beside the hospital (the organisation's own admin, say): that person belongs to the
        admin who covers all their roles. People without any role are managed by the admins
        of the organisation's top unit.
        """
        if not belongs_to_an_organisation(user):
            return self.none()
        managed = Unit.objects.managed_by(user)
        outside = Membership.objects.filter(user=OuterRef("pk")).exclude(unit__in=managed)
        people = self.filter(organisation_id=user.organisation_id).exclude(Exists(outside))
        if managed.filter(parent__isnull=True).exists():
            return people
        return people.filter(Exists(Membership.objects.filter(user=OuterRef("pk"))))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


NAME_FIELDS = ("full_name", "given_name", "family_name", "title")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField(unique=True)
    #: The given and family names joined, kept for searching and sorting (set by `save`).
    full_name = models.CharField(max_length=200)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    title = models.CharField(
        max_length=30, blank=True, help_text="Optional, shown in formal places: Dr, Prof, Sister."
    )
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False,
        help_text="May use the Django admin site (operators, not organisation admins).",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        # Lists of people are sorted by name and paged: the index lets a page of 50 of
        # 20,000 people be read in name order without sorting them all (issue 15).
        indexes = [models.Index(fields=["full_name", "email"], name="accounts_user_by_name")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The given name, for greetings: never a title ("Hello, Helen", not "Hello, Dr")."""
        return self.given_name or split_name(self.full_name)[1] or self.email

    @property
    def formal_name(self) -> str:
        """The title and the full name ("Dr Helen Okafor"), for certificates and letters."""
        return " ".join(part for part in (self.title, self.full_name) if part)

    @property
    def initials(self) -> str:
        given, family = self.given_name, self.family_name
        if not (given or family):
            _, given, family = split_name(self.full_name)
        return initials(given, family, self.email)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.strip().lower()
        before = (self.full_name, self.given_name, self.family_name, self.title)
        self.given_name, self.family_name = self.given_name.strip(), self.family_name.strip()
        loaded = getattr(self, "_loaded_names", None)
        only_full_name_changed = loaded is not None and (
            (self.given_name, self.family_name) == loaded[1:] and self.full_name != loaded[0]
        )
        if self.full_name.strip() and (
            only_full_name_changed or not (self.given_name or self.family_name)
        ):
            # A name given as one string (admin site, an old import, an identity provider).
            title, self.given_name, self.family_name = split_name(self.full_name)
            self.title = title or self.title.strip()
        self.full_name = join_name(self.given_name, self.family_name) or self.full_name
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and before != (
            self.full_name,
            self.given_name,
            self.family_name,
            self.title,
        ):
            kwargs["update_fields"] = {*update_fields, *NAME_FIELDS}
        super().save(*args, **kwargs)
        self._loaded_names = (self.full_name, self.given_name, self.family_name)

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> User:
        """Remember the names as loaded, so `save` knows whether only the one-string name
        was changed (then it is split again) or the given and family names were."""
        user = super().from_db(db, field_names, values)
        if not user.get_deferred_fields() & set(NAME_FIELDS):
            user._loaded_names = (user.full_name, user.given_name, user.family_name)
        return user

    def units_with_roles(self, *roles: str) -> list[Unit]:
        """The units where this person holds any of `roles` (cached per instance)."""
        cache: dict[str, list[tuple[str, Unit]]] = self.__dict__.setdefault("_role_cache", {})
        if "all" not in cache:
            cache["all"] = [
                (m.role, m.unit)
                for m in self.memberships.select_related("unit").order_by("unit__path")
            ]
        return [unit for role, unit in cache["all"] if role in roles]

    def has_role_at(self, unit: Unit, *roles: str) -> bool:
        """True when this person holds one of `roles` at `unit` or any unit above it."""
        return any(unit.is_within(u) for u in self.units_with_roles(*roles))

    @property
    def is_org_admin(self) -> bool:
        return any(u.parent_id is None for u in self.units_with_roles(Role.ADMIN))

    @property
    def is_admin(self) -> bool:
        return bool(self.units_with_roles(Role.ADMIN))

    @property
    def is_leader(self) -> bool:
        return bool(self.units_with_roles(Role.LEADER))

    @property
    def oversees_people(self) -> bool:
        return bool(self.units_with_roles(*OVERSIGHT_ROLES))

    def audit_organisation_id(self) -> int | None:
        return self.organisation_id


class MembershipQuerySet(OrgScopedQuerySet["Membership"]):
    """A person's roles are seen by whoever sees the person."""

    organisation_field = "unit__organisation_id"

    def narrow(self, user: Any) -> MembershipQuerySet:
        return self.filter(user__in=User.objects.visible_to(user))


class Membership(models.Model):
    """A person's role in a unit. One role per person per unit."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.unit}"

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id


class StaffImportQuerySet(OrgScopedQuerySet["StaffImport"]):
    """A staff list is seen only by the admin who uploaded it."""

    def narrow(self, user: Any) -> StaffImportQuerySet:
        return self.filter(uploaded_by=user)


class StaffImport(models.Model):
    """An uploaded staff list waiting for an admin to confirm its preview, then applied at once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Not imported"
        DISCARDED = "discarded", "Discarded"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    rows = models.JSONField(
        help_text="The parsed rows: [line, {name, email, unit, role, job_title}]."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    #: A big list is imported by the task worker: its progress (percent) and its last sign
    #: of progress (stale work is found by it), and why it failed if it did.
    progress = models.PositiveSmallIntegerField(default=0)
    touched_at = models.DateTimeField(null=True, blank=True, editable=False)
    message = models.TextField(blank=True, default="")

    objects = StaffImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Staff list {self.filename} ({self.get_status_display()})"

    def audit_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class PasswordResetRequest(models.Model):
    """A password reset asked for, kept a day to throttle requests (per account and per
    address); the account is the normalised address typed, whether or not it exists."""

    account = models.CharField(max_length=255, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Password reset for {self.account} at {self.at:%Y-%m-%d %H:%M}"


class SsoProtocol(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class SsoOutcome(models.TextChoices):
    SIGNED_IN = "signed-in", "Signed in"
    CREATED = "created", "Account created and signed in"
    REFUSED = "refused", "Refused"


class SsoSignIn(models.Model):
    """One single sign-on attempt that reached us back from the identity provider: who it
    named, what we decided and why. Audited (so organisation admins see it in their log) and
    used to refuse a replayed SAML response (`reference`, the request it answered)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    protocol = models.CharField(max_length=4, choices=SsoProtocol.choices)
    outcome = models.CharField(max_length=10, choices=SsoOutcome.choices)
    #: Why it was refused, a code from `champion.accounts.sso.Reason` ("" when signed in).
    reason = models.CharField(max_length=40, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reference = models.CharField(max_length=200, blank=True, default="", db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        who = self.email or "an unnamed person"
        what = self.get_outcome_display().lower()
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.get_protocol_display()} sign-in for {who}: {what}{why}"

    def audit_organisation_id(self) -> int | None:
        return self.organisation_id


class TotpDevice(models.Model):
    """A person's authenticator app (TOTP, RFC 6238): the shared secret and the last time step
    used, so a code is accepted once only. Confirmed when the person has typed a first code."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Authenticator app of {self.user}"

    def audit_organisation_id(self) -> int | None:
        return self.user.organisation_id


class RecoveryCode(models.Model):
    """A one-use code for signing in without the authenticator app. Only a keyed hash is
    stored; the codes are shown once, when made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Recovery code of {self.user}"

    def audit_organisation_id(self) -> int | None:
        return self.user.organisation_id


class SignUpRequest(models.Model):
    """A sign-up link asked for, kept a day to throttle requests (per address typed and per
    client address), like PasswordResetRequest."""

    account = models.CharField(max_length=255, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Sign-up for {self.account} at {self.at:%Y-%m-%d %H:%M}"


class Passkey(models.Model):
    """A passkey (WebAuthn credential) a person registered as their second factor: the
    credential's id and public key, and the authenticator's signature counter (a count that
    does not go up means a cloned authenticator, and is refused)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.BinaryField(max_length=1023, unique=True)
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)
    name = models.CharField(max_length=SHORT)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"Passkey {self.name} of {self.user}"

    def audit_organisation_id(self) -> int | None:
        return self.user.organisation_id
