"""axe-core over every kind of page; no "serious" or "critical" violation is allowed."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from safebase.core.instrument import get_instrument
from safebase.web.assessments import services
from tests.browser.conftest import DESKTOP, Offsite, seed_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[dict]:
    results = Axe().run(page)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "") if v["nodes"] else "",
        }
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_no_serious_or_critical_axe_violations(signed_in, browsing, owner, browser, live_server):
    page = signed_in
    ids = seed_history(owner)
    derived = get_instrument("safebase-ecr12")
    ids["derived"] = services.record_assessment(
        owner=owner, instrument_id=derived.id, answers={k: 3 for k in derived.item_keys}
    ).pk
    paths = {
        "home": "/",
        "questionnaire page (ECR-R)": f"/assessments/{ids['open']}/page/2/",
        "questionnaire page (ECR-RS)": f"/assessments/{ids['open_rs']}/page/1/",
        "result (ECR-R)": f"/assessments/{ids['second']}/",
        "result (ECR-RS)": f"/assessments/{ids['rs']}/",
        "result (derived short form, with its validation table)": f"/assessments/{ids['derived']}/",
        "history with comparison": f"/history/?a={ids['first']}&b={ids['second']}",
        "about": "/about/",
        "get help now": "/help/",
        "delete confirm": "/delete/",
    }
    found: dict[str, list[dict]] = {}
    for name, path in paths.items():
        response = page.goto(browsing.base_url + path)
        assert response is not None and response.status == 200, (name, response)
        assert page.url == browsing.base_url + path, f"{name} redirected to {page.url}"
        found[name] = blocking_violations(page)

    # The signed-out welcome page, in a separate context with no session.
    offsite = Offsite(browsing.offsite.netloc)
    context = browser.new_context(viewport=DESKTOP)
    try:
        anonymous = context.new_page()
        anonymous.route("**/*", offsite.route)
        anonymous.goto(live_server.url + "/")
        assert anonymous.get_by_role("heading", name="Welcome to safebase").is_visible()
        found["anonymous home"] = blocking_violations(anonymous)
    finally:
        context.close()
    offsite.assert_none()

    assert len(found) == 11
    # The harness itself can see a problem: an unnamed button is a critical violation.
    page.evaluate("document.querySelector('main').append(document.createElement('button'))")
    assert "button-name" in {v["id"] for v in blocking_violations(page)}
    bad = {name: v for name, v in found.items() if v}
    assert not bad, "axe found serious/critical violations:\n" + json.dumps(bad, indent=2)
