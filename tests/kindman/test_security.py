"""Security headers, admin sign-in limits and request size limits, through real HTTP requests."""

import importlib
import io

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from PIL import Image
from wagtail.images.models import Image as WagtailImage

pytestmark = pytest.mark.django_db

STRICT_POLICY = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
}


def production_security_settings() -> dict:
    """The security settings of kindman.settings.production, to apply over the test settings."""
    production = importlib.import_module("kindman.settings.production")
    names = [
        name
        for name in dir(production)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
        or name in {"X_FRAME_OPTIONS", "CONTENT_SECURITY_POLICY", "PERMISSIONS_POLICY"}
    ]
    return {name: getattr(production, name) for name in names}


def policy(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.fixture
def superuser():
    return User.objects.create_superuser("admin", "admin@example.com", "correct-horse-battery-9")


class TestHeaders:
    def test_public_pages_get_the_strict_policy_without_unsafe_inline(self, client, home_page):
        for path in ("/", "/no-such-page/", "/robots.txt", "/healthz"):
            response = client.get(path)
            assert policy(response) == STRICT_POLICY, path
            assert "unsafe-inline" not in response["Content-Security-Policy"]

    def test_production_settings_send_every_security_header(self, client, home_page):
        with override_settings(**production_security_settings()):
            response = client.get("/", secure=True)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert policy(response) == STRICT_POLICY

    def test_permissions_policy_switches_off_powerful_features(self, client, home_page):
        header = client.get("/")["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in header

    def test_plain_http_is_redirected_to_https_in_production(self, client, home_page):
        with override_settings(**{**production_security_settings(), "SECURE_SSL_REDIRECT": True}):
            response = client.get("/")
            health = client.get("/healthz")
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/"
        assert health.status_code == 200, "load balancers probe over plain HTTP"

    def test_session_and_csrf_cookies_are_secure_and_http_only(self, client, superuser):
        with override_settings(**production_security_settings()):
            client.get("/admin/login/", secure=True)
            response = client.post(
                "/admin/login/",
                {"username": "admin", "password": "correct-horse-battery-9"},
                secure=True,
            )
        assert response.status_code == 302
        for name in ("sessionid", "csrftoken"):
            cookie = client.cookies[name]
            assert cookie["secure"] is True, name
            assert cookie["httponly"] is True, name

    def test_the_admin_still_works_for_a_superuser(self, client, home_page, superuser):
        client.force_login(superuser)
        for path in ("/admin/", f"/admin/pages/{home_page.pk}/edit/"):
            response = client.get(path)
            assert response.status_code == 200, path
            header = response["Content-Security-Policy"]
            assert "script-src 'self' 'unsafe-inline'" in header
            assert "style-src 'self' 'unsafe-inline'" in header
            assert "frame-ancestors 'none'" in header  # only previews may be framed

    def test_a_posts_preview_may_be_framed_by_the_admin_and_nothing_else(
        self, client, home_page, superuser
    ):
        """Wagtail's preview panel shows the post in a frame of the admin's own: its answer
        must allow that frame (CSP frame-ancestors and X-Frame-Options), and no other page
        may be framed at all."""
        from wagtail.test.utils.form_data import (
            inline_formset,
            nested_form_data,
            rich_text,
            streamfield,
        )

        from blog.factories import build_post

        post = build_post(slug="framed-preview", title="A post to preview")
        data = nested_form_data(
            {
                "title": "A post to preview",
                "slug": "framed-preview",
                "summary": "A summary.",
                "date": "2026-10-01",
                "hero_alt": "",
                "body": streamfield([("paragraph", rich_text("<p>Seen in the panel.</p>"))]),
                "authors": inline_formset([{"therapist": post.author_list[0].pk}]),
                "tags": "",
            }
        )
        client.force_login(superuser)
        preview_url = f"/admin/pages/{post.pk}/edit/preview/"
        # The test site's pages are at http://testserver: the preview asks for them over HTTP.
        with override_settings(**{**production_security_settings(), "SECURE_SSL_REDIRECT": False}):
            editor = client.get(f"/admin/pages/{post.pk}/edit/", secure=True)
            assert client.post(preview_url, data, secure=True).json()["is_valid"] is True
            preview = client.get(preview_url + "?in_preview_panel=true", secure=True)
            public = client.get(post.url, secure=True)
        assert "Seen in the panel." in preview.content.decode()
        assert preview["X-Frame-Options"] == "SAMEORIGIN"
        assert policy(preview) == STRICT_POLICY - {"frame-ancestors 'none'"} | {
            "frame-ancestors 'self'"
        }
        for response in (editor, public):
            assert response["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in policy(response)

    def test_a_changed_policy_setting_is_sent_from_the_next_response_on(self, client, home_page):
        assert policy(client.get("/")) == STRICT_POLICY
        directives = {"default-src": ["'self'"], "img-src": ["'self'", "https://images.test"]}
        with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": directives}):
            assert policy(client.get("/")) == {
                "default-src 'self'",
                "img-src 'self' https://images.test",
            }
            report_only = {"DIRECTIVES": {"default-src": ["'none'"]}}
            with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=report_only):
                response = client.get("/")
                assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
                assert "https://images.test" in response["Content-Security-Policy"]
        assert policy(client.get("/")) == STRICT_POLICY
        assert "Content-Security-Policy-Report-Only" not in client.get("/")

    def test_a_view_may_still_change_its_policy_or_use_a_nonce(self, rf):
        from csp.constants import NONCE
        from csp.decorators import csp_exempt, csp_update
        from django.http import HttpResponse

        from kindman.middleware import ContentSecurityPolicyMiddleware

        def answer(view):
            return ContentSecurityPolicyMiddleware(view)(rf.get("/somewhere/"))

        plain = answer(lambda request: HttpResponse("plain"))
        assert policy(plain) == STRICT_POLICY
        updated = answer(csp_update({"img-src": "https://images.test"})(lambda r: HttpResponse()))
        assert "img-src 'self' data: https://images.test" in policy(updated)
        assert "Content-Security-Policy" not in answer(csp_exempt()(lambda r: HttpResponse()))
        nonces, DEFAULT = [], "default-src 'self'"  # django-csp's own default

        def with_nonce(request):
            nonces.append(str(request.csp_nonce))
            return HttpResponse()

        with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [NONCE]}}):
            assert policy(answer(lambda request: HttpResponse())) == {DEFAULT, "script-src"}
            first, second = answer(with_nonce), answer(with_nonce)
            assert nonces[0] != nonces[1]
            assert policy(first) == {DEFAULT, f"script-src 'nonce-{nonces[0]}'"}
            assert policy(second) == {DEFAULT, f"script-src 'nonce-{nonces[1]}'"}

    def test_staff_avatars_are_not_fetched_from_a_third_party(self, client, superuser):
        client.force_login(superuser)
        assert "gravatar" not in client.get("/admin/").content.decode()


class TestAdminSignIn:
    def sign_in(self, client, password):
        return client.post("/admin/login/", {"username": "admin", "password": password})

    def test_sixth_attempt_is_refused_even_with_the_right_password(self, client, superuser):
        for _ in range(4):
            assert self.sign_in(client, "wrong-guess").status_code == 200
        locked = self.sign_in(client, "wrong-guess")
        assert locked.status_code == 429
        response = self.sign_in(client, "correct-horse-battery-9")
        assert response.status_code == 429
        assert "Sign-in is paused" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_a_successful_sign_in_resets_the_count(self, client, superuser):
        for _ in range(4):
            self.sign_in(client, "wrong-guess")
        assert self.sign_in(client, "correct-horse-battery-9").status_code == 302
        client.logout()
        for _ in range(4):
            assert self.sign_in(client, "wrong-guess").status_code == 200
        assert self.sign_in(client, "correct-horse-battery-9").status_code == 302

    def test_another_address_is_not_locked_out(self, client, superuser):
        for _ in range(5):
            self.sign_in(client, "wrong-guess")
        response = client.post(
            "/admin/login/",
            {"username": "admin", "password": "correct-horse-battery-9"},
            REMOTE_ADDR="203.0.113.9",
        )
        assert response.status_code == 302

    def test_staff_passwords_are_validated(self, superuser):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        for weak in ("short1", "password1234", "12345678901234", "admin@example.com"):
            with pytest.raises(ValidationError):
                validate_password(weak, user=superuser)


def test_forms_without_a_csrf_token_are_refused_with_a_friendly_page(superuser):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/admin/login/", {"username": "admin", "password": "correct-horse-battery-9"}
    )
    assert response.status_code == 403
    assert "Please send that again" in response.content.decode()
    assert "_auth_user_id" not in client.session


class TestRequestSize:
    def test_an_oversized_form_body_gets_a_friendly_413(self, client, home_page):
        response = client.post("/", {"message": "x" * 300_000})
        assert response.status_code == 413
        assert "too much to send" in response.content.decode()
        assert "no-store" in response["Cache-Control"]

    def test_an_upload_sized_body_outside_the_admin_is_refused(self, client, home_page):
        upload = io.BytesIO(b"x" * 400_000)
        upload.name = "big.txt"
        assert client.post("/", {"file": upload}).status_code == 413

    def test_too_many_fields_just_under_the_size_limit_get_a_friendly_400(self, client, home_page):
        response = client.post("/admin/login/", {f"f{i}": "" for i in range(1500)})
        assert response.status_code == 400
        assert "We couldn’t read that request" in response.content.decode()

    def test_an_image_upload_in_the_admin_still_works(self, client, superuser):
        client.force_login(superuser)
        buffer = io.BytesIO()
        Image.new("RGB", (1600, 1200), "#6a8f7b").save(buffer, "PNG")
        buffer.name = "garden.png"
        assert buffer.tell() > 0
        buffer.seek(0)
        response = client.post("/admin/images/add/", {"title": "Garden", "file": buffer})
        assert response.status_code == 302, response.content.decode()[:500]
        assert WagtailImage.objects.filter(title="Garden").exists()

    def test_a_huge_admin_upload_is_refused(self, client, superuser):
        client.force_login(superuser)
        upload = io.BytesIO(b"x" * (13 * 1024 * 1024))
        upload.name = "huge.png"
        response = client.post("/admin/images/add/", {"title": "Huge", "file": upload})
        assert response.status_code == 413
