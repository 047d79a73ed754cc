"""The staff admin: "COPE staff", with an optional (or required) two-factor code at sign-in."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin


class StaffAuthenticationForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Only if you have set up two-factor sign-in.",
    )

    refused_message = (
        "The username, password or code is not right. Enter your username, your password and, "
        "if you have set up two-factor sign-in, the current 6-digit code from your "
        "authenticator app. If two-factor sign-in is required and you have no authenticator, "
        "ask the site's IT administrator to enrol one."
    )

    def _chosen_device(self, user):
        """Staff have one authenticator: use it rather than asking them to pick a device."""
        return super()._chosen_device(user) or next(devices_for_user(user), None)

    def clean(self):
        """One answer for a wrong password and a missing or wrong code, until all are right:
        the form never tells whether the password was right. A wrong code counts as a failed
        sign-in (django-axes' lock-out), as a wrong password does."""
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            raise self.refused() from None
        user = self.get_user()
        if user is not None and (settings.STAFF_REQUIRE_2FA or user_has_device(user)):
            try:
                if not user_has_device(user):
                    raise forms.ValidationError("no authenticator", code="no_device")
                self.clean_otp(user)
            except forms.ValidationError:
                self.user_cache = None
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
                raise self.refused() from None
        return cleaned

    def refused(self) -> forms.ValidationError:
        return forms.ValidationError(self.refused_message, code="invalid_login")


class StaffAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete only through a model's own relation fields: a reverse relation (a program's
    ``signups``) is refused with 403 rather than failing with a 500."""

    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        if source_field.auto_created or not source_field.is_relation:  # a reverse relation
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name


class ConcreteToFieldOnly:
    """ModelAdmin mixin: `?_to_field=` names a column of this model, never a reverse relation
    (Django's own check fails on one with an AttributeError, a 500); any other name is
    refused as Django refuses a field not allowed (400)."""

    def to_field_allowed(self, request, to_field):
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        return field.concrete and super().to_field_allowed(request, to_field)


class StaffAdminSite(admin.AdminSite):
    site_header = "COPE staff"
    site_title = "COPE staff"
    index_title = "Keep the portal current"
    login_form = StaffAuthenticationForm
    login_template = "admin/staff_login.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model's admin, the apps' and Django's own, refuses a reverse relation as
        `_to_field` (ConcreteToFieldOnly)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ConcreteToFieldOnly):
            admin_class = type(
                admin_class.__name__,
                (ConcreteToFieldOnly, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        return StaffAutocompleteJsonView.as_view(admin_site=self)(request)

    def has_permission(self, request):
        allowed = super().has_permission(request)
        if allowed and settings.STAFF_REQUIRE_2FA:
            return request.user.is_verified()
        return allowed
