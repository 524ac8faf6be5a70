"""Full-page screenshots of the result and history pages at desktop and phone widths, and no
sideways scrolling on a phone while answering."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE, seed_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_BYTES = 20_000  # a blank or broken page compresses to a few kilobytes

HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_screenshots_and_phone_layout(signed_in, browsing, owner, artifacts):
    page = signed_in
    ids = seed_history(owner)
    pages = {
        "result": f"/assessments/{ids['second']}/",
        "history": f"/history/?a={ids['first']}&b={ids['second']}",
    }
    written = []
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        for name, path in pages.items():
            page.goto(browsing.base_url + path)
            assert page.locator("svg[role='img']").first.is_visible()
            target = artifacts / f"{name}-{width_name}.png"
            target.unlink(missing_ok=True)
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
            print(f"{target.name}: overflow {page.evaluate(HORIZONTAL_OVERFLOW)}px")

    for target in written:
        assert target.is_file(), target
        assert target.stat().st_size > MIN_BYTES, (target, target.stat().st_size)

    page.set_viewport_size(PHONE)
    for path in (f"/assessments/{ids['open']}/page/2/", f"/assessments/{ids['open_rs']}/page/1/"):
        page.goto(browsing.base_url + path)
        assert page.locator("fieldset.item").count() in {6, 9}
        assert page.evaluate("window.innerWidth") == PHONE["width"]
        overflow = page.evaluate(HORIZONTAL_OVERFLOW)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {PHONE['width']}px"


def test_result_and_history_fit_a_phone_without_sideways_scrolling(signed_in, browsing, owner):
    page = signed_in
    ids = seed_history(owner)
    page.set_viewport_size(PHONE)
    overflow = {}
    for path in (f"/assessments/{ids['second']}/", f"/history/?a={ids['first']}&b={ids['second']}"):
        page.goto(browsing.base_url + path)
        overflow[path] = page.evaluate(HORIZONTAL_OVERFLOW)
    assert all(px <= 0 for px in overflow.values()), f"sideways scroll in px: {overflow}"
