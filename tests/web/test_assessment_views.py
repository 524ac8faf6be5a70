"""Taking a questionnaire through the views: pages, autosave, resume, result, history, export,
delete-all."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model

from safebase.core.instrument import get_instrument
from safebase.web.accounts.models import FailedLogin, SignInToken
from safebase.web.assessments.models import Assessment
from safebase.web.assessments.paging import PAGE_SIZE, pages_for

pytestmark = pytest.mark.django_db


def _start(client, instrument_id: str) -> int:
    response = client.post(f"/assessments/start/{instrument_id}/")
    assert response.status_code == 302
    return int(re.search(r"/assessments/(\d+)/page/1/", response.url).group(1))


def _complete(client, pk: int, instrument_id: str, value_for) -> None:
    pages = pages_for(get_instrument(instrument_id))
    for n, page in enumerate(pages, start=1):
        data = {f"item_{it.key}": str(value_for(it)) for it in page}
        data["action"] = "next"
        assert client.post(f"/assessments/{pk}/page/{n}/", data).status_code == 302


def test_pages_group_items_and_show_every_label(as_alice):
    pk = _start(as_alice, "ecr-r")
    body = as_alice.get(f"/assessments/{pk}/page/1/").content.decode()
    assert body.count('<fieldset class="item">') == PAGE_SIZE
    assert body.count("Strongly disagree") == PAGE_SIZE
    assert body.count("Strongly agree") == PAGE_SIZE
    assert "0 of 36" in body
    assert as_alice.get(f"/assessments/{pk}/page/7/").status_code == 404


def test_full_ecr_r_gives_hand_computed_result(as_alice, alice):
    pk = _start(as_alice, "ecr-r")
    # Every item answered 6: anxiety (16·6 + 2·2)/18 = 5.56; avoidance (6·6 + 12·2)/18 = 3.33.
    _complete(as_alice, pk, "ecr-r", lambda item: 6)
    a = Assessment.objects.get(pk=pk)
    assert a.status == Assessment.Status.COMPLETE
    assert a.scores["anxiety"] == pytest.approx(100 / 18)
    assert a.scores["avoidance"] == pytest.approx(60 / 18)
    assert a.style == "anxious-preoccupied"
    page = as_alice.get(f"/assessments/{pk}/").content.decode()
    assert "Pattern: Anxious-preoccupied" in page
    assert "5.56" in page and "3.33" in page
    assert 'role="img"' in page and "<svg" in page
    assert "not a diagnosis" in page
    assert "Fraley, R. C., Waller, N. G., &amp; Brennan" in page
    assert "No percentile and no band: safebase has no reference sample for ECR-R" in page


def test_autosave_and_resume_where_it_stopped(as_alice):
    pk = _start(as_alice, "ecr-r")
    first_page = {f"item_{n}": "3" for n in range(1, 7)}
    first_page["action"] = "next"
    as_alice.post(f"/assessments/{pk}/page/1/", first_page)
    response = as_alice.post(f"/assessments/{pk}/autosave/", {"item_7": "2", "item_8": "4"})
    assert response.status_code == 200
    assert "8 of 36" in response.content.decode()
    # Closing the tab and coming back: start again resumes the same record on page 2.
    response = as_alice.post("/assessments/start/ecr-r/")
    assert response.url == f"/assessments/{pk}/page/2/"
    body = as_alice.get(response.url).content.decode()
    assert re.search(r'name="item_7" value="2"\s+checked', body)
    assert Assessment.objects.filter(status="in_progress").count() == 1


def test_bad_values_are_refused_with_the_item_named(as_alice):
    pk = _start(as_alice, "ecr-r")
    response = as_alice.post(f"/assessments/{pk}/page/1/", {"item_1": "9", "action": "next"})
    assert response.status_code == 400
    assert "Item 1: choose one of the answers shown." in response.content.decode()
    response = as_alice.post(f"/assessments/{pk}/autosave/", {"item_2": "x"})
    assert response.status_code == 400


def test_ecr_rs_shows_each_relationship(as_alice):
    pk = _start(as_alice, "ecr-rs")
    values = {"mother": 7, "father": 4, "partner": 1, "friend": 7}

    def value(item):
        return values[item.target.id]

    _complete(as_alice, pk, "ecr-rs", value)
    page = as_alice.get(f"/assessments/{pk}/").content.decode()
    # Mother all 7: avoidance items 1–4 reversed → (4·1 + 2·7)/6 = 3.00; anxiety 7.00.
    # Partner all 1: avoidance (4·7 + 2·1)/6 = 5.00; anxiety 1.00.
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([\d.]+)</td>', page))
    assert rows["Mother or mother-like figure"] == "7.00"
    assert rows["Dating or marital partner"] == "1.00"
    assert "Each relationship, side by side" in page
    assert "Dating or marital partner</th>\n        <td>1.00</td>\n        <td>5.00</td>" in page


def test_history_trend_and_change(as_alice):
    for v in (6, 2):
        pk = _start(as_alice, "ecr-r")
        _complete(as_alice, pk, "ecr-r", lambda item, v=v: v)
    page = as_alice.get("/history/").content.decode()
    assert page.count('role="img"') == 2  # over time, and the path across the plane
    # Anxiety 6 everywhere → 100/18 = 5.56; 2 everywhere → (16·2 + 2·6)/18 = 2.44: change −3.11.
    assert "-3.11" in page
    assert "not available — missing: the SD and a reliability (no reference sample for" in page
    ids = list(Assessment.objects.order_by("pk").values_list("pk", flat=True))
    cmp = as_alice.get(f"/history/?a={ids[0]}&b={ids[1]}").content.decode()
    assert 'id="comparison"' in cmp


LABEL = (
    "people who took the ECR online at openpsychometrics.org, self-selected, "
    "not a representative norm"
)


def _ecr5(anxious: int):
    """ECR (5-point) answers: every anxiety item at ``anxious`` once keyed, avoidance 3."""

    def value(item):
        if item.number % 2:
            return 3
        return 6 - anxious if item.number == 22 else anxious

    return value


def test_ecr_5pt_result_shows_percentile_band_and_the_samples_label(as_alice):
    pk = _start(as_alice, "ecr-5pt")
    _complete(as_alice, pk, "ecr-5pt", _ecr5(4))
    page = as_alice.get(f"/assessments/{pk}/").content.decode()
    from safebase.core.norms import get_reference_sample

    sample = get_reference_sample("ecr-5pt-openpsychometrics-2018")
    pct = sample.scale("anxiety").percentile_rank(4.0)
    assert f"<td>{pct:.0f}</td>" in page
    assert "not available" not in page.split("Your scores")[1].split("</table>")[0]
    assert LABEL in page.replace("&#x27;", "'")
    assert f"N = {sample.scale('anxiety').n:,}" in page
    assert "Cronbach" in page  # the band's reliability says what it is


def test_history_shows_a_reliable_change_verdict_for_a_large_change(as_alice):
    for anxious in (5, 1):
        pk = _start(as_alice, "ecr-5pt")
        _complete(as_alice, pk, "ecr-5pt", _ecr5(anxious))
    page = as_alice.get("/history/").content.decode()
    assert "-4.00" in page
    assert "reliable improvement — unlikely to be measurement error alone (p &lt; .05)" in page
    assert "no reliable change — a change this size could be measurement error alone" in page
    assert "beyond measurement error" not in page


def test_export_contains_everything_entered(as_alice, alice_result):
    data = json.loads(as_alice.get("/export.json").content)
    assert data["assessments"][0]["answers"] == {str(n): 5 for n in range(1, 13)}
    csv_text = as_alice.get("/export.csv").content.decode()
    assert csv_text.count(",answer:") == 12
    assert ",score:anxiety," in csv_text
    assert csv_text.startswith("kind,record_id,date,field,value")


def test_delete_everything_needs_confirmation_then_removes_all(as_alice, alice, alice_result):
    from safebase.web.accounts.services import issue_sign_in_token

    issue_sign_in_token(user=alice)
    FailedLogin.objects.create(username="alice", ip="127.0.0.1")
    assert as_alice.post("/delete/", {"confirm": "nope"}).status_code == 400
    assert Assessment.objects.filter(owner=alice).exists()
    response = as_alice.post("/delete/", {"confirm": "DELETE"})
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="alice").exists()
    assert Assessment.objects.count() == 0
    assert SignInToken.objects.count() == 0
    assert FailedLogin.objects.count() == 0
    assert as_alice.get("/history/").status_code == 302  # logged out


def test_reflection_is_labelled(as_alice):
    pk = _start(as_alice, "secure-signs")
    assert (
        "Reflection, not a validated measure."
        in as_alice.get(f"/assessments/{pk}/page/1/").content.decode()
    )


def test_rq_result_carries_the_labs_caveat(as_alice):
    pk = _start(as_alice, "rq")
    _complete(as_alice, pk, "rq", lambda item: 3 if item.number == 5 else 4)
    page = as_alice.get(f"/assessments/{pk}/").content.decode()
    assert "advise against classifying individuals" in page
    # The forced choice in words, never as a number, on the page, in history and in the CSV.
    assert "<strong>C — preoccupied</strong>" in page and "3.00" not in page
    assert "choice C — preoccupied" in as_alice.get("/history/").content.decode()
    assert ",choice,C — preoccupied" in as_alice.get("/export.csv").content.decode()


def test_overlapping_autosaves_keep_every_answer(alice):
    """Two saves that both read the questionnaire before either writes (two tabs, two server
    processes) must not drop each other's answer."""
    from safebase.web.assessments import services

    started = services.start_assessment(owner=alice, instrument_id="ecr-r")
    first_copy = Assessment.objects.get(pk=started.pk)
    second_copy = Assessment.objects.get(pk=started.pk)
    services.save_answers(assessment=first_copy, answers={"1": 6})
    services.save_answers(assessment=second_copy, answers={"2": 3})
    assert Assessment.objects.get(pk=started.pk).answers == {"1": 6, "2": 3}


def test_a_late_save_cannot_change_a_completed_result(alice):
    from safebase.core.errors import SafebaseError
    from safebase.web.assessments import services

    answers = {k: 4 for k in get_instrument("ecr-s").item_keys}
    started = services.start_assessment(owner=alice, instrument_id="ecr-s")
    stale = Assessment.objects.get(pk=started.pk)
    services.save_answers(assessment=started, answers=answers)
    services.complete_assessment(assessment=started)
    with pytest.raises(SafebaseError, match="already complete"):
        services.save_answers(assessment=stale, answers={"1": 1})
    assert Assessment.objects.get(pk=started.pk).answers == answers


def test_finishing_keeps_an_autosave_that_landed_just_before(alice):
    """The finish request's copy of the answers can be older than the database's."""
    from safebase.web.assessments import services

    keys = get_instrument("ecr-s").item_keys
    started = services.start_assessment(owner=alice, instrument_id="ecr-s")
    services.save_answers(assessment=started, answers={k: 4 for k in keys[:-1]})
    finishing = Assessment.objects.get(pk=started.pk)  # read before the last autosave
    services.save_answers(assessment=Assessment.objects.get(pk=started.pk), answers={keys[-1]: 7})
    services.complete_assessment(assessment=finishing)
    stored = Assessment.objects.get(pk=started.pk)
    assert stored.status == "complete" and stored.answers[keys[-1]] == 7
    assert finishing.answers[keys[-1]] == 7


def test_an_id_beyond_the_key_range_is_not_found(as_alice):
    assert as_alice.get("/assessments/9223372036854775808/").status_code == 404
    assert as_alice.get("/assessments/9223372036854775807/").status_code == 404


def test_derived_short_form_is_taken_on_five_points_and_shows_its_validation(as_alice):
    """safebase's own short form: labelled as not published, 1-5 options as its calibration
    sample answered them, and its test-split table on the result page and the home card."""
    inst = get_instrument("safebase-ecr12")
    home = as_alice.get("/assessments/").content.decode()
    assert "safebase&#x27;s own derived short form, not a published measure" in home
    assert "How this short form was derived and checked" in home
    pk = _start(as_alice, inst.id)
    body = as_alice.get(f"/assessments/{pk}/page/1/").content.decode()
    assert "safebase&#x27;s own derived short form, not a published measure." in body
    assert "Reflection" not in body
    assert body.count("Neither agree nor disagree") == PAGE_SIZE
    assert 'value="6"' not in body
    # Every item 4: anxiety (no reversed item) 4.00; avoidance 3 x 4 + 2 x (6 - 4) = 16/5 = 3.20.
    _complete(as_alice, pk, inst.id, lambda item: 4)
    a = Assessment.objects.get(pk=pk)
    assert a.scores["anxiety"] == pytest.approx(4.0)
    assert a.scores["avoidance"] == pytest.approx(3.2)
    page = as_alice.get(f"/assessments/{pk}/").content.decode()
    assert "How this short form was derived and checked" in page
    d = inst.spec.derivation
    for row in d.validation:
        assert f"{row.r_full:.3f}" in page
        assert ", ".join(str(n) for n in row.source_items) in page
    assert f"Held-out test split: {d.test_n} people (split seed {d.split_seed}" in page
    assert "not a representative sample" in page


def test_finishing_with_too_few_answers_says_what_is_missing_first(as_alice):
    pk = _start(as_alice, "ecr-s")
    as_alice.post(f"/assessments/{pk}/autosave/", {"item_1": "3", "item_2": "4"})
    last = as_alice.post(f"/assessments/{pk}/page/2/", {"action": "finish"})
    page = last.content.decode()
    assert last.status_code == 200 and 'id="unscored"' in page
    # ECR-S: 6 items a scale, 80% → 5 needed; item 1 is avoidance, item 2 anxiety.
    assert "Attachment anxiety: 4 more answers needed (5 of 6)" in page
    assert "Attachment avoidance: 4 more answers needed (5 of 6)" in page
    assert Assessment.objects.get(pk=pk).status == Assessment.Status.IN_PROGRESS
    done = as_alice.post(f"/assessments/{pk}/page/2/", {"action": "finish", "finish_anyway": "yes"})
    assert done.status_code == 302 and done.url == f"/assessments/{pk}/"
    assert Assessment.objects.get(pk=pk).status == Assessment.Status.COMPLETE


def test_a_result_keeps_the_scores_and_instrument_version_it_was_given(as_alice, alice_result):
    """Result page, history and comparisons all show the scores stored at completion, with the
    fingerprint of the instrument file they were computed with."""
    inst = alice_result.instrument
    assert alice_result.instrument_version == inst.version and len(inst.version) == 12
    Assessment.objects.filter(pk=alice_result.pk).update(
        scores={**alice_result.scores, "anxiety": 6.25}
    )
    alice_result.refresh_from_db()
    assert alice_result.scored().value("anxiety") == 6.25
    assert "6.25" in as_alice.get(f"/assessments/{alice_result.pk}/").content.decode()
    assert "anxiety 6.25" in as_alice.get("/history/").content.decode()


def test_stored_charts_are_drawn_again_when_the_chart_style_changes(
    as_alice, alice_result, monkeypatch
):
    from safebase.web import charts

    as_alice.get(f"/assessments/{alice_result.pk}/")
    alice_result.refresh_from_db()
    assert set(alice_result.charts) == {f"profile@{charts.STYLE_VERSION}"}
    monkeypatch.setattr(charts, "STYLE_VERSION", "next-style")
    as_alice.get(f"/assessments/{alice_result.pk}/")
    alice_result.refresh_from_db()
    assert set(alice_result.charts) == {"profile@next-style"}  # the old drawing is dropped
