"""Content-Security-Policy on every page; no inline script or style anywhere; private pages and
downloads are never cached."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from safebase.web import charts
from safebase.web.headers import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = [
    "/",
    "/history/",
    "/practice/",
    "/practice/checkin/",
    "/practice/journal/",
    "/practice/triggers/",
    "/practice/progress/",
    "/practice/exercise/body-scan/",
    "/export.json",
    "/export.csv",
    "/delete/",
]


def test_the_policy_allows_only_the_site_itself():
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "style-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def _inline_code(html: str) -> list[str]:
    found = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    found += re.findall(r"<style\b", html)
    found += re.findall(r"\sstyle=\"", html)
    found += re.findall(r"\son[a-z]+=\"", html)
    return found


def test_every_page_has_the_policy_and_no_inline_code(as_alice, alice_result):
    for url in [*PRIVATE_PAGES, f"/assessments/{alice_result.pk}/", "/about/", "/help/"]:
        response = as_alice.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert _inline_code(response.content.decode()) == [], url
    anonymous = Client().get("/")
    assert anonymous["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_charts_carry_presentation_attributes_not_css(alice_result):
    from safebase.core.profile import build_profile

    inst = alice_result.instrument
    svg = charts.profile_chart(inst, build_profile(inst, alice_result.scored()))
    assert _inline_code(svg) == []
    assert 'fill="#3a7ca5"' in svg and 'stroke-linejoin="round"' in svg


def test_private_pages_and_downloads_are_not_stored(as_alice, alice_result):
    for url in [*PRIVATE_PAGES, f"/assessments/{alice_result.pk}/"]:
        assert "no-store" in as_alice.get(url)["Cache-Control"], url
    assert "no-store" not in Client().get("/about/").get("Cache-Control", "")


def test_crisis_numbers_are_tel_links_and_labels_do_not_repeat():
    from django.test import Client

    page = Client().get("/help/").content.decode()
    assert '<a href="tel:112">Call 112</a>' in page
    assert '<a href="tel:116123">' in page
    assert "(EU) (European Union)" not in page


def test_the_app_can_be_added_to_a_home_screen(as_alice):
    """A web app manifest with icons, all served by the app itself."""
    import json
    from pathlib import Path

    from django.contrib.staticfiles import finders

    page = as_alice.get("/").content.decode()
    assert 'rel="manifest" href="/static/safebase/manifest.json"' in page
    manifest = json.loads(Path(finders.find("safebase/manifest.json")).read_text(encoding="utf-8"))
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert finders.find(f"safebase/{icon['src']}"), icon
        assert "://" not in icon["src"]
