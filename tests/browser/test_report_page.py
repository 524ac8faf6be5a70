"""The report page in a real Chromium: axe-clean with and without errors, no sideways scroll on
a 375 px phone, and the download arrives as the PDF, named by today."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import PHONE, seed_history
from tests.browser.test_accessibility import blocking_violations
from tests.reports.pdftext import pdf_text, score_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def test_the_report_page_on_a_phone(signed_in, browsing, owner, tmp_path):
    from django.utils import timezone

    seed_history(owner)
    page = signed_in
    page.set_viewport_size(PHONE)
    page.goto(browsing.base_url + "/history/")
    page.get_by_role("link", name="Make a PDF report of your results").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your report (PDF)"
    found = {"form": blocking_violations(page)}
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0

    page.get_by_label("From").fill("2030-01-02")
    page.get_by_label("To").fill("2030-01-01")
    page.get_by_role("button", name="Download the report").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.inner_text().startswith("The “from” date is after")
    found["form with an error"] = blocking_violations(page)
    assert page.evaluate(HORIZONTAL_OVERFLOW) <= 0
    bad = {name: v for name, v in found.items() if v}
    assert not bad, json.dumps(bad, indent=2)

    page.get_by_label("From").fill("")
    page.get_by_label("To").fill("")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == (
        f"safebase-report-{timezone.localdate().isoformat()}.pdf"
    )
    body = saved.read_bytes()
    assert score_rows(body)  # the seeded results' scores are in the table
    assert "Practice in this period" in pdf_text(body)  # ticked by default
