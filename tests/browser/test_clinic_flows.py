"""The therapist side in a real Chromium at 375 px: inviting a client who accepts and shares,
answering a no-login link, and the caseload and since-last-session pages; axe-clean throughout."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PHONE, _browsing
from tests.browser.test_accessibility import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ECR_S = {str(n): 5 for n in range(1, 13)}


@pytest.fixture
def phone(browser, live_server):
    """A factory of 375 px browser contexts, one per person; all closed (and checked) at the end."""
    made = []

    def open_one():
        b = _browsing(browser, live_server, PHONE)
        made.append(b)
        return b.new_page()

    yield open_one
    for b in made:
        b.context.close()
        b.offsite.assert_none()


def sign_in(page, base: str, user) -> None:
    from safebase.web.accounts.services import issue_sign_in_token

    page.goto(f"{base}/auth/token/{issue_sign_in_token(user=user)}/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def fits_and_is_clean(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    assert blocking_violations(page) == [], page.url


def test_inviting_a_client_who_accepts_and_shares(phone, live_server):
    from django.contrib.auth import get_user_model

    from safebase.web.assessments.services import record_assessment
    from safebase.web.clinic import roles, services

    base = live_server.url
    tess, _ = roles.add_therapist("tess@example.org")
    alice = get_user_model().objects.create_user("alice", password="a-long-passphrase-1")
    result = record_assessment(owner=alice, instrument_id="ecr-s", answers=ECR_S)

    therapist = phone()
    sign_in(therapist, base, tess)
    therapist.goto(f"{base}/clinic/")
    fits_and_is_clean(therapist)
    therapist.get_by_role("button", name="Create an invitation link").click()
    therapist.wait_for_load_state()
    link = therapist.locator("#invite-link").inner_text().strip()
    assert urlsplit(link).path.startswith("/clinic/join/")
    fits_and_is_clean(therapist)

    client = phone()
    sign_in(client, base, alice)
    client.goto(link)
    assert "tess@example.org invites you" in client.locator("h1").inner_text()
    fits_and_is_clean(client)
    client.get_by_role("button", name="Accept").click()
    client.wait_for_load_state()
    assert urlsplit(client.url).path == "/clinic/my/"
    fits_and_is_clean(client)
    assert not services.consented_results(tess, alice).exists()  # nothing shared by joining
    client.get_by_role("button", name="Share all my ECR-S results").click()
    client.wait_for_load_state()
    assert list(services.consented_results(tess, alice)) == [result]
    fits_and_is_clean(client)


def test_answering_a_no_login_link_on_a_phone(phone, live_server):
    from safebase.core.instrument import get_instrument
    from safebase.web.clinic import roles, services

    tess, _ = roles.add_therapist("tess@example.org")
    nora = services.add_no_login_client(tess, name="Nora P.")
    a = services.assign(tess, nora, instrument_id="ecr-s", every_weeks=None)
    token = services.issue_answer_link(tess, a).token

    page = phone()  # no account, no sign-in: the link is the key
    page.goto(f"{live_server.url}/clinic/answer/{token}/")
    inst = get_instrument("ecr-s")
    assert page.locator("h1").inner_text() == inst.name
    assert page.locator("fieldset.item").count() == len(inst.items)
    fits_and_is_clean(page)
    for key, value in ECR_S.items():
        page.locator(f"input[name='item_{key}'][value='{value}']").check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Thank you"
    fits_and_is_clean(page)
    [result] = services.consented_results(tess, nora)
    assert result.answers == {k: v for k, v in ECR_S.items()}
    page.goto(f"{live_server.url}/clinic/answer/{token}/")
    assert page.locator("h1").inner_text() == "This link does not work"


def test_caseload_and_since_last_session_pages(phone, live_server, monkeypatch):
    from django.contrib.auth import get_user_model

    from safebase.web.assessments.services import record_assessment
    from safebase.web.clinic import roles, services
    from safebase.web.practice import services as practice

    base = live_server.url
    tess, _ = roles.add_therapist("tess@example.org")
    alice = get_user_model().objects.create_user("alice", password="a-long-passphrase-1")
    record = services.accept_invitation(alice, services.invite_client(tess).token)
    services.set_measure_shared(alice, record, "ecr-5pt", True)
    for level in (4, 2):
        record_assessment(
            owner=alice, instrument_id="ecr-5pt", answers={str(n): level for n in range(1, 37)}
        )
    entry = practice.add_journal_entry(owner=alice, body="We talked it through tonight.").obj
    checkin = practice.record_checkin(
        owner=alice, emotion="lonely", intensity=6, need="comfort", note="missed them"
    ).obj
    for obj in (entry, checkin):
        services.share_with_therapist(alice, record, obj)
    services.assign(tess, record, instrument_id="ecr-5pt", every_weeks=4)

    # Two more clients and pages of two: alice is on the first, the page links fit and read.
    monkeypatch.setattr("safebase.web.clinic.reads.CASELOAD_PAGE_SIZE", 2)
    for name in ("Zoe", "Yusuf"):
        services.add_no_login_client(tess, name=name)
    page = phone()
    sign_in(page, base, tess)
    page.goto(f"{base}/clinic/")
    assert page.get_by_role("link", name="alice").count() == 1
    pages = page.get_by_role("navigation", name="Caseload pages")
    assert "Clients 1–2 of 3, by name." in pages.inner_text()
    pages.get_by_role("link", name="Next").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Zoe").count() == 1
    fits_and_is_clean(page)
    page.get_by_role("link", name="Previous").click()
    page.wait_for_load_state()
    assert page.locator("svg[role=img] polyline").count() >= 2  # a trend line per scale
    fits_and_is_clean(page)
    page.get_by_role("link", name="alice").click()
    page.wait_for_load_state()
    body = page.locator("main").inner_text()
    assert "We talked it through tonight." in body and "sadness 1" in body
    fits_and_is_clean(page)
