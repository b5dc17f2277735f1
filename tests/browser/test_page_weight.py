"""Light pages: on a phone, a post with its hero image arrives in at most 60 KiB over at most
6 requests, and so does every other reading page.

Measured as production sends it: gunicorn with production settings (`production_site`), so the
HTML is gzipped and static files come pre-compressed from WhiteNoise. "Transferred" is what
Chromium's network stack counts on the wire for each response, headers included
(`Network.loadingFinished.encodedDataLength`), from navigation until the network is idle, without
scrolling (images marked `loading="lazy"` further down load later, as the reader scrolls)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 6
POST = "/blog/on-sex-work-therapy/"
READING_PAGES = [
    "/",
    "/blog/",
    "/therapists/",
    "/therapists/maren-okafor/",
    "/privacy/",
    "/search/?q=therapy",
    "/info-sessions/",
    "/newsletter/",
]
# Not yet: /consultation/ lists every open slot for weeks ahead (about 100 KB of HTML, sent
# uncompressed because it carries a CSRF token) until it is paged by week.


def load(browser, url: str) -> tuple[list[dict], object]:
    """Open `url` on a fresh phone and return what came over the network, and the page."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    network.send("Network.setCacheDisabled", {"cacheDisabled": True})
    responses = {}

    def started(event):
        if event["request"]["url"].startswith("http"):
            responses[event["requestId"]] = {"url": event["request"]["url"], "bytes": 0}

    def received(event):
        if event["requestId"] in responses:
            headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
            responses[event["requestId"]]["encoding"] = headers.get("content-encoding")

    def finished(event):
        if event["requestId"] in responses:
            responses[event["requestId"]]["bytes"] = event["encodedDataLength"]

    network.on("Network.requestWillBeSent", started)
    network.on("Network.responseReceived", received)
    network.on("Network.loadingFinished", finished)
    network.on("Network.loadingFailed", finished)
    page.goto(url, wait_until="networkidle")
    return list(responses.values()), page


def report(responses: list[dict]) -> str:
    return "\n".join(f"  {r['bytes']:>7} B  {r['url']}" for r in responses)


def test_a_post_with_its_hero_is_light_on_a_phone(browser, production_site):
    responses, page = load(browser, production_site.base_url + POST)
    total = sum(r["bytes"] for r in responses)
    summary = f"{len(responses)} requests, {total} B:\n{report(responses)}"
    assert len(responses) <= BUDGET_REQUESTS, summary
    assert total <= BUDGET_BYTES, summary
    # The hero is the one the srcset chose for this screen, and it is among what was counted.
    hero = page.locator(".post__hero img")
    expect(hero).to_be_visible()
    chosen = hero.evaluate("img => img.complete && img.naturalWidth > 0 && img.currentSrc")
    assert chosen and re.search(r"\.width-\d+\.", chosen), chosen
    assert chosen in [r["url"] for r in responses]
    page.context.close()


@pytest.mark.parametrize("path", READING_PAGES)
def test_every_reading_page_is_light_on_a_phone(browser, production_site, path):
    responses, page = load(browser, production_site.base_url + path)
    total = sum(r["bytes"] for r in responses)
    summary = f"{path}: {len(responses)} requests, {total} B:\n{report(responses)}"
    assert page.title(), summary
    assert len(responses) <= BUDGET_REQUESTS, summary
    assert total <= BUDGET_BYTES, summary
    page.context.close()


def test_text_arrives_compressed(browser, production_site):
    """What makes the figures above production's: HTML, CSS and JS come gzipped."""
    for path in (POST, "/info-sessions/"):
        responses, page = load(browser, production_site.base_url + path)
        page.context.close()
        text = [r for r in responses if not re.search(r"\.(webp|avif|jpe?g|png)$", r["url"])]
        assert {r.get("encoding") for r in text} == {"gzip"}, report(text)
