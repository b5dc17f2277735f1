"""An editor's live preview under production settings: the preview panel shows the post, with no
CSP violation in the admin or in the frame."""

from playwright.sync_api import expect

from tests.browser.test_console_and_csp import RECORD_VIOLATIONS

PASSWORD = "preview-test-password-9"


def test_the_preview_panel_shows_the_post_under_production_settings(browser, production_site):
    output = production_site.python(
        "from django.contrib.auth.models import User; from blog.models import BlogPage; "
        f"User.objects.create_superuser('pia', 'pia@example.com', {PASSWORD!r}); "
        "post = BlogPage.objects.get(slug='on-sex-work-therapy', locale__language_code='en'); "
        "print('POST', post.pk, post.title, sep='|')"
    )
    post_id, title = output.split("POST|")[1].splitlines()[0].split("|", 1)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(production_site.base_url + "/admin/login/")
    page.get_by_label("Username").fill("pia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(production_site.base_url + "/admin/")

    page.goto(f"{production_site.base_url}/admin/pages/{post_id}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.get_by_role("heading", level=1)).to_have_text(title)
    violations = page.evaluate("window.cspViolations")
    assert not [v for v in violations if "frame-ancestors" in v], violations
    context.close()
