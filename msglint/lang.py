"""Language knowledge as data: ``wordlists/_lang/<lang>.yml``.

Everything msglint knows about a language that is not a policy term list lives here: the
words that negate, the phrases whose negation negates nothing ("don't hesitate to"), the
conditionals, the words that end a clause, list conjunctions, pronouns, the prepositions
that tell "your e-mail" the message from "your e-mail" the address, "at"/"dot"/"slash"
words, the words that make a number a phone number, version words and spoken numbers.
Rules, the normaliser, the term engine and ``suggest`` read it from here, so a language
is improved in one file, and a new phrase reaches every rule that needs it.

``any.yml`` holds what does not depend on the language (clause punctuation, Amazon's
names, quotation marks, mail providers). Files are checked when they are loaded: an unknown
key or a value of the wrong shape stops msglint with the file and line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from msglint.datafile import DataFile, check_keys, expect_mapping, expect_phrases, load
from msglint.resources import wordlists_dir

#: the languages msglint has term lists for (Chinese is recognised, and matched with the Japanese lists)
LANGS = ("en", "de", "fr", "es", "it", "ja")
KNOWN = LANGS + ("zh",)

_LIST_KEYS = ("conditionals", "clause_breaks", "list_conjunctions", "object_pronouns", "article_pronouns", "prepositions_about",
              "number_labels", "number_words", "copulas", "refusals", "stay_on_amazon", "passive_auxiliaries", "perfect_auxiliaries", "participle_endings", "participle_not", "instruction_words",
              "enclitic_pronouns",
              "prepositions_to", "amazon_places", "at_words", "everyday_at_words", "at_sign_words", "spelling_fillers", "dot_words",
              "slash_words", "spelled_names", "phone_context",
              "version_words", "seller_own", "addressee_suffixes", "list_openers", "continuations",
              "dialect_function_words", "subordinators", "reported_speech", "report_verbs", "link_cues",
              "mail_cues", "brand_words")
_KEYS = _LIST_KEYS + ("name", "negation", "repeat_words", "numbers", "function_chars")
_NEGATION_KEYS = ("words", "exceptions", "transparent", "follows", "polite_question", "conditional_reach",
                  "verb_final_modals", "after_pronouns", "inverted_subjects", "only", "condition_endings")


@dataclass(frozen=True)
class Negation:
    words: tuple[str, ...]
    exceptions: tuple[str, ...]      # look negative, negate nothing: "no problem"
    transparent: tuple[str, ...]     # negate nothing after them: "don't hesitate to"
    follows: bool = False            # the negation stands after what it negates (Japanese)
    polite_question: tuple[str, ...] = ()   # 〜ませんか: a request, not a negation
    # a negation at most this many tokens after a conditional in its clause negates the condition
    # ("if you don't remove it"); verb-final clauses put words between ("wenn Sie die Bewertung
    # nicht bis Freitag löschen")
    conditional_reach: int = 2
    # verb-final clauses with the negated thing first ("Rabattcodes können wir dir leider nicht geben"):
    # a negation after the term counts when one of these modal verbs stands between them and the clause
    # ends within two words of the negation
    verb_final_modals: tuple[str, ...] = ()
    inverted_subjects: tuple[str, ...] = ()
    # verb-second main clauses put the negation after the verb and its pronouns ("bitte schicken Sie es nicht
    # an uns"): a negation right after a match, with only these words between, negates it
    after_pronouns: tuple[str, ...] = ()
    # "only" read with a negation after it (でしか扱っとらん: "sold only there"): between the term and the negation
    # it turns the negation into "only", which negates nothing
    only: tuple[str, ...] = ()
    # verb endings that make a condition (〜たら, 〜れば): a negation after one of them, between the term and the
    # negation, is the condition's outcome ("自社サイトで注文してくれはったら送料かからしまへん"), not the term's
    condition_endings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    code: str
    name: dict                       # {"en": "German", "zh": "德语"}
    negation: Negation
    lists: dict                      # key -> tuple of phrases (the _LIST_KEYS)
    repeat_words: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)     # spoken form -> int
    function_chars: str = ""

    def words(self, key: str) -> tuple[str, ...]:
        return self.lists.get(key, ())


def _language(code: str) -> Language:
    f = load(wordlists_dir() / "_lang" / f"{code}.yml")
    data = expect_mapping(f, f.data)
    check_keys(f, data, _KEYS, required=("name", "negation"))
    neg = expect_mapping(f, data["negation"], "negation")
    check_keys(f, neg, _NEGATION_KEYS, "negation", required=("words",))
    negation = Negation(
        words=tuple(expect_phrases(f, neg.get("words"), "negation", "words")),
        exceptions=tuple(expect_phrases(f, neg.get("exceptions"), "negation", "exceptions")),
        transparent=tuple(expect_phrases(f, neg.get("transparent"), "negation", "transparent")),
        follows=bool(neg.get("follows", False)),
        polite_question=tuple(expect_phrases(f, neg.get("polite_question"), "negation", "polite_question")),
        conditional_reach=_reach(f, neg.get("conditional_reach", 2)),
        verb_final_modals=tuple(expect_phrases(f, neg.get("verb_final_modals"), "negation", "verb_final_modals")),
        inverted_subjects=tuple(expect_phrases(f, neg.get("inverted_subjects"), "negation", "inverted_subjects")),
        after_pronouns=tuple(expect_phrases(f, neg.get("after_pronouns"), "negation", "after_pronouns")),
        only=tuple(expect_phrases(f, neg.get("only"), "negation", "only")),
        condition_endings=tuple(expect_phrases(f, neg.get("condition_endings"), "negation", "condition_endings")),
    )
    lists = {key: tuple(expect_phrases(f, data.get(key), key)) for key in _LIST_KEYS}
    return Language(code, _names(f, data["name"]), negation, lists,
                    _numbers(f, data.get("repeat_words"), "repeat_words"),
                    _numbers(f, data.get("numbers"), "numbers"),
                    str(data.get("function_chars") or ""))


def _reach(f: DataFile, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 20:
        raise f.error(f"'negation.conditional_reach' must be a whole number from 0 to 20, not {value!r}",
                      "negation", "conditional_reach")
    return value


def _names(f: DataFile, value) -> dict:
    names = expect_mapping(f, value, "name")
    check_keys(f, names, ("en", "zh"), "name", required=("en", "zh"))
    return {k: str(v) for k, v in names.items()}


def _numbers(f: DataFile, value, key: str) -> dict:
    out = {}
    for word, n in expect_mapping(f, value, key).items():
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 999:
            raise f.error(f"'{key}.{word}' must be a whole number from 0 to 999", key, word)
        out[str(word)] = n
    return out


@lru_cache(maxsize=None)
def get(code: str) -> Language:
    """The language file of ``code`` (one of KNOWN); ValueError for another code."""
    if code not in KNOWN:
        raise ValueError(f"no language file for {code!r} (one of {', '.join(KNOWN)})")
    return _language(code)


def term_language(code: Optional[str]) -> str:
    """The language whose term lists apply to text in ``code``: itself, Japanese for Chinese, else English."""
    if code in LANGS:
        return code
    return "ja" if code == "zh" else "en"


@dataclass(frozen=True)
class Common:
    clause_punctuation: tuple[str, ...]
    amazon_names: frozenset
    quotes: dict
    mail_providers: frozenset
    mailbox_names: frozenset
    # group -> ((group A, group B), ...): the group is also matched where A and B meet in one clause
    combined_groups: dict


@lru_cache(maxsize=1)
def common() -> Common:
    f = load(wordlists_dir() / "_lang" / "any.yml")
    data = expect_mapping(f, f.data)
    check_keys(f, data, ("clause_punctuation", "amazon_names", "quotes", "mail_providers", "mailbox_names",
                         "combined_groups"))
    quotes = expect_mapping(f, data.get("quotes"), "quotes")
    combined = {}
    for group, pairs in expect_mapping(f, data.get("combined_groups"), "combined_groups").items():
        if not isinstance(pairs, list):
            raise f.error(f"'combined_groups.{group}' must be a list of [group, group] pairs", "combined_groups", group)
        out = []
        for i, pair in enumerate(pairs):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(g, str) and ":" in g for g in pair)):
                raise f.error(f"'combined_groups.{group}' item {i + 1} must be a pair [family:group, family:group]",
                              "combined_groups", group, i)
            out.append((pair[0], pair[1]))
        combined[str(group)] = tuple(out)
    return Common(
        tuple(expect_phrases(f, data.get("clause_punctuation"), "clause_punctuation")),
        frozenset(p.lower() for p in expect_phrases(f, data.get("amazon_names"), "amazon_names")),
        {str(k): str(v) for k, v in quotes.items()},
        frozenset(p.lower() for p in expect_phrases(f, data.get("mail_providers"), "mail_providers")),
        frozenset(p.lower() for p in expect_phrases(f, data.get("mailbox_names"), "mailbox_names")),
        combined,
    )


def words(key: str, langs=KNOWN) -> frozenset:
    """The lower-case union of one list over ``langs`` (all known languages by default)."""
    return frozenset(w.lower() for code in langs for w in get(code).words(key))


def cue_before(key: str, tail: str = r"\s*$"):
    """A pattern for a word of one list of every language file standing right before a position (searched with
    an end): "link_cues" before a spelled web address, "brand_words" before a brand written with its dot."""
    import regex

    from msglint.lazyre import lazy

    escaped = sorted({regex.escape(w) for c in KNOWN for w in get(c).words(key)}, key=len, reverse=True)
    return lazy(regex.compile, r"(?i)(?<![\p{L}])(?:" + "|".join(escaped) + ")" + tail)


def name(code: str, explain_lang: str = "en") -> str:
    """The language's name for a reader of ``explain_lang`` ('German' / '德语'); the code when unknown."""
    if code in KNOWN:
        return get(code).name.get(explain_lang) or get(code).name["en"]
    return code
