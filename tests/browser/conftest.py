"""Playwright against a live server on the test PostgreSQL, in Debian's Chromium.

Playwright's own browser download is not available here, so we point it at an installed Chromium:
$CHROMIUM_PATH, else /usr/bin/chromium. Without one the browser tests are skipped loudly; with
REQUIRE_BROWSER=1 (CI sets it) that skip becomes a failure."""

import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures building pages) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and os.path.exists(c)), None)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = (
            "NO CHROMIUM FOUND: browser tests cannot run. Install Debian's `chromium` package or "
            "set CHROMIUM_PATH."
        )
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# An iPhone 12–15 (390×844 CSS pixels at 3 device pixels per CSS pixel): the densest common
# phone screen, so a srcset picks its largest candidate here, the worst case for page weight.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture(scope="session")
def production_site():
    """The demo content (`seed_demo`) served by gunicorn with production settings (the real CSP,
    hashed and pre-compressed static files, gzipped reading pages) on a PostgreSQL of its own,
    so browser tests see what a visitor's browser receives from production."""
    from tests.fault_helpers import build_demo_site_on

    directory = Path(tempfile.mkdtemp(prefix="kindman-production-site-"))
    database = None
    try:
        site = build_demo_site_on(directory)
        database = site.database
        site.start()
        try:
            yield site
        finally:
            site.stop()
    finally:
        if database:
            database.close()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def site(transactional_db):
    from kindman.factories import build_site

    return build_site()


def assert_accessible(page, url: str) -> None:
    """Fail on any serious or critical axe-core violation on the page at `url`."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in serious
    )
    assert not serious, f"axe found serious problems on {url}:\n{report}"


def filter_toggle_is_clear_of_the_quick_exit_bar(page) -> bool:
    return page.evaluate(
        """() => document.querySelector('.filter-panel__toggle').getBoundingClientRect().top >=
            document.querySelector('.quick-exit__link').getBoundingClientRect().bottom"""
    )
