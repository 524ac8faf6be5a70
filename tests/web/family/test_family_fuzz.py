"""No input to a family form or query parameter gives a server error (property-based), with
the tricky values of ``tests/web/test_fuzz_inputs.py``."""

from __future__ import annotations

import pytest
from hypothesis import given

from safebase.web.family import services
from tests.web.test_fuzz_inputs import FUZZ, fields, value

pytestmark = pytest.mark.django_db

FORMS = {
    "": ("name", "birth_year"),
    "checkin/": ("safe", "seen", "soothed", "valued", "explore", "note"),
    "signs/": ("age_band", "noticed", "note"),
    "attuned/": ("read", "respond", "received", "next_time"),
    "repairs/": ("what_happened", "reconnect", "took", "unit", "happened_on"),
    "step-away/": ("confirm",),
}


@pytest.mark.parametrize("path", list(FORMS))
def test_family_forms(as_alice, alice, path):
    child = services.add_child(alice, "Robin", 2019)
    url = "/family/" if not path else f"/family/child/{child.pk}/{path}"

    @FUZZ
    @given(data=fields(*FORMS[path]), band=value)
    def run(data, band):
        if path == "step-away/" and str(data.get("confirm", "")).strip().lower() == "remove":
            return  # would remove the child the other examples post to
        response = as_alice.post(url, data)
        assert response.status_code < 500, (url, data)
        assert b"<script>alert" not in response.content
        if path == "signs/":
            assert as_alice.get(url, {"band": band}).status_code == 200

    run()
