"""Every public page type loads in a real browser under the production Content-Security-Policy
with no console error, no script error and no CSP violation (an inline script or `style=`
attribute, or anything from another origin, would be one)."""

import re

import pytest

from tests.browser.conftest import PHONE

# Paths, or (a listing, a pattern for a link on it) where the demo content decides the address.
PUBLIC_PAGES = {
    "home": "/",
    "blog index": "/blog/",
    "post": "/blog/on-sex-work-therapy/",
    "blog index by tag": ("/blog/", r'href="(\?tag=[^"]+)"'),
    "therapist directory": "/therapists/",
    "therapist profile": "/therapists/maren-okafor/",
    "standard page": "/privacy/",
    "search": "/search/?q=therapy",
    "consultation booking": "/consultation/",
    "information sessions": "/info-sessions/",
    "information session": ("/info-sessions/", r'href="(/info-sessions/[\w-]+/)"'),
    "newsletter": "/newsletter/",
}

# Runs before any of the page's own code; CSP does not apply to it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def public_path(site, page_type: str) -> str:
    path = PUBLIC_PAGES[page_type]
    if isinstance(path, str):
        return path
    listing, pattern = path
    found = re.search(pattern, site.get(listing).body)
    assert found, f"no link for {page_type} on {listing}"
    link = found.group(1).replace("&amp;", "&")
    return listing + link if link.startswith("?") else link


@pytest.mark.parametrize("page_type", PUBLIC_PAGES)
def test_page_loads_without_console_errors_or_csp_violations(browser, production_site, page_type):
    # Visitors outside Pacific time get the most script: their own times beside each slot.
    context = browser.new_context(**PHONE, timezone_id="Europe/London")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))

    response = page.goto(production_site.base_url + public_path(production_site, page_type))
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    problems += [f"CSP: {v}" for v in page.evaluate("window.cspViolations")]
    context.close()
    assert not problems, "\n".join(problems)
