"""A user can never read or change another user's results, by id guessing or otherwise."""

from __future__ import annotations

import pytest
from django.test import Client

from safebase.web.assessments import services
from safebase.web.assessments.models import Assessment

pytestmark = pytest.mark.django_db


def _urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/assessments/{pk}/"),
        ("get", f"/assessments/{pk}/resume/"),
        ("get", f"/assessments/{pk}/page/1/"),
        ("post", f"/assessments/{pk}/page/1/"),
        ("post", f"/assessments/{pk}/autosave/"),
        ("get", f"/history/?a={pk}&b={pk}"),
    ]


def test_it_validates_ownership_of_results(alice_result, as_charlie):
    for method, url in _urls(alice_result.pk):
        response = getattr(as_charlie, method)(url, {"item_1": "1"} if method == "post" else None)
        assert response.status_code == 404, url
    alice_result.refresh_from_db()
    assert alice_result.answers["1"] == 5


def test_it_validates_ownership_of_in_progress_answers(alice, as_charlie):
    a = services.start_assessment(owner=alice, instrument_id="ecr-r")
    response = as_charlie.post(f"/assessments/{a.pk}/autosave/", {"item_1": "7"})
    assert response.status_code == 404
    a.refresh_from_db()
    assert a.answers == {}


def test_guessing_ids_finds_nothing(alice_result, as_charlie):
    for pk in range(1, alice_result.pk + 5):
        assert as_charlie.get(f"/assessments/{pk}/").status_code == 404


def test_history_and_exports_show_only_own_data(alice_result, as_charlie, charlie):
    services.record_assessment(
        owner=charlie, instrument_id="ecr-s", answers={str(n): 2 for n in range(1, 13)}
    )
    body = as_charlie.get("/export.json").json()
    assert [a["answers"]["1"] for a in body["assessments"]] == [2]
    assert body["username"] == "charlie"
    csv_text = as_charlie.get("/export.csv").content.decode()
    assert f"\r\n{alice_result.pk}," not in csv_text
    history = as_charlie.get("/history/").content.decode()
    assert f"/assessments/{alice_result.pk}/" not in history


@pytest.mark.parametrize(
    "url",
    [
        "/history/",
        "/export.json",
        "/export.csv",
        "/delete/",
        "/assessments/1/",
        "/assessments/1/page/1/",
    ],
)
def test_anonymous_visitors_are_sent_away(url, alice_result):
    response = Client().get(url)
    assert response.status_code == 302
    # Single-person mode: to the welcome page, which explains the sign-in link; no data shown.
    from urllib.parse import quote

    assert response.url == f"/?next={quote(url)}"
    assert b"alice" not in Client().get(response.url).content


def test_anonymous_cannot_start_or_autosave(alice_result):
    c = Client()
    assert c.post("/assessments/start/ecr-r/").status_code == 302
    assert c.post(f"/assessments/{alice_result.pk}/autosave/", {"item_1": "1"}).status_code == 302
    assert Assessment.objects.count() == 1


def test_csrf_is_enforced(alice):
    c = Client(enforce_csrf_checks=True)
    c.force_login(alice)
    assert c.post("/assessments/start/ecr-r/").status_code == 403
    assert Assessment.objects.count() == 0
