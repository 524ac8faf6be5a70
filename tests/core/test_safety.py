"""The safety screen: negations, idioms, third person, categories, privacy, resources, corpus."""

from __future__ import annotations

import logging
import re

import pytest

from safebase.core.practice.safety import (
    CATEGORIES,
    SafetyResult,
    crisis_resources,
    immediate_danger_message,
    screen_text,
)

# Dev-set floors (recall, false alarms) live in tests/core/test_text_metrics.py; the numbers are
# printed by scripts/text_metrics.py.


def risk(text: str) -> bool:
    return screen_text(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "I would never hurt myself",
        "I'm not suicidal",
        "no thoughts of killing myself",
        "I don't want to die, I want things to change",
        "I haven't self-harmed and I don't plan to",
        "He has never hit me",
    ],
)
def test_negations_are_not_risk(text):
    assert not risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to live anymore",
        "I don't see the point in living",
        "I can't go on",
        "I don't feel safe at home",
        "I can't stop thinking about killing myself",
        "Nobody knows I want to die",
        "I'm not okay and I want to die",  # negator is in another clause
    ],
)
def test_negation_is_targeted_not_blanket(text):
    assert risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm dying to see her",
        "this traffic is killing me",
        "I could kill for a coffee",
        "she killed it at the presentation",
        "I nearly died laughing",
        "dead tired",
        "my phone died",
        "that cake was to die for",
        "I beat myself up about it",
        "she hit me up on WhatsApp",
        "I cut myself shaving",
        "I'll kill him if he eats my leftovers lol",  # issue 8: hyperbole is a look-alike
        "I overdosed on netflix this weekend",
        "he pushed me to apply for the job",
    ],
)
def test_idioms_are_not_risk(text):
    assert not risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "years ago I self-harmed but I'm safe now",
        "I haven't self-harmed in two years",
        "two years ago i wanted to die, now i'm doing better",
        "as a teen I used to cut. I wear t-shirts now",
    ],
)
def test_the_distant_past_is_not_now(text):
    """Issue 8: past or recovered phrasing was a main source of false alarms."""
    assert not risk(text)


def _rules_fire(text: str) -> bool:
    from safebase.core.practice.safety import _read_entry

    return any(s.rule_ids for s in _read_entry(text))


@pytest.mark.parametrize(
    "text",
    [
        # screen3: past, negated and look-alike wordings, written for the patterns blind sets
        # A and B showed (not their entries; T1 and T2 were read as aggregates only)
        "fifteen years back I took an overdose. now I run a support group",
        "in my first marriage he beat me. now I have my own flat",
        "I wrote to my 19 year old self, the one who cut her arms",
        "a decade ago he strangled me. I left that week",
        "when we were kids dad hit us. we're all fine now",
        "after my suicide attempt I got help and I've been well ever since",
        "I cut as a teenager. I showed my partner the scars tonight",  # an everyday "tonight"
        "I used to burn myself. the scars are faded and I wear short sleeves again",
        "three years ago tonight I was in A&E after the overdose",  # an anniversary
        "not once have I thought about killing myself since the breakup",
        "there's no way I'd ever take an overdose, I'm scared of pills",
        "I don't have any plans to end it, I'm just exhausted",
        "ticked 'not at all' on the questionnaire item about being better off dead",
        "a friend from school took her own life last spring and I miss her",
        "overdosed on box sets this weekend",
        "banged my head on the kitchen cupboard again",
        "he reads my messages and doesn't answer",
    ],
)
def test_rules_leave_past_negated_and_lookalike_entries_alone(text):
    assert not _rules_fire(text)


@pytest.mark.parametrize(
    "text",
    [
        "I used to cut. Last night I did it again",  # a relapse elsewhere in the entry
        "years ago I tried to overdose. it's back, the urge, worse than before. it is back",
        "he reads my messages and checks my location every night",
        "there's no way out and I want to end it",
        "I banged my head against the wall until it bled",
        "my friend took her own life last night",
    ],
)
def test_rules_still_read_relapse_and_present_danger(text):
    assert _rules_fire(text)


@pytest.mark.parametrize(
    "text",
    [
        # an entry that says the writer is through it: its past-tense sentences are the past
        "I was sexually assaulted at nineteen. I'm 44 now and it rarely crosses my mind.",
        "I had thoughts of hurting my son when he was a newborn. Got help. He's a happy 5.",
        "I cut myself all through my parents' divorce. Full circle: I teach resilience now.",
        "Remembering the night I thought he'd kill me. Four years later I'm a whole person.",
        # the next sentence dates this one
        "My ex once threatened to take the children abroad. That was twelve years ago.",
        "Four years since my last attempt. I still have bad days but I call someone now.",
        "The anniversary of my overdose. Pancakes with my brother, alive and grateful.",
        # a question asked of the writer, a denial across the clause
        "The midwife asked the standard questions, any thoughts of harming yourself or the baby.",
        "My doctor asked about thoughts of harming the baby. None at all, just tired.",
        "Zero thoughts of self-harm this week, just bored.",
        "I'm not having any thoughts of hurting myself.",
        "My husband doesn't control my money, I do our budget.",
        "I have never hit my kids, not once.",
    ],
)
def test_recovery_questions_and_denials_are_read_per_sentence(text):
    assert not _rules_fire(text)


@pytest.mark.parametrize(
    ("past", "present"),
    [
        # sixth session, shapes from Z9's and Z10's past_or_recovered false alarms (sentences
        # written for the test, not theirs). Each past version was flagged by a rule before.
        (
            "Three winters ago I swallowed a bottle of pills. This Christmas I'm hosting.",
            "I swallowed a bottle of pills. This Christmas I'm hosting.",
        ),
        (
            "It's been fourteen months since I left him. He locked me in the bathroom and took "
            "my phone.",
            "He locked me in the bathroom and took my phone.",
        ),
        (
            "I spent my teens cutting my arms. My daughter knows and we talk about it.",
            "I'm cutting my arms. My daughter knows and we talk about it.",
        ),
        (
            "There was a time I wanted to kill myself. I'm a grandmother now.",
            "I want to kill myself. I'm a grandmother now.",
        ),
        (
            "I remember hiding the razor blades in my pencil case to cut myself.",
            "I'm hiding the razor blades in my pencil case to cut myself.",
        ),
        (
            "Reading my old journals: page after page about wanting to die.",
            "Page after page about wanting to die.",
        ),
        (
            "My ex choked me. I don't feel that way anymore about him, I feel free.",
            "My ex choked me.",
        ),
        # "still hurt" is a relapse only with "myself"; "never doing that again" is not one
        ("Some days I still hurt. Five years ago he raped me.", "He raped me."),
        (
            "I used to leave the kids alone all night when I went drinking. I'm never doing "
            "that again.",
            "I leave the kids alone all night when I go drinking.",
        ),
    ],
)
def test_the_past_set_aside_by_the_sixth_sessions_shapes(past, present):
    assert not _rules_fire(past)
    assert _rules_fire(present)


@pytest.mark.parametrize(
    ("past", "present"),
    [
        # ninth session, shapes from the training authors' past_or_recovered false alarms
        # (sentences written for the test, not theirs): a marker of the past in a sentence told
        # in the past tense (``_PAST_IF_TOLD``), or a marker that needs no tense.
        ("Last winter I took an overdose of my pills.", "I took an overdose of my pills."),
        ("That summer I wanted to kill myself.", "I want to kill myself."),
        ("At 17 I tried to hang myself in the garage.", "I tried to hang myself in the garage."),
        ("During my masters I thought about killing myself daily.", "I want to kill myself."),
        ("My stepfather beat us growing up.", "My stepfather beats us."),
        ("Looking back, he choked me whenever he lost at cards.", "He choked me tonight."),
        ("Back at my worst I had a noose in the wardrobe.", "I have a noose in the wardrobe."),
        ("Two years self-harm free as of today!", "I self-harm every day."),
        ("Found my old suicide note while packing boxes.", "I wrote my suicide note today."),
        ("The urge to cut myself faded once I started the new meds.", "I want to cut myself."),
    ],
)
def test_the_past_set_aside_by_the_ninth_sessions_shapes(past, present):
    assert not _rules_fire(past)
    assert _rules_fire(present)


@pytest.mark.parametrize(
    ("past", "present"),
    [
        # sixteenth session: an age written as a word reads like one written in digits
        ("When I was twelve my stepdad hit me every night.", "My stepdad hits me every night."),
        ("At sixteen I took an overdose.", "I took an overdose."),
        ("At the age of nineteen I tried to hang myself.", "I tried to hang myself."),
        (
            "I wanted to kill myself most days. I'm thirty-two now and happy.",
            "I want to kill myself all the time.",
        ),
        ("I tried to overdose. Im forty now.", "I tried to overdose."),
    ],
)
def test_ages_written_as_words_date_the_past(past, present):
    assert not _rules_fire(past)
    assert _rules_fire(present)


@pytest.mark.parametrize(
    "text",
    [
        # ages said as words do not set aside a present risk or an idiom's neighbour
        "I'm forty and I want to die tonight.",
        "I'm twenty two and I want to kill myself.",
        "I aged ten years in a week. I want to die.",
        "My son is twelve and I left him alone all weekend with no food.",
    ],
)
def test_ages_written_as_words_do_not_hide_present_risk(text):
    assert risk(text)


@pytest.mark.parametrize(
    "text",
    [
        # the ninth session's markers where they say now or since, or where a past-tense
        # sentence is about a danger now (shapes that were tried and narrowed)
        "Since last year he has hit me whenever he drinks.",
        "Last summer he started hitting me and he does it every week.",
        "I left my kids with their uncle even though I know what he did to me growing up.",
        "He forced himself on me at 38 weeks pregnant.",
        "He kicked me in the stomach when I was pregnant, and the baby is due in March.",
        "A boy in year 11 touched me at the party and now he won't stop messaging me.",
        "At my lowest point right now, I want to die.",
        "I stood on the platform for a long time working out which train to jump in front of.",
    ],
)
def test_the_ninth_sessions_markers_do_not_hide_present_risk(text):
    assert risk(text)


@pytest.mark.parametrize(
    "text",
    [
        # the same shapes, now: recovery elsewhere does not reach a present or recent sentence
        "I got help years ago. Last night he hit me again.",
        "I'm 44 now and he still hits me when he drinks.",
        "Got out of that marriage but my new partner choked me yesterday.",
        # a negator inside an "if" clause does not reach the main clause
        "if i don't reply fast he says he'll kill himself",
        # "show" and "play" are verbs too: not a film or a show
        "taking my dad's gun to the party to show her what happens",
        # shapes tried in the sixth session and dropped, or narrowed, because these are risk now
        # (the last ten written by a reviewer of those shapes)
        "My boyfriend says he'll stab me if I leave, and he already came at me with a knife once.",
        "He strangled me once.",
        "I don't feel anything anymore and I want to die.",
        "I still hurt myself when it gets too loud in my head.",
        "Two winters ago he broke my jaw, and he says next time he'll kill me.",
        "That year was bad but this year is worse, I have a plan to kill myself.",
        "That summer he started coming into my room at night and he still does.",
        "I remember wanting to die the whole of yesterday.",
        "There was a time last week when he choked me until I passed out.",
        "Through my teens he has been hitting me and I'm only 16.",
        "He has controlled me all my twenties, he takes my wages and reads my phone.",
        "I said goodbye to my dog and wrote the letters. It's finished.",
        "It's been two months since I stopped my meds. I hear voices telling me to hurt myself.",
        "I've made my peace with it. The pills are in the drawer.",
    ],
)
def test_recovery_and_conditions_do_not_hide_present_risk(text):
    assert risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "I tried to kill myself on Sunday",  # recent past counts
        "I used to cut and the urges are back again",  # the past, back now
        "sh'd for the first time in 2 years",
        "years ago I wanted to die. Now I want to die again",
    ],
)
def test_the_past_that_is_back_still_counts(text):
    assert risk(text)


@pytest.mark.parametrize(
    "text",
    [
        "After the accident I wanted to die. Now I coach the under-tens and I'm doing so well.",
        "My first husband hit me. These days I'm happier than I have ever been.",
        "I burned myself through most of school. Finally free of it, two years clean now.",
    ],
)
def test_a_past_told_before_better_now_is_left_to_the_classifier(text):
    """No rule decides: the classifier reads the sentences (``_gated``, fourteenth session)."""
    from safebase.core.practice.safety import _read_entry, _readable

    read = _read_entry(text)
    assert not any(s.rule_ids for s in read)
    assert len(_readable(read)) >= 1


@pytest.mark.parametrize(
    "text",
    [
        # hedged, hidden or recent: "better now" does not say the risk is over
        "She choked me during the fight. We're okay now I think.",
        "He strangled me in the kitchen. Things are better now I guess.",
        "I cut myself again. Now I feel calm.",
        "I took an overdose on Friday. Nobody knows and I feel better now.",
        "I overdosed on my meds. Nobody knows and I feel better now.",
        "I cut my arms last night. Today I'm doing better.",
        "I wanted to die. Now I hide it better.",
    ],
)
def test_better_now_does_not_reach_hedged_hidden_or_recent_risk(text):
    assert _rules_fire(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my friend said she wants to die", "suicide"),
        ("my brother has been cutting himself", "self_harm"),
        ("my friend's boyfriend hits her", "abuse_danger"),
    ],
)
def test_third_person_reports_show_resources(text, category):
    assert category in screen_text(text).categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I want to die", "suicide"),
        ("I want to hurt myself", "self_harm"),
        ("I want to hurt him", "harm_to_others"),
        ("I'm going to kill him", "harm_to_others"),
        ("I'll kill him when he gets home, I've got the knife ready", "harm_to_others"),
        ("the kids haven't eaten in two days and I can't get out of bed", "child_at_risk"),
        ("I have to ask his permission to eat or go out", "abuse_danger"),
        ("I said no and he kept going", "abuse_danger"),
        ("he hit me", "abuse_danger"),
        ("I'm scared he'll hurt me", "abuse_danger"),
    ],
)
def test_categories(text, category):
    result = screen_text(text)
    assert result.risk
    assert result.categories == (category,)
    assert all(rule_id.startswith(category) for rule_id in result.matched_rule_ids)


@pytest.mark.parametrize(
    "text", ["I feel suicidle", "i want to kms", "I want to unalive myself", "I CAN’T GO ON"]
)
def test_misspellings_case_and_curly_apostrophes(text):
    assert risk(text)


def test_result_holds_rule_ids_not_text():
    result = screen_text("I want to die, I can't go on")
    assert isinstance(result, SafetyResult)
    assert set(result.categories) <= set(CATEGORIES)
    assert result.kind == "suicide"
    assert result.matched_rule_ids
    assert all(re.fullmatch(r"[a-z_]+\.[a-z_]+", rule_id) for rule_id in result.matched_rule_ids)
    assert "want to die" not in repr(result)
    with pytest.raises(AttributeError):
        result.risk = False  # type: ignore[misc]


def test_empty_text_is_not_risk():
    assert screen_text("") == SafetyResult(False, (), ())
    assert not risk("   ")


def test_screen_emits_nothing(caplog, capsys):
    secret = "SECRET-ENTRY I want to kill myself and he hit me"
    with caplog.at_level(logging.DEBUG):
        screen_text(secret)
        screen_text("an ordinary day SECRET-ENTRY")
    assert caplog.records == []
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_resources_list_is_complete_and_sourced():
    items = crisis_resources()
    names = {r.name for r in items}
    assert {"988 Suicide & Crisis Lifeline", "Samaritans", "Find A Helpline"} <= names
    for r in items:
        assert r.source.startswith("https://"), r.name
        assert r.contact and r.region
        assert set(r.topics) <= set(CATEGORIES)
    assert immediate_danger_message() == (
        "If you are in immediate danger, call your local emergency number."
    )


def test_local_number_comes_first():
    items = crisis_resources(" 0800 123 456 ", "Our clinic's line")
    assert (items[0].name, items[0].contact) == ("Our clinic's line", "0800 123 456")
    assert items[1:] == crisis_resources()
    assert crisis_resources("0800 123 456")[0].name == "Local crisis line"


def test_no_local_number_means_the_default_list():
    assert crisis_resources(None, "A label alone") == crisis_resources()
    assert crisis_resources("  ") == crisis_resources()


@pytest.mark.parametrize(
    "opening",
    ["He hurt my feelings at lunch.", "Work was busy, I'd kill for a coffee.", "I'm not suicidal."],
)
def test_a_denial_or_idiom_in_one_sentence_does_not_hide_the_next(opening):
    """The classifier skips only the sentence with the denial or idiom, not the whole entry."""
    risky = "i keep thinking everyone would be fine without me around"
    assert screen_text(risky).only_by_classifier
    assert screen_text(f"{opening} {risky}").risk


def test_notes_too_short_for_the_classifier_go_to_the_rules_alone():
    """On a word or two the classifier mostly echoes its training mix; it would flag these."""
    from safebase.core.practice.safety import MODEL_MIN_WORDS, prepare_text

    notes = ["Me", "Myself", "me"]
    assert not any(screen_text(n).risk for n in notes)
    assert all(len(prepare_text(n).split()) < MODEL_MIN_WORDS for n in notes)
    assert screen_text("kms").risk  # a short explicit statement is still the rules' to catch


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("he hit me again last night", "abuse_danger", "not your fault"),
        ("I woke up and he was on top of me, I didn't say yes", "abuse_danger", "not your fault"),
        ("the baby hasn't been fed since yesterday", "child_at_risk", "child"),
        ("I want to kill myself", "suicide", "ending their life"),
        ("I cut myself again tonight", "self_harm", "hurting themselves"),
        ("I could seriously hurt someone right now", "harm_to_others", "hurting someone"),
    ],
)
def test_the_words_fit_the_kind(text, kind, words):
    """Issue 8: danger from someone else is not answered as self-harm; a child at risk gets
    child-protection wording; harm to others its own."""
    from safebase.core.practice.safety import crisis_message

    result = screen_text(text)
    assert result.kind == kind
    message = crisis_message("flagged", result.kind)
    assert words in message.body
    assert "saved" in message.body
    assert crisis_message("gentle", result.kind).body != message.body
    if kind in ("abuse_danger", "child_at_risk"):
        assert "yourself" not in message.body


def test_resources_for_the_kind_come_first_after_emergency_numbers():
    items = crisis_resources(category="child_at_risk")
    first = next(r for r in items if not r.name.startswith("Emergency services"))
    assert "child_at_risk" in first.topics
    assert {r.name for r in items} == {r.name for r in crisis_resources()}
    assert crisis_resources("0800 1", "Clinic", category="abuse_danger")[0].name == "Clinic"


def test_resources_are_dialable_and_name_their_region_once():
    from safebase.core.practice.safety import crisis_resources

    by_name = {r.name: r for r in crisis_resources()}
    assert by_name["Emergency services (EU)"].phone == "112"
    assert by_name["Emergency services (EU)"].where == ""  # not "(EU) (European Union)"
    assert by_name["Samaritans"].phone == "116123"
    assert by_name["Samaritans"].where == "United Kingdom, Ireland"
    assert by_name["Crisis Text Line"].phone is None  # a text line, not a call
    assert by_name["National Sexual Assault Hotline (RAINN)"].where == "United States"


def test_short_fragments_are_read_with_the_sentence_before_them():
    """Phone-typed fragments ("not for me. for him") continue the sentence before them, so a
    rule reads the whole thought; a fragment that dates the story stays apart, so the past is
    still read as past."""
    from safebase.core.practice.safety import _join_fragments

    assert _join_fragments(["bought a gun.", " not for me.", " for him"]) == [
        "bought a gun, not for me, for him"
    ]
    assert _join_fragments(["I was assaulted at 19.", " I'm 41 now.", " I'm okay."]) == [
        "I was assaulted at 19.",
        " I'm 41 now, I'm okay.",
    ]
    joined = _join_fragments(["I was assaulted at 19.", " I'm 41 now.", " Some days are hard."])
    assert joined == ["I was assaulted at 19.", " I'm 41 now.", " Some days are hard."]
    assert screen_text("bought a gun. not for me. for him").risk
    assert not screen_text("Was assaulted at 19. I'm 41 now. I rarely think about it.").risk
