"""Two-step sign-in in a real browser: a staff member turns it on from their account, signs in
again with a code, and removes an app, with axe on each of our pages."""

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

PASSWORD = "correct-horse-battery-9"


def code(device, steps_ahead: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def assert_content_accessible(page) -> None:
    results = Axe().run(page, context="main")
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert not serious, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def sign_in_with_password(page, base_url: str) -> None:
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_turn_on_two_step_sign_in_then_sign_in_with_a_code(page, live_server, site, settings):
    # A wrong code makes the next try wait a second (tests/kindman/test_second_factor.py pins
    # that); this one types the right code straight after.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    group, _ = Group.objects.get_or_create(name="Therapists")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    User.objects.create_user("sam", "sam@example.com", PASSWORD).groups.add(group)

    sign_in_with_password(page, live_server.url)
    expect(page).to_have_url(live_server.url + "/admin/")
    page.goto(live_server.url + "/admin/account/")
    page.get_by_role("tab", name="More actions").click()
    page.get_by_role("link", name="Two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in is off for your account.")).to_be_visible()
    assert_content_accessible(page)

    page.get_by_role("link", name="Set up two-step sign-in").click()
    expect(page.get_by_role("img", name="QR code")).to_be_visible()
    assert_content_accessible(page)
    phone = TOTPDevice.objects.get(confirmed=False)
    page.get_by_label("Name for this app").fill("Work phone")
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_text("That code did not match.")).to_be_visible()
    expect(page.get_by_label("Name for this app")).to_have_value("Work phone")
    page.get_by_label("6-digit code").fill(code(phone))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in is on.")).to_be_visible()
    expect(page.get_by_role("cell", name="Work phone Used for this sign-in")).to_be_visible()

    page.context.clear_cookies()
    sign_in_with_password(page, live_server.url)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_content_accessible(page)
    page.get_by_label("6-digit code").fill(code(phone, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + "/admin/")

    page.goto(live_server.url + "/admin/two-step/")
    page.get_by_role("link", name="Remove Work phone").click()
    expect(page.get_by_text("It is your only app")).to_be_visible()
    assert_content_accessible(page)
    page.get_by_role("button", name="Yes, remove it").click()
    expect(page.get_by_text("Removed “Work phone” from your account.")).to_be_visible()
    assert not TOTPDevice.objects.exists()
