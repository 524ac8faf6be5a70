"""Every metric of the safety screen and the I-statement coach, in one place.

    .venv/bin/python scripts/text_metrics.py                 # development sets, per kind
    .venv/bin/python scripts/text_metrics.py --stored        # leave-one-author-out as stored
    .venv/bin/python scripts/text_metrics.py --heldout       # held-out sets only (logged)
    .venv/bin/python scripts/text_metrics.py --heldout --only coach_heldout_blind_k.csv
    .venv/bin/python scripts/text_metrics.py --list FILE     # also list misses and false alarms

Development sets (tests/data): the phrase sets the rules and classifier were built with, the blind
safety sets A, B, T1, T2, U, W, X and Z1-Z26 (thirty-three independent authors, never shown the
rules or the model; the shipped classifier trains on all but Z24, Z25 (sixteenth session) and
Z26 (nineteenth), on Z21, Z22 and Z23 since the fourteenth session; see
tests/data/safety_sets.md) and the
coach's blind sets E, G, H, J, L, M, O, P, Q, R, S, CA, CB, CC, CL, CN, CO, CQ, CR and CS
(twenty more independent authors; the coach's model trains on all but the four sarcasm sets CO,
CQ, CR and CS; who wrote each coach set, and the first looks before anything was changed for
them, are in tests/data/coach_sets.md).
U's first figures, before anything was changed for it, are in the commit that added it (git log --
tests/data/safety_dev_blind_u.csv). The coach's own leave-one-author-out table (its learned model
trained without the author, the threshold chosen on the others; rules alone, model alone and both)
is printed from its model file, written by ``scripts/train_coach_model.py``. The honest estimate
for a new author is the leave-one-author-out table: for each author, a classifier trained without
them, its threshold chosen on the other authors' entries, read on theirs (the procedure is
``CrossAuthor`` in ``scripts/train_safety_model.py``), printed with its mean and its worst author.
Retraining every fold takes about an hour; ``--stored`` prints the same table as written into
the model file when it was trained (``make test`` runs ``check_safety_model.py``, which proves
that file was trained from the current data, rules and code). What each part has been tuned
on is printed with it (``TUNED_ON``): numbers on a set something was tuned on are optimistic.

Held-out sets (``HELDOUT``: safety C and D, V, Y, Y2 to Y16; coach F, I, K, N, CH, CI, CJ, CM,
CP, CT, CU, CV, CW, CX, DB and DC) are held by the project lead; they are read only with
``--heldout``, and every time they are, a line is appended to ``tests/data/heldout_looks.md``
(date, what was looked at and, since the thirteenth session, its headline figures), so the number
of looks each set has had is on record; each look prints its number and the figures the
previous logged look had.

Safety: recall = risk entries flagged / risk entries; false alarms = safe entries flagged / safe
entries, per kind of entry. Coach: recall = problem sentences flagged / problem sentences; false
alarms = fair sentences flagged / fair sentences; good I-statements acknowledged = fair
sentences marked ``good_i_statement`` for which the coach says it is an I-statement; rewrites
checked = every rewrite is one grammatical frame with no bracketed guesses inside a sentence.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from train_safety_model import FALSE_ALARM_LIMITS  # noqa: E402

from safebase.core.practice.istatement import check_statement, rewrite_is_well_formed  # noqa: E402
from safebase.core.practice.safety import screen_text  # noqa: E402

DATA = ROOT / "tests" / "data"
# Issue 8's targets for the safety screen on an author it has not learned from: the recall, and
# the false-alarm limits the training script chooses its threshold by (one definition).
SAFETY_TARGETS = {"recall": 0.95, **FALSE_ALARM_LIMITS}
# Issue 8's targets for the coach on a blind set: recall and false alarms (good I-statements
# acknowledged and well-formed rewrites have no number in the issue; they are printed per set).
COACH_TARGETS = {"recall": 0.85, "false_alarms": 0.05}
SAFETY_DEV = {
    "A (blind, trained on)": "safety_dev_blind_a.csv",
    "B (blind, trained on)": "safety_dev_blind_b.csv",
    "T1 (blind, trained on)": "safety_dev_blind_t1.csv",
    "T2 (blind, trained on)": "safety_dev_blind_t2.csv",
    "U (blind, trained on)": "safety_dev_blind_u.csv",
    "W (blind, trained on)": "safety_dev_blind_w.csv",
    "X (blind, trained on)": "safety_dev_blind_x.csv",
    "Z1 (blind, trained on)": "safety_dev_blind_z1.csv",
    "Z2 (blind, trained on)": "safety_dev_blind_z2.csv",
    "Z3 (blind, trained on)": "safety_dev_blind_z3.csv",
    "Z4 (blind, trained on)": "safety_dev_blind_z4.csv",
    "Z5 (blind, trained on)": "safety_dev_blind_z5.csv",
    "Z6 (blind, trained on)": "safety_dev_blind_z6.csv",
    "Z7 (blind, trained on)": "safety_dev_blind_z7.csv",
    "Z8 (blind, trained on)": "safety_dev_blind_z8.csv",
    "Z9 (blind, trained on)": "safety_dev_blind_z9.csv",
    "Z10 (blind, trained on)": "safety_dev_blind_z10.csv",
    "Z11 (blind, trained on)": "safety_dev_blind_z11.csv",
    "Z12 (blind, trained on)": "safety_dev_blind_z12.csv",
    "Z13 (blind, trained on)": "safety_dev_blind_z13.csv",
    "Z14 (blind, trained on)": "safety_dev_blind_z14.csv",
    "Z15 (blind, trained on)": "safety_dev_blind_z15.csv",
    "Z16 (blind, trained on)": "safety_dev_blind_z16.csv",
    "Z17 (blind, trained on)": "safety_dev_blind_z17.csv",
    "Z18 (blind, trained on)": "safety_dev_blind_z18.csv",
    "Z19 (blind, trained on)": "safety_dev_blind_z19.csv",
    "Z20 (blind, trained on)": "safety_dev_blind_z20.csv",
    "Z21 (blind, trained on)": "safety_dev_blind_z21.csv",
    "Z22 (blind, trained on)": "safety_dev_blind_z22.csv",
    "Z23 (blind, trained on)": "safety_dev_blind_z23.csv",
    "Z24 (blind, errors read, not trained on)": "safety_dev_blind_z24.csv",
    "Z25 (blind, errors read, not trained on)": "safety_dev_blind_z25.csv",
    "Z26 (blind, not read, not trained on)": "safety_dev_blind_z26.csv",
    "Z27 (blind, homelessness; not read, not trained on)": "safety_dev_blind_z27.csv",
    "Z28 (blind, family-arranged marriages; not read, not trained on)": "safety_dev_blind_z28.csv",
    "phrases (built with)": "safety_phrases.csv",
    "heldout-2026-11 (looked at, now dev)": "safety_heldout.csv",
}
COACH_DEV = {
    "E (blind)": "coach_dev_blind_e.csv",
    "G (blind)": "coach_dev_blind_g.csv",
    "H (blind)": "coach_dev_blind_h.csv",
    "J (blind)": "coach_dev_blind_j.csv",
    "L (blind)": "coach_dev_blind_l.csv",
    "M (blind)": "coach_dev_blind_m.csv",
    "O (blind)": "coach_dev_blind_o.csv",
    "P (blind)": "coach_dev_blind_p.csv",
    "Q (blind)": "coach_dev_blind_q.csv",
    "R (blind)": "coach_dev_blind_r.csv",
    "S (blind)": "coach_dev_blind_s.csv",
    "CA (blind)": "coach_dev_blind_ca.csv",
    "CB (blind)": "coach_dev_blind_cb.csv",
    "CC (blind)": "coach_dev_blind_cc.csv",
    "CL (blind)": "coach_dev_blind_cl.csv",
    "CN (blind, sincere lines that sound sharp)": "coach_dev_blind_cn.csv",
    "CO (blind, sarcasm; read for rules, not trained on)": "coach_dev_blind_co.csv",
    "CQ (blind, sarcasm; not read, not trained on)": "coach_dev_blind_cq.csv",
    "CR (blind, sarcasm; not read, not trained on)": "coach_dev_blind_cr.csv",
    "CS (blind, sarcasm; not read, not trained on)": "coach_dev_blind_cs.csv",
    "CY (blind, carer couples; not read, not trained on)": "coach_dev_blind_cy.csv",
    "CZ (blind, family households and businesses; not read, not trained on)": (
        "coach_dev_blind_cz.csv"
    ),
    "DA (blind, weddings and first homes; not read, not trained on)": "coach_dev_blind_da.csv",
    "corpus (built with)": "istatement_corpus.csv",
    "heldout-2026-11 (looked at, now dev)": "istatement_heldout.csv",
    "written (by the rules' author)": "coach_train_written.csv",
}
# What each part of the coach has been tuned on (see tests/data/coach_sets.md for who wrote
# each set and the first look at G and H, before anything was changed for them).
COACH_TUNED_ON = {
    "rules": "the corpus, heldout-2026-11, blind E, G, J, L (its missed sarcasm only), O and P "
    "(their false alarms only) and the written set (rows read for rule writing); H, M, Q, R, S "
    "and CA: never read for rule writing, so their rules-alone figures are the clean ones "
    "(H's and M's missed sarcasm lines, 4 and 10, were printed once by mistake in the fifth "
    "session, after the rules were written; no rule came of them); CB and CC (seventh session): "
    "never read either. Ninth session: the sarcasm the coach missed in M, O, Q, S, CB and CC "
    "(49 lines) was read and sarcasm shapes written from it, and every development set's other "
    "missed problems (204 lines: mind reading, defensiveness, stonewalling, threats, orders, "
    "labels, blame), so no development author's rules figures are clean any more. Tenth "
    "session: CL's misses and false alarms and CN's false alarms read. Eleventh session: CO's "
    "misses and false alarms read after its first look (tests/data/coach_sets.md). Fifteenth "
    "session: the good I-statements every development set's coach did not acknowledge (74 "
    "lines) were read and shapes of owning a feeling written from them, so acknowledgement on "
    "the development sets is no longer a clean figure",
    "model": "trained on every set above but CO (scripts/train_coach_model.py; with CO the "
    "threshold rose and recall fell on the others, tests/data/coach_sets.md); the table below "
    "leaves each author out of training and out of the threshold's choice",
    "threshold": "leave-one-author-out scores of every development author the model trains "
    "on (E to CN, the corpus and heldout-2026-11): false alarms averaged over authors within 3%",
}
# What each part of the safety screen has been tuned on (read row by row while writing or
# choosing it). Sets not named for a part were seen by it only as aggregate metrics.
TUNED_ON = {
    "rules": "the phrase sets; blind A and B (rows read for rule writing); T1 (its "
    "leave-one-author-out misses and false alarms read by kind in screen4) and T2 (its false "
    "alarms read in screen4); W (its rows read after its first look, fifth session); X (only "
    "its past_or_recovered false alarms read, fifth session); Z1 and Z2 (their missed "
    "ideation, plans and coercive control read, fifth session); Z9 and Z10 (only their "
    "past_or_recovered false alarms read, 16 rows, sixth session). Z3-Z8 and Z11-Z14: "
    "aggregates only. U: aggregate metrics, the ids of rules firing on its safe entries and the "
    "n-grams that most raised the classifier on its flagged attachment worries (summed), never "
    "its rows, so its, Z3-Z8's and Z11-Z14's rules-alone figures are the cleanest estimate. "
    "Ninth session: in every author's past_or_recovered entries (Z15 and Z16 not), the "
    "sentences on which a rule fired were read (89 entries), and in every author's "
    "idiom_or_lookalike entries (Z15 and Z16 included, 3 sentences of theirs) the same, so "
    "rules-alone figures for those two safe kinds are no longer clean for anyone. "
    "Twelfth session: Z19's and Z20's misses and false alarms read after their first looks "
    "(four new look-alike masks and a widened one came of them), so their rules-alone "
    "figures are not clean. Thirteenth session: Z21's, Z22's and Z23's misses and false "
    "alarms read after their first looks (rule fixes for 'shed', 'odd', 'hiding from my "
    "friends', 'lock them in' and 'pushing me away', and five masks came of them), so their "
    "rules-alone figures are not clean. Fourteenth session: the 'better now' gate was written "
    "from 22 rule-flagged past_or_recovered entries sampled across authors and the 4 risk "
    "entries its first draft let through, and checked on every non-held-out set; also read "
    "(nothing changed from them): the 6 risk entries a dropped carry-forward of the past "
    "missed, and the 53 safe entries flagged by suicide.want_die, suicide.word or "
    "suicide.end_life",
    "classifier": "trained on every development set (thirty blind authors; "
    "the contrastive pairs only in the ninth session); the table below leaves each author out "
    "of training; its embedding head's weight "
    "was chosen leaving each of thirteen authors out (sixth session), and its hidden layer (size "
    "and regularisation) leaving each of the twenty-one out, un-nested (seventh session), so the "
    "table is a little optimistic about that choice",
    "threshold": "leave-one-author-out scores of the thirty blind authors it trains on "
    "(never an author's own model): false alarms averaged over authors within the limits",
}
SAFETY_HELDOUT = DATA / "safety_heldout_blind.csv"
COACH_HELDOUT = DATA / "coach_heldout_blind.csv"
# Two more authors, written for the fourth session and given to nobody who changed the screen or
# the coach: safety V (a social worker's plain, understated entries) and coach I (formal,
# indirect and second-language phrasing). Briefs: same kinds as the development sets.
SAFETY_HELDOUT_V = DATA / "safety_heldout_blind_v.csv"
COACH_HELDOUT_I = DATA / "coach_heldout_blind_i.csv"
# Two more, written in the fifth session, likewise given to nobody who changed either: safety Y
# (a family therapist's parents, older and second-language writers, subtle risk) and coach K (a
# youth counsellor's texting style, sarcasm and contempt without "you").
SAFETY_HELDOUT_Y = DATA / "safety_heldout_blind_y.csv"
COACH_HELDOUT_K = DATA / "coach_heldout_blind_k.csv"
COACH_HELDOUT_N = DATA / "coach_heldout_blind_n.csv"  # a novelist's dialogue (fifth session)
# Two more, written in the sixth session: safety Y2 (a family doctor's patient messages: health,
# medication, carers, money; risk buried in updates) and coach CH (a social worker's blended and
# step-families: messages by proxy, loyalty tests, custody schedules).
SAFETY_HELDOUT_Y2 = DATA / "safety_heldout_blind_y2.csv"
COACH_HELDOUT_CH = DATA / "coach_heldout_blind_ch.csv"
# Two more, written in the seventh session: safety Y3 (a journaling app's user researcher: the
# everyday mix of ages, cultures and writing skill, risk anywhere in a long entry) and coach CI (a
# dating coach's new relationships and situationships: ghosting, mixed signals, "k." replies).
SAFETY_HELDOUT_Y3 = DATA / "safety_heldout_blind_y3.csv"
COACH_HELDOUT_CI = DATA / "coach_heldout_blind_ci.csv"
# Three more, written in the eighth session: safety Y4 (an employee-assistance counsellor's
# workers: burnout, debt, jargon, risk at the end of a work rant) and Y5 (a breakup-recovery
# app's raw entries: intense heartache, exes, custody), and coach CJ (a couples therapist for
# affairs and broken trust: phone checking, apologies real and not).
SAFETY_HELDOUT_Y4 = DATA / "safety_heldout_blind_y4.csv"
SAFETY_HELDOUT_Y5 = DATA / "safety_heldout_blind_y5.csv"
COACH_HELDOUT_CJ = DATA / "coach_heldout_blind_cj.csv"
# Written in the tenth session: safety Y6 (a pastoral-care worker's faith communities: religious
# language of death, sin and sacrifice, family-pressured marriages, risk in religious phrasing), Y7
# (a youth worker's 16-to-24-year-olds in and leaving care: slang, drill, exploitation, bravado)
# and coach CM (a counsellor for couples aged 60 to 85: formal wording, dry humour, fridge notes).
SAFETY_HELDOUT_Y6 = DATA / "safety_heldout_blind_y6.csv"
SAFETY_HELDOUT_Y7 = DATA / "safety_heldout_blind_y7.csv"
COACH_HELDOUT_CM = DATA / "coach_heldout_blind_cm.csv"
# Written in the eleventh session (personas in tests/data/author_briefs/eleventh_session.md):
# safety Y8 (a perinatal mental-health nurse: pregnancy and the first two years of parenthood,
# intrusive frightening thoughts, birth trauma), Y9 (a rural outreach worker: farmers, truckers,
# ex-military and men over 40, terse and understated, guns kept for work, gallows humour) and
# coach CP (a therapist for neurodivergent couples: blunt literal fair lines, info-dumps, agreed
# break scripts, and the mocking and controlling things an exhausted partner says).
SAFETY_HELDOUT_Y8 = DATA / "safety_heldout_blind_y8.csv"
SAFETY_HELDOUT_Y9 = DATA / "safety_heldout_blind_y9.csv"
COACH_HELDOUT_CP = DATA / "coach_heldout_blind_cp.csv"
# Written in the thirteenth session (personas in tests/data/author_briefs/thirteenth_session.md):
# safety Y10 (a support coach's autistic and ADHD adults: literal, blunt or info-dump entries, risk
# stated flatly in the middle of an unrelated detail) and Y11 (a community mental-health worker's
# clients writing English as a second or third language: translated idioms, visas, in-laws, risk
# said politely or through faith and family).
SAFETY_HELDOUT_Y10 = DATA / "safety_heldout_blind_y10.csv"
SAFETY_HELDOUT_Y11 = DATA / "safety_heldout_blind_y11.csv"
# And coach CT (a mediator for couples who work together: office jargon as a weapon and as
# sincere teamwork) and CU (a counsellor for military and emergency-service families: terse
# messages, gallows humour, homecomings), on the coach's usual brief.
COACH_HELDOUT_CT = DATA / "coach_heldout_blind_ct.csv"
COACH_HELDOUT_CU = DATA / "coach_heldout_blind_cu.csv"
# Written in the fifteenth session (personas in tests/data/author_briefs/fifteenth_session.md):
# coach CV (a counsellor for couples in recovery from alcohol, drugs or gambling: trust after lies,
# the sober partner who keeps score, accountable amends) and CW (a therapist for polyamorous, open
# and queer relationships: calendars, metamours, camp sarcasm, agreements stated calmly); safety
# Y12 (a fertility and pregnancy-loss counsellor: grief, medical words, risk told quietly inside
# the grief) and Y13 (a sports psychologist: gym and fight slang, weight cuts, risk hidden in the
# same vocabulary).
COACH_HELDOUT_CV = DATA / "coach_heldout_blind_cv.csv"
COACH_HELDOUT_CW = DATA / "coach_heldout_blind_cw.csv"
COACH_HELDOUT_CX = DATA / "coach_heldout_blind_cx.csv"
SAFETY_HELDOUT_Y12 = DATA / "safety_heldout_blind_y12.csv"
SAFETY_HELDOUT_Y13 = DATA / "safety_heldout_blind_y13.csv"
SAFETY_HELDOUT_Y14 = DATA / "safety_heldout_blind_y14.csv"
# Written in the nineteenth session (persona in tests/data/author_briefs/nineteenth_session.md):
# safety Y15 (an occupational-health counsellor's hospitality, retail and gig-economy workers:
# kitchen banter and swearing, shift notes, risk told flatly between them).
SAFETY_HELDOUT_Y15 = DATA / "safety_heldout_blind_y15.csv"
# And coach DB (a counsellor for couples across two cultures: second-language messages, literal
# translations, formal politeness hiding anger), on the coach's usual brief.
COACH_HELDOUT_DB = DATA / "coach_heldout_blind_db.csv"
# Written in the twentieth session (personas in tests/data/author_briefs/twentieth_session.md):
# safety Y16 (a midlife support-group facilitator's members aged 45 to 65: menopause, empty nests,
# late divorce, caring for parents; risk slipped in among wry jokes), and coach DC (a family
# counsellor's parents of teenagers: messages between the parents, and between a parent and the
# teen, curfews, screens, driving, exams), on the coach's usual brief.
COACH_HELDOUT_DC = DATA / "coach_heldout_blind_dc.csv"
SAFETY_HELDOUT_Y16 = DATA / "safety_heldout_blind_y16.csv"
HELDOUT = (
    ("safety", SAFETY_HELDOUT),
    ("safety", SAFETY_HELDOUT_V),
    ("safety", SAFETY_HELDOUT_Y),
    ("safety", SAFETY_HELDOUT_Y2),
    ("safety", SAFETY_HELDOUT_Y3),
    ("safety", SAFETY_HELDOUT_Y4),
    ("safety", SAFETY_HELDOUT_Y5),
    ("safety", SAFETY_HELDOUT_Y6),
    ("safety", SAFETY_HELDOUT_Y7),
    ("safety", SAFETY_HELDOUT_Y8),
    ("safety", SAFETY_HELDOUT_Y9),
    ("safety", SAFETY_HELDOUT_Y10),
    ("safety", SAFETY_HELDOUT_Y11),
    ("safety", SAFETY_HELDOUT_Y12),
    ("safety", SAFETY_HELDOUT_Y13),
    ("safety", SAFETY_HELDOUT_Y14),
    ("safety", SAFETY_HELDOUT_Y15),
    ("safety", SAFETY_HELDOUT_Y16),
    ("coach", COACH_HELDOUT),
    ("coach", COACH_HELDOUT_I),
    ("coach", COACH_HELDOUT_K),
    ("coach", COACH_HELDOUT_N),
    ("coach", COACH_HELDOUT_CH),
    ("coach", COACH_HELDOUT_CI),
    ("coach", COACH_HELDOUT_CJ),
    ("coach", COACH_HELDOUT_CM),
    ("coach", COACH_HELDOUT_CP),
    ("coach", COACH_HELDOUT_CT),
    ("coach", COACH_HELDOUT_CU),
    ("coach", COACH_HELDOUT_CV),
    ("coach", COACH_HELDOUT_CW),
    ("coach", COACH_HELDOUT_CX),
    ("coach", COACH_HELDOUT_DB),
    ("coach", COACH_HELDOUT_DC),
)
LOOK_LOG = DATA / "heldout_looks.md"


def read_safety(path: Path) -> list[tuple[str, bool, str]]:
    """(text, is risk, kind) from either file format (risk/safe + kind, or 1/0 + category)."""
    with path.open(encoding="utf-8", newline="") as f:
        out = []
        for r in csv.DictReader(f):
            label = r["label"].strip()
            risk = label in ("risk", "1")
            kind = (r.get("kind") or r.get("category") or "").split("|")[0].strip()
            out.append((r["text"], risk, kind or ("risk" if risk else "safe")))
        return out


def read_coach(path: Path) -> list[tuple[str, bool, str]]:
    """(text, is a problem, kind) from either format (problem/fair + kind, or flag/ok + kinds)."""
    with path.open(encoding="utf-8", newline="") as f:
        out = []
        for r in csv.DictReader(f):
            label = r["label"].strip()
            problem = label in ("problem", "flag")
            kind = (r.get("kind") or r.get("kinds") or "").split(";")[0].strip()
            out.append((r["text"], problem, kind or ("problem" if problem else "fair")))
        return out


def safety_table(rows, flag=None) -> tuple[dict, list[str]]:
    """Counts per kind and overall; ``flag`` (text -> bool) defaults to the shipped screen."""
    flag = flag or (lambda t: screen_text(t).risk)
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    lines, wrong = [], []
    totals = {"risk": [0, 0], "safe": [0, 0], "attachment_worry": [0, 0]}
    for text, risk, kind in rows:
        got = flag(text)
        per[(risk, kind)][0] += got
        per[(risk, kind)][1] += 1
        totals["risk" if risk else "safe"][0] += got
        totals["risk" if risk else "safe"][1] += 1
        if kind == "attachment_worry" and not risk:
            totals["attachment_worry"][0] += got
            totals["attachment_worry"][1] += 1
        if got != risk:
            wrong.append(f"  [{'miss' if risk else 'false alarm'}: {kind}] {text}")
    r, s, a = totals["risk"], totals["safe"], totals["attachment_worry"]
    lines.append(
        f"  recall {_pct(r)}   false alarms {_pct(s)} of safe"
        + (f", {_pct(a)} of attachment worries" if a[1] else "")
    )
    for (risk, kind), (hit, n) in sorted(per.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
        what = "found" if risk else "flagged"
        lines.append(f"    {'risk' if risk else 'safe'} {kind:<26} {what} {_pct((hit, n))}")
    return {"recall": _frac(r), "false_alarms": _frac(s), "attachment": _frac(a)}, [
        *lines,
        *wrong,
    ]


def coach_table(rows) -> tuple[dict, list[str]]:
    per: dict[tuple[bool, str], list[int]] = defaultdict(lambda: [0, 0])
    prob, fair, good, rewrites = [0, 0], [0, 0], [0, 0], [0, 0]
    wrong = []
    for text, problem, kind in rows:
        result = check_statement(text)
        got = bool(result.flags)
        per[(problem, kind)][0] += got
        per[(problem, kind)][1] += 1
        (prob if problem else fair)[0] += got
        (prob if problem else fair)[1] += 1
        if kind == "good_i_statement":
            good[0] += result.is_i_statement
            good[1] += 1
            if not result.is_i_statement:
                wrong.append(f"  [good I-statement not acknowledged] {text}")
        if result.rewrite is not None:
            ok = rewrite_is_well_formed(result.rewrite)
            rewrites[0] += ok
            rewrites[1] += 1
            if not ok:
                wrong.append(f"  [rewrite not well formed] {text} -> {result.rewrite}")
        if got != problem:
            wrong.append(f"  [{'miss' if problem else 'false alarm'}: {kind}] {text}")
    lines = [f"  recall {_pct(prob)}   false alarms {_pct(fair)} of fair"]
    if good[1]:
        lines.append(f"  good I-statements acknowledged {_pct(good)}")
    lines.append(f"  rewrites well formed {_pct(rewrites)}")
    for (problem, kind), (hit, n) in sorted(per.items(), key=lambda kv: (not kv[0][0], kv[0][1])):
        what = "flagged"
        lines.append(f"    {'problem' if problem else 'fair'} {kind:<28} {what} {_pct((hit, n))}")
    return {
        "recall": _frac(prob),
        "false_alarms": _frac(fair),
        "good": _frac(good),
        "rewrites": _frac(rewrites),
    }, [*lines, *wrong]


def cross_author_table(stored: bool = False) -> dict[str, dict]:
    """The leave-one-author-out table: retrained now, or as stored in the shipped model file."""
    if stored:
        from safebase.core.practice.safety_model import MODEL_PATH

        return json.loads(MODEL_PATH.read_text(encoding="utf-8"))["cross_author"]
    from train_safety_model import CrossAuthor

    return CrossAuthor().table()


def coach_cross_author_lines() -> list[str]:
    """The coach's leave-one-author-out table, as written into its model file by
    scripts/train_coach_model.py (``make test`` runs its --check: the file is current)."""
    from safebase.core.practice.coach_model import MODEL_PATH

    table = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["cross_author"]
    lines = [
        "  left out         threshold   rules alone       model alone       together",
        "                               recall  f.alarms  recall  f.alarms  recall  f.alarms",
    ]
    for author, row in table.items():
        cells = "".join(
            f"  {100 * row[p]['recall']:5.1f}%  {100 * row[p]['false_alarms']:5.1f}% "
            for p in ("rules", "model", "together")
        )
        lines.append(f"  {author:<16} {row['threshold']:9.2f}{cells}".rstrip())
    n = len(table)
    mean = "".join(
        f"  {100 * sum(r[p]['recall'] for r in table.values()) / n:5.1f}%"
        f"  {100 * sum(r[p]['false_alarms'] for r in table.values()) / n:5.1f}% "
        for p in ("rules", "model", "together")
    )
    lines.append(f"  {'mean':<16} {'':9}{mean}".rstrip())
    return lines


def _at_target_lines(table: dict[str, dict]) -> list[str]:
    """How many authors left out meet each of the issue's targets, counted here so that the
    README quotes the count instead of counting by hand."""
    n = len(table)
    recall = [a for a, r in table.items() if r["recall"] >= SAFETY_TARGETS["recall"]]
    within = [
        a
        for a, r in table.items()
        if r["safe"] <= SAFETY_TARGETS["safe"]
        and r["attachment_worry"] <= SAFETY_TARGETS["attachment_worry"]
    ]
    every = [a for a in recall if a in within]
    return [
        f"  recall >= {SAFETY_TARGETS['recall']:.0%}: {len(recall)} of {n}"
        f" ({', '.join(recall) or 'none'})",
        f"  false alarms within both limits: {len(within)} of {n}",
        f"  all three targets: {len(every)} of {n} ({', '.join(every) or 'none'})",
    ]


def cross_author_lines(table: dict[str, dict]) -> list[str]:
    lines = [
        "  left out  threshold  recall   false alarms: safe  attachment worries"
        "   (rules alone: recall, safe)"
    ]
    for author, row in table.items():
        rules = row["rules_only"]
        lines.append(
            f"  {author:<9} {row['threshold']:9.2f}  {100 * row['recall']:5.1f}%"
            f"  {100 * row['safe']:18.1f}%  {100 * row['attachment_worry']:18.1f}%"
            f"   ({100 * rules['recall']:.1f}%, {100 * rules['safe']:.1f}%)"
        )
    n = len(table)
    mean = {
        k: sum(r[k] for r in table.values()) / n for k in ("recall", "safe", "attachment_worry")
    }
    lines.append(
        f"  {'mean':<9} {'':9}  {100 * mean['recall']:5.1f}%  {100 * mean['safe']:18.1f}%"
        f"  {100 * mean['attachment_worry']:18.1f}%"
    )
    worst = {"recall": min(r["recall"] for r in table.values())} | {
        k: max(r[k] for r in table.values()) for k in ("safe", "attachment_worry")
    }
    lines.append(
        f"  {'worst':<9} {'':9}  {100 * worst['recall']:5.1f}%  {100 * worst['safe']:18.1f}%"
        f"  {100 * worst['attachment_worry']:18.1f}%"
    )
    lines.extend(_at_target_lines(table))
    kinds = sorted({k for r in table.values() for k in r["per_kind"]}, key=lambda k: (k[:4], k))
    lines.append("  per kind (flagged / entries), by author left out: " + ", ".join(table))
    for kind in kinds:
        cells = []
        for row in table.values():
            hit, total = row["per_kind"].get(kind, (0, 0))
            cells.append(f"{hit:3}/{total:<3}" if total else "   -   ")
        lines.append(f"    {kind:<32} " + "  ".join(cells))
    return lines


def _frac(pair) -> float:
    return pair[0] / pair[1] if pair[1] else float("nan")


def _pct(pair) -> str:
    hit, n = pair
    return f"{100 * hit / n:5.1f}% ({hit}/{n})" if n else "  n/a"


_HEADLINE = (
    ("recall", "recall"),
    ("false_alarms", "false alarms"),
    ("attachment", "worries flagged"),
    ("good", "good I-statements acknowledged"),
)


def headline(got: dict[str, float]) -> str:
    """A look's headline figures as logged, e.g. "recall 95.8%, false alarms 5.1%, worries
    flagged 3.8%": the next look prints them beside its own, so what moved since is read from
    the log rather than restated by hand."""
    return ", ".join(
        f"{name} {100 * got[key]:.1f}%"
        for key, name in _HEADLINE
        if got.get(key) is not None and got[key] == got[key]  # present and not NaN
    )


def previous_looks(name: str) -> tuple[int, str | None]:
    """How many looks the log records at a held-out file, and the headline figures of the
    latest look that logged them (looks before the thirteenth session logged none)."""
    if not LOOK_LOG.exists():
        return 0, None
    found = re.compile(rf"\({re.escape(name)}, aggregate metrics per kind(?:: ([^)]*))?\)")
    count, latest = 0, None
    for match in found.finditer(LOOK_LOG.read_text(encoding="utf-8")):
        count += 1
        latest = match.group(1) or latest
    return count, latest


def log_look(what: str) -> None:
    new = not LOOK_LOG.exists()
    with LOOK_LOG.open("a", encoding="utf-8") as f:
        if new:
            f.write("# Looks at the held-out sets\n\nOne line per time held-out metrics were ")
            f.write("printed (scripts/text_metrics.py --heldout).\n\n")
        f.write(f"- {dt.date.today().isoformat()}: {what}\n")


def development(listing: set[str], stored: bool) -> None:
    print("== Safety screen: what each part was tuned on ==")
    for part, sets in TUNED_ON.items():
        print(f"  {part}: {sets}")
    print("\n== Safety screen: development sets ==")
    for name, file in SAFETY_DEV.items():
        _, lines = safety_table(read_safety(DATA / file))
        print(f"{name} — tests/data/{file}")
        print("\n".join(lines if file in listing else [x for x in lines if x[2:3] != "["]))
    from safebase.core.practice import safety_model

    how = "as stored in the model file" if stored else "retrained now"
    print(f"\nLeave-one-author-out ({how}) — the honest estimate for a new author")
    table = cross_author_table(stored)
    print(
        f"  shipped threshold {safety_model.threshold():.2f} (chosen the same way on all "
        f"{len(table)})"
    )
    print("\n".join(cross_author_lines(table)))
    print("\n== I-statement coach: what each part was tuned on ==")
    for part, sets in COACH_TUNED_ON.items():
        print(f"  {part}: {sets}")
    print("\n== I-statement coach: development sets (rules and model together, as the app runs;")
    print("   the model trained on all of them, so these are optimistic) ==")
    for name, file in COACH_DEV.items():
        _, lines = coach_table(read_coach(DATA / file))
        print(f"{name} — tests/data/{file}")
        print("\n".join(lines if file in listing else [x for x in lines if x[2:3] != "["]))
    print("\nI-statement coach, leave-one-author-out (as stored in the model file) — the honest")
    print("estimate for a new author: each author left out of the model's training and of the")
    print("threshold's choice; the rules' figures are clean only for authors the rules never read")
    print("\n".join(coach_cross_author_lines()))


def meets_targets(label: str, got: dict[str, float]) -> dict[str, bool]:
    """Which of issue 8's targets one held-out set meets in a look (NaN, no such entries, passes
    a false-alarm limit)."""
    if label == "coach":
        return {
            "recall": got["recall"] >= COACH_TARGETS["recall"],
            "false alarms": not got["false_alarms"] > COACH_TARGETS["false_alarms"],
        }
    return {
        "recall": got["recall"] >= SAFETY_TARGETS["recall"],
        "false alarms": not got["false_alarms"] > SAFETY_TARGETS["safe"]
        and not got["attachment"] > SAFETY_TARGETS["attachment_worry"],
    }


def target_count_lines(met: dict[str, list[tuple[str, dict[str, bool]]]]) -> list[str]:
    """How many held-out sets of each kind meet the targets in this look, counted here so that
    the README quotes the count instead of counting by hand."""
    lines = []
    for label, sets in met.items():
        n = len(sets)
        every = [name for name, got in sets if all(got.values())]
        recall = sum(got["recall"] for _, got in sets)
        within = sum(got["false alarms"] for _, got in sets)
        limits = "both false-alarm limits" if label == "safety" else "false alarms <= 5%"
        lines.append(
            f"  {label}: recall target met by {recall} of {n}, {limits} by {within} of {n}, "
            f"every target by {len(every)} of {n} ({', '.join(every) or 'none'})"
        )
    return lines


def _set_name(path: Path) -> str:
    """A held-out file's set letters as the README names them: 'coach_heldout_blind_cv.csv' ->
    'CV'; the first sets of each kind have no letters ('C+D' for safety, 'F' for the coach)."""
    letters = path.stem.rsplit("blind", 1)[1].lstrip("_").upper()
    return letters or ("C+D" if path.name.startswith("safety") else "F")


def heldout(only: set[str]) -> None:
    """Aggregates of the held-out sets (``only``: file names; empty for all), each look logged."""
    print("== Held-out sets (looks are logged in tests/data/heldout_looks.md) ==")
    looked = []
    met: dict[str, list[tuple[str, dict[str, bool]]]] = defaultdict(list)
    unknown = only - {path.name for _, path in HELDOUT}
    if unknown:
        raise SystemExit(f"not a held-out set: {', '.join(sorted(unknown))}")
    for label, path in HELDOUT:
        if only and path.name not in only:
            continue
        safety = label == "safety"
        table, read = (safety_table, read_safety) if safety else (coach_table, read_coach)
        if not path.exists():
            print(f"{label}: {path.relative_to(ROOT)} not present")
            continue
        got, lines = table(read(path))
        print(f"{label} — {path.relative_to(ROOT)}")
        print("\n".join(x for x in lines if x[2:3] != "["))  # aggregate only, never the rows
        count, latest = previous_looks(path.name)
        before = f"; the previous logged figures: {latest}" if latest else ""
        if count and not latest:
            before = "; earlier looks logged no figures"
        print(f"  look {count + 1} at this set{before}")
        looked.append(f"{label} ({path.name}, aggregate metrics per kind: {headline(got)})")
        met[label].append((_set_name(path), meets_targets(label, got)))
    if looked:
        print("Targets met in this look (issue 8's, per held-out set):")
        print("\n".join(target_count_lines(met)))
        log_look(", ".join(looked))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--heldout", action="store_true", help="print held-out metrics only")
    parser.add_argument(
        "--only", action="append", default=[], help="with --heldout: this held-out FILE name only"
    )
    parser.add_argument("--list", action="append", default=[], help="list misses for FILE")
    parser.add_argument(
        "--stored", action="store_true", help="leave-one-author-out table from the model file"
    )
    args = parser.parse_args(argv)
    if args.heldout:
        heldout(set(args.only))
        return 0
    development(set(args.list), stored=args.stored)
    print("\nHeld-out sets: not printed (run with --heldout; each look is logged).")
    for _, path in HELDOUT:
        print(f"  {path.relative_to(ROOT)}: {'present' if path.exists() else 'not present'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
