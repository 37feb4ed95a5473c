"""Forms for signing in, adding people, units and memberships, and uploading staff lists."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import slugify

from champion.accounts.models import Membership, Organisation, Role, Unit, User
from champion.accounts.picker import use_unit_picker
from champion.core.limits import LimitedText
from champion.core.words import quoted


class SignInEmailField(forms.EmailField):
    """An e-mail address, NFKC-normalised first (as Django's own username field does), so
    full-width letters sign in, and are counted, as the plain address."""

    def to_python(self, value: Any) -> str:
        return unicodedata.normalize("NFKC", super().to_python(value) or "")


class SignInForm(AuthenticationForm):
    """E-mail and password. Repeated failures are throttled by django-axes
    (champion.accounts.throttle), which refuses the attempt before the password is checked."""

    username = SignInEmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address and password do not match an account. Check both and try again.",
        "sso_only": "Your organisation signs in with single sign-on only: use the sign-in "
        "button for your organisation's account instead of a password.",
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError:
            # The password was right, but the organisation uses single sign-on only
            # (champion.accounts.backends.PasswordBackend marked the request).
            if getattr(self.request, "sso_only", False):
                raise forms.ValidationError(
                    self.error_messages["sso_only"], code="sso_only"
                ) from None
            raise


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return "\u2003" * obj.depth + obj.name


#: Said of an address held by another organisation's account, in words that do not confirm it.
UNUSABLE_ADDRESS = (
    "This e-mail address cannot be used here. Check it, or ask the person for the address "
    "they use at work."
)
#: Said of a colleague who also holds roles the admin does not manage.
ROLES_ELSEWHERE = (
    "This person also has roles in units you do not manage; ask an admin who covers all "
    "their units to add this role."
)


class PersonForm(LimitedText, forms.Form):
    given_name = forms.CharField(max_length=100, label="Given name", help_text="First name")
    family_name = forms.CharField(max_length=100, label="Family name", help_text="Surname")
    title = forms.CharField(
        max_length=30, required=False, label="Title", help_text="Optional: Dr, Prof, Sister"
    )
    email = forms.EmailField(label="Work e-mail address")
    job_title = forms.CharField(
        max_length=200, required=False, help_text="For example: Staff nurse"
    )
    unit = UnitChoiceField(queryset=Unit.objects.none())
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.admin = admin
        self.fields["unit"].queryset = Unit.objects.managed_by(admin)  # type: ignore[attr-defined]
        use_unit_picker(self.fields["unit"], "managed")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        existing = User.objects.filter(email=email).first()
        if existing is None:
            return email
        if existing.organisation_id != self.admin.organisation_id:
            raise forms.ValidationError(UNUSABLE_ADDRESS)
        if not User.objects.managed_by(self.admin).filter(pk=existing.pk).exists():
            raise forms.ValidationError(ROLES_ELSEWHERE)
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, unit = cleaned.get("email"), cleaned.get("unit")
        if email and unit and Membership.objects.filter(user__email=email, unit=unit).exists():
            self.add_error(
                "unit", "This person already has a role in this unit; change it on their page."
            )
        return cleaned


class PersonDetailsForm(LimitedText, forms.ModelForm):
    class Meta:
        model = User
        fields = ["given_name", "family_name", "title", "job_title"]
        labels = {"given_name": "Given name", "family_name": "Family name"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_name"].required = True
        self.fields["family_name"].required = True


class MembershipForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none())
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, admin: User, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["unit"].queryset = Unit.objects.managed_by(admin)  # type: ignore[attr-defined]
        use_unit_picker(self.fields["unit"], "managed")

    def clean_unit(self) -> Unit:
        unit = self.cleaned_data["unit"]
        if Membership.objects.filter(user=self.person, unit=unit).exists():
            raise forms.ValidationError(
                "This person already has a role in this unit; change that role instead."
            )
        return unit


class RoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class UnitForm(LimitedText, forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), label="Part of")

    class Meta:
        model = Unit
        fields = ["name", "kind", "parent"]

    def __init__(self, *args: Any, admin: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.managed_by(admin)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
            if self.instance.parent_id is None:
                # The root stays the root.
                del self.fields["parent"]
                return
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        use_unit_picker(self.fields["parent"], "managed")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if ">" in name:
            raise forms.ValidationError(
                "A unit name cannot contain '>' (it separates units in a path)."
            )
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parent = cleaned.get("parent", self.instance.parent if self.instance.pk else None)
        name = cleaned.get("name")
        if name and parent is not None:
            clash = Unit.objects.filter(parent=parent, name__iexact=name).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error(
                    "name", f"{quoted(parent.name)} already has a unit called {quoted(name)}."
                )
        return cleaned


class StaffUploadForm(forms.Form):
    file = forms.FileField(
        label="Staff list (.csv or .xlsx)",
        help_text="Columns: name, email, unit, role, and optionally job title. One row per person per unit.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {settings.MAX_UPLOAD_MB} MB; split the staff list."
            )
        return upload


class OrganisationRulesForm(forms.ModelForm):
    """The organisation's SPC rule set (the engine's names are the only choices)."""

    class Meta:
        model = Organisation
        fields = ["rule_set"]


#: Why password sign-in cannot be switched off yet.
SSO_FIRST = (
    "Sign in with single sign-on first (sign out, then use the single sign-on button): "
    "password sign-in can be switched off only by an admin who has just proved that single "
    "sign-on works for them."
)
SSO_NOT_SET_UP = "Single sign-on is not set up on this server (docs/deploy.md)."


class OrganisationSignInForm(forms.ModelForm):
    """How the organisation's people sign in (changed by an admin of its top unit): whether
    passwords work or only single sign-on does, and whether admins must use two-factor
    sign-in. Passwords are switched off only when single sign-on is set up on this server and
    the admin doing it is signed in with it, so nobody closes the only way in by mistake.

    `sso_ready`: single sign-on is set up on this server; `signed_in_with_sso`: the admin's
    own session came through it. Without single sign-on the password choice is offered only
    while passwords are off (so that they can be switched back on)."""

    class Meta:
        model = Organisation
        fields = ["password_sign_in", "require_two_factor"]

    def __init__(
        self, *args: Any, sso_ready: bool, signed_in_with_sso: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sso_ready = sso_ready
        self.signed_in_with_sso = signed_in_with_sso
        if not (sso_ready or not self.instance.password_sign_in):
            del self.fields["password_sign_in"]

    @property
    def offers_passwords(self) -> bool:
        return "password_sign_in" in self.fields

    def switches_passwords_off(self) -> bool:
        return bool(
            self.offers_passwords
            and self.initial.get("password_sign_in")
            and not self.cleaned_data.get("password_sign_in", True)
        )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.switches_passwords_off():
            if not self.sso_ready:
                self.add_error("password_sign_in", SSO_NOT_SET_UP)
            elif not self.signed_in_with_sso:
                self.add_error("password_sign_in", SSO_FIRST)
        return cleaned


class ProvisioningTokenForm(LimitedText, forms.Form):
    token_name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example 'Entra ID provisioning'. It works while you are an admin of the "
        "organisation; any organisation admin can revoke it.",
    )


class SignUpForm(forms.Form):
    email = SignInEmailField(
        label="Your work e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We will e-mail you a link to confirm it.",
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class SignUpCompleteForm(LimitedText, forms.Form):
    organisation = forms.CharField(
        label="Your organisation's name",
        max_length=200,
        help_text="For example: Riverside Community Hospital. You add its units next.",
    )
    full_name = forms.CharField(
        label="Your full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_organisation(self) -> str:
        name = self.cleaned_data["organisation"].strip()
        if ">" in name:
            raise forms.ValidationError(
                "The name cannot contain '>' (it separates units in a path)."
            )
        if not slugify(name):
            raise forms.ValidationError("The name needs at least one letter or digit.")
        taken = Organisation.objects.filter(name__iexact=name).exists() or (
            Organisation.objects.filter(slug=slugify(name)[:200]).exists()
        )
        if taken:
            raise forms.ValidationError(
                "An organisation with this name already uses this site. Ask its admins to "
                "add you, or choose a name that tells yours apart."
            )
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
