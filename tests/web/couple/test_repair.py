"""Repair from start to repaired, the log of time to repair, the coach and the safety screen."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from safebase.web import access
from safebase.web.couple import services
from safebase.web.couple.models import Repair, RepairPart

pytestmark = pytest.mark.django_db

STEPS = {
    "own_part": "I got defensive zebracorn",
    "acknowledge": "I can see it hurt you",
    "path_forward": "Next time I will slow down",
}
BOB_STEPS = {
    "own_part": "I raised my voice quillwort",
    "acknowledge": "I see you felt attacked",
    "path_forward": "I will ask for a pause",
}


def start(client: Client, about: str = "last night's argument", **extra):
    return client.post(
        "/together/repair/",
        {"about": about, "ruptured_at": "2026-03-01T22:00", **STEPS, **extra},
    )


def test_a_repair_from_start_to_repaired(linked, as_alice, as_bob, alice, bob):
    response = start(as_alice)
    assert response.status_code == 302
    repair = Repair.objects.get()
    url = f"/together/repair/{repair.pk}/"
    page = as_bob.get(url).content.decode()
    assert "last night&#x27;s argument" in page and "zebracorn" in page  # bob reads her steps
    assert as_bob.post(url, BOB_STEPS).status_code == 302
    assert "quillwort" in as_alice.get(url).content.decode()
    as_alice.post(f"{url}repaired/")
    repair.refresh_from_db()
    assert repair.repaired_at is None  # one side only
    as_bob.post(f"{url}repaired/")
    repair.refresh_from_db()
    assert repair.repaired_at is not None
    assert "Repaired: both of you" in as_alice.get(url).content.decode()
    # charlie: not found, anonymous: sent to sign in
    charlie = Client()
    charlie.force_login(type(alice).objects.create_user("charlie2"))
    assert charlie.get(url).status_code == 404
    assert charlie.post(f"{url}repaired/").status_code == 404
    assert Client().get(url).status_code == 302


def test_marking_repaired_needs_ones_own_steps(linked, as_alice, as_bob):
    start(as_alice)
    repair = Repair.objects.get()
    as_bob.post(f"/together/repair/{repair.pk}/repaired/")
    assert not RepairPart.objects.exclude(marked_repaired_at=None).filter(owner__username="bob")


def test_each_changes_only_their_own_part(linked, alice, bob):
    saved, part = services.start_repair(owner=alice, about="x", ruptured_at=None, steps=STEPS)
    services.respond_to_repair(owner=bob, repair_id=saved.obj.pk, steps=BOB_STEPS)
    services.respond_to_repair(
        owner=bob, repair_id=saved.obj.pk, steps={**BOB_STEPS, "own_part": "changed"}
    )
    part.refresh_from_db()
    assert part.own_part == STEPS["own_part"]  # bob's change touched only his part
    assert RepairPart.objects.get(owner=bob).own_part == "changed"
    assert not access.scope(bob, RepairPart, access.Action.CHANGE).filter(pk=part.pk).exists()
    assert not access.scope(bob, Repair, access.Action.CHANGE).exists()


def test_after_unlink_the_partner_sees_nothing_more(linked, unlink, as_alice, as_bob, alice, bob):
    start(as_alice)
    repair = Repair.objects.get()
    url = f"/together/repair/{repair.pk}/"
    unlink(alice)
    # bob never answered: the repair is gone for him
    assert as_bob.get(url).status_code == 404
    assert not access.scope(bob, RepairPart).exists()
    # alice keeps her own repair and words
    assert "zebracorn" in as_alice.get(url).content.decode()


def test_after_unlink_a_responder_keeps_only_his_own_words(linked, unlink, as_bob, alice, bob):
    saved, _ = services.start_repair(owner=alice, about="the dishes", ruptured_at=None, steps=STEPS)
    services.respond_to_repair(owner=bob, repair_id=saved.obj.pk, steps=BOB_STEPS)
    unlink(bob)
    page = as_bob.get(f"/together/repair/{saved.obj.pk}/").content.decode()
    assert "quillwort" in page and "zebracorn" not in page and "the dishes" not in page
    assert as_bob.post(f"/together/repair/{saved.obj.pk}/", BOB_STEPS).status_code == 400


def test_the_log_gives_hours_from_rupture_to_repair_by_month(linked, alice, bob):
    ruptures = [
        datetime(2026, 1, 5, 20, 0, tzinfo=UTC),
        datetime(2026, 1, 20, 8, 0, tzinfo=UTC),
        datetime(2026, 2, 2, 12, 0, tzinfo=UTC),
    ]
    hours = [3, 30, 1]
    for when, h in zip(ruptures, hours, strict=True):
        with time_machine.travel(when + timedelta(minutes=1), tick=False):
            saved, _ = services.start_repair(owner=alice, about="x", ruptured_at=when, steps=STEPS)
            services.respond_to_repair(owner=bob, repair_id=saved.obj.pk, steps=BOB_STEPS)
        with time_machine.travel(when + timedelta(hours=h), tick=False):
            services.mark_repaired(owner=alice, repair_id=saved.obj.pk)
            services.mark_repaired(owner=bob, repair_id=saved.obj.pk)
    services.start_repair(
        owner=bob, about="open one", ruptured_at=datetime(2026, 2, 10, tzinfo=UTC), steps=STEPS
    )
    rows = services.repair_log(alice, today=datetime(2026, 3, 1).date())
    assert [(r.month.month, r.repaired, r.open) for r in rows] == [(2, 1, 1), (1, 2, 0)]
    assert rows[1].median_hours == pytest.approx(statistics.median([3, 30]))
    assert rows[0].median_hours == pytest.approx(1)


def test_a_moment_in_the_future_is_taken_as_now(linked, alice):
    saved, _ = services.start_repair(
        owner=alice, about="x", ruptured_at=datetime(2999, 1, 1, tzinfo=UTC), steps=STEPS
    )
    assert saved.obj.ruptured_at <= datetime.now(UTC)


def test_the_coach_reads_every_text_box(linked, as_alice):
    page = as_alice.get("/together/repair/").content.decode()
    for name in ("about", "own_part", "acknowledge", "path_forward"):
        assert f'hx-vals=\'{{"field": "{name}"}}\'' in page
    answer = as_alice.post(
        "/together/coach/", {"field": "own_part", "own_part": "You never listen"}
    )
    assert "The coach noticed" in answer.content.decode()
    assert as_alice.post("/together/coach/", {"field": "nonsense"}).status_code == 200


def test_flagged_words_show_crisis_resources_to_writer_and_reader(linked, as_alice, as_bob):
    response = as_alice.post(
        "/together/repair/",
        {"about": "I don't want to live anymore", "ruptured_at": "", **STEPS},
        follow=True,
    )
    assert "immediate danger" in response.content.decode()
    repair = Repair.objects.get()
    page = as_bob.get(f"/together/repair/{repair.pk}/").content.decode()
    assert 'class="card crisis"' in page and "immediate danger" in page
    # the resources with the general "get help" words, not what the screen found about alice
    from django.utils.html import escape

    from safebase.core.practice.safety import crisis_message

    assert escape(crisis_message("help").title) in page
    for kind in ("flagged", "gentle"):
        assert escape(crisis_message(kind, "suicide").title) not in page
        assert escape(crisis_message(kind, "suicide").body) not in page


def test_without_a_partner_repair_explains_how_to_link(as_alice):
    page = as_alice.get("/together/repair/")
    assert page.status_code == 200 and 'href="/together/"' in page.content.decode()
