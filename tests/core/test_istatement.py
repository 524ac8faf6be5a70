"""The I-statement coach: each kind of flag, its span and reason, rewrite frames, and the corpus."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from safebase.core.practice.coach_flags import _normalise, _warmth_follows
from safebase.core.practice.istatement import (
    KINDS,
    MAX_CHARS,
    CoachResult,
    Flag,
    check_statement,
    find_flags,
    rewrite_is_well_formed,
)

CORPUS = Path(__file__).resolve().parent.parent / "data" / "istatement_corpus.csv"
sys.path.insert(0, str(CORPUS.parents[2] / "scripts"))
from text_metrics import coach_table, read_coach  # noqa: E402

# Floors on the corpus and the blind development set E are in tests/core/test_text_metrics.py;
# scripts/text_metrics.py prints every number. A false alarm on a kind sentence discourages a
# person practising a new habit more than a miss does, so false-alarm ceilings are the tighter.


def _one(text: str, kind: str) -> Flag:
    result = check_statement(text)
    found = [f for f in result.flags if f.kind == kind]
    assert found, f"no {kind} flag in {text!r}: {result.flags}"
    return found[0]


def _span_text(text: str, flag: Flag) -> str:
    return text[flag.span[0] : flag.span[1]]


# ---------------------------------------------------------------- one test per kind


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("You never listen to me.", "absolute", "You never"),
        ("Honestly, you ALWAYS leave dishes in the sink.", "absolute", "you ALWAYS"),
        ("Every time you come home late, you don't even text.", "absolute", "Every time you"),
        ("Dinner was cold. You’re always late.", "absolute", "You’re always"),
        ("You make me feel invisible.", "you_make_me", "You make me"),
        ("You're driving me crazy.", "you_make_me", "You're driving me"),
        ("It's all your fault that we're late.", "blame", "It's all your fault"),
        ("You ruined the whole weekend.", "blame", "You ruined"),
        ("You don't care about me.", "mind_reading", "You don't care"),
        ("I know you think I'm overreacting.", "mind_reading", "I know you think"),
        ("You did that on purpose.", "mind_reading", "on purpose"),
        ("You're trying to make me jealous.", "mind_reading", "You're trying to"),
        ("You're so selfish.", "name_calling", "You're so selfish"),
        ("You are such an idiot.", "name_calling", "You are such an idiot"),
        ("Real mature.", "contempt", "Real mature"),
        ("What is wrong with you?", "contempt", "What is wrong with you"),
    ],
)
def test_each_kind_points_at_the_words(text: str, kind: str, words: str):
    flag = _one(text, kind)
    assert _span_text(text, flag) == words
    assert flag.matched == words
    assert flag.why and flag.why.endswith(".")
    assert kind in KINDS


def test_why_names_the_pattern_in_plain_words():
    flag = _one("You never listen to me.", "absolute")
    assert "'You never" in flag.why
    assert "describe the moment" in flag.why


def test_spans_survive_curly_apostrophes_and_case():
    text = "OK. YOU’RE SO LAZY."
    flag = _one(text, "name_calling")
    assert _span_text(text, flag) == "YOU’RE SO LAZY"


def test_several_kinds_in_one_sentence():
    result = check_statement("You never listen because you don't care.")
    assert {"absolute", "mind_reading"} <= result.kinds
    assert [f.span for f in result.flags] == sorted(f.span for f in result.flags)


# ---------------------------------------------------------------- what must stay clean


def test_good_i_statement_passes_clean():
    result = check_statement(
        "I feel hurt when you are late. Could we text if we're running behind?"
    )
    assert result == CoachResult(flags=[], is_i_statement=True, rewrite=None)


@pytest.mark.parametrize(
    "text",
    [
        "I always feel better when we talk.",  # first-person absolute
        "I never want to lose you.",
        "Do you always work on Fridays?",  # a genuine question is the healthy alternative
        "You always make me laugh.",  # praise: flagging absolutes in praise is noise
        "You never judge me.",  # never + a negative verb is praise
        'My mom always said, "You\'re so lazy," and it still stings.',  # reported speech
        "It's not your fault.",
        "You're crazy talented.",
        "Every time you hug me, I feel calmer.",
    ],
)
def test_no_false_alarm(text: str):
    assert check_statement(text).flags == []


def test_blaming_question_is_still_flagged():
    assert "absolute" in check_statement("Why do you always have to yell?").kinds


def test_i_statement_shape_needs_a_feeling_and_a_situation():
    assert check_statement("When the baby cries at night, I feel exhausted.").is_i_statement
    assert not check_statement("Thank you for picking up the groceries.").is_i_statement
    # The right shape with blame inside is not an I-statement.
    result = check_statement("I feel hurt when you're always on your phone.")
    assert not result.is_i_statement
    assert result.kinds == {"absolute"}


# ---------------------------------------------------------------- rewrite frames


def _frame_ok(rewrite: str | None) -> str:
    assert rewrite is not None
    assert rewrite.startswith("I feel ")
    assert " when " in rewrite
    assert rewrite.endswith("?")
    return rewrite


@pytest.mark.parametrize(
    ("text", "must_contain"),
    [
        (
            "You always leave dishes in the sink.",
            ["the dishes are left in the sink", "I feel overwhelmed when"],
        ),
        ("You never listen to me.", ["I feel unheard when", "I'm talking", "aren't listening"]),
        (
            "You always forget to pick up the kids.",
            ["forget to pick up the kids", "I feel unimportant when"],
        ),
        ("You never help with bedtime.", ["you don't help with bedtime"]),
        ("You’re always late.", ["you're late", "I feel worried when"]),
        ("Every time you get angry, you slam the door.", ["you get angry", "I feel scared when"]),
        ("You make me so angry when you do that.", ["I feel angry when", "when you do that"]),
        ("You're always on your phone when we eat dinner.", ["on your phone while we eat dinner"]),
    ],
)
def test_rewrite_frames_keep_the_situation(text: str, must_contain: list[str]):
    rewrite = _frame_ok(check_statement(text).rewrite)
    for words in must_contain:
        assert words in rewrite
    for blame_word in ("always", "never", "every time"):
        assert blame_word not in rewrite.lower()


def test_rewrite_stays_general_when_it_cannot_infer():
    rewrite = _frame_ok(check_statement("You're so selfish.").rewrite)
    assert (
        rewrite == "I feel hurt when that happens. Could we talk about what would help next time?"
    )
    assert "selfish" not in rewrite  # a label is not a situation


@pytest.mark.parametrize(
    "text",
    [
        "You made me late again, thanks a lot.",  # once "I feel [late?]"
        "Every single time we go out you end up ruining it.",  # once "when you we go out"
        "You've never really respected my job.",  # once "you don't really respected"
        "You made me look like an idiot in front of my parents.",
        "Shut up.",
        "If you go out tonight, don't bother coming back.",
    ],
)
def test_every_rewrite_is_a_grammatical_frame(text):
    rewrite = check_statement(text).rewrite
    assert rewrite is not None and rewrite_is_well_formed(rewrite), rewrite
    assert "[" not in rewrite


def test_rewrite_keeps_a_feeling_the_person_already_named():
    rewrite = _frame_ok(check_statement("You always come home late and I feel lonely.").rewrite)
    assert rewrite.startswith("I feel lonely when you come home late.")


# ---------------------------------------------------------------- the corpus


def _corpus() -> list[dict[str, str]]:
    with CORPUS.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_corpus_is_well_formed():
    rows = _corpus()
    assert len(rows) >= 120
    assert {r["label"] for r in rows} == {"flag", "ok"}
    for r in rows:
        kinds = {k for k in r["kinds"].split(";") if k}
        assert kinds <= set(KINDS), r
        assert bool(kinds) == (r["label"] == "flag"), r
    covered = {k for r in rows for k in r["kinds"].split(";") if k}
    assert covered <= set(KINDS)  # threat, command, character_attack: see coach_dev_blind_e


@pytest.mark.parametrize(
    "kind_words",
    [
        "Thanks to you, I passed my exam.",
        "If you hadn't helped me, I would have failed.",
        "You have always supported me.",
        "You've always been my favourite.",
        "I know exactly what you're thinking, and I love it.",
        "You never make me feel silly for crying at films.",
        "You made me a cup of tea without me asking.",
        "You always make me laugh when I'm stressed.",
    ],
)
def test_praise_is_not_flagged(kind_words):
    assert check_statement(kind_words).flags == []


def test_repetitive_long_input_is_answered_promptly():
    """Overlapping alternatives once made matching exponential; bounded here by an alarm."""
    import signal

    def too_slow(*_):
        raise TimeoutError("check_statement took over 5 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(5)
    try:
        for text in ("you " + "such an " * 250 + "zzz", "you're " + "a real " * 280 + "x"):
            check_statement(text[:2000])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("If you go out tonight, don't bother coming back.", "threat"),
        ("One more lie and I'm leaving.", "threat"),
        ("Shut up.", "command"),
        ("Give me the keys.", "command"),
        ("Must be nice to do nothing all day.", "contempt"),
        ("You're just like your mother.", "character_attack"),
        ("Why are you like this?", "character_attack"),
        ("Way to go, dumbass.", "name_calling"),
    ],
)
def test_issue_8_kinds_are_caught_and_explained(text, kind):
    flag = _one(text, kind)
    assert flag.why.endswith(".") and flag.matched == text[flag.span[0] : flag.span[1]]


@pytest.mark.parametrize(
    "text",
    [
        "Could you put the phone down during dinner?",
        "Please turn the music down after eleven.",
        "If you're free on Sunday, I'd love to go for a walk.",
        "Let's try one more time tomorrow.",
    ],
)
def test_requests_are_not_commands_or_threats(text):
    assert check_statement(text).flags == []


@pytest.mark.parametrize(
    "text",
    [
        "It scares me when you drive fast with the kids in the car.",
        "I need some quiet time after work before we talk about the day.",
        "I'm frustrated because I thought we'd agreed on a budget.",
    ],
)
def test_good_i_statements_are_acknowledged(text):
    result = check_statement(text)
    assert result.is_i_statement and not result.flags and result.rewrite is None


def test_input_is_capped_inside_check_statement():
    long = "You never listen. " * 1000
    result = check_statement(long)
    assert all(f.span[1] <= MAX_CHARS for f in result.flags)
    assert check_statement(long[:MAX_CHARS]) == result


@pytest.mark.timed
def test_time_grows_linearly_with_length():
    """Issue 8: 772 ms at 4,000 characters once. Ten times the text may take at most about
    25 times as long (linear is 10; the bound is generous for a shared CPU)."""
    import time

    unit = "You never listen when I talk, and every time you're late you don't even text me. "
    short, long = (unit * 80)[:400], (unit * 80)[:4000]

    def best(text: str) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            check_statement(text)
            times.append(time.perf_counter() - start)
        return min(times)

    best(short)  # warm the regex cache
    ratio = best(long) / best(short)
    assert ratio < 25, ratio


def test_looked_at_heldout_does_not_regress():
    """istatement_heldout.csv has been looked at (now development data): recall 0.639, false
    alarms 0.052 (2026-11-29, scripts/text_metrics.py)."""
    got, _ = coach_table(read_coach(CORPUS.parent / "istatement_heldout.csv"))
    assert got["recall"] >= 0.60 and got["false_alarms"] <= 0.07, got


# ---------------------------------------------------------------- issue 8: kinds, by shape


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("It's not my fault, you never reminded me.", "defensiveness"),
        ("I did nothing wrong, stop attacking me.", "defensiveness"),
        ("Fine. Whatever.", "stonewalling"),
        ("I'm done talking about this.", "stonewalling"),
        ("I feel like you don't respect me.", "disguised_you"),
        ("Oh great, another evening on your phone.", "contempt"),
        ("Want a medal for doing the dishes?", "contempt"),
        ("Why can't you be normal for once?", "character_attack"),
        ("You better be home by ten.", "threat"),
        ("Put your phone away right now.", "command"),
        ("ur so selfsh", "name_calling"),  # one letter off: still the word
        ("You're only saying sorry because you got caught.", "mind_reading"),
    ],
)
def test_issue_8_shapes_are_caught_with_a_reason(text, kind):
    flag = _one(text, kind)
    assert flag.why.endswith(".") and text[flag.span[0] : flag.span[1]] == flag.matched


def test_rules_anchor_at_every_sentence_not_only_the_first():
    """Sentence-start rules ("Shut up.", "Whatever.") once matched only at the start of the
    whole text, because the sentence was searched inside the full string."""
    assert "command" in check_statement("I came home late. Shut up.").kinds
    assert "stonewalling" in check_statement("We talked about it. Whatever.").kinds


@pytest.mark.parametrize(
    "text",
    [
        "I'm done talking for now, can we pick this up after dinner?",  # a time-out with a return
        "You're not lazy, you're exhausted.",  # the label is denied
        "My boss is such an idiot, sorry for venting at you.",  # a third person
        "I feel so stupid for forgetting.",  # the speaker about themself
        "Call me when you get there!",  # an imperative that is not an order
        "Take your time, there's no rush.",
        "Oh wow, you booked the restaurant! Thank you so much.",
        "If you want, I'll drive tonight.",
    ],
)
def test_issue_8_shapes_leave_kind_sentences_alone(text):
    assert check_statement(text).flags == []


@pytest.mark.parametrize(
    "text",
    [
        "I'd feel so much safer if we got a cab home.",
        "I've been feeling stretched thin this week. Could we split the bedtimes?",
        "It really worries me when you drive tired.",
        # fifteenth session's shapes (sentences written for the test, not an author's)
        "I feel a knot of dread on Sunday nights. Could we plan Monday together?",
        "I'm feeling really scattered today, so I might need a reminder about the vet.",
        "i felt a bit sidelined at the wedding. can we stick together at the next one",
        "It stings a little when the anniversary slips by. Could we mark it this year?",
        "It matters to me that we eat together twice a week.",
        "For me it is very hard to ask for help. I will try if you give me time.",
        "My stomach knots when the bills arrive. Can we open them together?",
        "I want to feel like we're on the same side about your mum.",
        "I could use a quiet hour after work before we talk about the move.",
        "I get flustered when plans change at the door. A heads-up would help.",
        "I was really looking forward to the concert, so I'm gutted it's off.",
    ],
)
def test_more_shapes_of_owning_a_feeling_are_acknowledged(text):
    result = check_statement(text)
    assert result.is_i_statement and not result.flags


@pytest.mark.parametrize(
    "text",
    [
        "I feel like you never think about anyone but yourself.",  # disguised blame
        "I feel that you're selfish with money.",
        "It hurts that you're such a liar.",  # a label
        "I want you to stop talking right now.",  # an order
        "I could use a partner who actually listens, for once.",  # a dig
        # sarcastic thanks: "grateful" is left out of the new shapes for this
        "I'm so grateful you told the whole table about my salary. Perfect timing.",
    ],
)
def test_blame_in_the_new_shapes_is_still_not_acknowledged(text):
    assert not check_statement(text).is_i_statement, text


@pytest.mark.parametrize(
    "text",
    [
        # ninth session's sarcasm shapes (sentences written for the test, not an author's)
        "Thanks so much for bothering to answer my texts.",
        "Wow, so thoughtful of you to remember my birthday only two weeks late.",
        "Great dinner. Another wonderful evening with your phone.",
        "You cleaned the bathroom! Truly a miracle.",
        "Sorry, did my crying interrupt your game?",
        "Of course, your royal highness, I'll carry the bags.",
        "Let me say it in very small words so you can keep up.",
        "You look good for someone who never sleeps.",
        "Thanks for all the 'help' with the party.",
        "I love being ignored at dinner, it's my favourite.",
        "What a shock. You're late again.",
        "Congratulations on finally noticing the bins.",
    ],
)
def test_ninth_session_sarcasm_shapes_are_contempt(text):
    assert "contempt" in {f.kind for f in check_statement(text).flags}


@pytest.mark.parametrize(
    "text",
    [
        # the same warm words, said sincerely, and the writer's own news
        "Thank you for doing the night feed, I actually slept for once.",
        "Thanks to you I finally understand our budget.",
        "Your mum looks great for someone who just had surgery.",
        "Thanks again for the lift, it made my day.",
        "Another great weekend with you, thank you.",
        "Thank you for the flowers, they made my whole week.",
        # cues that sincere thanks carry too (found in review, then dropped from the rule)
        "I really appreciate it when you don't rush me.",
        "Thanks, it was no trouble at all.",
        "Thank you for finally telling me how you feel, it means a lot.",
        "Thanks as always for listening.",
        "Thanks so much for coming tonight.",
        # sincere uses of the sarcastic shapes (found in review, then narrowed)
        "She is very mature for her age.",
        "Bless your heart, thank you for the soup.",
        "What a twist, the film was amazing!",
        "You look great for someone who just ran a marathon!",
        "I don't care anymore about the old argument, I forgive you.",
        "Let's talk about your day then.",
    ],
)
def test_ninth_session_sarcasm_shapes_leave_warmth_alone(text):
    assert check_statement(text).flags == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # ninth session's shapes of mind reading, defensiveness and stonewalling (sentences
        # written for the test, not an author's)
        ("I know exactly what you're thinking.", "mind_reading"),
        ("I can tell you're already planning to leave.", "mind_reading"),
        ("He's only helping with homework so he can look like the good parent.", "mind_reading"),
        ("You're not tired, you're just avoiding the conversation.", "mind_reading"),
        ("She cancelled to punish me.", "mind_reading"),
        ("You only married me for my passport.", "mind_reading"),
        ("I'm sorry you feel that way.", "defensiveness"),
        ("I'm not apologising for something I didn't do.", "defensiveness"),
        ("After everything I've done for you, this?", "defensiveness"),
        ("Maybe if you weren't so cold I'd come home earlier.", "defensiveness"),
        ("You're imagining things again.", "defensiveness"),
        ("Not listening. Goodnight.", "stonewalling"),
        ("I'm muting you.", "stonewalling"),
        ("I've heard it all before, save it.", "stonewalling"),
        ("I don't care anymore.", "stonewalling"),
    ],
)
def test_ninth_session_defence_shapes_are_caught(text, kind):
    assert kind in {f.kind for f in check_statement(text).flags}


@pytest.mark.parametrize(
    "text",
    [
        "I know you think about your mum a lot at Christmas.",
        "I can tell you're tired, shall I cook tonight?",
        "He only called because he was worried about you.",
        "I'm sorry, you're right, I forgot.",
        "I'm the one paying this time, my treat.",
        "I don't want you to think I'm ignoring you; can I call you after work?",
    ],
)
def test_ninth_session_defence_shapes_leave_kind_sentences_alone(text):
    assert check_statement(text).flags == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # ninth session's shapes of threats, orders, labels and blame (sentences written for
        # the test, not an author's)
        ("Say that again and I'm gone.", "threat"),
        ("I'll make sure your boss hears about this.", "threat"),
        ("The car is in my name, remember that.", "threat"),
        ("Pay me back by Monday or I'm going to a lawyer.", "threat"),
        ("Tidy your room. I'm not asking.", "command"),
        ("Enough. Conversation over.", "command"),
        ("Unfollow him tonight.", "command"),
        ("What kind of idiot leaves the oven on?", "name_calling"),
        ("Your sister is a gold digger.", "name_calling"),
        ("You are a heartless person.", "character_attack"),
        ("You promised to fix the fence and now it's fallen down.", "blame"),
        ("The kitchen is a disaster because of you.", "blame"),
    ],
)
def test_ninth_session_more_shapes_are_caught(text, kind):
    assert kind in {f.kind for f in check_statement(text).flags}


@pytest.mark.parametrize(
    "text",
    [
        "When you said you'd call and didn't, I felt let down.",
        "I need the evening to be quiet so I can rest.",
        "I'm not asking you to quit, I just want to know you're safe.",
        "Answer the phone when you can, no rush.",
        "You told me my speech went well and it meant a lot.",
        "The flat is in my name, so I'll sort the bills, don't worry.",
    ],
)
def test_ninth_session_more_shapes_leave_fair_sentences_alone(text):
    assert check_statement(text).flags == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Tenth session: shapes written from development set CL's misses (sentences written for
        # the test, not the author's).
        ("Nice of you to finally call back.", "contempt"),
        ("Thanks for the one-line answer, really felt the love.", "contempt"),
        ("Sorry my feelings are so inconvenient.", "contempt"),
        ("Bet that was really hard for you, walking to the shop.", "contempt"),
        ("I'm sure you were very busy, like always.", "contempt"),
        ("You're only being sweet because you want the car.", "mind_reading"),
        ("You only said sorry to shut me up.", "mind_reading"),
        ("If you really loved me you'd have stayed.", "mind_reading"),
        ("I'm not answering that.", "stonewalling"),
        ("I honestly don't care anymore.", "stonewalling"),
        ("What else do you want from me?", "stonewalling"),
        ("Last chance. After this I'm gone.", "threat"),
        # Warmth must follow the trigger, and an order stays an order without it.
        ("Sit down. I'm not finished with you.", "command"),
        ("You're the worst, I hate you.", "name_calling"),
        ("Shut up, I'll do what I want.", "command"),
        ("Get out before I get really angry.", "command"),
        ("Stop it. Love you but stop it.", "command"),
        ("You're the most stubborn man I know and it's why I'm leaving.", "character_attack"),
        ("You're such a slob. I used to be proud of you.", "name_calling"),
    ],
)
def test_tenth_session_shapes_are_caught(text, kind):
    assert kind in {f.kind for f in find_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        # Tenth session: teasing the message itself names as love, imperatives that come with
        # care, and near neighbours of the new shapes.
        "Sit down, I'll make you a cup of tea.",
        "Don't wait up, love you.",
        "You're the worst at keeping secrets and I love you for it.",
        "Look who finally got the job!! So proud of you.",
        "You never make the kids feel small.",
        "Move the dentist to Friday if you can.",
        "Last chance to book the tickets for Saturday.",
        "I'm sure you'll be great tomorrow.",
        "Nice of you to offer, thank you.",
        "I don't care anymore what the neighbours think, I'm painting the door pink.",
    ],
)
def test_tenth_session_rules_leave_warmth_and_care_alone(text):
    assert find_flags(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # Eleventh session: sarcasm shapes written from development set CO's misses (sentences
        # written for the test, not the author's).
        "Was the laundry basket too heavy for you?",
        "Did the vacuum hurt your back again, poor thing?",
        "We can sort the bills together, if adding isn't too taxing for you.",
        "Husband of the year, forgetting the school run twice.",
        "Took the recycling out once, selfless queen.",
        "Oh, big man.",
        "The great chef has spoken.",
        "You washed a plate. Shall we all applaud?",
        "Should I get you a medal for emptying the bin?",
        "Sorry I couldn't read your mind about the dinner.",
        "I didn't realise I was married to a toddler.",
        "I'm used to being the only grown-up around here.",
        "Says the man who hasn't cooked since May.",
        "Lectures about money, from the man who never pays for anything.",
        "Funny how you only get a headache when it's your turn to cook.",
        "Good to know your mates get a reply within a minute and I don't.",
        "Let me say it again in small words.",
        "I'll talk slowly so you can follow.",
        "Maybe use your big grown-up words next time.",
        "New jacket? Did you lose a bet?",
        "Did a robot write that text?",
        "Where did that advice come from, a Christmas cracker?",
        "You call that a clean kitchen?",
        "Heard that one before.",
        "Rough life.",
        "Sorry for having feelings.",
        "Thanks for the eye roll when I asked about the rent.",
        "How unreasonable of me to want a hello.",
        "How did the world survive before you found out about budgets?",
        "Is that beneath you?",
        "Thank you for your donation of one (1) clean sock.",
        "Oh so now you want to help?",
        "Suuure you were at work.",
        "You're doing great for someone who's obviously stopped trying.",
        "Interesting strategy.",
        "Showing up drunk to my work do, classy as always.",
        "Do I need your permission to see my sister?",
        'Off you go to "work" again.',
    ],
)
def test_eleventh_session_sarcasm_shapes_are_caught(text):
    assert "contempt" in {f.kind for f in find_flags(text)}


@pytest.mark.parametrize(
    "text",
    [
        # Eleventh session: near neighbours of the new shapes that are fair.
        "Was the box too heavy? I can carry it if you like.",
        "Is the meeting too much for you today? We can move it.",
        "Mother of the bride dress shopping on Saturday, want to come?",
        "Big day tomorrow, good luck!",
        "The great thing about Sundays is pancakes.",
        "Should we get the kids a trampoline?",
        "I'm sorry I forgot to call your mum back.",
        "I didn't realise I was out of milk, could you grab some?",
        "She says the man who fixed the boiler is coming back Tuesday.",
        "Funny how things work out, we met at a bus stop.",
        "Good to know the shop is open late.",
        "Let me explain what happened at work today.",
        "Can you talk slowly? The line is bad.",
        "Heard from the landlord, the heating gets fixed Friday.",
        "Thanks for the lovely dinner.",
        "How did you manage it all before the kids started school?",
        "You look great in that suit.",
        "Bold choice of paint but I love it.",
        "I need your permission slip signed for the school trip.",
        "Sure, see you at six.",
    ],
)
def test_eleventh_session_sarcasm_shapes_leave_fair_sentences_alone(text):
    assert find_flags(text) == []


@pytest.mark.parametrize(
    ("text", "softened"),
    [
        # Eleventh session: affection or an offer named after a tease sets aside the learned
        # model's "tone" flag, as it sets aside the rules' contempt and labels; defiance,
        # sarcastic "adorable" and denied love do not.
        ("your cooking is a hazard and I'm obsessed with it", True),
        ("you drive like a grandma and I wouldn't swap you for the world", True),
        ("stop stealing my socks, you look cute in them", True),
        ("you're the messiest person alive, one of my favourite things about you", True),
        ("married a man who labels the freezer. Best decision I ever made.", True),
        ("you got us lost again. I'll buy you a map and a coffee", True),
        ("get out of the kitchen, I'll do it myself", False),
        ("oh the tough guy is sulking about the bins. adorable", False),
        ("your cooking is a hazard and I'm not obsessed with it", False),
    ],
)
def test_eleventh_session_warmth_after_a_tease_quiets_the_model(text, softened):
    folded = _normalise(text)
    first_word_end = len(folded.split()[0])
    assert _warmth_follows("tone", folded, first_word_end) is softened


@pytest.mark.parametrize(
    "text",
    [
        # Eleventh session: sincere sentences a review wrote against the new sarcasm shapes (the
        # shapes were narrowed until none of these is flagged).
        "Oh no, was the drive too much for you? Rest up.",
        "Sorry, was that comment too much? I was only trying to be funny.",
        "Aw, was the day too hard? Come here.",
        "Is this week too much for you? I can take the kids Thursday.",
        "Is the box too heavy for you? I can grab the other end.",
        "Did the fall hurt your back?",
        "Did that kid hurt your feelings at school today?",
        "I hope the new job isn't too much for you.",
        "You're honestly dad of the year, thank you, the kids loved it.",
        "He used the potty all by himself! Big boy!",
        "Should I get a trophy for the team party?",
        "Should we clap at the end of the recital or is that weird?",
        "Should I leave a review for the plumber?",
        "Mum rang, said the man who sold us the car called about the warranty.",
        "Got a text from the guy who just bought our sofa, he's coming at 6.",
        "Amazing how he suddenly started crawling this week!",
        "Good to know you got home safe and I don't need to worry.",
        "I'll explain it in simple words to Leo so he's not scared.",
        "I'll slow down so you can keep up on the hike.",
        "Use your inside voice please sweetie, the baby's asleep.",
        "Did your mum write this? It's so sweet.",
        "Had cheese, a cracker and some grapes, not hungry.",
        "Did you call that plumber?",
        "What did you call that restaurant?",
        "Been there, got the t-shirt. I'm here if you want to talk.",
        "Thanks for your help with the tantrum last night.",
        "Thank you so much for the lecture notes!",
        "How inconsiderate of me, I should have texted you.",
        "Suuure, I'd love to come!",
        "Okaaay, that's fair, I'll take the bins out.",
        "Riiight, I forgot about that, thanks for reminding me.",
        "Do I need a permission slip for Ella's trip?",
        "Can we listen to 'Let It Go' in the car?",
        'We went to "Quick Fit" for the tyres.',
        "Now you want to go to the park? Okay, shoes on!",
        "You did so well for someone who's clearly exhausted.",
        "You looked classy as ever tonight.",
        "I'd hate to see what happens if we don't book the vet soon.",
        "You're a selfless queen for taking the night shift, thank you.",
        "How did anyone manage before you? The team adores you, thank you.",
        "Interesting choice! I love it.",
        "Did you lose a bet at the match? Mark said you owe him a pint.",
    ],
)
def test_eleventh_session_review_sincere_sentences_are_left_alone(text):
    assert find_flags(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # Eleventh session: cruel messages a review wrote against the new warmth and offer
        # exceptions; what follows the first sentence must not count as affection.
        "You're a lazy slob and you're obsessed with that couch.",
        "Your cooking is disgusting and you're obsessed with it.",
        "You're a lazy slob. Anyway I bought the new blender, obsessed with it.",
        "You're a creep. Your mum is obsessed with you and it's gross.",
        "Honestly you're the dumbest person I know. Obsessed with that, it's almost impressive.",
        "What a joke you are. You look lovely when you keep your mouth shut.",
        "Congrats on finally doing the bare minimum. You look so cute pretending to be an adult.",
        "You're a slob. You think you look gorgeous in that? Please.",
        "You're a lazy cow. My favourite thing about you is when you leave.",
        "You're such a slob. I wouldn't swap you for anything, nobody else would take you.",
        "Marrying you was a mistake. Divorcing you will be the best decision I ever made.",
        "Go on, have your little tantrum. I'll get you a dummy.",
        "You're embarrassing yourself. I'll make you a hot chocolate, little one.",
    ],
)
def test_eleventh_session_review_sneers_are_not_softened(text):
    folded = _normalise(text)
    end = len(re.split(r"[.!?]", folded)[0])
    for kind in ("tone", "name_calling", "contempt", "character_attack"):
        assert not _warmth_follows(kind, folded, end)
