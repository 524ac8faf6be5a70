"""A practice chooses the reference sample its clients' results are compared with (issue 12:
"the user, or a practice for its own clients, picks"). The shipped ECR 5-point sample is the only
one, so a second sample is made here from it with twice the SD: percentiles, bands and reliable
change must then follow the practice's choice on the clinic pages and the client's report, and
the client's own pages must keep the client's own choice."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from safebase.core import norms
from safebase.core.instrument import get_instrument
from safebase.web.assessments.services import reference_for
from safebase.web.clinic import caseload_rows, exports, reads, services
from safebase.web.clinic.models import PracticeReference
from tests.web.clinic.conftest import client_for
from tests.web.clinic.test_therapist_day import _link, level_answers

pytestmark = pytest.mark.django_db


@pytest.fixture()
def wide_sample(monkeypatch):
    shipped = norms.reference_samples_for("ecr-5pt")[0]
    wide = shipped.model_copy(
        update={
            "id": "ecr-5pt-test-wide",
            "label": "A test sample with twice the spread (not a real norm)",
            "scales": [s.model_copy(update={"sd": s.sd * 2}) for s in shipped.scales],
        }
    )
    everything = {**norms.all_reference_samples(), wide.id: wide}
    monkeypatch.setattr(norms, "all_reference_samples", lambda: everything)
    return shipped, wide


def test_the_practice_owner_chooses_and_the_clinic_follows(wide_sample, polly, tess, nora):
    shipped, wide = wide_sample
    for level in (3, 2):  # a change reliable against the shipped SD, not against twice it
        _, token = _link(tess, nora, instrument="ecr-5pt")
        services.submit_answers(token, level_answers("ecr-5pt", level))
    inst = get_instrument("ecr-5pt")
    before = str(caseload_rows.lines_html(reads.caseload_page(tess)))
    # A therapist who does not own the practice cannot choose.
    response = client_for(tess).post(
        "/clinic/practice/", {"instrument": "ecr-5pt", "sample": wide.id}
    )
    assert response.status_code == 404 and not PracticeReference.objects.exists()
    page = client_for(polly).get("/clinic/practice/").content.decode()
    assert "Each client's own choice" in page and wide.label in page
    bad = client_for(polly).post("/clinic/practice/", {"instrument": "ecr-5pt", "sample": "x"})
    assert bad.status_code == 302 and not PracticeReference.objects.exists()
    client_for(polly).post("/clinic/practice/", {"instrument": "ecr-5pt", "sample": wide.id})
    assert services.practice_references() == {"ecr-5pt": wide.id}
    # The clinic's pages now compare with the wide sample; the same page as the full computation.
    after = str(caseload_rows.lines_html(reads.caseload_page(tess)))
    assert after != before
    assert "reliable improvement" in before and "reliable improvement" not in after
    assert after == str(caseload_rows.rows_html(reads.caseload(tess)))
    choices = reads._choices_by_person([nora.person_id])[nora.person_id]
    assert reads._reference(choices, inst).id == wide.id
    # The report the therapist makes names the practice's sample.
    body = exports.client_report(tess, nora, start=None, end=None, practice=False)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).split())
    assert "twice the spread" in text
    # The client's own pages keep the client's own choice (the default here).
    assert reference_for(nora.person, inst).id == shipped.id
    # Back to each client's own choice.
    client_for(polly).post("/clinic/practice/", {"instrument": "ecr-5pt", "sample": ""})
    assert not PracticeReference.objects.exists()
    assert str(caseload_rows.lines_html(reads.caseload_page(tess))) == before
