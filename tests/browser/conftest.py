"""Real-browser tests: Playwright driving Debian's Chromium against Django's live server.

Chromium comes from the Debian package (`/usr/bin/chromium`, installed by script/test and
.ci/run); Playwright never downloads a browser here. A missing Chromium fails the test
(it is a service the suite needs), it does not skip it.
"""
import os
import shutil

import pytest
from django.conf import settings as django_settings

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LAPOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run script/test (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Every page of every browser test runs under the Content-Security-Policy (issue #10);
# anything it blocks (an inline script or style, a foreign host) fails the test.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("securitypolicyviolation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                " at " + e.sourceFile + ":" + e.lineNumber + " (" + document.location.pathname + ")");
});
"""


def csp_violations(messages) -> list[str]:
    return [m for m in messages if "securitypolicyviolation" in m or "Content Security Policy" in m]


@pytest.fixture
def context_for(browser, live_server):
    """New browser contexts (think: separate people on separate phones)."""
    contexts = []
    console = []

    def make(*, javascript=True, locale="id-ID", user=None, viewport=None):
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript, locale=locale,
            viewport=viewport or {"width": 412, "height": 915},  # a cheap Android phone
        )
        context.set_default_timeout(15_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: console.append(message.text))
        if user is not None:
            login_context(context, user, live_server.url)
        contexts.append(context)
        return context

    make.console = console
    yield make
    for context in contexts:
        context.close()
    violations = csp_violations(console)
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def page(context_for):
    return context_for().new_page()


def login_context(context, user, base_url):
    """Sign a person in by giving their browser a session cookie (the sign-in form itself
    is tested in its own journey)."""
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def assert_accessible(page, *, context=None):
    """axe-core (bundled by axe-playwright-python, injected into the page) finds no
    serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad]
    assert not bad, "accessibility violations:\n" + "\n".join(details)
