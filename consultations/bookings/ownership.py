"""Which bookings this browser made, so that only it sees their confirmation page (a confirmation
URL alone shows nothing).

They are kept in a signed cookie (Django's `set_signed_cookie`), not in a server-side session:
a booking then writes nothing but the booking, and no app server holds any state. The cookie
holds only the bookings' random public ids (nothing personal), is HttpOnly, Secure in
production, SameSite=Lax, sent only under the booking pages' own path, and lasts as long as a
session would."""

from django.conf import settings
from django.urls import reverse

KEPT = 5  # the latest bookings made in this browser


class BookingsCookie:
    """One kind of booking: `cookie` is the cookie's name; the URL named `prefix_url` is the
    prefix of its form and confirmation pages, the only requests the browser sends it with."""

    def __init__(self, cookie: str, prefix_url: str):
        self.cookie = cookie
        self.prefix_url = prefix_url
        self.salt = f"kindman.ownership.{cookie}"

    def ids(self, request) -> list[str]:
        raw = request.get_signed_cookie(
            self.cookie, default="", salt=self.salt, max_age=settings.SESSION_COOKIE_AGE
        )
        return raw.split(",") if raw else []

    def made_here(self, request, public_id) -> bool:
        return str(public_id) in self.ids(request)

    def remember(self, request, response, public_id):
        """`response`, setting the cookie so this browser may see `public_id`'s confirmation."""
        ids = self.ids(request)
        if str(public_id) not in ids:
            ids = [*ids[1 - KEPT :], str(public_id)]
        response.set_signed_cookie(
            self.cookie,
            ",".join(ids),
            salt=self.salt,
            max_age=settings.SESSION_COOKIE_AGE,
            path=reverse(self.prefix_url),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


calls = BookingsCookie("kc_calls", "consultations:book")  # /consultation/…
