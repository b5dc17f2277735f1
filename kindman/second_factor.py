"""Two-step sign-in for staff: TOTP devices from django-otp, enrolled and checked in the admin.

Anyone with a confirmed device must enter a code after the password; members of the groups chosen
in Settings → Security must enrol a device before they can use the admin. (wagtail-2fa would do
this, but its 1.8 release does not import on Wagtail 8.)
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kindman.middleware import ADMIN_PREFIX

# Admin pages an unverified user may still reach: signing in and out, and these views.
OPEN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "kindman_second_factor_enrol",
    "kindman_second_factor_verify",
}


def is_required_for(user) -> bool:
    from kindman.models import SecuritySettings

    required = SecuritySettings.load().second_factor_groups.all()
    return user.groups.filter(pk__in=required).exists()


def has_device(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


class SecondFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware: keeps unverified staff out of the admin."""

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
        match = request.resolver_match
        if match and match.url_name in OPEN_URL_NAMES:
            return None
        target = "kindman_second_factor_verify"
        if not has_device(user):
            if not is_required_for(user):
                return None
            target = "kindman_second_factor_enrol"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


class TokenForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


@never_cache
def enrol(request):
    """Show a new secret (as text and an otpauth:// link) and confirm it with a first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-step sign-in is on for your account.")
            return redirect(_next_url(request))
        form.add_error("otp_token", "That code did not match. Check the time on your phone.")
    from base64 import b32encode

    context = {
        "form": form,
        "secret": b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        "next": _next_url(request),
        "required": is_required_for(request.user),
    }
    return TemplateResponse(request, "kindman/second_factor/enrol.html", context)


@never_cache
def verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("otp_token", "That code did not match. Try the newest one.")
    return TemplateResponse(
        request,
        "kindman/second_factor/verify.html",
        {"form": form, "next": _next_url(request)},
    )
