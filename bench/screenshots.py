"""Screenshots of the public site for docs/screenshots/: the demo content (`seed_demo`) served
by gunicorn with production settings on a throwaway PostgreSQL, photographed by Chromium at a
phone's and a laptop's size. Run again after a design change:

    scripts/screenshots            # every shot
    scripts/screenshots home post  # only shots whose name starts with one of these

To add a page, add a Shot to SHOTS: a name, a path, the sizes, and optionally a setup function
that gets the Playwright page after it has loaded (to fill a form, click, or go on elsewhere).
"""

import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PHONE = (390, 844)
DESKTOP = (1366, 900)
BOTH = (PHONE, DESKTOP)


def submit_empty_booking(page):
    page.get_by_role("button", name="Book my call").click()
    page.locator(".error-summary").wait_for()


def choose_first_time(page):
    page.locator(".slot-day__list > label").first.click()
    page.locator(".slot-day__list > label").first.scroll_into_view_if_needed()


def book_a_call(page):
    page.locator("input[name=slot]").first.check()
    page.fill("input[name=name]", "Sam (demo)")
    page.fill("input[name=phone]", "(323) 555-0142")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Book my call").click()
    page.wait_for_url("**/consultation/booked/**")


def open_manage_page(page):
    book_a_call(page)
    page.get_by_role("link", name="View, change or cancel this call").click()
    page.wait_for_url("**/consultation/manage/**")


def open_cancel_confirmation(page):
    open_manage_page(page)
    page.get_by_role("link", name="Cancel my call").click()
    page.get_by_role("heading", name="Cancel your call?").wait_for()


def open_first_session(page):
    page.locator("main a[href^='/info-sessions/']").first.click()
    page.wait_for_load_state()


def first_therapist(page):
    page.locator(".therapist-card a, .portrait-card a").first.click()
    page.wait_for_load_state()


def first_post(page):
    page.locator(".post-card a").first.click()
    page.wait_for_load_state()


@dataclass(frozen=True)
class Shot:
    name: str
    path: str
    sizes: tuple = BOTH
    setup: Callable | None = None


SHOTS = [
    Shot("home", "/"),
    Shot("home-es", "/es/"),
    Shot("blog-index", "/blog/"),
    Shot("post", "/blog/", setup=first_post),
    Shot(
        "directory-filtered",
        "/therapists/?accepting=on&specialty=depression-and-anxiety#results-heading",
    ),
    Shot("profile", "/therapists/", setup=first_therapist),
    Shot("booking-empty", "/consultation/"),
    Shot("booking-error", "/consultation/", setup=submit_empty_booking),
    Shot("booking-chosen", "/consultation/", setup=choose_first_time),
    Shot("booking-confirmation", "/consultation/", setup=book_a_call),
    Shot("booking-manage", "/consultation/", setup=open_manage_page),
    Shot("booking-cancel-confirm", "/consultation/", setup=open_cancel_confirmation),
    Shot("info-sessions", "/info-sessions/"),
    Shot("info-session", "/info-sessions/", setup=open_first_session),
]


def save_small(png: bytes, target: Path) -> None:
    """A palette PNG: the pages are flat colour and text, so 256 colours look the same."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    small = picture.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(target, format="PNG", optimize=True)


def serve_demo(directory: Path):
    from tests.fault_helpers import build_demo_site_on

    site = build_demo_site_on(directory)
    site.start()
    return site.database, site


def take(shots, base_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for shot in shots:
            for width, height in shot.sizes:
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    is_mobile=width < 600,
                    has_touch=width < 600,
                )
                page = context.new_page()
                page.set_default_timeout(20_000)
                page.goto(base_url + shot.path)
                if shot.setup:
                    shot.setup(page)
                page.wait_for_load_state("load")
                target = OUT / f"{shot.name}-{width}x{height}.png"
                save_small(page.screenshot(), target)
                written.append(target)
                context.close()
        browser.close()
    return written


def main(names: list[str]) -> None:
    shots = [s for s in SHOTS if not names or any(s.name.startswith(n) for n in names)]
    OUT.mkdir(parents=True, exist_ok=True)
    directory = Path(tempfile.mkdtemp(prefix="kindman-screenshots-"))
    database = site = None
    try:
        database, site = serve_demo(directory)
        for path in take(shots, site.base_url):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")
    finally:
        if site:
            site.stop()
        if database:
            database.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
