"""The home page: a welcome on a first visit, today at a glance afterwards."""

from __future__ import annotations

import pytest

from safebase.web.practice import services as practice

pytestmark = pytest.mark.django_db


def test_a_first_visit_is_welcomed_with_the_quick_and_the_full_questionnaire(as_alice):
    page = as_alice.get("/").content.decode()
    assert "Welcome to safebase" in page
    assert "Anxiety</h2>" in page and "Avoidance</h2>" in page
    assert "/assessments/start/ecr-s/" in page and "/assessments/start/ecr-r/" in page


def test_today_shows_checkin_practice_streak_result_and_journal(as_alice, alice, alice_result):
    practice.record_checkin(owner=alice, emotion="hopeful", intensity=6, need="connection")
    practice.add_journal_entry(owner=alice, body="First line of today.\nSecond line, private.")
    page = as_alice.get("/").content.decode()
    assert "<h1>Today</h1>" in page
    assert 'action="/practice/checkin/"' in page and 'name="emotion"' in page
    assert "Today's practice" in page and "Why:" in page
    assert "1 day</span> in a row" in page
    assert 'aria-label="Your latest ECR-S result on the plane"' in page
    assert "Attachment anxiety</th>" in page  # the mini chart's data table
    assert "First line of today." in page and "Second line" not in page
    # The one-tap check-in saves like the full form.
    response = as_alice.post(
        "/practice/checkin/", {"emotion": "peaceful", "intensity": "4", "need": "rest"}
    )
    assert response.status_code == 302
