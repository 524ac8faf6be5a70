"""Days are the person's own: a check-in at 23:30 in Auckland counts on that Auckland day, not on
the UTC date, and the zone can be changed in settings."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client

from safebase.web.practice import services
from safebase.web.practice.models import CheckIn
from safebase.web.timezones import machine_time_zone

pytestmark = pytest.mark.django_db


def _checkin_at(owner, when: datetime) -> None:
    saved = services.record_checkin(owner=owner, emotion="peaceful", intensity=3, need="rest")
    CheckIn.objects.filter(pk=saved.obj.pk).update(created_at=when)


def test_streak_counts_local_days(alice, time_machine):
    c = Client()
    c.force_login(alice)
    # 10:30 UTC on two days = 23:30 in Auckland (UTC+13 in November) on those same two days;
    # 11:30 UTC on the second = 00:30 the next Auckland day.
    _checkin_at(alice, datetime(2026, 11, 26, 10, 30, tzinfo=UTC))
    _checkin_at(alice, datetime(2026, 11, 27, 10, 30, tzinfo=UTC))
    _checkin_at(alice, datetime(2026, 11, 27, 11, 30, tzinfo=UTC))
    time_machine.move_to(datetime(2026, 11, 27, 12, 0, tzinfo=UTC), tick=False)
    response = c.post("/accounts/settings/", {"time_zone": "Pacific/Auckland"})
    assert response.status_code == 302
    page = c.get("/practice/progress/").content.decode()
    # In Auckland it is now 28 Nov (01:00): three consecutive local days 26, 27, 28.
    assert "3 days" in page
    c.post("/accounts/settings/", {"time_zone": "UTC"})
    assert "2 days" in c.get("/practice/progress/").content.decode()


def test_the_zone_survives_signing_in_again(alice, settings):
    settings.MULTI_USER = True
    alice.set_password("a-long-passphrase-1")
    alice.save()
    c = Client()
    c.force_login(alice)
    c.post("/accounts/settings/", {"time_zone": "Asia/Kolkata"})
    fresh = Client()
    fresh.post("/accounts/login/", {"username": "alice", "password": "a-long-passphrase-1"})
    assert fresh.session["time_zone"] == "Asia/Kolkata"


def test_a_zone_that_does_not_exist_is_refused(as_alice):
    response = as_alice.post("/accounts/settings/", {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_machine_zone_is_read_from_the_system(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("TZ", raising=False)
    tz_file = tmp_path / "timezone"
    tz_file.write_text("Europe/Berlin\n")
    assert machine_time_zone(tz_file, tmp_path / "none") == "Europe/Berlin"
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/America/Chicago")
    assert machine_time_zone(tmp_path / "none", link) == "America/Chicago"
    assert machine_time_zone(tmp_path / "none", tmp_path / "none") == "UTC"
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert machine_time_zone(tz_file, link) == "Asia/Tokyo"


def test_a_person_chooses_the_reference_sample_their_results_are_compared_with(as_alice, alice):
    from safebase.core.instrument import get_instrument
    from safebase.core.norms import reference_samples_for
    from safebase.web.assessments.services import reference_for

    inst = get_instrument("ecr-5pt")
    shipped = reference_samples_for("ecr-5pt")
    assert shipped and reference_for(alice, inst).id == shipped[0].id
    page = as_alice.get("/accounts/settings/").content.decode()
    assert "ECR (5-point): compare my results with" in page
    bad = as_alice.post(
        "/accounts/settings/", {"time_zone": "UTC", "sample:ecr-5pt": "no-such-sample"}
    )
    assert bad.status_code == 400
    ok = as_alice.post("/accounts/settings/", {"time_zone": "UTC", "sample:ecr-5pt": shipped[0].id})
    assert ok.status_code == 302
    from safebase.web.accounts.services import chosen_reference_samples

    assert chosen_reference_samples(alice) == {"ecr-5pt": shipped[0].id}
