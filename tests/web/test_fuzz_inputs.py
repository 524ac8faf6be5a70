"""No input gives a server error: arbitrary text, numbers, unicode digits, huge values and missing
fields, posted to every form and query parameter of the app (property-based, hypothesis).

Found by fuzzing before the forms existed: ``item_1=²`` (``'²'.isdigit()`` is true but
``int('²')`` raises), a 5,000-digit number, ``/history/?a=²&b=1`` and
``/practice/progress/?week=9999-12-31`` each gave a 500.
"""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safebase.web.assessments import services

pytestmark = pytest.mark.django_db

TRICKY = [
    "",
    "²",
    "٣",
    "१२",
    "Ⅻ",
    "1e5",
    "9" * 5000,
    "-" + "9" * 30,
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "\x00",
    "<script>alert(1)</script>",
    " 3 ",
    "3.0",
    "NaN",
]
value = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)


def fields(*names: str):
    """Any subset of the named fields, each with an arbitrary value."""
    return st.fixed_dictionaries({}, optional={n: value for n in names})


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture()
def client(alice) -> Client:
    c = Client()
    c.force_login(alice)
    return c


def test_questionnaire_pages_and_autosave(client, alice):
    a = services.start_assessment(owner=alice, instrument_id="ecr-s")
    names = [f"item_{n}" for n in range(1, 13)] + ["action"]

    @FUZZ
    @given(data=fields(*names), page=st.sampled_from(["1", "2"]))
    def run(data, page):
        for url in (f"/assessments/{a.pk}/page/{page}/", f"/assessments/{a.pk}/autosave/"):
            response = client.post(url, data)
            assert response.status_code < 500, (url, data)
            assert b"<script>alert" not in response.content

    run()


def test_query_parameters(client, alice_result):
    @FUZZ
    @given(a=value, b=value, week=value)
    def run(a, b, week):
        for url, params in (
            ("/history/", {"a": a, "b": b}),
            ("/history/", {"a": a}),
            ("/practice/progress/", {"week": week}),
        ):
            response = client.get(url, params)
            assert response.status_code < 500, (url, params)

    run()


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/practice/checkin/", ("emotion", "intensity", "need", "note")),
        ("/practice/journal/", ("body",)),
        ("/practice/triggers/", ("situation", "pattern", "what_i_did", "repair")),
        ("/practice/exercise/body-scan/", ("minutes", "after", "unknown")),
        ("/practice/exercise/gratitude/", ("moment", "meaning")),
        ("/practice/coach/", ("original",)),
        ("/delete/", ("confirm_not",)),
    ],
)
def test_practice_forms(client, url, names):
    @FUZZ
    @given(data=fields(*names))
    def run(data):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        assert b"<script>alert" not in response.content

    run()
