"""A therapist's PDF report and FHIR Bundle of one client: exactly what the client shared.

Numbers are read back from the PDF with pypdf and from the Bundle's Observations, and compared
with the scores the core scorer gives for the answers (computed here, independently of the
stored values)."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from safebase.core.instrument import get_instrument
from safebase.core.scoring import score_responses
from safebase.web.assessments import services as assessments
from safebase.web.clinic import services
from safebase.web.clinic.models import AccessEvent
from safebase.web.practice import services as practice
from tests.web.clinic.conftest import client_for

pytestmark = pytest.mark.django_db

SHARED = {str(n): (n % 5) + 1 for n in range(1, 37)}  # ecr-5pt answers, 1..5
PRIVATE = {str(n): 5 if n % 2 else 1 for n in range(1, 37)}


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


@pytest.fixture()
def alice_shares_one(alice, tess, consented):
    shared = assessments.record_assessment(owner=alice, instrument_id="ecr-5pt", answers=SHARED)
    private = assessments.record_assessment(owner=alice, instrument_id="ecr-5pt", answers=PRIVATE)
    services.share_with_therapist(alice, consented, shared)
    entry = practice.add_journal_entry(owner=alice, body="shared journal words").obj
    services.share_with_therapist(alice, consented, entry)
    practice.add_journal_entry(owner=alice, body="private journal words")
    return shared, private


def expected_scores(answers) -> dict[str, float]:
    scored = score_responses(get_instrument("ecr-5pt"), answers)
    return {sid: s.value for sid, s in scored.scales.items() if s.value is not None}


def test_the_report_holds_the_shared_result_only_and_is_logged(
    alice, tess, consented, alice_shares_one
):
    c = client_for(tess)
    assert c.get(f"/clinic/clients/{consented.pk}/report/").status_code == 200
    response = c.get(f"/clinic/clients/{consented.pk}/report/", {"practice": "on"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for value in expected_scores(SHARED).values():
        assert f"{value:.2f}" in text
    private_only = set(expected_scores(PRIVATE).values()) - set(expected_scores(SHARED).values())
    for value in private_only:
        assert f"{value:.2f}" not in text
    assert "not a diagnosis" in text.lower()
    assert "journal words" not in text
    # One shared journal entry is counted; the private one is not.
    flat = " ".join(text.split())
    assert "Journal entries (count only; their text stays private) 1" in flat
    assert AccessEvent.objects.filter(owner=alice, what__icontains="PDF report").count() == 1
    bad = c.get(f"/clinic/clients/{consented.pk}/report/", {"start": "2026-13-01"})
    assert bad.status_code == 400


def test_the_fhir_bundle_holds_the_shared_result_only(alice, tess, consented, alice_shares_one):
    response = client_for(tess).get(f"/clinic/clients/{consented.pk}/fhir.json")
    assert response.status_code == 200
    bundle = json.loads(response.content)
    responses = [
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert len(responses) == 1
    values = sorted(
        e["resource"]["valueQuantity"]["value"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Observation" and "valueQuantity" in e["resource"]
    )
    assert values == pytest.approx(sorted(expected_scores(SHARED).values()))
    assert AccessEvent.objects.filter(owner=alice, what__icontains="FHIR").count() == 1


def test_nobody_else_gets_them_and_revoking_ends_them(
    alice, bob, tess, otto, consented, alice_shares_one
):
    urls = [f"/clinic/clients/{consented.pk}/report/", f"/clinic/clients/{consented.pk}/fhir.json"]
    for who in (otto, alice, bob):
        for url in urls:
            assert client_for(who).get(url, {"practice": "on"}).status_code == 404, (who, url)
    services.revoke(alice, consented)
    for url in urls:
        assert client_for(tess).get(url).status_code == 404


def test_stopping_a_partner_share_leaves_the_therapist_share(
    alice, bob, tess, consented, alice_result
):
    from safebase.web.relationships import services as relationships
    from safebase.web.relationships.models import Share

    relationships.accept(bob, relationships.invite(alice).code)
    relationships.share(alice, alice_result)
    services.share_with_therapist(alice, consented, alice_result)
    page = client_for(alice).get(f"/assessments/{alice_result.pk}/").content.decode()
    assert "Shared with " in page and "bob" in page and "tess@example.org" in page
    assert "Stop sharing with bob" in page
    client_for(alice).post(
        "/together/share/", {"kind": "result", "item": alice_result.pk, "share": "0"}
    )
    assert list(Share.objects.values_list("audience__username", flat=True)) == ["tess@example.org"]
    assert client_for(tess).get(f"/clinic/clients/{consented.pk}/fhir.json").status_code == 200


def test_a_no_login_clients_answers_go_with_the_therapists_account(tess, nora):
    from django.contrib.auth import get_user_model

    from safebase.web.accounts.services import delete_person
    from safebase.web.assessments.models import Assessment
    from tests.web.clinic.test_therapist_day import _link, level_answers

    _, token = _link(tess, nora, instrument="ecr-5pt")
    services.submit_answers(token, level_answers("ecr-5pt", 3))
    placeholder = nora.person_id
    assert Assessment.objects.filter(owner_id=placeholder).count() == 1
    delete_person(user=tess)
    assert not get_user_model().objects.filter(pk=placeholder).exists()
    assert not Assessment.objects.filter(owner_id=placeholder).exists()


def test_revoking_clears_the_stored_caseload_cells(alice, tess, consented, alice_result):
    from safebase.web.clinic import reads
    from safebase.web.clinic.models import ClientRecord

    services.share_with_therapist(alice, consented, alice_result)
    reads.caseload_page(tess)
    assert ClientRecord.objects.get(pk=consented.pk).caseload_cells
    services.revoke(alice, consented)
    assert ClientRecord.objects.get(pk=consented.pk).caseload_cells == {}
