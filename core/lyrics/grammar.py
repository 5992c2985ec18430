"""A small grammar sanity check for one sung line: the mistakes a tiny model makes most.

Not a parser. ``problems(line)`` names local errors that are wrong in any reading, found
from closed-class word lists (below) and the parts of speech WordNet gives each word
(``resources/lexicon/english-pos.json.gz``, built by core/training/pos_table.py):

- a line ending on a determiner, preposition, conjunction or a form of "be";
- "a" before a vowel sound, "an" before a consonant;
- two determiners in a row ("the my"), or a determiner with no noun after it ("a cursed
  in", "the lovingly", "the arrive");
- a subject pronoun with the wrong verb ("I is", "you was", "he are", "she going",
  "he come"), or with no verb after it ("she lee", "I the");
- an object pronoun as a subject ("me was");
- a singular noun phrase with a plural verb ("the road were", "a man are");
- a modal or "do" before a verb form that cannot follow it ("would leaving", "did
  showed"), a form of "be" before a bare verb ("be go", "am prove");
- a preposition before a subject pronoun or a finite verb ("in were", "with I");
- two "is"/"was" in one clause ("I was a wind was dead");
- the same word twice in a row, or any word but "the", "a", "and" three times.

``fragment(line)`` is separate: True for a line with no verb at all. Lyrics may be verb-
less ("A little city, black and light"), so the writer weighs it lightly; but a tiny
model's verb-less lines are mostly noun salad ("The red and the sea of the moon").

Every rule errs towards silence: WordNet gives most words several parts of speech, and a
word it does not know is taken as anything.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

from core.errors import SongloomError

POS_FILE = "english-pos.json.gz"
POS_FORMAT = "songloom-pos-v1"

DETERMINERS = frozenset("the a an my your our their its every thy".split())
SUBJECTS = frozenset("i he she we they".split())  # "you", "it": objects as well
OBJECTS = frozenset("me him us them".split())
PREPOSITIONS = frozenset("""of in on at by with from into onto upon under over through across
among between toward towards without within against beneath beside behind beyond above below
during""".split())
CONJUNCTIONS = frozenset("and or but nor if because although though whether than".split())
BE = frozenset("am is are was were be been being".split())
FINITE = frozenset("am is are was were has have had does do did".split())
MODALS = frozenset("will would shall should can could may might must".split())
NEGATIONS = frozenset("not never n't".split())
CONTRACTED_MODAL = re.compile(r"^(i|you|he|she|it|we|they)'(ll|d)$")
NEGATED_MODAL = re.compile(r"^(do|does|did|could|would|should|ca|wo|must|might|sha)n't$")
SUBJECT_ADVERBS = frozenset("never always still just only often ever too so then now".split())
CONTRACTED = re.compile(r"^[a-z]+'(m|re|s|ve|ll|d)$|^[a-z]+n't$")
# Ending a line on these leaves it hanging (a particle such as "on" or "by" can end one).
HANGING = DETERMINERS | CONJUNCTIONS | frozenset(
    "of to with from into onto upon at am is are was were".split())
# Subject-verb pairs that are wrong in any reading ("I were", "he were": see below).
WRONG_VERB = {
    "i": {"is", "are", "has", "does"},
    "he": {"am", "are", "have", "do"},
    "she": {"am", "are", "have", "do"},
    "it": {"am", "are", "have"},
    "we": {"am", "is", "was", "has", "does"},
    "they": {"am", "is", "was", "has", "does"},
    "you": {"am", "is", "was", "has", "does"},
}
SUBJUNCTIVE = frozenset("if as though wish".split())  # "if I were", "as it were"
# After a subject pronoun, besides verbs and adverbs (not "I the", "she lee").
AFTER_SUBJECT = frozenset("""and or but nor all both who that alone too myself himself herself
ourselves themselves yourself itself only just still now then not never ever so""".split())
IRREGULAR_PLURALS = frozenset("""men women children people feet teeth mice geese sheep deer fish
folk cattle police""".split())
# A subject and the object pronoun that would have to be reflexive in its own clause.
REFLEXIVE = {"i": "me", "i'll": "me", "i'd": "me", "i'm": "me", "we": "us", "we'll": "us"}
QUANTIFIERS = frozenset("""few many thousand hundred million dozen couple score two three four
five six seven eight nine ten twenty""".split())
# Words that start a new clause inside a line ("the night that is", "I know what is").
CLAUSE_WORDS = frozenset("that which who whom whose where when what why how as so while till until "
                         "since once".split())
# Prepositions that need their object right after them (not particles: "go on,").
STRICT_PREPOSITIONS = frozenset("of with from into onto upon at among between toward towards "
                                "against during the a an".split())
# Words that end a noun phrase (or never start one) besides the closed classes above.
NOT_IN_PHRASE = frozenset("""for like as so when where while which who whom whose what how why
there not""".split())
# Verbs whose participle is their base: "have come" is right, "had woo" is not.
SAME_PARTICIPLE = frozenset("""come become overcome run outrun burst cut put set hit let shut
spread cost hurt quit read bet cast thrust bid rid shed slit split spit beat broadcast""".split())
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*|[,.;:!?]")


class GrammarError(SongloomError):
    """The part-of-speech table is missing or damaged."""


def default_pos_path() -> Path:
    from core.paths import resources_dir

    return resources_dir() / "lexicon" / POS_FILE


@lru_cache(maxsize=2)
def load_pos(path: str | None = None) -> dict[str, str]:
    """word -> letters (n v a r; verb forms b d g z), read once per process."""
    p = Path(path) if path else default_pos_path()
    try:
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise GrammarError("the part-of-speech table is missing from this installation",
                           p) from None
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GrammarError(f"the part-of-speech table is damaged ({exc})", p) from None
    if not isinstance(doc, dict) or doc.get("format") != POS_FORMAT \
            or not isinstance(doc.get("words"), dict):
        raise GrammarError(f"not a Songloom part-of-speech table (expected {POS_FORMAT})", p)
    return doc["words"]


def tokens(line: str) -> list[str]:
    return WORD.findall(line.lower().replace("\u2019", "'"))


def _vowel_sound(word: str) -> bool:
    if word.startswith(("hour", "honest", "honor", "honour", "heir")):
        return True
    if word.startswith(("uni", "use", "usu", "uti", "ure", "eu", "ewe", "one", "once", "uk")):
        return False
    return word[:1] in "aeiou"


class Checker:
    """The rules over one part-of-speech table (see the module docstring)."""

    def __init__(self, pos: dict[str, str] | None = None):
        self.pos = load_pos() if pos is None else pos

    def _tags(self, w: str) -> str | None:
        """The word's letters, or None for a word WordNet does not know (anything)."""
        return self.pos.get(w)

    def _can(self, w: str, letters: str) -> bool:
        t = self._tags(w)
        return t is None or any(c in t for c in letters)

    def _closed(self, w: str) -> bool:
        return (w in DETERMINERS or w in SUBJECTS or w in OBJECTS or w in PREPOSITIONS
                or w in CONJUNCTIONS or w in FINITE or w in BE or w in MODALS or w == "to")

    def _noun_only(self, w: str) -> bool:
        t = self._tags(w)
        return t == "n"

    def _verb_only(self, w: str, forms: str) -> bool:
        """A verb of only these forms, and nothing else ("arrive", "showed")."""
        t = self._tags(w)
        return bool(t) and "v" in t and not any(c in t for c in "nar") \
            and all(c in forms for c in t if c in "bdgz")

    def problems(self, line: str) -> list[str]:
        toks = tokens(line)
        out: list[str] = []
        words = [w for w in toks if w[0].isalpha()]
        if not words:
            return ["no words"]
        if words[-1] in HANGING:
            out.append(f"ends on '{words[-1]}'")
        out += self._two_finite_be(toks)
        for w in dict.fromkeys(words):
            if w not in ("the", "a", "and") and words.count(w) >= 3:
                out.append(f"'{w}' three times")  # "You leave you, or come; you, to you"
        for i, w in enumerate(toks):
            nxt = toks[i + 1] if i + 1 < len(toks) else ""
            prev = toks[i - 1] if i else ""
            if not nxt or not nxt[0].isalpha():
                nxt_word = ""
            else:
                nxt_word = nxt
            if nxt_word and nxt_word == w:
                out.append(f"'{w} {w}'")
            if w in ("a", "an") and nxt_word and nxt_word not in DETERMINERS:
                if (w == "an") != _vowel_sound(nxt_word):
                    out.append(f"'{w} {nxt_word}'")
            if w in DETERMINERS:
                out += self._noun_phrase(toks, i)
            # "You and I were": a joined subject is plural.
            plural = prev in ("and", "or", "nor") and nxt_word in ("are", "were", "have", "do")
            if w in WRONG_VERB and nxt_word in WRONG_VERB[w] and not plural:
                out.append(f"'{w} {nxt_word}'")
            if w in ("i", "he", "she", "it") and nxt_word == "were" and prev not in SUBJUNCTIVE \
                    and not plural:
                out.append(f"'{w} were'")
            if w in SUBJECTS and nxt_word:
                out += self._after_subject(w, nxt_word)
            if w in OBJECTS and (nxt_word in FINITE or nxt_word in MODALS):
                out.append(f"'{w} {nxt_word}'")
            if (w in PREPOSITIONS or w == "to") and nxt_word in CONJUNCTIONS:
                out.append(f"'{w} {nxt_word}'")  # "to and"
            if w in SUBJECTS and not nxt_word and prev[:1].isalpha() and self._noun_only(prev):
                out.append(f"'{prev} {w}'")  # "I am a child I"
            if w == "let" and nxt_word in OBJECTS | {"it", "her", "you"} and i + 2 < len(toks) \
                    and (toks[i + 2] in FINITE | MODALS | BE - {"be"}):
                out.append(f"'let {nxt_word} {toks[i + 2]}'")  # "let it is"
            if (w in MODALS or w in ("do", "does", "did") or CONTRACTED_MODAL.match(w)
                    or NEGATED_MODAL.match(w)) and not (
                    prev in DETERMINERS or prev.endswith("'s")):  # "my will", "all my might"
                out += self._after_modal(toks, i)
            if w in ("have", "has", "had") and nxt_word and self._verb_only(nxt_word, "b") \
                    and nxt_word not in SAME_PARTICIPLE:
                out.append(f"'{w} {nxt_word}'")  # "had woo"
            if w in ("have", "has", "had") and nxt_word.endswith("ing") \
                    and "g" in (self._tags(nxt_word) or ""):
                out.append(f"'{w} {nxt_word}'")  # "I have going"
            if w == "to" and nxt_word and self._verb_only(nxt_word, "dz"):
                out.append(f"'to {nxt_word}'")  # "to say said", "to showed"
            if nxt_word and self._verb_only(w, "d") and self._verb_only(nxt_word, "d"):
                out.append(f"'{w} {nxt_word}'")  # "I lost said"
            if w in SUBJECTS | {"you"} and nxt_word == "not" and prev not in ("if", "than"):
                out.append(f"'{w} not'")  # "You not think": no "do"
            if w in ("a", "an", "every", "each", "another"):
                out += self._plural_after(toks, i)
            if w in REFLEXIVE:
                out += self._reflexive(toks, i)
            if w in BE and nxt_word and self._verb_only(nxt_word, "b"):
                out.append(f"'{w} {nxt_word}'")
            if w in PREPOSITIONS and nxt_word and (
                    nxt_word in SUBJECTS or nxt_word in FINITE or nxt_word in MODALS):
                out.append(f"'{w} {nxt_word}'")
            if w in SUBJECTS:
                out += self._after_subject_adverbs(toks, i)
            if w in FINITE | BE - {"be", "been", "being"} and nxt_word and (
                    (CONTRACTED.match(nxt_word) and not nxt_word.endswith("'s"))
                    or (w in BE and nxt_word in FINITE)
                    or (w in ("have", "has", "had") and nxt_word in BE - {"been"})):
                out.append(f"'{w} {nxt_word}'")  # "is was", "have haven't", "had is"
            if w in STRICT_PREPOSITIONS and nxt and not nxt[0].isalpha():
                out.append(f"'{w}{nxt}'")  # "a sleep of, and me"
            if w in ("were", "are") and i >= 2 and self._singular_phrase(toks[i - 2], prev):
                out.append(f"'{toks[i - 2]} {prev} {w}'")
        return list(dict.fromkeys(out))

    def _noun_phrase(self, toks: list[str], i: int) -> list[str]:
        """A determiner needs a noun: after it, adjectives and adverbs until a word that can
        be a noun (or a possessive, which starts another phrase)."""
        det = toks[i]
        for w in toks[i + 1:]:
            if w in MODALS and self._can(w, "n"):
                return []  # "my might", "thy will"
            if not w[0].isalpha() or self._closed(w) or w in NOT_IN_PHRASE:
                what = "another determiner" if w in DETERMINERS else (
                    f"'{w}'" if w[0].isalpha() else "no noun")
                return [f"'{det}' then {what}"]
            if w.endswith("'s"):
                continue  # "a woman's ...": the possessive's own noun must still come
            if self._can(w, "n"):
                return []
            if w == "own":
                return []  # "on my own"
            if not self._can(w, "ar") and w not in ("very", "more", "most", "other"):
                return [f"'{det} {w}'"]
        return [f"'{det}' then no noun"]

    def _after_subject_adverbs(self, toks: list[str], i: int) -> list[str]:
        """Past the adverbs after a subject ("I never ..."): a bare "be" ("I never be"), or
        a finite verb and then another subject ("I have I heard")."""
        j = i + 1
        while j < len(toks) and toks[j] in SUBJECT_ADVERBS:
            j += 1
        if j >= len(toks):
            return []
        if toks[j] == "be":
            return [f"'{toks[i]} ... be'" if j > i + 1 else f"'{toks[i]} be'"]
        if toks[j] in FINITE | BE | MODALS and j + 1 < len(toks) and toks[j + 1] in SUBJECTS:
            return [f"'{toks[i]} {toks[j]} {toks[j + 1]}'"]
        return []

    def _two_finite_be(self, toks: list[str]) -> list[str]:
        """"I was a wind was dead", "There was to the wind is a night": a second "is"/"was"
        in the same clause, with no comma, conjunction or relative word between."""
        last = ""
        for w in toks:
            if not w[0].isalpha() or w in CONJUNCTIONS or w in CLAUSE_WORDS:
                last = ""
            elif w in BE - {"be", "been", "being"}:
                if last:
                    return [f"'{last} ... {w}'"]
                last = w
        return []

    def _reflexive(self, toks: list[str], i: int) -> list[str]:
        """"I'll tell me", "I saw me": the subject's own object pronoun one or two words on
        (it would be "myself"); a new subject, a comma, "to" or a conjunction ends the
        clause ("I want you to love me")."""
        obj = REFLEXIVE[toks[i]]
        for w in toks[i + 1 : i + 4]:
            if w == obj:
                return [f"'{toks[i]} ... {w}'"]
            if not w[0].isalpha() or w in SUBJECTS or w in OBJECTS or w in CONJUNCTIONS \
                    or w in ("you", "it", "her", "to", "that", "for", "let", "make", "made"):
                return []
        return []

    def _after_subject(self, w: str, nxt: str) -> list[str]:
        if nxt in FINITE or nxt in MODALS or nxt in AFTER_SUBJECT or CONTRACTED.match(nxt):
            return []
        t = self._tags(nxt)
        if self._closed(nxt) or (t is not None and not any(c in t for c in "vr")):
            return [f"'{w} {nxt}'"]  # "I the", "she lee"
        if t is None or "v" not in t:
            return []
        if nxt.endswith("ing") and "g" in t:
            return [f"'{w} {nxt}'"]  # "she going": no "is"
        if w in ("he", "she") and "b" in t and not any(c in t for c in "dz"):
            return [f"'{w} {nxt}'"]  # "he come"
        if w in ("i", "we", "they") and "z" in t and "b" not in t and "d" not in t:
            return [f"'{w} {nxt}'"]  # "they goes"
        return []

    def _after_modal(self, toks: list[str], i: int) -> list[str]:
        j = i + 1
        while j < len(toks) and toks[j] in NEGATIONS:
            j += 1
        if j >= len(toks) or not toks[j][0].isalpha():
            return []
        w = toks[j]
        if w == "be" and toks[i].startswith("d"):
            return [f"'{toks[i]} be'"]  # "didn't be"
        if w in ("to", "so") and not toks[i].startswith("d"):
            return [f"'{toks[i]} {w}'"]  # "I shall not to tell", "will not so hard"
        if w in MODALS or w in DETERMINERS or w in PREPOSITIONS or w in CONJUNCTIONS \
                or w in ("that", "which", "who", "where", "when", "how", "why", "what"):
            return [f"'{toks[i]} {w}'"]  # "I'd in", "could that"
        if toks[i].endswith("'d") and not self._verb_only(w, "g"):
            return []  # "I'd gone": had as well as would
        if toks[i] in MODALS and w in FINITE and w not in ("have", "do"):
            return [f"'{toks[i]} {w}'"]
        t = self._tags(w)
        if t is None or w in FINITE or w in BE or w in NEGATIONS or w == "to":
            return []
        if (w.endswith("ing") and "g" in t) or ("v" in t and "b" not in t):
            return [f"'{toks[i]} {w}'"]  # "would leaving", "did showed", "will goes"
        if "v" not in t and "r" not in t:
            return [f"'{toks[i]} {w}'"]  # "will road"
        return []

    def _plural_after(self, toks: list[str], i: int) -> list[str]:
        """"a little birds": the phrase's noun, past its adjectives, is a regular plural."""
        head = ""
        for w in toks[i + 1 : i + 4]:
            t = self._tags(w) if w[0].isalpha() and not self._closed(w) else None
            if not t or not any(c in t for c in "nar"):
                break
            if w in QUANTIFIERS:
                return []  # "a few days", "a thousand years"
            if "n" in t:
                head = w  # the last noun of the run is its head ("a little birds")
        return [f"'{toks[i]} ... {head}'"] if head and self._plural(head) else []

    def _plural(self, w: str) -> bool:
        """A regular plural of a noun ("birds", "glasses", "skies"), not "glass" or "news"."""
        if not w.endswith("s") or w.endswith("ss") or w in ("news", "means", "series"):
            return False
        stems = [w[:-1], w[:-2] if w.endswith("es") else "", w[:-3] + "y" if w.endswith("ies") else ""]
        return any(s and "n" in (self._tags(s) or "") for s in stems)

    def _singular_phrase(self, det: str, noun: str) -> bool:
        """"the road", "a man": a singular subject for "were"/"are"."""
        if det not in ("the", "a", "an", "every", "this", "that") or noun in IRREGULAR_PLURALS:
            return False
        t = self._tags(noun)
        return bool(t) and "n" in t and not noun.endswith("s") and noun not in ("you",)

    def fragment(self, line: str) -> bool:
        """No verb anywhere: no auxiliary or modal, no contraction of one, and no word that
        can be a verb outside a noun phrase."""
        toks = [w for w in tokens(line) if w[0].isalpha()]
        for i, w in enumerate(toks):
            if w in FINITE or w in BE or w in MODALS or CONTRACTED.match(w):
                return False
            t = self._tags(w)
            if t and "v" in t and (i == 0 or toks[i - 1] not in DETERMINERS):
                if i == 0 or toks[i - 1] in SUBJECTS or toks[i - 1] in OBJECTS \
                        or toks[i - 1] in ("to", "and", "i", "you", "it") or "n" not in t:
                    return False
        return True


@lru_cache(maxsize=1)
def default_checker() -> Checker:
    return Checker()


def problems(line: str) -> list[str]:
    return default_checker().problems(line)
