"""The web app's "Download a backup": the passphrase typed twice, a sealed file that opens with it
(and only with it), never cached; in multi-account mode it is the operator's job."""

from __future__ import annotations

import io

import pytest

from safebase.web.mydata.backup import BackupError
from safebase.web.mydata.sealed import open_sealed, read_entries

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long backup passphrase"


@pytest.mark.django_db(transaction=True)  # the snapshot reads through its own connection
def test_download_a_backup_that_opens_with_its_passphrase(as_alice, alice_result):
    page = as_alice.get("/backup/")
    assert page.status_code == 200 and b"Download the backup" in page.content
    response = as_alice.post("/backup/", {"passphrase": PASSPHRASE, "again": PASSPHRASE})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="safebase-')
    assert "no-store" in response["Cache-Control"]
    body = response.content
    _, blocks = open_sealed(io.BytesIO(body), PASSPHRASE, name="backup")
    names = []
    for name, pieces in read_entries(blocks, name="backup"):
        names.append(name)
        for _ in pieces:
            pass
    assert names, "the backup holds no entries"
    with pytest.raises(BackupError, match="wrong passphrase"):
        open_sealed(io.BytesIO(body), "another passphrase", name="backup")


def test_passphrases_must_match_and_be_long_enough(as_alice):
    differ = as_alice.post("/backup/", {"passphrase": PASSPHRASE, "again": PASSPHRASE + "x"})
    assert differ.status_code == 400 and b"The two passphrases differ." in differ.content
    short = as_alice.post("/backup/", {"passphrase": "short", "again": "short"})
    assert short.status_code == 400 and b"at least 8 characters" in short.content


def test_multi_account_mode_points_to_the_operator_and_the_export(as_alice, settings):
    settings.MULTI_USER = True
    page = as_alice.get("/backup/")
    assert b"safebase backup" in page.content and b"/export.json" in page.content
    response = as_alice.post("/backup/", {"passphrase": PASSPHRASE, "again": PASSPHRASE})
    assert not response.has_header("Content-Disposition")
