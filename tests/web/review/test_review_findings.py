"""Defects found by the last review of the day's change, each with the test that now guards it."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from safebase.web import access
from safebase.web.assessments.models import Assessment
from safebase.web.relationships import services as relationships
from safebase.web.relationships.models import PartnerLink, Share

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_share_row_grants_nothing_once_the_link_is_gone(linked, alice_result):
    """The partner rule itself checks the link (not only unlink deleting the rows)."""
    alice, bob = linked
    relationships.share(alice, alice_result)
    assert access.get_or_404(bob, Assessment, alice_result.pk) == alice_result
    PartnerLink.objects.all().delete()  # the link ends, the share row stays
    assert Share.objects.filter(audience=bob).exists()
    with pytest.raises(Http404):
        access.get_or_404(bob, Assessment, alice_result.pk)
    assert _client(bob).get(f"/together/shared/result/{alice_result.pk}/").status_code == 404


def test_a_co_caregiver_cannot_bring_a_new_partner_to_the_child(linked, charlie):
    from safebase.web.family import services as family

    alice, bob = linked
    child = family.add_child(alice, "Mia", 2021)
    family.add_co_caregiver(alice, child)
    relationships.unlink(alice)
    relationships.accept(charlie, relationships.invite(bob).code)
    response = _client(bob).post(f"/family/child/{child.pk}/co-caregiver/")
    assert response.status_code in (302, 400)
    assert sorted(u.username for u in child.caregivers.all()) == ["alice", "bob"]
    assert _client(charlie).get(f"/family/child/{child.pk}/").status_code == 404


def test_the_pair_plane_ignores_a_result_shared_only_with_a_therapist(linked, alice_result):
    from safebase.web.clinic import roles
    from safebase.web.clinic import services as clinic
    from safebase.web.couple.pair import my_shared_result

    alice, _ = linked
    tess = roles.add_therapist("tess@example.org")[0]
    record = clinic.accept_invitation(alice, clinic.invite_client(tess).token)
    clinic.share_with_therapist(alice, record, alice_result)
    assert my_shared_result(alice) is None
    relationships.share(alice, alice_result)
    assert my_shared_result(alice) == alice_result


def test_messages_naming_a_child_stay_on_the_server(alice):
    c = _client(alice)
    response = c.post("/family/", {"name": "Zephyrine", "birth_year": "2020"})
    assert response.status_code == 302  # saved, with a message naming her on the next page
    assert "messages" not in c.cookies  # Django's cookie storage would put it there, readable
    assert "Zephyrine" in c.get(response["Location"]).content.decode()


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
@pytest.mark.parametrize("day", ["0001-01-01", "0001-01-02", "9999-12-31"])
def test_far_dates_are_refused_not_500(settings, zone, day, alice, linked):
    from safebase.web.clinic import roles
    from safebase.web.clinic import services as clinic

    settings.TIME_ZONE = zone
    timezone.deactivate()
    tess = roles.add_therapist("tess@example.org")[0]
    record = clinic.accept_invitation(alice, clinic.invite_client(tess).token)
    t = _client(tess)
    assert t.get(f"/clinic/clients/{record.pk}/", {"since": day}).status_code < 500
    t.post(f"/clinic/clients/{record.pk}/session/", {"session_date": day})
    t.post(
        f"/clinic/clients/{record.pk}/assign/",
        {"instrument_id": "ecr-s", "every_weeks": "2", "first_due": day},
    )
    assert t.get(f"/clinic/clients/{record.pk}/").status_code == 200
    assert t.get("/clinic/").status_code == 200
    # The client can still finish that questionnaire.
    from safebase.web.assessments import services as assessments
    from tests.web.conftest import ECR_S_ANSWERS

    assessments.record_assessment(owner=alice, instrument_id="ecr-s", answers=ECR_S_ANSWERS)
    steps = {"own_part": "I snapped", "acknowledge": "you felt hurt", "path_forward": "pause"}
    response = _client(alice).post(
        "/together/repair/", {"about": "the argument", "ruptured_at": f"{day}T00:00", **steps}
    )
    assert response.status_code < 500


def test_one_account_as_partner_and_therapist_keeps_the_two_shares_apart(alice):
    from safebase.web.clinic import roles
    from safebase.web.clinic import services as clinic
    from safebase.web.practice import services as practice

    sam = roles.add_therapist("sam@example.org")[0]  # alice's therapist, and her partner
    relationships.accept(sam, relationships.invite(alice).code)
    record = clinic.accept_invitation(alice, clinic.invite_client(sam).token)
    for_therapy = practice.add_journal_entry(owner=alice, body="for therapy").obj
    for_partner = practice.add_journal_entry(owner=alice, body="for my partner").obj
    clinic.share_with_therapist(alice, record, for_therapy)
    relationships.share(alice, for_partner)
    s = _client(sam)
    assert s.get(f"/together/shared/journal/{for_therapy.pk}/").status_code == 404
    assert s.get(f"/together/shared/journal/{for_partner.pk}/").status_code == 200
    assert s.get(f"/clinic/item/journal/{for_therapy.pk}/").status_code == 200
    assert s.get(f"/clinic/item/journal/{for_partner.pk}/").status_code == 404
    assert list(clinic.consented_items(sam, record, "journal")) == [for_therapy]
    together = s.get("/together/").content.decode()
    assert (
        f"/journal/{for_partner.pk}/" in together and f"/journal/{for_therapy.pk}/" not in together
    )
    # Ending one relationship leaves the other's share.
    clinic.revoke(alice, record)
    assert s.get(f"/together/shared/journal/{for_partner.pk}/").status_code == 200
    assert Share.objects.filter(purpose="partner").count() == 1
    assert Share.objects.filter(purpose="therapist").count() == 0
