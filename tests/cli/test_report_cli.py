"""``safebase report``: the local owner's PDF, its period, and one-line errors with exit code 2."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.cli.helpers import run
from tests.reports.pdftext import flat, pdf_text, score_rows

# ECR-S (Wei et al., 2007), all answers 3: anxiety items 2, 4, 6, 10, 12 at 3 and 8 reversed
# (8 - 3 = 5) -> 20/6 = 3.33; avoidance 3, 7, 11 at 3 and 1, 5, 9 reversed (5) -> 24/6 = 4.00.
ALL_THREES = {str(n): 3 for n in range(1, 13)}
# All answers 6: anxiety 5 x 6 + (8 - 6) = 32/6 = 5.33; avoidance 3 x 6 + 3 x 2 = 24/6 = 4.00.
ALL_SIXES = {str(n): 6 for n in range(1, 13)}


def _results():
    from safebase.web.assessments import services
    from safebase.web.assessments.models import Assessment

    owner = services.local_owner()
    for answers, day in ((ALL_THREES, 10), (ALL_SIXES, 20)):
        a = services.record_assessment(owner=owner, instrument_id="ecr-s", answers=answers)
        when = datetime(2026, 1, day, 12, tzinfo=UTC)
        Assessment.objects.filter(pk=a.pk).update(completed_at=when)


@pytest.mark.django_db(transaction=True)
def test_report_writes_the_period_asked(tmp_path, capsys):
    _results()
    out = tmp_path / "mine.pdf"
    assert run(["report", "--from", "2026-01-15", "--to", "2026-01-31", "--out", str(out)]) == 0
    assert f"Report written to {out} (1 result," in capsys.readouterr().out
    body = out.read_bytes()
    assert [(r[2], r[3]) for r in score_rows(body)] == [
        ("Attachment anxiety", "5.33"),
        ("Attachment avoidance", "4.00"),
    ]
    text = flat(pdf_text(body))
    assert "Practice in this period" in text  # --practice is the default
    assert "3.33" not in text


@pytest.mark.django_db(transaction=True)
def test_report_defaults_to_all_time(tmp_path, monkeypatch, capsys):
    _results()
    monkeypatch.chdir(tmp_path)
    assert run(["report", "--no-practice"]) == 0
    written = list(tmp_path.glob("safebase-report-*.pdf"))
    assert len(written) == 1
    body = written[0].read_bytes()
    assert [r[3] for r in score_rows(body)] == ["3.33", "4.00", "5.33", "4.00"]
    assert "Practice in this period" not in pdf_text(body)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "2026-02-30"],
            "error: --from: '2026-02-30' is not a date; write it as YYYY-MM-DD",
        ),
        (["--to", "yesterday"], "error: --to: 'yesterday' is not a date; write it as YYYY-MM-DD"),
        (
            ["--from", "2026-03-01", "--to", "2026-02-01"],
            "error: --from 2026-03-01 is after --to 2026-02-01",
        ),
    ],
)
def test_bad_dates_exit_2_with_one_line(tmp_path, capsys, argv, message):
    assert run(["report", *argv, "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == message
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.django_db(transaction=True)
def test_an_unwritable_path_exits_2_with_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert run(["report", "--out", str(blocker / "r.pdf")]) == 2
    assert capsys.readouterr().err.strip() == f"error: --out: the folder {blocker} does not exist"
    assert run(["report", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == f"error: --out: {tmp_path} is a folder; name a file"


@pytest.mark.django_db(transaction=True)
def test_a_write_that_fails_exits_2_with_one_line(tmp_path, capsys, monkeypatch):
    from pathlib import Path

    def refuse(self, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    assert run(["report", "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"error: --out: cannot write {tmp_path / 'r.pdf'} (Permission denied)"
