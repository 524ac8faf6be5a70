"""The pair on one plane (from shared results only), the twelve signs, export and delete-all."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from safebase.web.assessments import services as assessments
from safebase.web.couple import services
from safebase.web.couple.models import Repair, RepairPart, Ritual, RitualAnswer, SignsReflection
from safebase.web.relationships import services as relationships

pytestmark = pytest.mark.django_db

# ECR-S, 1-7, midpoint 4 (a score at the cut-off counts as low).
# alice: anxiety items 2,4,6,10,12 = 5 and item 8 (reversed) 5 -> 3: (5*5+3)/6 = 4.67, high;
#        avoidance items 3,7,11 = 5, items 1,5,9 (reversed) 5 -> 3: (3*5+3*3)/6 = 4.0, low.
ALICE = {str(n): 5 for n in range(1, 13)}
# bob: anxiety 2,4,6,10,12 = 2, item 8 = 6 -> 2: mean 2, low;
#      avoidance 3,7,11 = 6, items 1,5,9 = 2 -> 6: mean 6, high.
BOB = {
    **{str(n): 2 for n in (2, 4, 6, 10, 12, 1, 5, 9)},
    "8": "6",
    **{str(n): 6 for n in (3, 7, 11)},
}
BOB = {k: int(v) for k, v in BOB.items()}


def test_the_pair_plane_uses_only_shared_results(linked, as_alice, alice, bob):
    page = as_alice.get("/together/pair/").content.decode()
    assert "has not shared" in page and "<svg" not in page
    mine = assessments.record_assessment(owner=alice, instrument_id="ecr-s", answers=ALICE)
    his = assessments.record_assessment(owner=bob, instrument_id="ecr-s", answers=BOB)
    relationships.share(alice, mine)
    assert "<svg" not in as_alice.get("/together/pair/").content.decode()  # his is not shared
    relationships.share(bob, his)
    # alice's newer result, not shared, is not the one shown
    assessments.record_assessment(owner=alice, instrument_id="ecr-s", answers={k: 1 for k in ALICE})
    page = as_alice.get("/together/pair/").content.decode()
    assert "Both partners&#x27; results on one anxiety and avoidance plane" in page
    assert "Anxious with avoidant: the pursue–withdraw cycle" in page
    assert "<td>4.67</td><td>4.00</td><td>Anxious-preoccupied</td>" in page.replace(
        "\n", ""
    ).replace("    ", "")
    assert "<td>2.00</td><td>6.00</td><td>Dismissing-avoidant</td>" in page.replace(
        "\n", ""
    ).replace("    ", "")
    # every claim carries its source or safebase's summary label
    section = page.split('id="combo-h"')[1].split("</section>")[0]
    claims = section.count("<p>")
    assert claims >= 2
    assert section.count("(Source: ") + section.count("(Safebase&#x27;s summary") == claims
    helps = page.split('id="helps-h"')[1].split("</section>")[0]
    assert helps.count("<li>") == helps.count("(Source: ") + helps.count("(Safebase&#x27;s summary")
    relationships.unlink(alice)
    assert "<svg" not in as_alice.get("/together/pair/").content.decode()


def test_twelve_signs_work_alone_about_oneself_and_stay_private(as_alice, alice, as_charlie):
    page = as_alice.get("/together/signs/").content.decode()
    assert "Reflection, not a measure" in page and page.count('name="signs"') == 12
    assert "simplypsychology.org" in page
    saved = as_alice.post(
        "/together/signs/", {"about": "self", "signs": ["1", "12"], "note": "thimbleberry"}
    )
    assert saved.status_code == 302
    r = SignsReflection.objects.get()
    assert (r.owner, r.about, r.checked) == (alice, "self", [1, 12])
    assert as_alice.post("/together/signs/", {"about": "self", "signs": ["13"]}).status_code == 400
    # about a partner needs one
    assert 'href="/together/"' in as_alice.get("/together/signs/?about=partner").content.decode()
    assert as_alice.get("/together/signs/?about=nonsense").status_code == 200
    assert (
        "thimbleberry" not in as_charlie.get("/together/signs/").content.decode().split("<main")[1]
    )


@pytest.fixture()
def together(linked, alice, bob):
    services.answer_ritual(owner=alice, kind="daily", answers={"feel": "alicefeel", "need": "n"})
    services.answer_ritual(owner=bob, kind="daily", answers={"feel": "bobfeel", "need": "n"})
    saved, _ = services.start_repair(
        owner=alice,
        about="aliceabout",
        ruptured_at=None,
        steps={"own_part": "alicepart", "acknowledge": "a", "path_forward": "b"},
    )
    services.respond_to_repair(
        owner=bob,
        repair_id=saved.obj.pk,
        steps={"own_part": "bobpart", "acknowledge": "a", "path_forward": "b"},
    )
    services.reflect_on_signs(owner=alice, about="partner", checked=[2], note="alicenote")
    return saved.obj


def test_the_export_holds_ones_own_words_only(together, as_alice):
    data = json.loads(as_alice.get("/export.json").content)
    assert [r["feel"] for r in data["couple_rituals"]] == ["alicefeel"]
    assert [(r["about"], r["own_part"], r["started_by_me"]) for r in data["couple_repairs"]] == [
        ("aliceabout", "alicepart", True)
    ]
    assert [(r["about"], r["signs_ticked"], r["note"]) for r in data["couple_signs"]] == [
        ("partner", "2", "alicenote")
    ]
    blob = json.dumps(data)
    assert "bobfeel" not in blob and "bobpart" not in blob
    rows = as_alice.get("/export.csv").content.decode()
    assert "couple_repairs" in rows and "alicepart" in rows and "bobpart" not in rows


def test_delete_all_removes_ones_own_parts_and_keeps_the_partners(together, alice, bob):
    repair = together
    client = Client()
    client.force_login(alice)
    assert client.post("/delete/", {"confirm": "DELETE"}).status_code == 200
    assert not RitualAnswer.objects.filter(owner_id=alice.pk).exists()
    assert not RepairPart.objects.filter(owner_id=alice.pk).exists()
    assert not SignsReflection.objects.filter(owner_id=alice.pk).exists()
    # bob's own words stay, in the joint records that are now his alone
    assert RitualAnswer.objects.get(owner=bob).answers["feel"] == "bobfeel"
    repair.refresh_from_db()
    assert (repair.owner_id, repair.partner_id) == (None, bob.pk)
    as_bob = Client()
    as_bob.force_login(bob)
    page = as_bob.get(f"/together/repair/{repair.pk}/").content.decode()
    assert "bobpart" in page and "alicepart" not in page and "aliceabout" not in page
    data = json.loads(as_bob.get("/export.json").content)
    assert [r["own_part"] for r in data["couple_repairs"]] == ["bobpart"]
    # when the last person in a joint record goes, the record goes too
    as_bob.post("/delete/", {"confirm": "DELETE"})
    assert not Repair.objects.exists() and not Ritual.objects.exists()
