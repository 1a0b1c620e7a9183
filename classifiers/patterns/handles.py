"""Contact handles and numbers: QQ numbers, WeChat ids, Snapchat names, phone numbers, in any disguise.

The extractor reads text that is already folded (lower case, homophones of 微信/扣扣 replaced, letters joined) but
still has its digits, and first rewrites the ways people hide digits: spaced or dotted digits ("1 3 8 - 0 0 1 3"),
Chinese numerals (一三八…, 幺 for 1, 两 for 2) and English number words ("one three eight …").
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = ["CJK_CLASS", "EMOJI_CLASS", "HandleExtractor"]

CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
EMOJI_CLASS = "\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\U0001f000-\U0001faff"

_CHINESE_DIGITS = MappingProxyType(
    str.maketrans("零〇一幺二两三四五六七八九" "壹贰貳叁参參肆伍陆陸柒捌玖", "0011223456789" "1223334566789")
)
"""Chinese digits to ASCII, the financial forms (壹贰叁…) that hide a number from a filter included."""
_NUMBER_WORDS = MappingProxyType({
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9",
})
# Platform aliases as they appear before a handle or number (the folded text has 微信 / qq for homophones).
_ALIASES: tuple[tuple[str, str], ...] = (
    ("qq", r"qq|q号|q\s*q|企鹅|球球|扣扣|扣号|扣(?=[\s:：=]{0,3}$)"),
    ("wechat", r"微信|wechat|weixin|wei\s?xin|vx|wx|v信|薇|威|微|v(?=\s*[:=号])|(?<=加)v|(?<=加个)v|(?<=加我)v"),
    ("snap", r"snapchat|snap|sc"),
    ("instagram", r"instagram|insta|ig"),
    ("telegram", r"telegram|tele|tg|电报|飞机"),
    ("discord", r"discord|dc"),
    ("line", r"line\s*id|line(?=\s*[:=])|line号"),
    ("kik", r"kik"),
    ("whatsapp", r"whatsapp|whats\s?app|watsapp|wsp|wa(?=\s*[:=])"),
    ("phone", r"phone|cell|mobile|tel|number|num|digits|电话|手机|号码|手机号|call|text"),
)
_PLATFORMS = tuple(name for name, _ in _ALIASES)
_CONNECTOR = r"\s*(?:号码|号|id|name|username|user|handle|me)?\s*(?P<connector>is|是|:|=|-|@|at|me at|->|➡|为)\s*@?"
_HANDLE = r"[a-z0-9][a-z0-9._\-]{2,29}"
_COMMON_WORDS = frozenset(
    "the and you your me too now not here there this that what when then than just like back down later soon "
    "please pls plz dont cant wont its yes yeah nah nope sure cool fun dead gone busy private better best real "
    "new old same mine ours his hers for with from about bro dude man sis girl boy lol lmao haha ok okay thanks "
    "thx tho though app account acc name username handle number broken banned deleted".split()
)


class HandleExtractor:
    """Finds contact handles in folded text and returns them as sorted "platform:value" strings."""

    def __init__(self) -> None:
        digit_words = "|".join(_NUMBER_WORDS)
        chinese_digit = "[0-9零〇一幺二两三四五六七八九壹贰貳叁参參肆伍陆陸柒捌玖]"
        self._word_digits = re.compile(rf"\b(?:{digit_words})(?:[\s,\-.]+(?:{digit_words})\b){{4,}}")
        self._word = re.compile(r"[a-z]+")
        self._chinese_digits = re.compile(rf"{chinese_digit}(?:[\s.\-_·]{{0,2}}{chinese_digit}){{4,}}")
        self._digit_run = re.compile(r"(?<![\d.,])\+?\d(?:[\s.\-_·*/,()]{0,3}\d)+")
        self._non_digit = re.compile(r"\D")
        self._thousands = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?")
        self._url = re.compile(r"(?:https?://|www\.)\S+|\S*\?v=\S*|\S+\.(?:com|net|org|io|be|ly|cn)/\S*")
        alias_groups = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _ALIASES)
        self._alias_before = re.compile(rf"(?<![a-z])(?:{alias_groups})[^a-z0-9]{{0,6}}$")
        self._named = re.compile(rf"(?<![a-z])(?:{alias_groups})(?![a-z]){_CONNECTOR}(?P<handle>{_HANDLE})")
        self._bare_named = re.compile(
            rf"(?<![a-z])(?:{alias_groups})(?![a-z])\s*(?:号|id)?\s*(?P<handle>[a-z]+[0-9._\-][a-z0-9._\-]{{1,28}})"
        )
        self._platform_named = re.compile(rf"(?<![a-z])(?:{alias_groups})(?![a-z])")
        self._add_me_handle = re.compile(
            r"\b(?:add|find|hmu|follow) me\s*(?:on|at)?\s*[:@]\s*@?([a-z][a-z0-9]*[._\-0-9][a-z0-9._\-]{1,28})"
        )
        self._owner_before = re.compile(r"(?:my|our|add|me on|hmu|加|我的|我)[^.!?。！？]{0,12}$")
        self._discord_tag = re.compile(r"\b([a-z0-9_.]{2,32})#(\d{4})\b")
        self._spoken_link = re.compile(r"\s+(dot|slash)\s+")
        self._telegram_link = re.compile(r"\bt\.me/([a-z0-9_]{4,32})")
        self._add_context = re.compile(
            r"(?:加|私|联系|add|hmu|text|call|reach)(?:\s*me)?(?:\s*(?:on|at|@))?[^a-z0-9]{0,6}$"
        )
        self._mobile = re.compile(r"(?:86)?1[3-9]\d{9}")
        self._north_american = re.compile(r"\+?1?[\s.\-]?\(?[2-9]\d{2}\)?[\s.\-]{0,2}[2-9]\d{2}[\s.\-]?\d{4}")

    def extract(self, folded: str) -> tuple[str, ...]:
        """All handles in ``folded`` (text from the normaliser, before leetspeak folding)."""
        spoken = self._spoken_link.sub(self._link_word, folded)
        found = {f"telegram:@{name}" for name in self._telegram_link.findall(spoken)}
        text = self._digits_view(self._url.sub(" ", spoken))
        found.update(self._numbers(text))
        found.update(self._named_handles(self._digit_run.sub(self._close_digit_gaps, text)))
        found.update(f"discord:{name}#{tag}" for name, tag in self._discord_tag.findall(text))
        found.update(self._offered_handles(text))
        return tuple(sorted(found))

    def _link_word(self, match: re.Match[str]) -> str:
        """"t dot me slash lily" → "t.me/lily"."""
        return "." if match.group(1) == "dot" else "/"

    def _digits_view(self, text: str) -> str:
        """Rewrite number words and Chinese numerals as digits."""
        text = self._word_digits.sub(self._spell_digits, text)
        return self._chinese_digits.sub(lambda match: match.group().translate(_CHINESE_DIGITS), text)

    def _spell_digits(self, match: re.Match[str]) -> str:
        """"one three eight ..." → "138..."."""
        return "".join(_NUMBER_WORDS[word] for word in self._word.findall(match.group()))

    def _close_digit_gaps(self, match: re.Match[str]) -> str:
        """"1 3 8-00 13" → "1380013" (a leading "+" is kept)."""
        found = match.group()
        return ("+" if found.startswith("+") else "") + self._non_digit.sub("", found)

    def _numbers(self, text: str) -> list[str]:
        """Numbers named as QQ / WeChat / phone, numbers offered for adding, and phone-shaped numbers."""
        found = []
        for match in self._digit_run.finditer(text):
            run = match.group().strip(" .-_·*/,()")
            digits = self._non_digit.sub("", run)
            if not 5 <= len(digits) <= 15 or self._thousands.fullmatch(run):
                continue
            before = text[max(0, match.start() - 16) : match.start()]
            platform = self._platform_before(before)
            if platform is None and before[-1:].isascii() and before[-1:].isalpha():
                continue
            if platform is None and self._looks_like_phone(run, digits):
                platform = "phone"
            if platform is None and self._add_context.search(before):
                platform = "qq" if len(digits) <= 11 and not before.isascii() else "phone"
            if platform == "phone" and not self._phone_digits(run, digits):
                continue
            if platform is not None and "群" not in before[-6:]:
                found.append(f"{platform}:{digits}")
        return found

    def _platform_before(self, window: str) -> str | None:
        """The platform named right before a number, if any."""
        match = self._alias_before.search(window)
        return match.lastgroup if match else None

    def _named_handles(self, text: str) -> list[str]:
        """Handles written after a platform name ("snap: lily_22", "微信号是abc123", "ig lily.22")."""
        found = []
        for pattern in (self._named, self._bare_named):
            for match in pattern.finditer(text):
                handle = match.group("handle").strip("._-")
                groups = match.groupdict()
                platform = next(name for name in _PLATFORMS if groups.get(name))
                if handle in _COMMON_WORDS or handle.isdigit() or len(handle) < 3 or platform in {"phone", "qq"}:
                    continue
                if handle.isalpha() and not self._owned(text, match):
                    continue
                found.append(f"{platform}:{'@' if platform == 'telegram' else ''}{handle}")
        return found

    def _offered_handles(self, text: str) -> list[str]:
        """"add me: lily_22" in a message that names one platform: the handle belongs to that platform."""
        platforms = {match.lastgroup for match in self._platform_named.finditer(text)} - {"phone", None}
        if len(platforms) != 1:
            return []
        platform = platforms.pop()
        prefix = "@" if platform == "telegram" else ""
        handles = self._add_me_handle.findall(text)
        return [f"{platform}:{prefix}{handle}" for handle in handles if handle not in _COMMON_WORDS]

    def _owned(self, text: str, match: re.Match[str]) -> bool:
        """Whether an all-letter handle is clearly offered: "snap: lily", "my snap is lily", "加我微信lily"."""
        if (match.groupdict().get("connector") or "is") not in {"is", "at", "me at", "-"}:
            return True
        return bool(self._owner_before.search(text[max(0, match.start() - 14) : match.start()]))

    def _phone_digits(self, run: str, digits: str) -> bool:
        """Whether a number named as a phone is a personal one (landlines with an area code are businesses)."""
        return len(digits) >= 10 and not digits.startswith("0") or self._looks_like_phone(run, digits)

    def _looks_like_phone(self, run: str, digits: str) -> bool:
        """Chinese mobile numbers, numbers with a country code, and North American numbers written as such."""
        if self._mobile.fullmatch(digits):
            return True
        if run.startswith("+"):
            return 8 <= len(digits) <= 15
        return not run.isdigit() and bool(self._north_american.fullmatch(run))
