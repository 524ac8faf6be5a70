"""Two partners, two phones (375 px), one installation: invitation, sharing, unlinking.

Each person has their own browser context; every page visited is checked with axe-core and for
sideways overflow.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from safebase.web.practice import services as practice
from tests.browser.conftest import fits_phone
from tests.browser.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page) -> None:
    assert blocking_violations(page) == [], page.url
    fits_phone(page)


def test_invite_accept_share_and_unlink_on_two_phones(phone_people, live_server):
    users = get_user_model()
    ana = users.objects.create_user("ana", password="ana-long-passphrase")
    users.objects.create_user("ben", password="ben-long-passphrase")
    entry = practice.add_journal_entry(owner=ana, body="Today I asked for a hug. lighthouse").obj
    practice.add_journal_entry(owner=ana, body="Private: juniper")

    ana_page = phone_people("ana", "ana-long-passphrase")
    ben_page = phone_people("ben", "ben-long-passphrase")

    ana_page.get_by_role("link", name="Together").click()
    checked(ana_page)
    ana_page.get_by_role("button", name="Create an invitation").click()
    checked(ana_page)
    code = ana_page.get_by_label("Invitation code").inner_text().strip()

    ben_page.goto(f"{live_server.url}/together/")
    ben_page.get_by_label("Invitation code").fill(code)
    ben_page.get_by_role("button", name="Link with my partner").click()
    assert "You and ana are linked" in ben_page.content()
    checked(ben_page)
    assert "Nothing yet" in ben_page.content()

    ana_page.goto(f"{live_server.url}/practice/journal/")
    checked(ana_page)
    card = ana_page.locator("article", has_text="lighthouse")
    card.get_by_role("button", name="Share with ben").click()
    assert "Shared with your partner" in ana_page.content()
    assert (
        ana_page.locator("article", has_text="lighthouse")
        .get_by_text("Shared with ben (read-only)")
        .is_visible()
    )
    assert (
        ana_page.locator("article", has_text="juniper")
        .get_by_text("Only you can see this")
        .is_visible()
    )

    ben_page.goto(f"{live_server.url}/together/")
    ben_page.get_by_role("link", name="Journal entry").click()
    assert "lighthouse" in ben_page.content() and "juniper" not in ben_page.content()
    checked(ben_page)
    shared_url = ben_page.url
    assert shared_url.endswith(f"/together/shared/journal/{entry.pk}/")

    ana_page.goto(f"{live_server.url}/together/unlink/")
    checked(ana_page)
    ana_page.get_by_role("button", name="Unlink").click()
    assert "ben no longer sees anything you shared" in ana_page.content()
    assert ben_page.goto(shared_url).status == 404
