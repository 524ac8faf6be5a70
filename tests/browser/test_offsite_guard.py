"""The guard behind every other browser test: requests to anything but the live server are
aborted and recorded, so "no third-party request" is a claim that can fail."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_third_party_requests_are_blocked_and_recorded(page, browsing):
    page.goto(browsing.base_url + "/about/")
    assert page.get_by_role("heading", name="About safebase").is_visible()
    assert browsing.offsite.blocked == []  # the page itself fetches only local CSS and htmx
    fetch = (
        "() => fetch('https://fonts.example.com/font.woff2').then(() => 'fetched', () => 'failed')"
    )
    # On the app's pages the Content-Security-Policy stops the request inside the browser...
    assert page.evaluate(fetch) == "failed"
    assert browsing.offsite.blocked == []
    # ...and on a page without that policy the guard itself aborts and records it.
    page.goto("about:blank")
    assert page.evaluate(fetch) == "failed"
    assert browsing.offsite.blocked == ["https://fonts.example.com/font.woff2"]
    with pytest.raises(AssertionError, match=r"fonts\.example\.com"):
        browsing.offsite.assert_none()
    browsing.offsite.blocked.clear()  # the fixture's own check at teardown must pass
