"""A local, rule-based safety screen for free text, and the crisis resources to show beside it.

Journal entries, check-in notes and thought records can contain signs that someone is at risk.
``screen_text`` looks for them with hand-written rules, on this machine, with no model and no
network. Its only consequence is that the app shows a resources panel next to the entry: the entry
is never blocked, changed or reported. That asymmetry sets every trade-off below — a false alarm
costs a glance at a panel, a miss means someone at risk sees no help — so the rules lean towards
flagging:

* **Past or recovered phrasing counts** ("years ago I self-harmed but I'm safe now"). Anniversaries
  and relapses are when people reach for help; the panel is cheap.
* **Third-person reports count** ("my friend said she wants to die") under the category of what
  was reported: the writer may need help supporting someone, or may be talking about themselves.
* **Explicit intent to kill or hurt a person counts even if it may be a joke** ("I'll kill him if
  he eats my leftovers lol"). Tone is unreliable in text; idioms without a person as the object
  ("this traffic is killing me", "I could kill for a coffee") do not count.
* **Negation is targeted, not blanket.** A negator ("not", "never", "no", "-n't") only cancels a
  rule marked ``negatable`` and only when it sits just before the match in the same clause (or
  inside it, for "he has never hit me"). Rules whose meaning *is* a negation ("I don't want to
  live anymore", "I don't feel safe at home") are never cancelled, nor are negators that do not
  negate the risk ("I can't stop thinking about…", "nobody knows I want to die"). A denial followed
  by a time span ("I haven't self-harmed in two years") is recovery phrasing and still counts.

Privacy: the screen never logs, prints or stores the text, and its result holds rule ids only —
never the matched words — so a result can be recorded or logged without leaking the entry.

It is a screen, not an assessment: it cannot judge risk, and it will miss things said in ways the
rules do not know: on ``tests/data/safety_heldout.csv``, written by someone who never saw them,
the rules found 39% of risk phrases. So a local classifier (``safety_model``) is asked when no
rule fires; together they found 93% there at precision 0.83 (2026-11-23; measured with
``scripts/safety_metrics.py``). The web app also links crisis resources from every page.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from safebase.core.practice import safety_model

CATEGORIES: tuple[str, ...] = ("self_harm", "suicide", "harm_to_others", "abuse_danger")


@dataclass(frozen=True)
class SafetyResult:
    """What the screen found: a flag, categories in ``CATEGORIES`` order, and rule ids (no text)."""

    risk: bool
    categories: tuple[str, ...]
    matched_rule_ids: tuple[str, ...]

    @property
    def only_by_classifier(self) -> bool:
        """True when no rule fired and only the classifier flagged the text: the app then words
        its offer of help more gently, since that verdict is the less certain one."""
        return self.matched_rule_ids == (MODEL_RULE_ID,)


@dataclass(frozen=True)
class _Rule:
    id: str
    category: str
    pattern: re.Pattern[str]
    negatable: bool = True
    # Also look for a negator inside the match: only for rules with a gap between subject and
    # verb ("he has never hit me"). Other rules contain negators as part of their meaning.
    inner: bool = False


def _r(
    rule_id: str, category: str, pattern: str, *, negatable: bool = True, inner: bool = False
) -> _Rule:
    return _Rule(rule_id, category, re.compile(pattern), negatable, inner)


# --- Normalisation ---------------------------------------------------------------------------

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
# Apostrophe-less contractions and slang, so rules need one spelling. Not "ill", "wont", "id":
# they are words too.
_WORDS = {
    "dont": "don't",
    "cant": "can't",
    "cannot": "can't",
    "isnt": "isn't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "wouldnt": "wouldn't",
    "couldnt": "couldn't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "wasnt": "wasn't",
    "im": "i'm",
    "ive": "i've",
    "wanna": "want to",
    "gonna": "going to",
    "lifes": "life's",
    "theres": "there's",
    "hes": "he's",
    "shes": "she's",
    "theyll": "they'll",
    "theyre": "they're",
    "ima": "i'm going to",
    "imma": "i'm going to",
    "cuttin": "cutting",
    "myslef": "myself",
    "mysef": "myself",
    "myslf": "myself",
}
# "hell", "shell", "wont" and "ill" are words, so they are read as contractions only before a
# verb that makes the contraction the only sensible reading ("says hell hurt me").
_CONTRACTION_BEFORE_VERB = re.compile(
    r"\b(hell|shell|ill|wont)(?= (hurt|kill|hit|beat|harm|take|find|make|never|let|stop|leave|"
    r"answer|do|be))"
)
_CONTRACTIONS = {"hell": "he'll", "shell": "she'll", "ill": "i'll", "wont": "won't"}
_WORD_RE = re.compile(r"[a-z']+")


def _normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, common contractions spelled one way."""
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"\bcan not\b", "can't", text)
    text = _WORD_RE.sub(lambda m: _WORDS.get(m.group(), m.group()), text)
    text = _CONTRACTION_BEFORE_VERB.sub(lambda m: _CONTRACTIONS[m.group(1)], text)
    return re.sub(r"\s+", " ", text).strip()


# --- Idioms ----------------------------------------------------------------------------------
# Blanked out (replaced by spaces of the same length) before the rules run, so "I'm dying to see
# her" never reaches a rule. Each is specific: "killing me" alone is not an idiom ("he's killing
# me" may be literal), "is killing me" said of traffic or shoes is.

_IDIOMS = re.compile(
    "|".join(
        (
            r"\bdying (to|for|of)\b",
            r"\b(nearly |almost )?died (laughing|of (embarrassment|laughter|shame|boredom))",
            r"\bto die for\b",
            r"\b(i'd|i would) rather die\b",
            r"\bi could die\b",
            r"\bi'll die\b",
            r"\bdead (tired|serious|set|end|on my feet|to me|inside lol)\b",
            r"\b(is|are|was|were|'s|'re) killing me\b",
            r"\bkilled me\b(?= *(lol|haha|[.!]|$))",
            r"\bkill(ing|ed)? (it|time)\b",
            r"\bkill(ed|ing)? the (engine|lights?|mood|vibe|music|conversation)\b",
            r"\bkill for (a|an|some)\b",
            r"\bkill me now\b",
            r"\bif (my )?(mom|mum|dad|mother|father|parents|wife|husband|boss|teacher) finds? out\b"
            r".{0,40}\b(he|she|they)('ll| will|'s going to| is going to|'re going to) kill me\b",
            r"\b(kill|killing) myself (with|over) (this|the|all|my)? ?"
            r"(work|workload|overtime|revision|studying|study|training|exams?|job)",
            r"\bwork(ed|ing)? myself to death\b",
            r"\b(going to|will|'ll|is going to) kill me (when|if) (she|he|they) (sees?|finds? out "
            r"about|hears? about|notices?) (my|the) (grades|results|report|mess|bill|room|haircut|"
            r"tattoo|dent|scratch|spending)",
            r"\bcut (myself|my \w+) (shaving|cooking|chopping|on (a|the)|by accident)",
            r"\baccidentally cut myself\b",
            r"\b(hurt|injured) myself (at the gym|lifting|deadlifting|running|playing|skiing|"
            r"falling|by accident|on the)",
            r"\bburn(ed|t)? myself (on (the|a)|cooking|with the (kettle|iron|pan))",
            r"\bbeat(ing)? myself up\b",
            r"\bhit (me|us|him|her|them) up\b",
            r"\bhurt (my|his|her|their|your|someone's) feelings\b",
            r"\bhurt me (so much |a lot |deeply |badly |really )?(when|by) (he|she|they|you) "
            r"(said|told|forgot|ignored|left|cheated|lied|didn't|chose|cancell?ed)",
            r"\b(suicide|self[- ]?harm) (prevention|awareness|statistics|research|rates|training|"
            r"module|lecture)\b",
            r"\b(want(ed)? to |could (have )?|nearly |almost )?(die|died) of (embarrassment|"
            r"laughter|shame|boredom|cuteness)\b",
        )
    )
)


def _idiom_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _IDIOMS.finditer(text)]


def _mask_idioms(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """Blank the idioms (same length, so offsets into ``text`` stay valid)."""
    for a, b in _idiom_spans(text) if spans is None else spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


# --- Rules -----------------------------------------------------------------------------------

_REFLEXIVE = r"(my ?self|himself|herself|themselves|themself|yourself|meself)"
_SUICIDE_WORD = r"\b(suicid\w*|suicdal|sucid\w*|suisid\w*|suiside|suicial|suicidle|suicidel)\b"
_PERSON_OBJ = (
    r"(him|her|them|someone|somebody|people|everyone|everybody|my \w+|his \w+|her \w+|their \w+|"
    r"that (guy|dude|man|woman|girl|boy|bitch|bastard|asshole)|"
    r"the (kids?|baby|children|child|neighbou?rs?|teacher|boss|guy|man|woman|girl|boy))"
)
_HARM_VERB = (
    r"(kill|murder|stab|shoot|strangle|hurt|attack|poison|punch|beat|smash|choke|harm|hit|slap|"
    r"kick|shank|merk|smoke)"
)
_HARM_ING = (
    r"(killing|murdering|stabbing|shooting|strangling|hurting|attacking|poisoning|punching|"
    r"beating|choking|harming)"
)
_RELATION = (
    r"(husband|wife|partner|boyfriend|girlfriend|bf|gf|ex|dad|father|mum|mom|mother|stepdad|"
    r"stepfather|stepmum|stepmom|stepmother|parents?|brother|sister|uncle|aunt|boss|flatmate|"
    r"roommate|housemate|fianc\w*|spouse|carer|caregiver|coach|son|daughter)"
)
_AGGRESSOR = rf"(\bhe|\bshe|\bthey|\b(my|her|his|their|our|\w+'?s) (\S+ )?{_RELATION})"
_ASSAULT = (
    r"(hit|hits|hitting|slap\w*|punch\w*|kick\w*|chok\w*|strangl\w*|beat|beats|beating|beaten|"
    r"push\w*|shov\w*|grab\w*|smack\w*|bit|bites|biting|burn\w*|rap\w*|hurt|hurts|hurting|"
    r"attack\w*|stab\w*|throttl\w*)"
)
_VICTIM = r"(me|us|her|him|them|my (\w+ )?\w+)"

_RULES: tuple[_Rule, ...] = (
    # Suicide: direct words and euphemisms.
    _r("suicide.word", "suicide", _SUICIDE_WORD),
    _r("suicide.kill_self", "suicide", rf"\bkill(s|ed|ing)? ?{_REFLEXIVE}"),
    _r("suicide.kms", "suicide", r"\bkms\b"),
    _r("suicide.unalive", "suicide", r"\bun-?aliv\w*"),
    _r(
        "suicide.end_life",
        "suicide",
        r"\b(end|ending|ended|take|taking|took) (my|his|her|their|"
        r"your) (own )?life\b",
    ),
    _r(
        "suicide.end_it",
        "suicide",
        r"\b(end|ending) it( all)?\b(?! (with|between|for (now|today)|there|here))",
    ),
    _r(
        "suicide.want_die",
        "suicide",
        r"\b(want|wants|wanted|wanting|wish|wishing|ready|going) to die\b|\bwant 2 die\b",
    ),
    _r(
        "suicide.wish_dead",
        "suicide",
        r"\bwish(ed)? (i|he|she)( was| were|'d| had| could be) (dead|never been born|died)\b"
        r"|\bwish (i|he|she)( was| were|'d| had) never (been )?born\b",
    ),
    _r(
        "suicide.better_off",
        "suicide",
        r"\bbetter off (dead|without (me|him|her))\b"
        r"|\b(easier|better)\b.{0,25}\bif (i|he|she) (was|were|am|'m|is|'s) (gone|dead|not "
        r"(here|around|alive))"
        r"|\bif (i|he|she) (wasn't|weren't) (here|around|alive)\b",
    ),
    _r(
        "suicide.not_live",
        "suicide",
        r"\b(don't|doesn't|do not|does not|no longer) want to (live|be alive|exist|keep living|"
        r"go on|wake up)\b"
        r"|\b(don't|doesn't|do not|does not|no longer) want to (be here|be around)"
        r"( anymore| any more| any longer|$|[.,!])",
        negatable=False,
    ),
    _r(
        "suicide.not_sure_live",
        "suicide",
        r"\bnot sure (if |whether )?(i|he|she) (want|wants) to (live|be alive|be here|go on|"
        r"keep going)\b",
        negatable=False,
    ),
    _r(
        "suicide.no_point",
        "suicide",
        r"\b(no|don't see the|don't see any|can't see the|can't see any|what's the) "
        r"(point|reason) (in|of|to) (keep )?(living|live|life|being alive|going on|go on)\b",
    ),
    _r(
        "suicide.not_worth",
        "suicide",
        r"\b(life|living)('s| is|s)? (not|isn't|is not|never|no longer) worth (it|living)\b"
        r"|\bnot worth living\b",
    ),
    _r(
        "suicide.cant_go_on",
        "suicide",
        r"\bcan't (go on|keep going|do this anymore|take it anymore)\b(?! (a|an|another|the|"
        r"holiday|vacation|trips?|dates?|pretending|with (him|her|them)))",
        negatable=False,
    ),
    _r(
        "suicide.never_wake",
        "suicide",
        r"\b(never|not) wake up\b|\bsleep forever\b|\bdon't want to wake up\b",
        negatable=False,
    ),
    _r("suicide.goodbye_note", "suicide", r"\b(goodbye|suicide|farewell) (note|letter)s?\b"),
    _r("suicide.overdose", "suicide", r"\boverdos\w*|\bod on\b"),
    _r(
        "suicide.stockpile",
        "suicide",
        r"\b(pills|tablets|meds|medication)\b.{0,15}\b(saved|saving|stockpil\w*|hoard\w*)"
        r"|\b(sav\w*|stockpil\w*|hoard\w*) (up )?(my |the |some |all )?(pills|tablets|meds)\b",
    ),
    _r(
        "suicide.jump",
        "suicide",
        r"\bjump(ing)? (off|from|in front of) (a |the |my )?(bridge|building|roof|train|cliff|"
        r"balcony|car|tower)",
    ),
    _r("suicide.ways_to_die", "suicide", r"\b(ways|how) to (die|end it|kill myself)\b"),
    _r(
        "suicide.tired_of_life",
        "suicide",
        r"\b(tired|sick) of (being alive|living|life)\b|\bdone with (life|living|being alive|it "
        r"all)\b|\bgiv(e|ing|en) up on (life|living)\b",
    ),
    _r(
        "suicide.nobody_care",
        "suicide",
        r"\b(no ?one|nobody) would (care|notice|miss me|even notice)\b.{0,20}\bif (i|i'm) "
        r"(died|die|was gone|were gone|wasn't here|disappeared|was dead|dead)",
        negatable=False,
    ),
    _r(
        "suicide.think_dying",
        "suicide",
        r"\b(think|thinking|thought|thoughts) (about|of) (dying|my death|death)\b",
    ),
    _r(
        "suicide.not_exist",
        "suicide",
        r"\b(just not|not|stop|stopped|cease) (to )?exist(ing)?\b",
        negatable=False,
    ),
    _r(
        "suicide.method_research",
        "suicide",
        r"\bhow (many|much) (of )?(my |the )?(pills|tablets|paracetamol|sleeping pills|meds)\b"
        r"|\b(lethal|fatal) dose\b",
    ),
    _r(
        "suicide.not_around",
        "suicide",
        r"\bin case i('m| am) (not|no longer) (around|here)\b|\bwhen i('m| am) no longer "
        r"(around|here)\b",
        negatable=False,
    ),
    _r("suicide.disappear", "suicide", r"\bdisappear (forever|for good|permanently)\b"),
    _r(
        "suicide.everything_end",
        "suicide",
        r"\bwant (it all|everything|my life|it) to (end|stop|be over)\b"
        r"|\bwant\b.{0,20}\bto (stop|end) forever\b",
    ),
    _r(
        "suicide.giving_away",
        "suicide",
        r"\bgiv(e|ing|en) away (all )?(my|his|her) (things|stuff|belongings|possessions)",
    ),
    _r(
        "suicide.last_night",
        "suicide",
        r"\bmy last (night|day) (on earth|alive)\b|\b(last|final) (goodbye|night alive)\b",
    ),
    # Warning signs said without the words: plans, means, goodbyes, burden (added 2026-11-23
    # from an independently written development set; see tests/core/test_safety.py).
    _r(
        "suicide.not_being_here",
        "suicide",
        r"\b(think\w*|thought|dream\w*|fantasi\w*|wish\w*) about not (being (here|around|alive)|"
        r"existing|waking up)\b"
        r"|\bnot (be|being) (here|around) (anymore|any more|much longer|for much longer)\b",
        negatable=False,
    ),
    _r(
        "suicide.plan_date",
        "suicide",
        r"\b(have|got|made|making) (a|the) plan (and a (date|time|way)|to (do it|end))\b"
        r"|\b(tying|tie|tied) up (all )?(my )?loose ends\b"
        r"|\b(getting|get|put|putting) (all )?my affairs in order\b",
    ),
    _r(
        "suicide.last_entry",
        "suicide",
        r"\b(this is|this'll be|this will be) my (last|final) (entry|post|message|note|words)\b"
        r"(?! (of|for|before|until|till)\b)",
    ),
    _r(
        "suicide.letters_just_in_case",
        "suicide",
        r"\b(wrote|writing|write|written|left) (\w+ )?(letters?|notes?)\b.{0,50}\bjust in case\b",
    ),
    _r(
        "suicide.ledge",
        "suicide",
        r"\b(stood|standing|stand|sat|sitting|waited|waiting) (on|at) (the |a )?(edge of the |edge "
        r"of a )?(bridge|ledge|roof|rooftop|tracks|railway|cliff|platform edge)\b",
    ),
    _r(
        "suicide.vehicle",
        "suicide",
        r"\b(swerv\w*|driv\w*|drove|crash\w*|steer\w*) (my car |the car )?(into|off) (the |a )?"
        r"(divider|barrier|wall|tree|oncoming|bridge|cliff|river|traffic|lorry|truck)\b"
        r"|\b(step|stepping|walk|walking|jump|jumping) in front of (a |the )?(train|bus|car|"
        r"truck|lorry)\b"
        r"|\b(wouldn't mind|hope|hoping|wish) (if )?(a |the )?(car|bus|truck|train|lorry) "
        r"(hit|hits|would hit|ran over|runs over) me\b",
        negatable=False,
    ),
    _r(
        "suicide.rope",
        "suicide",
        r"\bnoose\b|\b(bought|buying|got) (a |some )?rope\b(?!.{0,40}\b(for|to|camping|climbing|"
        r"tent|boat|swing|garden|tow|dog|gym|crafts?)\b)",
    ),
    _r(
        "suicide.painless",
        "suicide",
        r"\b(painless|quick|quickest|easy|easiest|best|surest) ways? to (go|die|end it|do it)\b",
    ),
    _r(
        "suicide.burden",
        "suicide",
        r"\b(i'm|i am|being|i feel like|feel like) (such |just |only |nothing but )?a burden\b"
        r"|\b(have to|need to) (deal with|put up with|worry about) me (much|any) longer\b",
        negatable=False,
    ),
    _r(
        "suicide.anyone_notice",
        "suicide",
        r"\bwould (anyone|anybody) (even )?(notice|care|miss me)\b.{0,20}\bif (i|i'm) (died|was "
        r"gone|were gone|disappeared|was dead|wasn't here)",
        negatable=False,
    ),
    _r(
        "suicide.said_goodbye",
        "suicide",
        r"\bsa(id|ying|ys) goodbye to (everyone|everybody|all of us|us all)\b"
        r"|\b(going to|might|will|'ll) do something (stupid|drastic) to (myself|herself|himself|"
        r"themselves)\b|\bdone trying\b(?! to)",
    ),
    # Self-harm.
    _r("self_harm.word", "self_harm", r"\bself[- ]?(harm|injur|mutilat)\w*"),
    _r("self_harm.sh", "self_harm", r"\bsh (urges?|again|relapse|scars?|cuts?)\b"),
    _r(
        "self_harm.reflexive",
        "self_harm",
        rf"\b(hurt|hurting|harm|harmed|harming|cut|cuts|cutting|burn|burns|burned|burnt|burning|"
        rf"injure|injured|injuring|hit|hitting|punch|punched|punching|starve|starved|starving|"
        rf"punish|punished|punishing|bruise|bruised|scratch|scratched|scratching) {_REFLEXIVE}",
    ),
    _r(
        "self_harm.cutting",
        "self_harm",
        r"\b(cutting|cut) (again|my (arms?|wrists?|legs?|thighs?|skin|stomach))\b"
        r"|\b(urges? to|feel like|used to|started|stopped|relapsed? (and|into)) cut(ting)?\b"
        r"(?! (my hair|back|down|off|out|corners|carbs|costs|sugar|class|school|ties))",
    ),
    _r(
        "self_harm.cuts_on",
        "self_harm",
        r"\b(cuts|scars|burns) on (my|his|her|their) (arms?|wrists?|legs?|thighs?|skin|stomach)",
    ),
    _r(
        "self_harm.burn_skin",
        "self_harm",
        r"\bburn\w* (my|his|her) (arms?|skin|wrists?|legs?|thighs?|hands?) with",
    ),
    _r(
        "self_harm.until_bleed",
        "self_harm",
        r"\b(scratch|pick|punch|hit|bang|bit)\w*\b.{0,40}\b(until|till|til)\b.{0,25}\b(bleed|bleeds|bled|"
        r"bleeding|hurts?|bruise\w*)\b",
    ),
    _r(
        "self_harm.feel_pain",
        "self_harm",
        r"\b(want|wanted|need|needed) to feel (pain|the pain|something physical)\b"
        r"|\bdeserve (to be hurt|(the )?pain|to suffer|to bleed)\b|\bfeel (physical )?pain "
        r"(instead|rather)\b",
    ),
    _r(
        "self_harm.blade",
        "self_harm",
        r"\b(used|use|using|get|getting|got|grab\w*|hid|hide|hiding|hidden|keep|keeping|staring "
        r"at|took out|take out) (the |a |my )?(\w+ )?(razor|blade|blades)\b(?! (of grass|runner))"
        r"|\b(razor|blade)s? (on|across|to) my (arm|arms|wrist|wrists|leg|legs|thigh|thighs|skin|"
        r"stomach)\b",
    ),
    _r(
        "self_harm.head_wall",
        "self_harm",
        r"\b(hit|hitting|bang\w*|slam\w*|smash\w*) my head (against|into|on)\b",
    ),
    _r(
        "self_harm.conceal",
        "self_harm",
        r"\b(hide|hiding|hid|cover|covering|covered)\b.{0,20}\b(the |my )?(marks|scars|cuts|"
        r"burns)\b|\b(sleeves|bracelets|plasters|bandages)\b.{0,40}\b(no ?one|nobody) "
        r"(sees?|notices?|sees) (the |my )?(marks|scars|cuts|burns)\b",
    ),
    _r(
        "self_harm.wounds",
        "self_harm",
        r"\b(pick\w*|reopen\w*|open\w*) (at )?(the |my )?(cuts|scabs|wounds|scars)\b"
        r"|\bfresh (cuts|scars|wounds|burns)\b",
    ),
    _r(
        "self_harm.on_purpose",
        "self_harm",
        r"\b(punch\w*|hit|hitting|cut|cutting|burn\w*|scratch\w*|bit|bite|biting)\b.{0,40}\bon "
        r"purpose\b|\bwant(ed)? it to hurt\b",
    ),
    _r(
        "self_harm.extra_pills",
        "self_harm",
        r"\btook (a few |some |all |\w+ )?(extra|too many|more) (of )?(my |the )?(pills|tablets|"
        r"meds)\b",
    ),
    _r(
        "self_harm.relapse",
        "self_harm",
        r"\brelapsed? (tonight|today|again|last night|this (morning|evening|week))\b",
    ),
    # Harm to others.
    _r(
        "harm_to_others.intent",
        "harm_to_others",
        rf"(\b(want|wants|wanted|going|plan|planning|about|ready|need|tempted|trying|try|have|has|"
        rf"must)( to)?|"
        rf"'ll|\bwill|'d like to|\bwould like to|\bi'm going to) (\w+ )?{_HARM_VERB} {_PERSON_OBJ}"
        rf"|\bbeat (him|her|them|\w+) up\b",
    ),
    _r(
        "harm_to_others.imagining",
        "harm_to_others",
        rf"\b(imagin\w*|fantasi[sz]\w*( about)?|dream\w* about|thoughts? (of|about)|"
        rf"think\w* about|urges? to) ({_HARM_ING}|{_HARM_VERB}) {_PERSON_OBJ}",
    ),
    _r("harm_to_others.suffer", "harm_to_others", r"\bmake (him|her|them|my \w+) (suffer|bleed)\b"),
    _r(
        "harm_to_others.weapon",
        "harm_to_others",
        r"\b(bought|got|buy|buying|getting|get) (a |my |his |her )?(gun|firearm|rifle|pistol|"
        r"shotgun)\b.{0,25}\b(him|her|them|my \w+)\b",
    ),
    _r(
        "harm_to_others.revenge",
        "harm_to_others",
        r"\bknow where (he|she|they) li(ves|ve)\b"
        r"|\bmake (him|her|them) pay\b(?! (for (dinner|the|it|lunch|rent|half|his|her|their)|"
        r"back))"
        r"|\bmake sure (no ?one|nobody) (else )?(gets|has|can have) (her|him)\b"
        r"|\bif i can't have (her|him),? (no ?one|nobody) (can|will)\b",
        negatable=False,
    ),
    _r(
        "harm_to_others.weapon_taken",
        "harm_to_others",
        r"\b(got|took|get|take|grab\w*|load\w*) (\w+ ){0,2}(gun|rifle|pistol|shotgun|firearm)s? "
        r"(out|from)\b"
        r"|\b(bring|bringing|brought|take|taking|carry|carrying) (a |my |his |her )?(knife|gun|"
        r"weapon|blade)s? (to|into) (school|class|work|the office|campus)\b",
    ),
    _r(
        "harm_to_others.perpetrator",
        "harm_to_others",
        rf"\bi (\w+ )?(hit|slapped|punched|choked|shoved|pushed|kicked|beat|strangled|shook|"
        rf"smacked) (my|our|the) ({_RELATION}|baby|kid|kids|child|children|toddler)\b",
    ),
    _r(
        "harm_to_others.mass",
        "harm_to_others",
        r"\bshoot (up )?(a|the|his|her|their|my|our) (\w+ )?(school|workplace|office|work|class|"
        r"church|mall|mosque|synagogue|temple|party)\b"
        r"|\b(drive|driving|drove|plow\w*|plough\w*|ram\w*) (my |the |a )?(car |truck |van )?"
        r"into (the |a )?(crowd|people|pedestrians)\b"
        r"|\bburn (his|her|their|the) (house|car|place|flat|apartment) down\b",
    ),
    _r(
        "harm_to_others.beat_out_of",
        "harm_to_others",
        r"\bbeat the (crap|shit|hell|life|living daylights) out of\b",
    ),
    _r(
        "harm_to_others.voices",
        "harm_to_others",
        r"\bvoices? (tell|tells|told|say|says|said|telling) me (i have |to )",
        negatable=False,
    ),
    _r(
        "harm_to_others.spike",
        "harm_to_others",
        r"\b(put|putting|slip|slipping|add|adding) (something|poison|pills|bleach|\w+) in(to)? "
        r"(his|her|their|my [\w ]{1,20}?)('s|s)? (tea|coffee|drink|food|meal|water)\b",
    ),
    _r(
        "harm_to_others.conditional_dead",
        "harm_to_others",
        r"\bif\b.{0,40}\b(they're|he's|she's|you're|they are|he is|she is) (so )?dead\b"
        r"|\bfollow(ing|ed)? (her|him|them) home\b",
    ),
    # Danger from someone (abuse), first or third person.
    _r(
        "abuse_danger.assault",
        "abuse_danger",
        rf"{_AGGRESSOR} (\S+ ){{0,2}}?{_ASSAULT} {_VICTIM}\b",
        inner=True,
    ),
    _r(
        "abuse_danger.threw_at",
        "abuse_danger",
        rf"{_AGGRESSOR} (\S+ ){{0,2}}?(threw|throws|throw|throwing) .{{0,20}}\bat (me|us)\b",
        inner=True,
    ),
    _r(
        "abuse_danger.fear_harm",
        "abuse_danger",
        r"\b(scared|afraid|terrified|frightened|fear|worried)\b.{0,25}\b(hurt|kill|hit|beat|"
        r"attack|harm|rape|stab|shoot)\w* (me|us|my \w+)\b",
    ),
    _r(
        "abuse_danger.will_harm",
        "abuse_danger",
        r"\b(he|she|they)('ll| will| would|'d|'s going to| is going to|'re going to| are going "
        r"to) (\w+ )?(hurt|kill|harm|hit|beat|take) (me|us|my (kids|children|son|daughter|baby))\b",
    ),
    _r(
        "abuse_danger.threat",
        "abuse_danger",
        r"\bthreat\w* (me |us )?(with (a |an |his |her )?(knife|gun|weapon|bat|hammer)|to (kill|"
        r"hurt|harm|hit|beat|stab|shoot|take (the|my) (kids|children)))",
    ),
    _r(
        "abuse_danger.fear_person",
        "abuse_danger",
        rf"\b(scared|afraid|terrified|frightened) (of|for) (him|her|them|my life|our lives|my "
        rf"{_RELATION})\b(?! (leaving|going|finding|losing|not|being|getting bored|cheating|"
        rf"meeting|will leave|moving))",
    ),
    _r(
        "abuse_danger.afraid_home",
        "abuse_danger",
        r"\b(scared|afraid|terrified|frightened) to go (back )?home\b",
    ),
    _r(
        "abuse_danger.not_safe",
        "abuse_danger",
        r"\b(don't|do not|never|no longer|not) (feel |feeling )?safe (at home|in my (own )?(home|"
        r"house|flat|apartment)|with (him|her|them|my \w+)|around (him|her|them|my \w+)|when "
        r"(he|she|they))",
        negatable=False,
    ),
    _r(
        "abuse_danger.control",
        "abuse_danger",
        r"\b(won't|doesn't|does not|will not|never) let me (leave|go out|out of|see (my )?"
        r"(friends|family)|have (my own )?money)"
        r"|\b(takes?|took|taking) (away )?my (phone|keys|passport|money|bank card)\b(?! to)"
        r"|\block(s|ed)? me (in|out)\b",
        negatable=False,
    ),
    _r(
        "abuse_danger.sexual",
        "abuse_danger",
        r"\b(forced|forces|made|pressured) me (to )?(have sex|into sex|sleep with)"
        r"|\brap(ed|es|ing)? (me|her|him)\b|\bsexually (assaulted|abused)\b",
    ),
    _r("abuse_danger.stalking", "abuse_danger", r"\bstalk(s|ed|ing)? (me|us)\b"),
    _r(
        "abuse_danger.bruises",
        "abuse_danger",
        r"\bbruise[sd]? (from|where|after) (him|her|them|where|when) (he|she|they)?",
    ),
    _r(
        "abuse_danger.throwing",
        "abuse_danger",
        r"\b(he|she|they)('s| is|'re| are) (throwing|smashing|breaking) (things|stuff|plates|"
        r"furniture|everything)\b|\bhiding from (him|her|them|my \w+)\b",
    ),
    _r(
        "abuse_danger.night_room",
        "abuse_danger",
        r"\b(comes|came|coming|sneaks|sneaked|creeps|crept) (into|in) (my|our|her|his) (room|bed)\b"
        r"|\b(it's|its|it is) our (little )?secret\b"
        r"|\btouch\w* me\b.{0,40}\b(secret|don't tell|not to tell|don't like|make it stop)\b",
        negatable=False,
    ),
    _r(
        "abuse_danger.coercive_control",
        "abuse_danger",
        r"\bcontrols? (all )?(the |my |our )?(money|finances|bank)\b"
        r"|\b(never|not) see (the|my|our) (kids|children) again\b"
        r"|\b(not allowed|isn't allowed|aren't allowed|never allowed) to (see|have|leave|go out|"
        r"talk to|call)\b",
        negatable=False,
    ),
    _r(
        "abuse_danger.door_barricade",
        "abuse_danger",
        r"\bchair (against|under|in front of) (my|the) (bedroom )?door\b",
    ),
    _r(
        "abuse_danger.image_threat",
        "abuse_danger",
        r"\bthreat\w* to (post|share|send|leak|release|show) (my|our) (pics|photos|pictures|nudes|"
        r"videos)\b",
    ),
    _r(
        "abuse_danger.injury",
        "abuse_danger",
        rf"{_AGGRESSOR} (\S+ ){{0,2}}?(broke|fractured|split|bloodied|dislocated) (my|our|her|his) "
        rf"(wrist|arm|nose|ribs?|jaw|finger|hand|lip|tooth|teeth)\b"
        r"|\b(punch\w*|hit|smash\w*|threw|throws?) .{0,25}\b(next to|beside|near|inches from) "
        r"my (head|face)\b",
    ),
    _r(
        "abuse_danger.showing_up",
        "abuse_danger",
        r"\b(keeps|kept|keep) (showing|turning) up at (my|our) (work|house|home|door|school|job|"
        r"flat|apartment)\b",
    ),
    _r(
        "abuse_danger.locked_door",
        "abuse_danger",
        r"\bdoors? locked because of (him|her|them|my \w+)",
    ),
)

# --- Negation --------------------------------------------------------------------------------

_NEGATOR = re.compile(r"\b(not|never|no|none|without|nor|neither)\b|n't\b")
# Negators that do not negate what follows: "I can't stop thinking about…", "nobody knows…".
_NOT_A_NEGATION = re.compile(
    r"\b(not sure|don't know|do not know|no idea|no matter|no one|can't stop|couldn't stop|"
    r"can't help|couldn't help|not just|not only|won't stop|doesn't stop|isn't stopping|"
    r"can't sleep|didn't sleep|not okay|not ok|not fine|not good|never mind)\b"
)
# Clause boundaries: a negator in an earlier clause ("I'm not okay and I want to die") does not
# reach the match.
_BOUNDARY = re.compile(r"[.!?;,:\n\"()]| (and|but|so|because|though|although|yet|then) |\s[-–—]\s")
# "I haven't self-harmed in two years": a denial with a time span is recovery, still shown.
_RECOVERY = re.compile(
    r"^\W*\b(in|for|since)\b.{0,20}\b(years?|months?|weeks?|days?|\d+|ages|a while|then)\b"
)
_WINDOW = 4  # words before the match a negator may sit in


def _negated(text: str, start: int, end: int, inner: bool) -> bool:
    before = text[:start]
    cut = max((m.end() for m in _BOUNDARY.finditer(before)), default=0)
    window = " ".join(before[cut:].split()[-_WINDOW:])
    span = text[start:end] if inner else ""
    scope = _NOT_A_NEGATION.sub(" ", f"{window} {span}")
    if not _NEGATOR.search(scope):
        return False
    return not _RECOVERY.search(text[end:])


def prepare_text(text: str) -> str:
    """What both the rules and the classifier read: normalised, with known idioms blanked."""
    return _mask_idioms(_normalise(text))


MODEL_RULE_ID = "model.classifier"
# Below this many words the classifier has too little to go on and mostly echoes its training
# mix ("Me", "I can't sleep" were flagged); short explicit statements are the rules' strength.
MODEL_MIN_WORDS = 3
_SENTENCE_END = re.compile(r"[.!?;\n]+")


def _sentences_without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text's sentences that overlap none of ``spans``, joined."""
    kept, start = [], 0
    for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if start < end and not any(a < end and start < b for a, b in spans):
            kept.append(text[start:end])
        start = end
    return " ".join(part.strip() for part in kept if part.strip())


def screen_text(text: str) -> SafetyResult:
    """Screen one piece of free text for signs of risk; deterministic, local, side-effect free.

    Never logs, prints or stores ``text``; the result carries rule ids, not words. Empty or
    non-string-like input is not risk.
    """
    if not text or not text.strip():
        return SafetyResult(False, (), ())
    plain = _normalise(text)
    idioms = _idiom_spans(plain)
    norm = _mask_idioms(plain, idioms)
    rule_ids: list[str] = []
    found: set[str] = set()
    set_aside = list(idioms)
    for rule in _RULES:
        for m in rule.pattern.finditer(norm):
            if rule.negatable and _negated(norm, m.start(), m.end(), rule.inner):
                set_aside.append(m.span())
                continue
            rule_ids.append(rule.id)
            found.add(rule.category)
            break
    # The classifier catches wordings no rule knows. It is asked only when no rule fired (the
    # rules' categories are the more precise), and it does not read a sentence in which a rule
    # saw an explicit denial ("he has never hit me") or an idiom was blanked ("I'm dying to see
    # her"): bag-of-words features cannot read negation or idiom, and what an idiom leaves
    # ("I'm ... see her") misleads them. The other sentences of the entry are still read.
    if not rule_ids:
        readable = _sentences_without(norm, set_aside)
        if len(_WORD_RE.findall(readable)) >= MODEL_MIN_WORDS:
            model_category = safety_model.risk_category(readable)
            if model_category is not None:
                rule_ids.append(MODEL_RULE_ID)
                found.add(model_category)
    categories = tuple(c for c in CATEGORIES if c in found)
    return SafetyResult(bool(rule_ids), categories, tuple(rule_ids))


# --- Resources -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """One place to get help: who, how to reach them, where it works, and where that was checked."""

    name: str
    contact: str
    region: str
    source: str
    topics: tuple[str, ...] = CATEGORIES


@dataclass(frozen=True)
class CrisisMessage:
    """A heading and a paragraph shown above the resource list."""

    title: str
    body: str


@cache
def _load() -> tuple[str, tuple[Resource, ...], dict[str, CrisisMessage]]:
    raw = tomllib.loads(
        (resources.files("safebase.core.practice") / "crisis_resources.toml").read_text("utf-8")
    )
    items = tuple(
        Resource(
            name=r["name"],
            contact=r["contact"],
            region=r["region"],
            source=r["source"],
            topics=tuple(r.get("topics", CATEGORIES)),
        )
        for r in raw["resource"]
    )
    messages = {kind: CrisisMessage(m["title"], m["body"]) for kind, m in raw["messages"].items()}
    return raw["immediate_danger"], items, messages


def immediate_danger_message() -> str:
    """The line shown above every list: call the local emergency number if in immediate danger."""
    return _load()[0]


def crisis_message(kind: str) -> CrisisMessage:
    """``flagged`` (a rule fired), ``gentle`` (only the classifier did) or ``help`` (asked for)."""
    return _load()[2][kind]


def crisis_resources(
    local_number: str | None = None, local_label: str | None = None
) -> list[Resource]:
    """The resource list, with a configured local number first when one is given.

    The app passes SAFEBASE_CRISIS_NUMBER / SAFEBASE_CRISIS_LABEL; the core reads no environment.
    A label without a number is ignored: a name with no way to reach it helps nobody.
    """
    items = list(_load()[1])
    if local_number and local_number.strip():
        items.insert(
            0,
            Resource(
                name=(local_label or "").strip() or "Local crisis line",
                contact=local_number.strip(),
                region="Local",
                source="Configured for this installation (SAFEBASE_CRISIS_NUMBER)",
            ),
        )
    return items
