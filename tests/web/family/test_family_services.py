"""Family services: the checks a CLI will rely on, co-caregiving, safety, export and delete-all."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from safebase.web.accounts.services import delete_person
from safebase.web.family import services
from safebase.web.family.models import (
    AttunedMoment,
    Child,
    FiveConditionsCheck,
    RuptureRepair,
    SignsObservation,
)
from safebase.web.mydata.export import export_payload, tidy_rows

pytestmark = pytest.mark.django_db

FIVE = ("safe", "seen", "soothed", "valued", "explore")


def ratings(*values: int) -> dict[str, int]:
    return dict(zip(FIVE, values, strict=True))


@pytest.fixture()
def child(alice):
    return services.add_child(alice, "  Robin ", 2021)


@pytest.fixture()
def shared_child(linked, child):
    alice, _bob = linked
    services.add_co_caregiver(alice, child)
    return child


# --- input checks: one clear line, a ValueError --------------------------------------------


@pytest.mark.parametrize(
    ("name", "born", "message"),
    [
        ("", 2020, "name: give a first name or a nickname"),
        ("   ", 2020, "name: give a first name or a nickname"),
        ("x" * 41, 2020, "name: at most 40 characters (a first name or nickname)"),
        ("Ro\nbin", 2020, None),  # whitespace inside is folded to one space: accepted
        ("Ro\x00bin", 2020, "name: letters, spaces and punctuation only"),
        ("Robin", 1899, "birth year: 1899 is outside 1900..{year}"),
        ("Robin", "{next}", "birth year: {next} is outside 1900..{year}"),
        ("Robin", "2020", "birth year: '2020' is not a whole number"),
        ("Robin", True, "birth year: True is not a whole number"),
    ],
)
def test_add_child_refuses_bad_input_with_one_line(alice, name, born, message):
    year = timezone.localdate().year
    if born == "{next}":
        born = year + 1
    if message is None:
        assert services.add_child(alice, name, born).name == "Ro bin"
        return
    with pytest.raises(ValueError) as info:
        services.add_child(alice, name, born)
    expected = message.format(year=year, next=year + 1)
    assert str(info.value) == expected
    assert "\n" not in str(info.value)
    assert Child.objects.count() == 0


def test_add_child_keeps_only_name_and_year_with_the_name_encrypted(alice, child):
    assert (child.name, child.birth_year, list(child.caregivers.all())) == ("Robin", 2021, [alice])
    assert services.add_child(alice, "x" * 40, 1900).birth_year == 1900
    assert services.add_child(alice, "Now", timezone.localdate().year)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT name FROM family_child WHERE id = %s", [child.pk])
        stored = cur.fetchone()[0]
    assert "Robin" not in stored


def test_five_conditions_replaces_within_a_week_and_refuses_bad_ratings(alice, child):
    monday = date(2026, 11, 23)
    services.record_five_conditions(alice, child, ratings(1, 2, 3, 4, 5), day=monday)
    services.record_five_conditions(
        alice, child, ratings(5, 5, 5, 5, 5), "better", day=monday + timedelta(days=6)
    )
    services.record_five_conditions(alice, child, ratings(2, 2, 2, 2, 2), day=monday + timedelta(7))
    checks = services.five_conditions_checks(alice, child)
    assert [(c.week, c.safe, c.note) for c in checks] == [
        (monday, 5, "better"),
        (monday + timedelta(7), 2, ""),
    ]
    for bad, message in [
        (ratings(0, 1, 1, 1, 1), "safe: 0 is outside 1-5"),
        (ratings(1, 1, 1, 1, 6), "explore: 6 is outside 1-5"),
        ({**ratings(1, 1, 1, 1, 1), "fun": 3}, "ratings: unknown condition(s) fun"),
        ({"safe": 3}, "ratings: missing seen, soothed, valued, explore"),
        (ratings(1, 1, "3", 1, 1), "soothed: '3' is not a whole number"),
        ("safe=3", "ratings: give one rating per condition"),
    ]:
        with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
            services.record_five_conditions(alice, child, bad)


def test_only_a_caregiver_can_record_for_a_child(alice, charlie, child):
    with pytest.raises(ValueError, match="not one of the children you care for"):
        services.record_five_conditions(charlie, child, ratings(3, 3, 3, 3, 3))
    with pytest.raises(ValueError, match="not one of the children you care for"):
        services.log_repair(charlie, child, what_happened="x", reconnect="y", minutes_to_repair=1)
    assert FiveConditionsCheck.objects.count() == RuptureRepair.objects.count() == 0


def test_trend_compares_the_latest_week_with_the_mean_of_up_to_four_before(alice, child):
    start = date(2026, 9, 7)
    safe_values = [1, 2, 3, 4, 5, 2]  # the latest (2) against mean(2, 3, 4, 5) = 3.5
    for i, v in enumerate(safe_values):
        services.record_five_conditions(
            alice, child, ratings(v, 3, 3, 3, 3 if i < 5 else 5), day=start + timedelta(weeks=i)
        )
    checks = services.five_conditions_checks(alice, child)
    by_id = {t.condition.id: t for t in services.trend(checks)}
    assert by_id["safe"].latest == 2
    assert by_id["safe"].earlier_mean == pytest.approx(sum([2, 3, 4, 5]) / 4)
    assert by_id["safe"].word == "lower than your recent weeks"
    assert by_id["seen"].word == "about the same as your recent weeks"
    assert by_id["explore"].word == "higher than your recent weeks"
    assert services.trend([])[0].word == "no check yet"


def test_repair_log_checks_its_numbers_and_dates(alice, child):
    with pytest.raises(ValueError, match=r"^minutes to repair: 20161 is outside 0-20160$"):
        services.log_repair(alice, child, what_happened="x", reconnect="y", minutes_to_repair=20161)
    with pytest.raises(ValueError, match="is in the future"):
        services.log_repair(
            alice,
            child,
            what_happened="x",
            reconnect="y",
            minutes_to_repair=5,
            happened_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ValueError, match="before the child's birth year"):
        services.log_repair(
            alice, child, what_happened="x", reconnect="y", minutes_to_repair=5,
            happened_on=date(2020, 12, 31),
        )  # fmt: skip
    with pytest.raises(ValueError, match=r"^what happened: please write a few words$"):
        services.log_repair(alice, child, what_happened=" ", reconnect="y", minutes_to_repair=5)
    for day, minutes in [(date(2026, 10, 2), 10), (date(2026, 10, 9), 50), (date(2026, 11, 1), 7)]:
        services.log_repair(
            alice, child, what_happened="w", reconnect="r", minutes_to_repair=minutes,
            happened_on=day,
        )  # fmt: skip
    months = services.monthly_repairs(alice, child)
    assert [(m.month, m.count, m.median_minutes) for m in months] == [
        (date(2026, 11, 1), 1, 7.0),
        (date(2026, 10, 1), 2, 30.0),  # (10 + 50) / 2
    ]


def test_signs_must_come_from_the_bands_list(alice, child):
    saved = services.record_signs(alice, child, "toddler", ["toddler-comfort", "toddler-explore"])
    assert saved.obj.noticed == ["toddler-explore", "toddler-comfort"]  # checklist order
    with pytest.raises(ValueError, match="not in the toddler list: infant-comfort"):
        services.record_signs(alice, child, "toddler", ["infant-comfort"])
    with pytest.raises(ValueError, match="age band: 'teen' is not one of the bands"):
        services.record_signs(alice, child, "teen", [])


def test_find_child_by_name_for_the_cli(alice, charlie, child):
    assert services.find_child(alice, "robin") == child
    with pytest.raises(ValueError, match="no child called 'Robin'"):
        services.find_child(charlie, "Robin")


# --- safety -----------------------------------------------------------------------------------


def test_a_child_at_risk_text_gets_the_child_protection_kind(alice, child):
    saved = services.log_repair(
        alice,
        child,
        what_happened="I shook the baby because he wouldn't stop crying",
        reconnect="I held him",
        minutes_to_repair=30,
    )
    assert saved.show_resources and saved.screen.kind == "child_at_risk"
    ordinary = services.log_repair(
        alice,
        child,
        what_happened="I snapped at her over the shoes and she cried",
        reconnect="I said sorry and we hugged",
        minutes_to_repair=10,
    )
    assert not ordinary.show_resources
    moment = services.record_attuned_moment(alice, child, read="I want to die, I can't cope")
    assert moment.show_resources and moment.screen.kind == "suicide"


# --- co-caregivers ----------------------------------------------------------------------------


def test_a_linked_partner_becomes_co_caregiver_and_sees_the_child_not_the_observations(
    linked, shared_child
):
    alice, bob = linked
    assert services.children_of(bob) == [shared_child]
    services.record_five_conditions(alice, shared_child, ratings(4, 4, 4, 4, 4), "alice's note")
    assert services.five_conditions_checks(bob, shared_child) == []
    services.record_five_conditions(bob, shared_child, ratings(2, 2, 2, 2, 2))
    assert [c.safe for c in services.five_conditions_checks(alice, shared_child)] == [4]
    assert [c.safe for c in services.five_conditions_checks(bob, shared_child)] == [2]


def test_no_co_caregiver_without_a_partner_link(alice, child):
    with pytest.raises(ValueError, match="link with your partner first"):
        services.add_co_caregiver(alice, child)


def test_unlinking_keeps_the_co_caregiver_link(linked, shared_child):
    """Decision: caring for a child is a child-level link; unlinking the couple ends sharing
    of items, not co-parenting. Only the child's name and year stay visible to both."""
    from safebase.web.relationships import services as relationships

    alice, bob = linked
    services.record_five_conditions(alice, shared_child, ratings(4, 4, 4, 4, 4))
    relationships.unlink(alice)
    assert services.children_of(bob) == [shared_child]
    assert services.five_conditions_checks(bob, shared_child) == []
    with pytest.raises(ValueError, match="link with your partner first"):
        services.add_co_caregiver(alice, services.add_child(alice, "Sky", 2024))


def test_stepping_away_removes_only_my_part(linked, shared_child):
    alice, bob = linked
    services.record_five_conditions(alice, shared_child, ratings(4, 4, 4, 4, 4))
    services.record_five_conditions(bob, shared_child, ratings(2, 2, 2, 2, 2))
    assert services.step_away(alice, shared_child) is False
    assert services.children_of(alice) == []
    assert FiveConditionsCheck.objects.filter(owner=alice).count() == 0
    assert FiveConditionsCheck.objects.filter(owner=bob).count() == 1
    assert services.step_away(bob, shared_child) is True
    assert Child.objects.count() == 0


# --- export and delete-all --------------------------------------------------------------------


def _fill(user, child, word: str) -> None:
    services.record_five_conditions(user, child, ratings(3, 4, 5, 4, 3), note=f"note {word}")
    services.record_signs(user, child, "toddler", ["toddler-comfort"], note=f"sign {word}")
    services.record_attuned_moment(user, child, read=f"read {word}", next_time="slower")
    services.log_repair(
        user, child, what_happened=f"rupture {word}", reconnect="hug", minutes_to_repair=12
    )


def test_export_has_the_children_and_all_my_observations_and_none_of_the_partners(
    linked, shared_child
):
    alice, bob = linked
    _fill(alice, shared_child, "alicesword")
    _fill(bob, shared_child, "bobsword")
    payload = export_payload(alice, "2026-11-29T00:00:00")
    assert payload["children"] == [
        {
            "id": shared_child.pk,
            "created_at": shared_child.created_at.isoformat(),
            "name": "Robin",
            "birth_year": 2021,
            "added_by_me": True,
            "co_caregivers": ["bob"],
        }
    ]
    assert [x["note"] for x in payload["five_conditions"]] == ["note alicesword"]
    assert (payload["five_conditions"][0]["safe"], payload["five_conditions"][0]["soothed"]) == (
        3,
        5,
    )
    assert [x["note"] for x in payload["signs"]] == ["sign alicesword"]
    assert payload["signs"][0]["noticed"] == "toddler-comfort"
    assert [x["read"] for x in payload["attuned_moments"]] == ["read alicesword"]
    assert [(x["what_happened"], x["minutes_to_repair"]) for x in payload["repairs"]] == [
        ("rupture alicesword", 12)
    ]
    assert "bobsword" not in str(payload)
    rows = tidy_rows(alice)
    kinds = {r[0] for r in rows}
    assert {"children", "five_conditions", "signs", "attuned_moments", "repairs"} <= kinds
    when = shared_child.created_at.isoformat()
    assert ("children", shared_child.pk, when, "co_caregivers", "bob") in rows
    assert "bobsword" not in str(rows)


def test_delete_all_keeps_a_co_cared_child_for_the_partner_and_removes_the_rest(
    linked, shared_child
):
    alice, bob = linked
    only_alices = services.add_child(alice, "Sky", 2024)
    _fill(alice, shared_child, "a")
    _fill(alice, only_alices, "a2")
    _fill(bob, shared_child, "b")
    delete_person(user=alice)
    assert list(Child.objects.all()) == [shared_child]
    shared_child.refresh_from_db()
    assert list(shared_child.caregivers.all()) == [bob]
    assert shared_child.created_by is None
    for model in (FiveConditionsCheck, SignsObservation, AttunedMoment, RuptureRepair):
        assert list(model.objects.values_list("owner", flat=True)) == [bob.pk], model
