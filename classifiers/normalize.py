"""Obfuscation-aware text folding: the one spelling every later check reads.

People who want to slip past a filter write "ｓ.ｎ.ａ.ｐ", "s3nd p1c", "加我薇信", "扣扣 一三八…", Cyrillic
look-alikes or Traditional characters. :class:`Normalizer` undoes these tricks so that the stage signals can be
written once, against plain lower-case text, and it pulls out the contact handles the message carries.

The folding steps, in order: NFKC (full-width and circled characters), a character table (zero-width and variation
characters, homoglyphs, accents, curly quotes, a few emoji that stand for words), lower case, Traditional →
Simplified Chinese, "+V" → "加V", homophones of 微信 / 扣扣 (by pinyin), pinyin initials and syllables touching
Chinese text ("大hb" → "大红包", "sī聊" → "私聊"), gaps inside Chinese text, letters spelled out with separators
("s n a p", "k-i-k") and a contact alias so spelled after Chinese text joined to it, symbols inside words,
elongations ("soooo"), and leetspeak inside words ("s3nd", "sp!cy"). Handles are read before the leetspeak step so
that digits stay digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from opencc import OpenCC
from pypinyin import pinyin_dict

from classifiers.patterns.handles import CJK_CLASS, EMOJI_CLASS, HandleExtractor

__all__ = ["Normalized", "Normalizer", "normalize"]

_ZERO_WIDTH = (
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\u20e3"
    + "".join(chr(code) for code in range(0xFE00, 0xFE10))
)

_LOOKALIKES = MappingProxyType({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ӏ": "l", "ɡ": "g", "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k",
    "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ᴀ": "a", "ʙ": "b", "ᴄ": "c",
    "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i", "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m",
    "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w",
    "ʏ": "y", "ᴢ": "z", "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "“": '"', "”": '"',
    "„": '"', "‟": '"', "″": '"', "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "妳": "你", "祢": "你",
})
# Emoji that commonly stand in for a word in these conversations; spaces keep them apart from neighbours.
_EMOJI_WORDS = MappingProxyType({
    "🐧": " qq ", "👻": " snap ", "📷": " pic ", "📸": " pic ", "➕": "+", "📱": " phone ", "📞": " phone ",
    "☎": " phone ", "💰": " money ", "💵": " money ", "💸": " money ", "🎁": " gift ", "👙": " bikini ",
    "🤫": " shh ", "🏫": " school ",
})
_LEET = MappingProxyType(
    str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a", "$": "s", "!": "i"})
)
# Pinyin initials that stand for a word when they touch Chinese text ("gg给你发个大hb" = 哥哥给你发个大红包); letters
# with other common readings ("sx" 数学, "jj", "bb霜", "mm" 妈妈 or 妹妹) are left alone.
_PINYIN_INITIALS = MappingProxyType({
    "hb": "红包", "gg": "哥哥", "xgg": "小哥哥", "xjj": "小姐姐", "bgs": "不告诉", "lg": "老公", "lp": "老婆",
})
# Letters spelled out with spaces are joined only when they spell one of these (so "r u a" stays three words).
_SPELLED_WORDS = frozenset(
    "snap snapchat kik insta instagram ig sc qq vx wx dm pm pic pics nude nudes noods sex sexy naked boobs tits "
    "dick cock pussy porn horny virgin wechat weixin discord telegram whatsapp skype secret meet bra panties cam "
    "webcam selfie video photo photos kiss line".split()
)
# Latin tokens that are contact aliases or fillers, not English, when deciding a message's language.
_ALIAS_WORDS = frozenset("qq vx wx ok id app ig sc tg dm pm hh hhh lol vip qwq".split())
# Real words whose pinyin happens to read "wei xin" / "kou kou" and that must not become an alias.
_HOMOPHONE_WORDS = frozenset({"为新", "为心", "唯心", "维新", "未心", "未新", "位新", "伟新", "卫新"})


@dataclass(frozen=True)
class Normalized:
    """A message after de-obfuscation.

    Attributes:
        text: the message exactly as received.
        folded: the de-obfuscated, lower-case text the signals read.
        handles: contact handles found in the message, as "platform:value" (e.g. "qq:12345678").
        lang: "en", "zh" or "mixed", by the counts of Chinese characters and Latin words.
    """

    text: str
    folded: str
    handles: tuple[str, ...]
    lang: str


class Normalizer:
    """Folds obfuscated chat text; holds the OpenCC converter, pinyin classes and compiled patterns."""

    def __init__(self) -> None:
        self._t2s = OpenCC("t2s")
        self._traditional = _traditional_characters()
        self._table = _character_table()
        self._handles = HandleExtractor()
        self._plus_add = re.compile(r"(?<![a-z0-9&=/%])\+\s*(?=(?:vx|wx|v|qq|q|wechat|微|薇|威|我|扣|企鹅)(?![a-z]))")
        self._wechat_homophone, self._qq_homophone = _homophone_patterns()
        self._cjk_gap = re.compile(rf"(?<=[{CJK_CLASS}])(?:\s|[{EMOJI_CLASS}*·•~^|_])+(?=[{CJK_CLASS}])")
        aliases = "qq|vx|wx|v|ig|tg|snap|ins|insta|line|wechat|kik|telegram|discord|whatsapp"
        self._alias_gap = re.compile(rf"(?<=[{CJK_CLASS}])\s+(?=(?:{aliases})\b)")
        self._apostrophe = re.compile(r"(?<=[a-z])'(?=[a-z])")
        self._spelled = re.compile(rf"(?<![a-z0-9])[a-z](?:[\s.\-_*·•~^|/\\+,'{EMOJI_CLASS}]{{1,3}}[a-z](?![a-z0-9]))+")
        self._inner_symbol = re.compile(rf"(?<=[a-z])[{EMOJI_CLASS}*·•~^|]{{1,3}}(?=[a-z])")
        self._elongation = re.compile(r"([a-z])\1{2,}")
        self._spaces = re.compile(r"\s+")
        self._leet = re.compile(r"(?<=[a-z])[0134579@$!]+(?=[a-z])|(?<=\b[mwhb])3\b")
        initials = "|".join(sorted(_PINYIN_INITIALS, key=len, reverse=True))
        self._pinyin_initials = re.compile(
            rf"(?<![a-z])(?:(?<=[{CJK_CLASS}])(?:{initials})(?![a-z])|(?:{initials})(?=[{CJK_CLASS}]))"
        )
        self._pinyin_syllables = re.compile(r"(?<![a-z])si(?=[聊信])|(?<=私)xin(?![a-z])")
        self._han = re.compile(rf"[{CJK_CLASS}]")
        self._latin_word = re.compile(r"\b[a-z]{2,}\b")

    def normalize(self, text: str) -> Normalized:
        """Fold ``text`` and extract its handles and language."""
        base = self._fold_base(text)
        folded = self._leet.sub(lambda m: m.group().translate(_LEET), base)
        return Normalized(text=text, folded=folded, handles=self._handles.extract(base), lang=self._language(folded))

    def _fold_base(self, text: str) -> str:
        """All folding steps except leetspeak, so digits in handles and numbers survive."""
        folded = unicodedata.normalize("NFKC", text).translate(self._table).lower()
        if self._han.search(folded):
            folded = self._fold_chinese(folded)
        if "+" in folded:
            folded = self._plus_add.sub("加", folded)
        folded = self._apostrophe.sub("", folded)
        folded = self._spelled.sub(_join_spelled, folded)
        folded = self._inner_symbol.sub("", folded)
        if self._han.search(folded):
            folded = self._alias_gap.sub("", folded)
        folded = self._elongation.sub(r"\1\1", folded)
        return self._spaces.sub(" ", folded).strip()

    def _fold_chinese(self, folded: str) -> str:
        """Traditional → Simplified (OpenCC is slow: only when needed), homophone aliases, pinyin initials, gaps."""
        if not self._traditional.isdisjoint(folded):
            folded = self._t2s.convert(folded)
        folded = self._wechat_homophone.sub(_wechat_alias, folded)
        folded = self._qq_homophone.sub("qq", folded)
        folded = self._pinyin_initials.sub(lambda match: _PINYIN_INITIALS[match.group()], folded)
        folded = self._pinyin_syllables.sub(lambda match: "私" if match.group() == "si" else "信", folded)
        folded = self._cjk_gap.sub("", folded)
        return self._alias_gap.sub("", folded)

    def _language(self, folded: str) -> str:
        """Classify by script: Chinese characters against Latin words (about 1.5 characters make a word)."""
        han = len(self._han.findall(folded))
        words = sum(1 for word in self._latin_word.findall(folded) if word not in _ALIAS_WORDS)
        if han == 0:
            return "en"
        if words == 0:
            return "zh"
        share = words / (words + han / 1.5)
        if share < 0.2:
            return "zh"
        return "en" if share > 0.8 else "mixed"


@cache
def _default_normalizer() -> Normalizer:
    """The shared normalizer behind :func:`normalize`, built on first use."""
    return Normalizer()


def normalize(text: str) -> Normalized:
    """Fold ``text`` with a shared :class:`Normalizer`.

    Args:
        text: one chat message.

    Returns:
        The message, its folded form, its contact handles and its language.
    """
    return _default_normalizer().normalize(text)


def _character_table() -> dict[int, str | None]:
    """The per-character table: zero-width removal, look-alikes, accents, regional indicators, word emoji."""
    table: dict[int, str | None] = {ord(char): None for char in _ZERO_WIDTH}
    for code in range(0xC0, 0x250):
        stripped = unicodedata.normalize("NFKD", chr(code))[:1]
        if stripped.isascii() and stripped.isalpha():
            table[code] = stripped
    table.update({0x1F1E6 + index: chr(ord("a") + index) for index in range(26)})
    table.update({ord(char): latin for char, latin in _LOOKALIKES.items()})
    table.update({ord(char): word for char, word in _EMOJI_WORDS.items()})
    return table


def _traditional_characters() -> frozenset[str]:
    """Characters OpenCC's t2s table rewrites; a message without any of them needs no conversion."""
    source = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text(encoding="utf-8")
    found: set[str] = set()
    for line in source.splitlines():
        traditional, _, simplified = line.partition("\t")
        if traditional and simplified.split(" ")[0] != traditional:
            found.add(traditional)
    return frozenset(found)


def _homophone_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character pairs read "wei xin" and "kou kou" (by each character's main toneless pinyin)."""
    readings: dict[str, list[str]] = {"wei": [], "xin": [], "kou": []}
    for code, pinyin in pinyin_dict.pinyin_dict.items():
        main = unicodedata.normalize("NFKD", pinyin.split(",")[0])
        toneless = "".join(char for char in main if not unicodedata.combining(char))
        if toneless in readings and 0x4E00 <= code <= 0x9FFF:
            readings[toneless].append(chr(code))
    wei, xin, kou = ("".join(readings[key]) for key in ("wei", "xin", "kou"))
    wechat = re.compile(rf"[{wei}v][{EMOJI_CLASS}*·•~^|\s]{{0,2}}[{xin}]")
    return wechat, re.compile(rf"[{kou}][{kou}](?!声)")


def _wechat_alias(match: re.Match[str]) -> str:
    """Replace a "wei xin" homophone with 微信 unless it is an ordinary word."""
    found = match.group()
    return found if found in _HOMOPHONE_WORDS else "微信"


def _join_spelled(match: re.Match[str]) -> str:
    """Join letters spelled out with separators: always with symbols, with bare spaces only for known words."""
    found = match.group()
    letters = "".join(char for char in found if "a" <= char <= "z")
    if found.replace(" ", "") == letters and letters not in _SPELLED_WORDS:
        return found
    return letters
