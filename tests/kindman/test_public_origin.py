"""One public origin (settings.PUBLIC_ORIGIN) for every absolute URL the site hands out, whatever
Host header a request arrives with."""

import re

import pytest
from django.core.management import call_command
from wagtail.models import Site

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.kindman.example"
OTHER_HOSTS = ["elsewhere.example", "attacker.example:8080"]
URL = re.compile(r"https?://[^\s\"'<>]+")


def test_seed_demo_puts_the_default_site_at_the_public_origin(settings):
    settings.PUBLIC_ORIGIN = ORIGIN
    call_command("seed_demo", verbosity=0)
    site = Site.objects.get()
    assert (site.hostname, site.port, site.is_default_site) == ("www.kindman.example", 443, True)
    assert site.root_url == ORIGIN
    # Run again after the origin changed, it moves the one Site there.
    settings.PUBLIC_ORIGIN = "http://127.0.0.1:8123"
    call_command("seed_demo", verbosity=0)
    assert Site.objects.get().root_url == "http://127.0.0.1:8123"
