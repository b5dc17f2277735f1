"""Two-step sign-in for staff: TOTP devices from django-otp, enrolled and checked in the admin.

Anyone with a confirmed device must enter a code after the password before any other admin page
opens; members of the groups chosen in Settings → Security must enrol a device first. A password
alone may add only a first device; adding another or removing one needs a session verified with
a code. Every change is written to Wagtail's audit log and emailed to the account's owner.
(wagtail-2fa would do this, but its 1.8 release does not import on Wagtail 8.)
"""

import math
import re
from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import LogFormatter, log

from kindman.emails import email_builder, queue_email, render_email
from kindman.middleware import ADMIN_PREFIX
from kindman.timezones import format_local

VERIFY_URL_NAME = "kindman_second_factor_verify"
ENROL_URL_NAME = "kindman_second_factor_enrol"
MANAGE_URL_NAME = "kindman_second_factor"

# All a signed-in session that still owes a code may open: the code page, signing out, and what
# those pages load.
SIGN_IN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    VERIFY_URL_NAME,
}

# The session key of the device this session is setting up (see `pending_device`).
PENDING_SESSION_KEY = "kindman_second_factor_pending"


def is_required_for(user) -> bool:
    from kindman.models import SecuritySettings

    required = SecuritySettings.load().second_factor_groups.all()
    return user.groups.filter(pk__in=required).exists()


def has_device(user) -> bool:
    """Confirmed devices only: a set-up that was never finished counts for nothing."""
    return user_has_device(user, confirmed=True)


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url}, safe='/')}"


def safe_next(request, default: str) -> str:
    """The `next` asked for, if it stays on this site; `default` otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class SecondFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware: in the admin, a session of someone with a device
    reaches only the code page (and signing out) until a code is entered; a member of a required
    group without one reaches only the set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith(ADMIN_PREFIX):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.view_name if request.resolver_match else None
        if name in SIGN_IN_URL_NAMES:
            return None
        if has_device(user):
            # A password alone reaches nothing else, device pages included: from there it
            # could add a way in of its own or remove the owner's.
            return redirect(with_next(VERIFY_URL_NAME, request.get_full_path()))
        if name == ENROL_URL_NAME or not is_required_for(user):
            return None
        return redirect(with_next(ENROL_URL_NAME, request.get_full_path()))


# --- checking codes ----------------------------------------------------------------------------


def how_long(wait: timedelta) -> str:
    if wait.total_seconds() <= 15:
        return "a few seconds"
    minutes = math.ceil(wait.total_seconds() / 60)
    if minutes <= 1:
        return "a minute"
    if minutes < 120:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"


def accept_code(user, devices, token: str):
    """The device among `devices` that accepts `token`, or a ValidationError to show.

    django-otp's TOTP devices make each new try wait longer after every wrong code
    (`ThrottlingMixin`); while any of the devices is waiting no code is tried at all, so a second
    device does not give a guesser a second set of tries."""
    now = timezone.now()
    waits = []
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            waits.append((details or {}).get("locked_until", now))
    if waits:
        raise ValidationError(
            "Too many codes didn’t match, so we’ve paused checking codes for your account to "
            f"keep it safe. Please wait {how_long(max(waits) - now)}, then enter the newest "
            "code from your app.",
            code="paused",
        )
    for device in devices:
        # Locks the device's row while checking, so two tries at once cannot both be counted
        # as the first.
        accepted = verify_token(user, device.persistent_id, token)
        if accepted is not None:
            return accepted
    raise ValidationError(
        "That code did not match. Make sure it is the code for Kindman & Co., and enter the "
        "newest one your app shows.",
        code="mismatch",
    )


class CodeForm(forms.Form):
    """A code from one of `devices`; once valid, `self.device` is the device that accepted it."""

    otp_token = forms.CharField(
        label="6-digit code",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, user, devices, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.devices = devices
        self.device = None

    def clean_otp_token(self):
        # Apps often show the code in two groups of three.
        token = "".join(self.cleaned_data["otp_token"].split())
        if not re.fullmatch(r"[0-9]{6}", token):
            raise ValidationError("Enter the 6 digits your authenticator app shows.")
        self.device = accept_code(self.user, self.devices, token)
        return token


class EnrolForm(CodeForm):
    name = forms.CharField(
        label="Name for this app",
        max_length=64,
        required=False,
        initial="Phone",
        help_text="So you can tell your apps apart later, for example “Work phone”.",
    )
    field_order = ["name", "otp_token"]

    def clean_name(self):
        return self.cleaned_data["name"] or "Phone"


# --- adding and removing devices -------------------------------------------------------------


def pending_device(request, *, start: bool):
    """The unconfirmed device this session is setting up, started anew if `start`.

    Never one another session began: its key was shown there, so confirming it here would let
    whoever saw that page in. Starting a set-up discards the user's other unfinished ones."""
    pk = request.session.get(PENDING_SESSION_KEY)
    pending = TOTPDevice.objects.devices_for_user(request.user, confirmed=False)
    device = pending.filter(pk=pk).first() if pk else None
    if device is None and start:
        pending.delete()
        device = TOTPDevice.objects.create(user=request.user, name="Phone", confirmed=False)
        request.session[PENDING_SESSION_KEY] = device.pk
    return device


def add_device(device, name: str) -> None:
    """Confirm a device whose code was just accepted: from now on it can sign its owner in."""
    with transaction.atomic():
        device.name = name
        device.confirmed = True
        device.save(update_fields=["name", "confirmed"])
        record_change(device.user, "added", device.name)


def remove_device(device) -> None:
    """Delete a device. Sessions verified with it owe a code again (django-otp's middleware drops
    a device that is gone)."""
    with transaction.atomic():
        device.delete()
        record_change(device.user, "removed", device.name)


LOG_ACTIONS = {
    "added": "kindman.second_factor_added",
    "removed": "kindman.second_factor_removed",
}


def record_change(user, change: str, device_name: str) -> None:
    log(user, LOG_ACTIONS[change], user=user, data={"device": device_name})
    queue_email(f"second_factor_{change}", user, details={"device": device_name})


class DeviceAddedFormatter(LogFormatter):
    label = "Add two-step sign-in app"

    def format_message(self, log_entry):
        return f"Added the authenticator app “{log_entry.data.get('device', '')}”"


class DeviceRemovedFormatter(LogFormatter):
    label = "Remove two-step sign-in app"

    def format_message(self, log_entry):
        return f"Removed the authenticator app “{log_entry.data.get('device', '')}”"


def register_log_actions(actions) -> None:
    actions.register_action(LOG_ACTIONS["added"])(DeviceAddedFormatter)
    actions.register_action(LOG_ACTIONS["removed"])(DeviceRemovedFormatter)


def _device_notice(delivery, user):
    """Tell the owner an authenticator app was added or removed: if it was not them, this email
    is how they find out. Nothing is sent to an account without an email address."""
    if not user.email:
        return None
    change = "added" if delivery.kind == "second_factor_added" else "removed"
    context = {
        "name": user.get_short_name() or user.get_username(),
        "device_name": delivery.details.get("device", ""),
        "when": format_local(delivery.created_at),
        "manage_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(MANAGE_URL_NAME),
    }
    return render_email(f"kindman/second_factor/email/device_{change}", context, to=[user.email])


email_builder("second_factor_added", "Two-step sign-in app added, to its owner")(_device_notice)
email_builder("second_factor_removed", "Two-step sign-in app removed, to its owner")(_device_notice)


# --- views -------------------------------------------------------------------------------------


class AccountBreadcrumbsMixin(WagtailAdminTemplateMixin):
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_account"), "label": "Account"},
            *self.get_parent_breadcrumbs(),
            {"url": "", "label": self.get_page_title()},
        ]

    def get_parent_breadcrumbs(self) -> list[dict]:
        return [{"url": reverse(MANAGE_URL_NAME), "label": "Two-step sign-in"}]


@method_decorator(never_cache, name="dispatch")
class ManageView(AccountBreadcrumbsMixin, TemplateView):
    """The user's own devices, with links to add one or remove one."""

    template_name = "kindman/second_factor/manage.html"
    page_title = "Two-step sign-in"

    def get_parent_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        user = self.request.user
        current = user.otp_device
        return {
            **super().get_context_data(**kwargs),
            "devices": TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"),
            "current_device_id": current.persistent_id if current else None,
            "required": is_required_for(user),
        }


@method_decorator(never_cache, name="dispatch")
class EnrolView(AccountBreadcrumbsMixin, FormView):
    """Show a new secret (a QR code, the key as text and an otpauth:// link) and confirm it with
    a first code."""

    template_name = "kindman/second_factor/enrol.html"
    form_class = EnrolForm
    page_title = "Add an authenticator app"

    def dispatch(self, request, *args, **kwargs):
        self.first = not has_device(request.user)
        if not (self.first or request.user.is_verified()):
            # Only a code from an existing app proves it is the owner adding another.
            return redirect(with_next(VERIFY_URL_NAME, request.get_full_path()))
        self.device = pending_device(request, start=request.method != "POST")
        if self.device is None:
            messages.warning(
                request,
                "That set-up page had expired, so here is a new key. Please add it to your app "
                "(you can delete the old entry there) and enter the new code.",
            )
            return redirect(with_next(ENROL_URL_NAME, self.get_success_url()))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "devices": [self.device]}

    def form_valid(self, form):
        add_device(form.device, form.cleaned_data["name"])
        self.request.session.pop(PENDING_SESSION_KEY, None)
        if self.first:
            otp_login(self.request, form.device)
            messages.success(
                self.request,
                "Two-step sign-in is on. Each time you sign in, you’ll enter a code from your "
                "app after your password.",
            )
        else:
            messages.success(self.request, f"“{form.device.name}” is ready to use.")
        return super().form_valid(form)

    def get_success_url(self):
        return safe_next(self.request, reverse(MANAGE_URL_NAME))

    def get_context_data(self, **kwargs):
        secret = b32encode(self.device.bin_key).decode()
        qr = segno.make_qr(self.device.config_url, error="m")
        return {
            **super().get_context_data(**kwargs),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": self.device.config_url,
            # A light background, so the code scans in the admin's dark theme too.
            "qr_code": qr.svg_data_uri(scale=5, light="#fff"),
            "next": self.get_success_url(),
            "first": self.first,
            "required": is_required_for(self.request.user),
        }


@method_decorator(never_cache, name="dispatch")
class RemoveView(AccountBreadcrumbsMixin, TemplateView):
    """A confirmation page, then a POST that removes one of the user's own devices."""

    template_name = "kindman/second_factor/remove.html"
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_verified():
            return redirect(with_next(VERIFY_URL_NAME, request.get_full_path()))
        self.device = get_object_or_404(
            TOTPDevice.objects.devices_for_user(request.user, confirmed=True), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Remove “{self.device.name}”"

    def get_context_data(self, **kwargs):
        user = self.request.user
        others = TOTPDevice.objects.devices_for_user(user, confirmed=True).exclude(
            pk=self.device.pk
        )
        return {
            **super().get_context_data(**kwargs),
            "device": self.device,
            "is_current": self.device == user.otp_device,
            "others_left": others.exists(),
            "required": is_required_for(user),
        }

    def post(self, request, *args, **kwargs):
        remove_device(self.device)
        messages.success(request, f"Removed “{self.device.name}” from your account.")
        return redirect(MANAGE_URL_NAME)


@method_decorator(never_cache, name="dispatch")
class VerifyView(FormView):
    """The code asked for after the password, on a page like the sign-in page."""

    template_name = "kindman/second_factor/verify.html"
    form_class = CodeForm
    home_url = reverse_lazy("wagtailadmin_home")

    def dispatch(self, request, *args, **kwargs):
        self.devices = list(devices_for_user(request.user, confirmed=True))
        if request.user.is_verified() or not self.devices:
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "devices": self.devices}

    def form_valid(self, form):
        otp_login(self.request, form.device)
        return super().form_valid(form)

    def get_success_url(self):
        return safe_next(self.request, str(self.home_url))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": self.get_success_url()}
