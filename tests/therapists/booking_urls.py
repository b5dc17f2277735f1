"""The site's URLs plus a stand-in for the consultation booking page, which another stream owns:
lets profile tests check the "Book a free consultation" link before that page is merged."""

from django.http import HttpResponse
from django.urls import include, path

from kindman.urls import urlpatterns as site_urlpatterns

booking = (
    [path("consultation/", lambda request: HttpResponse("booking"), name="book")],
    "consultations",
)

urlpatterns = [path("", include(booking)), *site_urlpatterns]
