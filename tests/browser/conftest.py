"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page blocks (and records) any request that does not go to the live server, so a test can
prove that no font, script or beacon is fetched from a third party.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI, REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="package")
def browser() -> Iterator:
    """One Chromium for the whole browser suite.

    Package scope, not session scope: Playwright's sync API leaves an asyncio loop registered on
    the main thread for as long as it runs, and Django then refuses ORM calls there unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. Both must end with this package, or every later Django test
    would run with the safety check off, and subprocesses (``manage.py check --deploy``) would
    inherit the variable and fail with async.E001.
    """
    if not CHROMIUM.exists():
        message = f"Debian's Chromium is not installed at {CHROMIUM}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # The tests touch the ORM only between browser steps, never concurrently with Playwright.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Offsite:
    """Requests the page tried to make to anything but the live server (all were aborted)."""

    netloc: str
    blocked: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"http", "https"} and parts.netloc == self.netloc:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def assert_none(self) -> None:
        assert self.blocked == [], f"requests to third parties were attempted: {self.blocked}"


@dataclass
class Browsing:
    """One browser context (one person's cookies) and a helper to open more pages in it."""

    context: object
    base_url: str
    offsite: Offsite

    def new_page(self):
        page = self.context.new_page()
        page.set_default_timeout(10_000)
        page.route("**/*", self.offsite.route)
        return page


def _browsing(browser, live_server, viewport) -> Browsing:
    offsite = Offsite(urlsplit(live_server.url).netloc)
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    return Browsing(context, live_server.url, offsite)


@pytest.fixture
def browsing(browser, live_server) -> Iterator[Browsing]:
    b = _browsing(browser, live_server, DESKTOP)
    yield b
    b.context.close()
    b.offsite.assert_none()


@pytest.fixture
def page(browsing):
    return browsing.new_page()


@pytest.fixture
def owner(transactional_db):
    from safebase.web.assessments.services import local_owner

    return local_owner()


@pytest.fixture
def signed_in(page, live_server, owner):
    """The page, signed in as the single-person-mode owner through a one-time link."""
    from safebase.web.accounts.services import issue_sign_in_token

    token = issue_sign_in_token(user=owner)
    page.goto(f"{live_server.url}/auth/token/{token}/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/", page.url
    assert page.locator("h1").inner_text() in ("Welcome to safebase", "Today")
    return page


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --- helpers shared by the browser tests -------------------------------------------------------


def is_autosave(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/autosave/")


def focused(page) -> dict:
    """What has keyboard focus: tag, name, value, checked."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, name: e.name || null, value: e.value ?? null,"
        " checked: !!e.checked, text: (e.textContent || '').trim()}; }"
    )


def tab_until(page, wanted, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (or Shift+Tab) until the focused element satisfies ``wanted``."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"{key} never reached the wanted element; last focus: {now}")


def press_and_autosave(page, key: str) -> None:
    """Press a key that changes a radio and wait for htmx's autosave round trip to succeed."""
    with page.expect_response(is_autosave) as info:
        page.keyboard.press(key)
    assert info.value.ok, f"autosave failed: {info.value.status} {info.value.text()}"


def answer_by_keyboard(page, key: str, value: int) -> None:
    """Tab to item ``key``'s radio group and choose ``value`` with Space / arrow keys only."""
    now = tab_until(page, lambda f: f["name"] == f"item_{key}")
    assert now["value"] == "1" and not now["checked"], now  # Tab lands on the group's first radio
    if value == 1:
        press_and_autosave(page, "Space")
    for _ in range(value - 1):
        press_and_autosave(page, "ArrowRight")  # in Chromium this moves to and checks the next
    now = focused(page)
    assert (now["name"], now["value"], now["checked"]) == (f"item_{key}", str(value), True), now


def submit_by_keyboard(page, key: str = "Enter") -> None:
    """Tab to the forward button (Next / See my result) and activate it from the keyboard."""
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["value"] in {"next", "finish"})
    with page.expect_navigation():
        page.keyboard.press(key)


def item_keys_on_page(page) -> list[str]:
    names = page.locator("fieldset.item input[type=radio][value='1']").evaluate_all(
        "els => els.map(e => e.name)"
    )
    return [n.removeprefix("item_") for n in names]


def choose(page, key: str, value: int) -> None:
    """Pick an answer with the mouse and wait for the autosave (none if it is already chosen)."""
    radio = page.locator(f"input[name='item_{key}'][value='{value}']")
    if radio.is_checked():
        return
    with page.expect_response(is_autosave) as info:
        radio.check()
    assert info.value.ok


def submit_page(page) -> None:
    with page.expect_navigation():
        page.locator("#page-form button[value='next'], #page-form button[value='finish']").click()


def complete_by_mouse(page, answers: dict[str, int]) -> None:
    """Answer every remaining page of the open questionnaire and land on the result page."""
    for _ in range(20):
        if "/page/" not in page.url:
            return
        for key in item_keys_on_page(page):
            choose(page, key, answers[key])
        submit_page(page)
    raise AssertionError("the questionnaire never finished")


def start(page, short_name: str) -> None:
    """From the questionnaires page, start (or continue) a questionnaire."""
    base = urlsplit(page.url)
    page.goto(f"{base.scheme}://{base.netloc}/assessments/")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Start the {short_name}", exact=True).click()
    assert "/page/" in page.url, page.url


def cell(table, row_header: str, column: int) -> str:
    """The text of data cell ``column`` (0-based, after the row header) of a table row."""
    exact = re.compile(rf"^\s*{re.escape(row_header)}\s*$")
    row = table.locator("tbody tr").filter(has=table.page.locator("th", has_text=exact))
    assert row.count() == 1, f"{row.count()} rows headed {row_header!r}"
    return row.locator("td").nth(column).inner_text().strip()


def seed_history(owner) -> dict[str, int]:
    """Two finished ECR-R results, a finished ECR-RS, and an ECR-R and an ECR-RS in progress.

    Returns the primary keys by name, for tests that only need pages to look at."""
    from safebase.web.assessments.services import (
        record_assessment,
        save_answers,
        start_assessment,
    )

    first = record_assessment(
        owner=owner, instrument_id="ecr-r", answers={str(k): 2 + k % 4 for k in range(1, 37)}
    )
    second = record_assessment(
        owner=owner, instrument_id="ecr-r", answers={str(k): 6 - k % 5 for k in range(1, 37)}
    )
    rs = record_assessment(
        owner=owner,
        instrument_id="ecr-rs",
        answers={
            f"{t}_{n}": (n + i) % 7 + 1
            for i, t in enumerate(("mother", "father", "partner", "friend"))
            for n in range(1, 10)
        },
    )
    open_one = start_assessment(owner=owner, instrument_id="ecr-r")
    save_answers(assessment=open_one, answers={str(k): 4 for k in range(1, 8)})
    open_rs = start_assessment(owner=owner, instrument_id="ecr-rs")
    return {
        "first": first.pk,
        "second": second.pk,
        "rs": rs.pk,
        "open": open_one.pk,
        "open_rs": open_rs.pk,
    }


@pytest.fixture
def phone_people(browser, live_server, settings):
    """Multi-account mode; ``open_as(user, password)`` gives a 375 px page signed in through the
    real log-in form, one browser context (one set of cookies) per person."""
    settings.MULTI_USER = True
    opened: list[Browsing] = []

    def open_as(username: str, password: str):
        b = _browsing(browser, live_server, PHONE)
        opened.append(b)
        page = b.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/", page.url
        return page

    yield open_as
    for b in opened:
        b.context.close()
        b.offsite.assert_none()


def fits_phone(page) -> None:
    """Nothing wider than the 375 px screen: no sideways scrolling of the whole page."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"page is {overflow}px wide on a {PHONE['width']}px screen"
