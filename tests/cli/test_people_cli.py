"""Multi-account CLI: who a command acts for, accounts, partner links and sharing.

Every bad input ends with exit 2 and one line on stderr; nothing is changed by a refused command.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from safebase.web.practice.models import JournalEntry
from safebase.web.relationships import services as relationships
from safebase.web.relationships.models import PartnerLink, Share
from tests.cli.helpers import keys, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture()
def household(settings):
    settings.MULTI_USER = True
    users = get_user_model()
    return (
        users.objects.create_user("ana", password="ana-long-passphrase"),
        users.objects.create_user("ben", password="ben-long-passphrase"),
    )


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


def test_multi_account_commands_need_a_known_user(household, capsys, monkeypatch):
    monkeypatch.delenv("SAFEBASE_USER", raising=False)
    assert run(["journal", "hello"]) == 2
    assert "--user NAME or SAFEBASE_USER" in one_error_line(capsys)
    assert run(["journal", "hello", "--user", "nobody"]) == 2
    assert "no account named 'nobody'" in one_error_line(capsys)
    assert not JournalEntry.objects.exists()
    assert run(["--user", "ana", "journal", "hello from ana"]) == 0
    monkeypatch.setenv("SAFEBASE_USER", "ben")
    assert run(["journal", "hello from ben"]) == 0
    owners = sorted(JournalEntry.objects.values_list("owner__username", flat=True))
    assert owners == ["ana", "ben"]


def test_user_option_is_refused_in_single_person_mode(db, capsys):
    assert run(["journal", "x", "--user", "ana"]) == 2
    assert "multi-account mode" in one_error_line(capsys)


def test_user_add_asks_for_a_password_twice_and_checks_it(household, capsys, monkeypatch):
    keys(monkeypatch, "correct-horse-battery", "correct-horse-battery")
    assert run(["user", "add", "cleo"]) == 0
    cleo = get_user_model().objects.get(username="cleo")
    assert cleo.check_password("correct-horse-battery")
    capsys.readouterr()
    assert run(["user", "add", "cleo"]) == 2
    assert "already exists" in one_error_line(capsys)
    keys(monkeypatch, "123", "123")
    assert run(["user", "add", "dan"]) == 2
    assert one_error_line(capsys).startswith("error: password:")
    assert run(["user", "add", "bad name!"]) == 2
    assert "user name" in one_error_line(capsys)
    assert not get_user_model().objects.filter(username__in=["dan", "bad name!"]).exists()


def test_partner_invite_accept_share_unshare_unlink(household, capsys, monkeypatch):
    ana, ben = household
    assert run(["--user", "ana", "partner", "invite"]) == 0
    code = re.search(r"Invitation code: (\S+)", capsys.readouterr().out).group(1)
    assert run(["partner", "accept", code, "--user", "ben"]) == 0
    assert relationships.partner_of(ana) == ben
    assert run(["partner", "accept", code, "--user", "ben"]) == 2
    one_error_line(capsys)
    entry = JournalEntry.objects.create(owner=ana, body="for ben")
    assert run(["--user", "ana", "share", "journal", str(entry.pk)]) == 0
    assert Share.objects.filter(object_id=entry.pk, audience=ben).exists()
    capsys.readouterr()
    assert run(["--user", "ben", "partner", "status"]) == 0
    assert "Journal entry: 1" in capsys.readouterr().out
    # ben cannot share or unshare what is ana's.
    assert run(["--user", "ben", "unshare", "journal", str(entry.pk)]) == 2
    assert "you have no journal" in one_error_line(capsys)
    assert run(["--user", "ana", "unshare", "journal", str(entry.pk)]) == 0
    assert not Share.objects.exists()
    assert run(["--user", "ben", "partner", "unlink", "--yes"]) == 0
    assert not PartnerLink.objects.exists()


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["share", "photo", "1"], "kind 'photo' is not one of"),
        (["share", "journal", "٣"], "is not a whole number"),
        (["share", "journal", "9" * 5000], "is not a whole number"),
        (["share", "journal", "999999"], "you have no journal with id 999999"),
        (["share", "journal", "0"], "you have no journal with id 0"),
        (["partner", "accept", "NOPE"], "not valid"),
        (["partner", "unlink", "--yes"], "not linked"),
    ],
)
def test_bad_input_exits_2_with_one_line(household, capsys, argv, fragment):
    assert run(["--user", "ana", *argv]) == 2
    assert fragment in one_error_line(capsys)


def test_sharing_text_that_may_be_about_risk_asks_first(household, capsys, monkeypatch):
    ana, ben = household
    relationships.accept(ben, relationships.invite(ana).code)
    entry = JournalEntry.objects.create(owner=ana, body="i want to kill myself")
    keys(monkeypatch, "n")
    assert run(["--user", "ana", "share", "journal", str(entry.pk)]) == 0
    assert not Share.objects.exists()
    keys(monkeypatch, "y")
    assert run(["--user", "ana", "share", "journal", str(entry.pk)]) == 0
    assert Share.objects.filter(object_id=entry.pk).exists()


def test_a_repair_from_the_command_line(household, capsys, monkeypatch):
    from safebase.web.couple.models import Repair, RepairPart

    ana, ben = household
    steps = ["--own-part", "I raised my voice", "--acknowledge", "I can see it scared you"]
    assert run(["--user", "ana", "repair", "start", "last night", *steps]) == 2
    assert "link with your partner first" in one_error_line(capsys)
    relationships.accept(ben, relationships.invite(ana).code)
    keys(monkeypatch, "Next time I will pause and breathe")  # the step not given as an option
    assert run(["--user", "ana", "repair", "start", "last night", *steps]) == 0
    repair = Repair.objects.get()
    assert f"Repair {repair.pk} started" in capsys.readouterr().out
    keys(
        monkeypatch,
        "I walked away without a word",
        "You never listen to me",  # the coach comments; it is saved as written
        "I will tell you when I need a break",
    )
    assert run(["--user", "ben", "repair", "respond", str(repair.pk)]) == 0
    out = capsys.readouterr().out
    assert "They own: I raised my voice" in out and "coach:" in out
    assert RepairPart.objects.filter(joint=repair).count() == 2
    assert run(["--user", "ana", "repair", "done", str(repair.pk)]) == 0
    assert "waits for your partner" in capsys.readouterr().out
    assert run(["--user", "ben", "repair", "done", str(repair.pk)]) == 0
    assert "is repaired" in capsys.readouterr().out
    repair.refresh_from_db()
    assert repair.repaired_at is not None
    assert run(["--user", "ben", "repair", "list"]) == 0
    assert f"{repair.pk} " in capsys.readouterr().out
    # Bad ids: one line, exit 2; a stranger sees no repair of theirs.
    get_user_model().objects.create_user("cy", password="cy-long-passphrase")
    for who, rid in (("ben", "x"), ("ben", "999999"), ("cy", str(repair.pk))):
        assert run(["--user", who, "repair", "done", rid]) == 2
        one_error_line(capsys)


def test_a_child_and_the_five_conditions_check_in(household, capsys, monkeypatch):
    from safebase.web.family.models import Child, FiveConditionsCheck

    ana, _ = household
    assert run(["--user", "ana", "child", "add", "Mia", "--born", "2021"]) == 0
    assert "Added Mia (born 2021)" in capsys.readouterr().out
    mia = Child.objects.get()
    assert list(mia.caregivers.all()) == [ana]
    for argv, fragment in (
        (["child", "add", "Leo", "--born", "twenty"], "is not a year"),
        (["child", "add", "Leo", "--born", "1850"], "1850"),
        (["child", "add", "", "--born", "2020"], "name"),
        (["child", "checkin", "Nobody"], "no child called 'Nobody'"),
    ):
        assert run(["--user", "ana", *argv]) == 2, argv
        assert fragment in one_error_line(capsys), argv
    assert Child.objects.count() == 1
    keys(monkeypatch, "5", "9", "4", "3", "4", "2")  # 9 is refused and asked again
    assert run(["--user", "ana", "child", "checkin", "mia", "--note", "a calm week"]) == 0
    out = capsys.readouterr().out
    assert "Type a whole number from 1 to 5" in out and "first check" in out
    check = FiveConditionsCheck.objects.get()
    from safebase.core import caregiving

    ids = caregiving.condition_ids()
    assert [getattr(check, cid) for cid in ids] == [5, 4, 3, 4, 2]
    assert check.note == "a calm week"
    # ben is no caregiver of Mia: he cannot check in for her.
    assert run(["--user", "ben", "child", "checkin", "Mia"]) == 2
    assert "no child called 'Mia'" in one_error_line(capsys)
