"""Two-step sign-in (kindman/second_factor.py) through real requests: TOTP codes are computed
from each device's key as an authenticator app would, and django-otp checks them."""

from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from kindman.models import SecuritySettings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"
VERIFY = "/admin/two-step/verify/"
ENROL = "/admin/two-step/enrol/"
MANAGE = "/admin/two-step/"


def code(device, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for `device` now (or that many steps later: a code
    is accepted once, so a second sign-in in the same half-minute needs the next one)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def remove_url(device) -> str:
    return f"/admin/two-step/{device.pk}/remove/"


def admin_group(name: str) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@pytest.fixture(autouse=True)
def no_throttle(settings):
    # django-otp slows down guessing after a wrong code; most tests type the right one at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def coordinators():
    return admin_group("Care coordinators")


@pytest.fixture
def coordinator(coordinators):
    user = User.objects.create_user("coordinator", "c@example.com", PASSWORD, first_name="Robin")
    user.groups.add(coordinators)
    return user


@pytest.fixture
def therapist():
    """Staff whose group is not required to use two-step sign-in."""
    user = User.objects.create_user("therapist", "t@example.com", PASSWORD, first_name="Sam")
    user.groups.add(admin_group("Therapists"))
    return user


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin", "admin@example.com", PASSWORD)


def require_for(group) -> None:
    SecuritySettings.load().second_factor_groups.add(group)


def confirmed_device(user, name="Phone") -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def sign_in(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def sign_in_with_code(client, user, device):
    sign_in(client, user)
    response = client.post(VERIFY, {"otp_token": code(device)})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/admin/").status_code == 200


def asks_for_code(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(VERIFY)


class TestPasswordAlone:
    """A session that has only the password of someone with an app reaches the code page and
    sign-out, nothing else."""

    def test_password_alone_cannot_enrol_a_new_device_past_the_code(self, client, therapist):
        confirmed_device(therapist)
        sign_in(client, therapist)
        page = client.get(ENROL)
        planted = TOTPDevice.objects.filter(user=therapist, confirmed=False).first()
        client.post(ENROL, {"otp_token": code(planted) if planted else "123456"})

        assert asks_for_code(client.get("/admin/")), "the session must still owe a code"
        assert TOTPDevice.objects.filter(user=therapist).count() == 1
        assert asks_for_code(page)

    def test_every_other_admin_page_sends_to_the_code_page(self, client, therapist, home_page):
        device = confirmed_device(therapist)
        sign_in(client, therapist)
        for path in (
            "/admin/",
            "/admin/pages/",
            f"/admin/pages/{home_page.pk}/edit/",
            "/admin/account/",
            "/admin/users/",
            MANAGE,
            ENROL,
            remove_url(device),
        ):
            response = client.get(path)
            assert asks_for_code(response), path
            assert response["Location"] == f"{VERIFY}?next={quote(path, safe='/')}"
        assert asks_for_code(client.post(remove_url(device)))
        assert asks_for_code(client.post(ENROL, {"otp_token": code(device)}))
        assert TOTPDevice.objects.filter(user=therapist).count() == 1
        assert TOTPDevice.objects.filter(pk=device.pk).exists()

    def test_the_code_page_and_what_it_loads_still_open(self, client, therapist):
        confirmed_device(therapist)
        sign_in(client, therapist)
        page = client.get(VERIFY)
        assert page.status_code == 200
        assert "Enter your code" in page.content.decode()
        assert "no-store" in page["Cache-Control"]
        assert client.get(reverse("wagtailadmin_sprite")).status_code == 200
        assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200

    def test_signing_out_from_the_code_page_works(self, client, therapist):
        confirmed_device(therapist)
        sign_in(client, therapist)
        assert 'action="/admin/logout/"' in client.get(VERIFY).content.decode()
        response = client.post("/admin/logout/")
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session
        assert client.get("/admin/")["Location"].startswith("/admin/login/")

    def test_the_page_asked_for_is_opened_after_the_code(self, client, therapist):
        device = confirmed_device(therapist)
        sign_in(client, therapist)
        response = client.get("/admin/pages/search/?q=garden&page=2")
        assert response["Location"] == (
            f"{VERIFY}?next=/admin/pages/search/%3Fq%3Dgarden%26page%3D2"
        )
        form = client.get(response["Location"])
        assert 'value="/admin/pages/search/?q=garden&amp;page=2"' in form.content.decode()
        done = client.post(
            VERIFY, {"otp_token": code(device), "next": "/admin/pages/search/?q=garden&page=2"}
        )
        assert done["Location"] == "/admin/pages/search/?q=garden&page=2"

    @pytest.mark.parametrize(
        "elsewhere",
        [
            "https://elsewhere.example/",
            "//elsewhere.example/",
            "/\\elsewhere.example/",
            "https:elsewhere.example",
            "javascript:alert(1)",
        ],
    )
    def test_the_code_page_never_sends_anyone_off_the_site(self, client, therapist, elsewhere):
        device = confirmed_device(therapist)
        sign_in(client, therapist)
        form = client.get(VERIFY, {"next": elsewhere})
        assert 'name="next" value="/admin/"' in form.content.decode()
        done = client.post(VERIFY, {"otp_token": code(device), "next": elsewhere})
        assert done["Location"] == "/admin/"

    def test_a_code_from_an_unfinished_set_up_never_verifies(self, client, therapist):
        confirmed_device(therapist)
        unfinished = TOTPDevice.objects.create(user=therapist, name="Phone", confirmed=False)
        sign_in(client, therapist)
        response = client.post(VERIFY, {"otp_token": code(unfinished)})
        assert response.status_code == 200
        assert "did not match" in response.content.decode()
        assert asks_for_code(client.get("/admin/"))

    def test_an_unfinished_set_up_alone_does_not_turn_two_step_on(self, client, therapist):
        unfinished = TOTPDevice.objects.create(user=therapist, name="Phone", confirmed=False)
        sign_in(client, therapist)
        assert client.get("/admin/").status_code == 200
        response = client.post(VERIFY, {"otp_token": code(unfinished)})
        assert response["Location"] == "/admin/"
        assert "otp_device_id" not in client.session

    def test_the_form_explains_what_it_needs(self, client, therapist):
        confirmed_device(therapist)
        sign_in(client, therapist)
        for typed, message in (("", "Enter the 6-digit code"), ("12ab56", "Enter the 6 digits")):
            response = client.post(VERIFY, {"otp_token": typed})
            assert response.status_code == 200
            assert message in response.content.decode()
        assert 'value="12ab56"' in response.content.decode()

    def test_a_code_typed_with_a_space_is_accepted(self, client, therapist):
        device = confirmed_device(therapist)
        sign_in(client, therapist)
        typed = code(device)
        response = client.post(VERIFY, {"otp_token": f"{typed[:3]} {typed[3:]}"})
        assert response["Location"] == "/admin/"


class TestGuessing:
    @pytest.fixture(autouse=True)
    def throttle(self, settings):
        settings.OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's default: waits of 1, 2, 4, 8… s

    def test_after_a_wrong_code_even_the_right_one_waits_and_the_page_says_so(
        self, client, therapist
    ):
        device = confirmed_device(therapist)
        sign_in(client, therapist)
        wrong = client.post(VERIFY, {"otp_token": "000000"})
        assert "did not match" in wrong.content.decode()

        paused = client.post(VERIFY, {"otp_token": code(device)})
        assert paused.status_code == 200
        text = paused.content.decode()
        assert "paused checking codes" in text and "Please wait a few seconds" in text
        assert asks_for_code(client.get("/admin/"))

        # Once the wait is over (as if the time had passed), the right code works.
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
        )
        assert client.post(VERIFY, {"otp_token": code(device)})["Location"] == "/admin/"

    def test_the_wait_grows_with_each_wrong_code(self, client, therapist):
        device = confirmed_device(therapist)
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_count=9, throttling_failure_timestamp=timezone.now()
        )
        sign_in(client, therapist)
        response = client.post(VERIFY, {"otp_token": code(device)})
        assert "Please wait 5 minutes" in response.content.decode()  # 2**8 seconds
        assert asks_for_code(client.get("/admin/"))

    def test_a_second_app_gives_no_extra_tries(self, client, therapist):
        waiting = confirmed_device(therapist, "Phone")
        other = confirmed_device(therapist, "Tablet")
        TOTPDevice.objects.filter(pk=waiting.pk).update(
            throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
        )
        sign_in(client, therapist)
        response = client.post(VERIFY, {"otp_token": code(other)})
        assert "paused checking codes" in response.content.decode()
        assert asks_for_code(client.get("/admin/"))


class TestEnrolment:
    def test_staff_without_the_requirement_sign_in_with_a_password_only(self, client, therapist):
        sign_in(client, therapist)
        assert client.get("/admin/").status_code == 200
        page = client.get(MANAGE)
        assert page.status_code == 200
        assert "Two-step sign-in is off for your account." in page.content.decode()

    def test_a_required_group_must_enrol_a_device_before_using_the_admin(
        self, client, coordinator, coordinators
    ):
        require_for(coordinators)
        sign_in(client, coordinator)
        response = client.get("/admin/pages/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/two-step/enrol/?next=/admin/pages/"

        page = client.get(response["Location"])
        assert page.status_code == 200
        device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
        text = page.content.decode()
        assert "otpauth://totp/" in text
        assert 'src="data:image/svg+xml' in text, "a QR code to scan"
        assert "Your group uses two-step sign-in" in text
        wrong = client.post(ENROL, {"otp_token": "000000"})
        assert wrong.status_code == 200
        assert "did not match" in wrong.content.decode()
        assert client.get("/admin/")["Location"].startswith(ENROL)

        response = client.post(ENROL, {"otp_token": code(device), "next": "/admin/pages/"})
        assert response.status_code == 302
        assert response["Location"] == "/admin/pages/"
        device.refresh_from_db()
        assert device.confirmed and device.name == "Phone"
        assert client.get("/admin/").status_code == 200

    def test_an_enrolled_user_must_enter_a_code_after_the_password(self, client, coordinator):
        device = confirmed_device(coordinator)
        sign_in(client, coordinator)
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/two-step/verify/?next=/admin/"

        assert client.post(VERIFY, {"otp_token": "000000"}).status_code == 200
        assert client.get("/admin/").status_code == 302
        done = client.post(
            VERIFY, {"otp_token": code(device), "next": "https://elsewhere.example/"}
        )
        assert done["Location"] == "/admin/", "never redirected off the site"
        assert client.get("/admin/").status_code == 200

    def test_anyone_may_turn_it_on_from_their_account(self, client, therapist):
        sign_in(client, therapist)
        assert 'href="/admin/two-step/"' in client.get("/admin/account/").content.decode()
        page = client.get(MANAGE)
        assert f'href="{ENROL}"' in page.content.decode()
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=therapist, confirmed=False)
        response = client.post(ENROL, {"name": "Work phone", "otp_token": code(device)})
        assert response["Location"] == MANAGE
        device.refresh_from_db()
        assert device.confirmed and device.name == "Work phone"
        listing = client.get(MANAGE).content.decode()
        assert "Work phone" in listing and "Two-step sign-in is on" in listing
        client.logout()
        sign_in(client, therapist)
        assert asks_for_code(client.get("/admin/"))

    def test_a_verified_user_can_add_another_app(self, client, therapist):
        phone = confirmed_device(therapist)
        sign_in_with_code(client, therapist, phone)
        page = client.get(f"{ENROL}?next={MANAGE}")
        assert "Add this app" in page.content.decode()
        tablet = TOTPDevice.objects.get(user=therapist, confirmed=False)
        response = client.post(ENROL, {"name": "Tablet", "otp_token": code(tablet), "next": MANAGE})
        assert response["Location"] == MANAGE
        assert set(
            TOTPDevice.objects.filter(user=therapist, confirmed=True).values_list("name", flat=True)
        ) == {"Phone", "Tablet"}
        assert client.get("/admin/").status_code == 200
        assert client.session["otp_device_id"] == phone.persistent_id

    def test_a_key_shown_to_another_session_cannot_be_confirmed(self, client, therapist):
        from django.test import Client

        someone_else = Client()
        sign_in(someone_else, therapist)
        someone_else.get(ENROL)
        seen_elsewhere = TOTPDevice.objects.get(user=therapist, confirmed=False)

        sign_in(client, therapist)
        client.get(ENROL)
        own = TOTPDevice.objects.get(user=therapist, confirmed=False)
        assert own.pk != seen_elsewhere.pk and own.key != seen_elsewhere.key

        refused = someone_else.post(ENROL, {"otp_token": code(seen_elsewhere)})
        assert refused["Location"].startswith(ENROL)
        assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()
        assert "expired" in someone_else.get(refused["Location"]).content.decode()

    def test_reloading_the_set_up_page_keeps_its_key(self, client, therapist):
        sign_in(client, therapist)
        client.get(ENROL)
        first = TOTPDevice.objects.get(user=therapist, confirmed=False)
        client.get(ENROL)
        assert TOTPDevice.objects.get(user=therapist, confirmed=False).key == first.key

    def test_the_set_up_form_keeps_what_was_typed_and_explains_errors(self, client, therapist):
        sign_in(client, therapist)
        client.get(ENROL)
        response = client.post(ENROL, {"name": "Work phone", "otp_token": "12ab"})
        assert response.status_code == 200
        text = response.content.decode()
        assert "Enter the 6 digits" in text
        assert 'value="Work phone"' in text
        assert not TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()


class TestManaging:
    def test_staff_see_only_their_own_apps_with_when_added_and_last_used(
        self, client, therapist, coordinator
    ):
        phone = confirmed_device(therapist, "Phone")
        confirmed_device(therapist, "Old tablet")
        confirmed_device(coordinator, "Robin's phone")
        sign_in_with_code(client, therapist, phone)
        text = client.get(MANAGE).content.decode()
        assert "Phone" in text and "Old tablet" in text
        assert "Robin" not in text
        assert "Used for this sign-in" in text
        assert "Not used yet" in text  # the tablet
        phone.refresh_from_db()
        added = timezone.localtime(phone.created_at)
        assert date_format(added, "F j, Y") in text

    def test_removing_an_app_asks_first_then_removes_it(self, client, therapist):
        phone = confirmed_device(therapist, "Phone")
        tablet = confirmed_device(therapist, "Old tablet")
        sign_in_with_code(client, therapist, phone)
        confirm = client.get(remove_url(tablet))
        assert confirm.status_code == 200
        assert "Yes, remove it" in confirm.content.decode()
        assert TOTPDevice.objects.filter(pk=tablet.pk).exists()

        response = client.post(remove_url(tablet))
        assert response["Location"] == MANAGE
        assert not TOTPDevice.objects.filter(pk=tablet.pk).exists()
        assert "Removed “Old tablet”" in client.get(MANAGE).content.decode()
        assert client.get("/admin/").status_code == 200

    def test_nobody_can_see_or_remove_another_persons_app(self, client, therapist, coordinator):
        phone = confirmed_device(therapist)
        theirs = confirmed_device(coordinator, "Robin's phone")
        sign_in_with_code(client, therapist, phone)
        assert client.get(remove_url(theirs)).status_code == 404
        assert client.post(remove_url(theirs)).status_code == 404
        assert TOTPDevice.objects.filter(pk=theirs.pk).exists()

    def test_removing_the_app_used_to_sign_in_asks_for_another_code(self, client, therapist):
        phone = confirmed_device(therapist, "Phone")
        tablet = confirmed_device(therapist, "Tablet")
        sign_in_with_code(client, therapist, phone)
        assert "one of your other apps" in client.get(remove_url(phone)).content.decode()
        client.post(remove_url(phone))
        assert asks_for_code(client.get("/admin/"))
        client.post(VERIFY, {"otp_token": code(tablet)})
        assert client.get("/admin/").status_code == 200

    def test_removing_the_last_app_in_a_required_group_means_enrolling_again(
        self, client, coordinator, coordinators
    ):
        require_for(coordinators)
        phone = confirmed_device(coordinator)
        sign_in_with_code(client, coordinator, phone)
        assert "set up a new app straight away" in client.get(remove_url(phone)).content.decode()
        client.post(remove_url(phone))
        response = client.get("/admin/pages/")
        assert response["Location"] == f"{ENROL}?next=/admin/pages/"

    def test_removing_the_last_app_otherwise_means_the_password_alone(self, client, therapist):
        phone = confirmed_device(therapist)
        sign_in_with_code(client, therapist, phone)
        assert "password alone" in client.get(remove_url(phone)).content.decode()
        client.post(remove_url(phone))
        assert client.get("/admin/").status_code == 200
        client.logout()
        sign_in(client, therapist)
        assert client.get("/admin/").status_code == 200


class TestNotices:
    """An email and an audit-log entry for every app added or removed."""

    def pacific(self, moment) -> str:
        local = moment.astimezone(ZoneInfo("America/Los_Angeles"))
        return f"{date_format(local, 'l, F j, Y')} at {date_format(local, 'g:i A')} Pacific"

    def test_an_added_app_is_emailed_with_what_when_and_what_to_do(self, client, therapist):
        sign_in(client, therapist)
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=therapist, confirmed=False)
        before = timezone.now()
        client.post(ENROL, {"name": "Work phone", "otp_token": code(device)})
        after = timezone.now()

        [email] = mail.outbox
        assert email.to == ["t@example.com"]
        assert email.subject == "An authenticator app was added to your Kindman & Co. account"
        body = email.body
        assert body.startswith("Hello Sam,")
        assert "“Work phone” was added" in body
        assert any(self.pacific(moment) in body for moment in (before, after)), body
        assert "If it wasn't you" in body
        assert "change your password" in body
        assert "http://testserver/admin/two-step/" in body
        html, mimetype = email.alternatives[0]
        assert mimetype == "text/html" and "Work phone" in html

    def test_a_removed_app_is_emailed(self, client, therapist):
        phone = confirmed_device(therapist, "Phone")
        tablet = confirmed_device(therapist, "Tablet & pen")
        sign_in_with_code(client, therapist, phone)
        client.post(remove_url(tablet))
        [email] = mail.outbox
        assert email.subject == "An authenticator app was removed from your Kindman & Co. account"
        assert "“Tablet & pen” was removed" in email.body
        assert "Pacific Time" in email.body and "If it wasn't you" in email.body

    def test_an_account_without_an_email_address_gets_none(self, client, therapist):
        therapist.email = ""
        therapist.save()
        sign_in(client, therapist)
        client.get(ENROL)
        device = TOTPDevice.objects.get(user=therapist, confirmed=False)
        response = client.post(ENROL, {"otp_token": code(device)})
        assert response["Location"] == MANAGE
        assert TOTPDevice.objects.filter(user=therapist, confirmed=True).exists()
        assert mail.outbox == []

    def test_each_change_is_in_the_audit_log(self, client, therapist):
        phone = confirmed_device(therapist, "Phone")
        sign_in_with_code(client, therapist, phone)
        client.get(ENROL)
        tablet = TOTPDevice.objects.get(user=therapist, confirmed=False)
        client.post(ENROL, {"name": "Tablet", "otp_token": code(tablet)})
        client.post(remove_url(phone))

        entries = ModelLogEntry.objects.for_instance(therapist).order_by("pk")
        assert [(e.action, e.data, e.user_id) for e in entries] == [
            ("kindman.second_factor_added", {"device": "Tablet"}, therapist.pk),
            ("kindman.second_factor_removed", {"device": "Phone"}, therapist.pk),
        ]
        assert [e.message for e in entries] == [
            "Added the authenticator app “Tablet”",
            "Removed the authenticator app “Phone”",
        ]

    def test_administrators_find_the_changes_in_site_history(self, client, therapist, superuser):
        phone = confirmed_device(therapist, "Phone")
        sign_in_with_code(client, therapist, phone)
        client.post(remove_url(phone))
        client.force_login(superuser)
        history = client.get("/admin/reports/site-history/").content.decode()
        assert "Removed the authenticator app “Phone”" in history


class TestSettings:
    def test_security_settings_are_editable_in_the_admin(self, client, superuser, coordinators):
        client.force_login(superuser)
        url = "/admin/settings/kindman/securitysettings/"
        assert client.get(url).status_code in {200, 302}
        page = client.get(client.get(url).get("Location", url))
        assert "Care coordinators" in page.content.decode()
        client.post(page.request["PATH_INFO"], {"second_factor_groups": [coordinators.pk]})
        assert list(SecuritySettings.load().second_factor_groups.all()) == [coordinators]

    def test_public_pages_stay_cookie_free_and_cached(self, client, home_page, settings):
        settings.PAGE_CACHE_ENABLED = True
        client.get("/")
        response = client.get("/")
        assert response["X-Page-Cache"] == "hit"
        assert not response.cookies
