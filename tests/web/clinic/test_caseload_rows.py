"""The caseload rows built in Python (for speed, see ``caseload_rows``) are the markup the
template loop rendered: compared here with that loop, kept as the reference."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone

from safebase.web.clinic import caseload_rows, reads, services
from tests.web.clinic.test_therapist_day import _link, level_answers
from tests.web.conftest import ECR_S_ANSWERS

pytestmark = pytest.mark.django_db

# The template loop as it was before the rows moved to Python.
REFERENCE = """{% for row in rows %}{% with s=row.latest %}
  <tr>
    <th scope="row"><a href="{% url 'clinic:client' row.record.pk %}">{{ row.record.display_name }}</a>{% if row.record.kind == "no_login" %}<br><span class="note">no login</span>{% endif %}</th>
    <td>{% if s %}{{ s.inst.spec.short_name }}, {{ s.last.completed_at|date:"j M Y" }}{% else %}<span class="note">nothing shared yet</span>{% endif %}</td>
    <td>{% if s %}{% for line in s.sparklines %}<div class="spark"><svg width="80" height="20" viewBox="-2 -2 84 24" role="img" aria-label="{{ line.name }}: {{ line.values|join:', ' }}"><polyline fill="none" stroke="currentColor" stroke-width="2" points="{{ line.points }}"/></svg> <span class="note">{{ line.name }}</span></div>{% endfor %}{% endif %}</td>
    <td>{% for f in row.flags %}<p class="flag">vs {{ f.against }}: {% if f.reason %}<span class="note">{{ f.reason }}</span>{% elif f.shared_unavailable_reason %}{% for c in f.changes %}{{ c.name }}{% if not forloop.last %} and {% endif %}{% endfor %} <span class="note">not available — {{ f.shared_unavailable_reason }}</span>{% else %}{% for c in f.changes %}{{ c.name }} {% if c.verdict.value == "not available" %}<span class="note">not available — {{ c.reason }}</span>{% else %}<strong>{{ c.verdict.value }}</strong> ({{ c.difference|floatformat:2 }}){% endif %}{% if not forloop.last %}; {% endif %}{% endfor %}{% endif %}</p>{% endfor %}</td>
    <td>{% for a, state in row.overdue %}<p><strong>overdue:</strong> {{ a.instrument.spec.short_name }} (due {{ a.next_due|date:"j M" }})</p>{% endfor %}
      {% for a, state in row.pending %}<p>{{ state }}: {{ a.instrument.spec.short_name }} ({{ a.next_due|date:"j M" }})</p>{% endfor %}</td>
  </tr>{% endwith %}{% endfor %}"""  # noqa: E501


def test_rows_built_in_python_equal_the_template_loop(tess, nora, consented):
    # nora (no login): ECR 5-point twice (reliable change with a reference sample), overdue and
    # pending assignments; a client with markup in the name and two ECR-S results (change, no
    # verdict); one with a single result; the full client (consented) with nothing shared.
    for level in (4, 2):
        _, token = _link(tess, nora, instrument="ecr-5pt")
        services.submit_answers(token, level_answers("ecr-5pt", level))
    today = timezone.localdate()
    services.assign(
        tess, nora, instrument_id="ecr-s", every_weeks=2, first_due=today - timedelta(days=30)
    )
    services.assign(
        tess, nora, instrument_id="ecr-s", every_weeks=None, first_due=today + timedelta(days=3)
    )
    odd = services.add_no_login_client(tess, name='<b>"Ann" & Co</b>')
    for answers in (ECR_S_ANSWERS, level_answers("ecr-s", 3)):
        _, token = _link(tess, odd)
        services.submit_answers(token, answers)
    once = services.add_no_login_client(tess, name="Once")
    _, token = _link(tess, once)
    services.submit_answers(token, ECR_S_ANSWERS)
    rows = reads.caseload(tess)
    assert len(rows) == 4
    expected = engines["django"].from_string(REFERENCE).render({"rows": rows})
    got = caseload_rows.rows_html(rows)
    assert got == expected
    assert "&lt;b&gt;&quot;Ann&quot; &amp; Co&lt;/b&gt;" in got and "<strong>" in got
    assert "overdue:" in got and "upcoming:" in got
    assert "not available — " in got  # ECR-S: no reference sample for a verdict
    assert "only one shared result" in got and "nothing shared yet" in got


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_latest_result_on_or_before_a_session_day_is_by_local_date(zone):
    # Results around local midnights (and a DST change in both zones); the expected one is found
    # the plain way: the last result whose local date is on or before the day.
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from safebase.core.instrument import get_instrument

    tz = ZoneInfo(zone)
    times = [
        datetime(2026, 4, 4, 23, 59, tzinfo=tz),
        datetime(2026, 4, 5, 0, 0, tzinfo=tz),
        datetime(2026, 4, 5, 23, 30, tzinfo=tz),
        datetime(2026, 11, 1, 0, 30, tzinfo=tz),
        datetime(2026, 11, 1, 23, 59, 59, tzinfo=tz),
    ]
    results = [reads.SharedResult(i, 1, "ecr-s", {}, t, 1, 7) for i, t in enumerate(times, start=1)]
    series = reads.Series(get_instrument("ecr-s"), results, None)
    with timezone.override(zone):
        for day in (
            date(2026, 4, 3),
            date(2026, 4, 4),
            date(2026, 4, 5),
            date(2026, 10, 31),
            date(2026, 11, 1),
            date(2026, 11, 2),
        ):
            plain = [a for a in results if timezone.localdate(a.completed_at) <= day]
            assert series.at_or_before(day) == (plain[-1] if plain else None), (zone, day)


def _page(tess) -> str:
    return str(caseload_rows.lines_html(reads.caseload_page(tess)))


def _full(tess) -> str:
    return str(caseload_rows.rows_html(reads.caseload(tess)))


def test_stored_cells_draw_the_same_page_and_follow_every_change(
    tess, nora, alice, consented, alice_result
):
    from safebase.web.accounts.services import choose_reference_samples
    from safebase.web.clinic.models import ClientRecord

    for level in (4, 2):
        _, token = _link(tess, nora, instrument="ecr-5pt")
        services.submit_answers(token, level_answers("ecr-5pt", level))
    first = _page(tess)
    assert first == _full(tess)
    stored = {r.pk: r.caseload_cells for r in ClientRecord.objects.all()}
    assert all(cells["key"] and "html" in cells for cells in stored.values())
    assert all("Nora" not in cells["html"] for cells in stored.values())  # never the name
    # Nothing changed: the same cells, not redrawn.
    assert _page(tess) == first
    assert {r.pk: r.caseload_cells for r in ClientRecord.objects.all()} == stored
    # Every change the cells depend on redraws them, and the page equals the full computation.
    changes = [  # (what changes, whether the page must look different)
        (lambda: services.share_with_therapist(alice, consented, alice_result), True),
        (lambda: services.set_last_session(tess, nora, timezone.localdate()), True),
        (lambda: services.unshare_from_therapist(alice, consented, alice_result), True),
        (lambda: choose_reference_samples(user=nora.person, choices={"ecr-5pt": "x"}), False),
    ]
    for change, visible in changes:
        before = _page(tess)
        change()
        nora.refresh_from_db()
        after = _page(tess)
        assert after == _full(tess)
        assert (after != before) == visible
    # A result the client deletes takes its share, and its cells, with it.
    alice_result.delete()
    assert _page(tess) == _full(tess)
