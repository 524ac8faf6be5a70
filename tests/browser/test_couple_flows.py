"""Couple practices in a real Chromium at 375 px, one browser context per partner.

alice and bob are linked (through the relationships app's own services). The daily check-in:
bob cannot read alice's answer until he has given his own. A repair: alice starts it, bob
answers with the same three steps, both mark it repaired. Every page is axe-clean (no serious or
critical violation) and the breathing timer runs from the site's own script.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PHONE, _browsing
from tests.browser.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def partners(transactional_db):
    from django.contrib.auth import get_user_model

    from safebase.web.relationships import services

    users = get_user_model().objects
    alice = users.create_user("alice", password="a-long-passphrase-1")
    bob = users.create_user("bob", password="b-long-passphrase-2")
    invitation = services.invite(alice)
    services.accept(bob, invitation.code)
    assert services.partner_of(alice) == bob
    return alice, bob


def sign_in(browser, live_server, user):
    """A phone-sized context of its own (its own cookies), signed in by a one-time link."""
    from safebase.web.accounts.services import issue_sign_in_token

    b = _browsing(browser, live_server, PHONE)
    page = b.new_page()
    page.goto(f"{live_server.url}/auth/token/{issue_sign_in_token(user=user)}/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/", page.url
    return b, page


@pytest.fixture
def two_phones(browser, live_server, partners):
    alice, bob = partners
    a_ctx, a_page = sign_in(browser, live_server, alice)
    b_ctx, b_page = sign_in(browser, live_server, bob)
    yield a_page, b_page
    for ctx in (a_ctx, b_ctx):
        ctx.context.close()
        ctx.offsite.assert_none()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways: {width}px"


def test_daily_check_in_for_two_hides_the_answer_until_you_answer(two_phones, live_server):
    alice, bob = two_phones
    url = f"{live_server.url}/together/ritual/daily/"
    alice.goto(url)
    assert blocking_violations(alice) == []
    no_sideways_scroll(alice)
    alice.get_by_label("What I feel").fill("tired but glad you called")
    alice.get_by_label("What I need today").fill("an early night")
    alice.get_by_role("button", name="Save my answer").click()
    alice.wait_for_load_state()
    assert "bob has not answered yet" in alice.locator("#theirs-status").inner_text()

    bob.goto(url)
    status = bob.locator("#theirs-status").inner_text()
    assert "alice has answered" in status and "once you have given your own" in status
    assert "tired but glad" not in bob.content()
    assert blocking_violations(bob) == []
    bob.get_by_label("What I feel").fill("a bit scattered")
    bob.get_by_label("What I need today").fill("a walk together")
    bob.get_by_role("button", name="Save my answer").click()
    bob.wait_for_load_state()
    theirs = bob.get_by_role("region", name="alice's answer")
    assert "tired but glad you called" in theirs.inner_text()
    assert "1 day in a row" in bob.content()

    alice.reload()
    assert "a walk together" in alice.get_by_role("region", name="bob's answer").inner_text()
    assert blocking_violations(alice) == []


def test_a_repair_from_start_to_repaired(two_phones, live_server):
    alice, bob = two_phones
    alice.goto(f"{live_server.url}/together/repair/")
    assert blocking_violations(alice) == []
    no_sideways_scroll(alice)
    alice.get_by_label("What moment is it about?").fill("last night's argument")
    alice.get_by_label("Own your part").fill("I got defensive when you asked about money")
    # the I-statement coach answers inside the flow
    alice.get_by_label("Acknowledge their experience").fill("You never listen to me")
    with alice.expect_response(lambda r: r.url.endswith("/together/coach/")):
        alice.locator("button[hx-vals*='acknowledge']").click()
    assert "The coach noticed" in alice.locator("#coach-acknowledge").inner_text()
    alice.get_by_label("Acknowledge their experience").fill("I can see it left you feeling alone")
    alice.get_by_label("Offer a path forward").fill("Next time I will pause and listen first")
    alice.get_by_role("button", name="Start the repair").click()
    alice.wait_for_load_state()
    repair_url = alice.url
    assert "/together/repair/" in repair_url

    bob.goto(repair_url)
    assert "I got defensive" in bob.content()
    assert blocking_violations(bob) == []
    bob.get_by_label("Own your part").fill("I raised my voice")
    bob.get_by_label("Acknowledge their experience").fill("I see the question felt like an attack")
    bob.get_by_label("Offer a path forward").fill("I will ask for a pause instead")
    bob.get_by_role("button", name="Save my steps").click()
    bob.wait_for_load_state()
    bob.get_by_role("button", name="Mark it repaired").click()
    bob.wait_for_load_state()
    assert "Open." in bob.locator("#repair-status").inner_text()

    alice.reload()
    assert "I raised my voice" in alice.content()
    alice.get_by_role("button", name="Mark it repaired").click()
    alice.wait_for_load_state()
    assert "Repaired: both of you" in alice.locator("#repair-status").inner_text()
    assert blocking_violations(alice) == []

    alice.goto(f"{live_server.url}/together/repair/")
    log = alice.get_by_role("table")
    assert log.locator("tbody tr").count() == 1
    assert log.locator("tbody td").nth(0).inner_text() == "1"  # one repaired this month
    no_sideways_scroll(alice)


def test_coregulation_pace_runs_from_the_sites_script_and_pages_are_axe_clean(
    two_phones, live_server
):
    alice, _ = two_phones
    alice.goto(f"{live_server.url}/together/coregulate/")
    alice.get_by_role("button", name="Start breathing together").click()
    alice.wait_for_function("document.getElementById('breathe-pace').textContent === 'Breathe in'")
    size = alice.evaluate(
        "parseFloat(getComputedStyle(document.getElementById('breathe-pace')).fontSize)"
    )
    assert size >= 32  # large enough to follow side by side
    alice.get_by_role("button", name="Stop").click()
    assert blocking_violations(alice) == []
    for path in (
        "/together/signs/",
        "/together/signs/?about=partner",
        "/together/pair/",
        "/together/practice/",
        "/together/ritual/weekly/",
        "/together/ritual/yearly/",
    ):
        response = alice.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert blocking_violations(alice) == [], path
        no_sideways_scroll(alice)
