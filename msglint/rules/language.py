"""Language rules (LG): text in a script or language that is not the marketplace's.

Teams writing in Chinese often leave Chinese in an English, German or Japanese message:
a greeting ("您好"), a note to a colleague ("请检查"), a placeholder ("【买家姓名】"), a signature.
Japanese uses Han characters too, so on the Japanese marketplace Chinese is told apart by
characters that Japanese does not use (not encodable in Shift_JIS / JIS X 0208) and by
sentences of Han characters without any kana.
"""
from __future__ import annotations

import codecs
from typing import Iterator, Optional

import regex

from msglint import lang as langdata
from msglint.context import Context
from msglint.languages import identify
from msglint.lazyre import lazy
from msglint.model import Hit, Rule, Severity
from msglint.pipeline import stop_word_hits, stop_words
from msglint.spans import quoted, trimmed

MESSAGE = frozenset({"message"})
BOTH = frozenset({"message", "listing"})

_HAN = r"\p{Han}"
_KANA = r"\p{Hiragana}\p{Katakana}ー"
# a run of CJK text, allowing CJK punctuation and spaces inside it
_CJK_RUN = lazy(regex.compile,
    rf"[{_HAN}{_KANA}\p{{Hangul}}](?:[{_HAN}{_KANA}\p{{Hangul}}、。，！？：；（）【】「」『』〜～·…\s]*[{_HAN}{_KANA}\p{{Hangul}}）】」』！？。])?")
_OTHER_SCRIPT = lazy(regex.compile,
    r"[\p{Cyrillic}\p{Greek}\p{Arabic}\p{Hebrew}\p{Thai}\p{Devanagari}]{2,}(?:\s+[\p{Cyrillic}\p{Greek}\p{Arabic}\p{Hebrew}\p{Thai}\p{Devanagari}]+)*")
_KANA_RE = lazy(regex.compile, rf"[{_KANA}]")
_HANGUL_RUN = lazy(regex.compile, r"\p{Hangul}(?:[\p{Hangul}\s,.!?·]*\p{Hangul})?")
_HAN_RE = lazy(regex.compile, _HAN)
# one Hangul letter (a jamo, not a syllable) among symbols is part of a face, not Korean: "(๑•̀ㅂ•́)و✧"
_JAMO = lazy(regex.compile, r"[\u1100-\u11ff\u3131-\u318e]")


def _kaomoji(text: str, start: int, end: int) -> bool:
    if end - start != 1 or not _JAMO.match(text, start):
        return False
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not after.isalpha()
_JA_SENTENCE = lazy(regex.compile, r"[^。！？!?\n]+[。！？!?]?")
# a name written in another script right next to its Latin form: "Muji (無印良品)", "無印良品 (Muji)"; a sign
# glossed in the buyer's language: "les trois dragons : 中 (rouge), 發 (vert) et 白 (blanc)"
_NAME_PAIR = lazy(regex.compile, r"[A-Z][\w&'\-]+\s*[（(]\s*$|^\s*[（(]\s*\p{Latin}[\w&'\-]*")
_SCRIPTS_OK = {"ar": r"\p{Arabic}", "he": r"\p{Hebrew}"}
_SJIS = codecs.lookup("cp932")


def _zh_function() -> frozenset:
    """Characters Japanese writes in kana but Chinese uses as grammar words (wordlists/_lang/zh.yml)."""
    return frozenset(langdata.get("zh").function_chars)


def _not_japanese(ch: str) -> bool:
    try:
        _SJIS.encode(ch)
        return False
    except UnicodeEncodeError:
        return True


def _brand_exception(ctx: Context, start: int, end: int) -> bool:
    text = ctx.text
    run = text[start:end]
    if any(b and b in run for b in ctx.brands):
        return True
    if len(run) > 8:
        return False
    if quoted(text, ctx.sentence_span(start)[0], start):
        return True  # « 王芳 », "山田": a short name quoted to be engraved, printed or checked
    return bool(_NAME_PAIR.search(text[max(0, start - 30):start]) or _NAME_PAIR.search(text[end:end + 30]))


def foreign_script(ctx: Context) -> Iterator[Hit]:
    """Chinese, Japanese, Korean or other non-Latin text in a message for a Latin-script marketplace.

    What it flags: each run of Han, kana or Hangul characters (and Cyrillic, Greek, Arabic, Hebrew,
    Thai, Devanagari) in a message on a marketplace whose languages are written in Latin script:
    a Chinese greeting, a note to a colleague, a placeholder like 【买家姓名】, a signature.
    Not flagged: a short brand or product name written next to its Latin form ("Muji (無印良品)"),
    a short sign glossed in brackets ("中 (rouge)") or declared as a brand, and a short name in
    quotation marks (the characters to engrave: « 王芳 »).
    Why: messages must be in the buyer's language; text the buyer cannot read is a common slip of
    teams drafting in Chinese (POLICY MSG-G01, 5A; MSG-C06).
    Examples: flagged "您好 thank you for your order" on US; fine the same message without "您好".
    Known false positives: a product name in another script not written next to its Latin form.
    Fix: translate or remove the text.
    """
    if ctx.text.isascii():
        return
    text = ctx.text
    allowed = _SCRIPTS_OK.get(ctx.marketplace.language)
    if ctx.marketplace.language in ("ja", "zh"):
        # Han and kana belong to Japanese; Korean, Cyrillic and the rest do not
        for m in _HANGUL_RUN.finditer(text):
            if not _kaomoji(text, m.start(), m.end()):
                yield Hit(m.start(), m.end())
        for m in _OTHER_SCRIPT.finditer(text):
            yield Hit(m.start(), m.end())
        return
    for m in _CJK_RUN.finditer(text):
        if m.end() - m.start() == 1 and m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha():
            continue  # one sign glued to a Latin letter names an app ("V信" for WeChat): offplatform's finding
        if not _brand_exception(ctx, m.start(), m.end()) and not _kaomoji(text, m.start(), m.end()):
            yield Hit(m.start(), m.end())
    for m in _OTHER_SCRIPT.finditer(text):
        if allowed and regex.match(allowed, m.group()):
            continue
        yield Hit(m.start(), m.end())


def chinese_in_japanese(ctx: Context) -> Iterator[Hit]:
    """Chinese text inside a message for the Japanese marketplace.

    What it flags: any run holding characters that Japanese does not use (simplified forms such
    as 们, 谢, 购, 买, 这, 您, which are outside JIS X 0208), and kana-less sentences built with
    Chinese grammar words (的, 了, 是, 我, 不, 吗 ...) that Japanese writes in kana.
    Not flagged: Japanese sentences (kana plus kanji), short kanji-only lines such as a name with
    様 or a shop name, numbers and Latin text.
    Why: "CJK is fine on JP" misses Chinese greetings and notes pasted into Japanese replies
    (POLICY MSG-G01, 5A).
    Examples: flagged "您好，感谢您的购买。" in a Japanese message; fine "交換品は明日発送いたします。".
    Known false positives: a long kanji-only product name ending a sentence.
    Fix: write the sentence in Japanese.
    """
    if ctx.marketplace.language != "ja":
        return
    text = ctx.text
    zh_function = _zh_function()
    for s in _JA_SENTENCE.finditer(text):
        sentence = s.group()
        hans = _HAN_RE.findall(sentence)
        if not hans:
            continue
        odd = any(_not_japanese(ch) for ch in hans)
        # a kana-less sentence built with Chinese grammar words ("不好意思", "我已经发货了")
        chinese_grammar = (not _KANA_RE.search(sentence) and len(hans) >= 4
                           and sum(ch in zh_function for ch in hans) >= 2)
        if odd or chinese_grammar:
            runs = [m for m in _CJK_RUN.finditer(sentence)]
            if runs:
                yield Hit(s.start() + runs[0].start(), s.start() + runs[-1].end())


_WORD = lazy(regex.compile, r"\p{Latin}{2,}")
_OTHER_NAMES = {"nl": "Dutch", "pt": "Portuguese", "pl": "Polish", "sv": "Swedish", "tr": "Turkish", "ko": "Korean",
                "ms": "Malay", "id": "Indonesian", "tl": "Tagalog", "da": "Danish", "nb": "Norwegian", "ro": "Romanian",
                "ga": "Irish", "cs": "Czech", "hu": "Hungarian", "fi": "Finnish", "cy": "Welsh",
                "ht": "Haitian Creole", "af": "Afrikaans", "oc": "Occitan"}


def _name(code: str) -> str:
    return langdata.name(code) if code in langdata.KNOWN else _OTHER_NAMES.get(code, code)


# languages sellers' agents write in besides msglint's six: asked by their function words (spaCy's lists)
# when the identifier is unsure
_OTHER_LANGS = ("ms", "id", "tl", "nl", "pt", "pl", "sv", "da", "nb", "ro", "tr", "ga", "cs", "hu", "fi")


def _other_by_function_words(ctx: Context, lowered: list, own: int) -> Optional[str]:
    """The other language a message is written in: at least three of its function words, and more than three
    times as many as of the marketplace's language (an English message has many: "the", "you", "and", "for";
    an Irish one shares a few: "an", "le")."""
    if ctx.kind != "message" or len(lowered) < 8:
        return None
    best, best_hits = None, 2 if own <= 1 else 3 * own
    for code in _OTHER_LANGS:
        hits = stop_word_hits(lowered, code)
        if hits > best_hits:
            best, best_hits = code, hits
    return best


def wrong_language(ctx: Context) -> Iterator[Hit]:
    """The message or listing text, or a sentence of a message, is in a language the marketplace does not use.

    What it flags: an English message on Amazon.de, a German bullet on Amazon.fr, an English
    message on Amazon.co.jp, a Welsh or Haitian Creole message (a warning: the buyer's language of
    preference may differ from the marketplace's). Detected with py3langid (a maintained langid.py fork
    whose model ships with the package) on texts of at least eight words, at 95% confidence or more; and
    one sentence of four words or more in another language inside a message otherwise in the
    marketplace's ("Gracias por su pedido. We hope you enjoy flying!" on ES), when its function words
    and py3langid agree and it is not a quotation.
    Why: proactive messages must be in the buyer's language of preference, listings in the store's
    language (POLICY MSG-G01, LST-G08, 5A).
    Examples: flagged "Your replacement ships today ..." on DE; fine French on CA, Spanish on US.
    Known false positives: a message that is mostly product names and numbers.
    Fix: write the text in the marketplace's language (or the buyer's, if known).
    """
    whole = list(_whole_text(ctx))
    yield from whole or _foreign_sentences(ctx)


_HAN_OR_KANA = lazy(regex.compile, r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
# a sentence of at least this many words in another language is reported on its own
_SENTENCE_WORDS = 4


def _foreign_sentences(ctx: Context) -> Iterator[Hit]:
    """Sentences of a message written in a language the marketplace does not use, in a message that is
    mostly in one it does ("Gracias por comprar nuestras líneas de kite. We hope you enjoy flying!" on ES,
    a Welsh sentence before an English one on UK): the sentence's function words (msglint.languages) and
    the language identifier must agree; a quotation (the buyer's words) is not the seller's language."""
    languages = ctx.languages
    if ctx.kind != "message" or languages is None:
        return
    own = set(ctx.marketplace.languages)
    for seg in languages.segments:
        if not seg.sure or seg.lang in own or seg.lang in ("ja", "zh", "ko"):
            continue
        start, end = trimmed(ctx.text, seg.start, seg.end)
        sentence = ctx.text[start:end]
        # a notice in capitals ("IMPORTANT NOTICE: PLEASE CHARGE BEFORE USE") is formatting's business
        if len(_WORD.findall(sentence)) < _SENTENCE_WORDS or not any(ch.islower() for ch in sentence) \
                or quoted(ctx.text, 0, start):
            continue
        lang, prob = identify(sentence)
        if prob < 0.9 or lang in own or lang in ("ja", "zh", "ko"):
            continue
        if lang != seg.lang and stop_words(lang):
            continue  # the two readings disagree on a language spaCy knows: too unsure to report
        yield Hit(start, end, {"lang": _name(lang), "market_lang": _name(ctx.marketplace.language)})


def _whole_text(ctx: Context) -> Iterator[Hit]:
    text = ctx.text
    words = _WORD.findall(text)
    if len(words) < 8:
        return
    lowered = [w.lower() for w in words[:200]]
    # the marketplace's function words among them
    own = max(stop_word_hits(lowered, m) for m in ctx.marketplace.languages)
    other = _unlisted_language(ctx, lowered, own)
    if other is not None:
        # Irish or Haitian Creole share short function words with English or French ("as", "do", "si", "la"),
        # so the sentences may look sure in the marketplace's language: the identifier all but certain wins
        yield from _whole_hit(ctx, other)
        return
    languages = ctx.languages
    if languages is not None and any(seg.sure for seg in languages.segments):
        # msglint.languages read the sentences by their function words: most of the text is sure to be in
        # a language of msglint's that the marketplace does not use (Italian on ES, English on DE)
        share: dict = {}
        sure = set()
        for seg in languages.segments:
            share[seg.lang] = share.get(seg.lang, 0) + seg.end - seg.start
            if seg.sure:
                sure.add(seg.lang)
        total = sum(share.values()) or 1
        lang = max(share, key=share.get)
        if lang not in sure or lang in ("ja", "zh", "ko") or lang in ctx.marketplace.languages \
                or share[lang] < 0.6 * total:
            return
    else:
        # nothing sure by function words: ask the language identifier, and keep its answer only when the
        # text has at least as many function words of that language as of the marketplace's
        lang, prob = _identified(ctx)
        if prob < 0.95 or lang in ctx.marketplace.languages:
            # a message in a language the identifier does not know well (Malay, Indonesian, Tagalog):
            # its own function words, and next to none of the marketplace's
            other = _other_by_function_words(ctx, lowered, own)
            if other is None:
                return
            lang = other
        else:
            # a language spaCy has no function words for (Welsh, Haitian Creole): the identifier must be all but
            # certain, and the marketplace's function words rare ("a", "am" are English and Welsh)
            if stop_words(lang) and stop_word_hits(lowered, lang) < own:
                return
            if not stop_words(lang) and (prob < 0.99 or own * 8 > len(lowered)):
                return
    if lang in ("ja", "zh") and ctx.marketplace.language not in ("ja", "zh"):
        return  # the script rules report Chinese and Japanese with exact spans
    yield from _whole_hit(ctx, lang)


def _whole_hit(ctx: Context, lang: str) -> Iterator[Hit]:
    start, end = trimmed(ctx.text, 0, len(ctx.text))
    if end > start:
        yield Hit(start, end, {"lang": _name(lang), "market_lang": _name(ctx.marketplace.language)})


def _identified(ctx: Context) -> tuple[str, float]:
    """py3langid's (language, probability) for the whole text, asked once per check."""
    if "language:identified" not in ctx.cache:
        ctx.cache["language:identified"] = identify(ctx.text)
    return ctx.cache["language:identified"]


def _unlisted_language(ctx: Context, lowered: list, own: int) -> Optional[str]:
    """A message the identifier is all but certain is in a language msglint has no term lists for (Irish,
    Welsh, Haitian Creole, Afrikaans), with that language's function words outnumbering the marketplace's
    (or, where spaCy has none for it, the marketplace's rare)."""
    if ctx.kind != "message" or _HAN_OR_KANA.search(ctx.text):
        return None
    if own * 3 > len(lowered):
        return None  # a third of the words are the marketplace's function words: written in its language
    lang, prob = _identified(ctx)
    if prob < 0.99 or lang in langdata.KNOWN or lang in ("zh", "ko") or lang in ctx.marketplace.languages:
        return None
    if stop_words(lang):
        return lang if stop_word_hits(lowered, lang) > own else None
    return lang if own * 4 <= len(lowered) else None


RULES = (
    Rule("LG001", "foreign-script", "language", MESSAGE, Severity.ERROR,
         "Remove or translate '{text}': the buyer may not read this script; write the whole message in the "
         "buyer's language.", foreign_script),
    Rule("LG002", "chinese-in-japanese", "language", MESSAGE, Severity.ERROR,
         "Rewrite '{text}' in Japanese: this is Chinese, not Japanese.", chinese_in_japanese),
    Rule("LG003", "wrong-language", "language", MESSAGE, Severity.WARNING,
         "This text looks {lang}; on this marketplace write it in {market_lang} (or the buyer's language of "
         "preference).", wrong_language),
)
