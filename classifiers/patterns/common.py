"""Shared pieces of the rule tables: the rule record, chat-speak expansion and reusable English fragments.

English rules are written against *canonical* text: the folded message with chat-speak expanded ("u" → "you",
"r" → "are", "im" → "i am", "dont" → "do not", "pls" → "please", …) and hyphens between words turned into spaces,
so one rule covers "how old r u", "how old ru" and "how old are you".
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CHAT_SPEAK", "Rule", "rule"]


class Rule(NamedTuple):
    """One piece of evidence: what it signals, how strongly, why, and the regular expression that finds it.

    Attributes:
        signal: a ``Stage`` value, or "minor_cue", "adult_cue", "quoting", "commerce", "trade".
        weight: strength in 0–1 when the pattern matches (a weak hint ~0.3, a clear act 0.8–1.0).
        detail: a short explanation for moderators and notices, e.g. "asks the addressee's age".
        alternatives: regular expressions, any one of which is the evidence (no capturing groups).
    """

    signal: str
    weight: float
    detail: str
    alternatives: tuple[str, ...]

    @property
    def pattern(self) -> str:
        """All alternatives as one regular expression."""
        return "|".join(f"(?:{alternative})" for alternative in self.alternatives)


def rule(signal: str, weight: float, detail: str, *alternatives: str) -> Rule:
    """Build a rule that fires when any of ``alternatives`` matches."""
    return Rule(signal, weight, detail, alternatives)


# Whole-token rewrites applied before the English rules (the folded text has no apostrophes inside words).
CHAT_SPEAK: tuple[tuple[str, str], ...] = (
    ("u|yu|yuo|yoo|chu|yuh", "you"),
    ("ur|yur|youre|ure|yor", "your"),
    ("r", "are"),
    ("ru", "are you"),
    ("urself|yaself|yourslef", "yourself"),
    ("im|iam|i m", "i am"),
    ("ive", "i have"),
    ("imma|ima|finna", "i am going to"),
    ("wanna|wana|wnna|want2", "want to"),
    ("gonna|gona", "going to"),
    ("gotta", "got to"),
    ("lemme", "let me"),
    ("gimme|gimmie", "give me"),
    ("dont|dnt|don t|dun", "do not"),
    ("cant|cnt", "can not"),
    ("cannot", "can not"),
    ("wont", "will not"),
    ("didnt", "did not"),
    ("doesnt|dosnt", "does not"),
    ("isnt", "is not"),
    ("arent", "are not"),
    ("wouldnt", "would not"),
    ("shouldnt", "should not"),
    ("lets", "let us"),
    ("whats|wats|wuts|whatis", "what is"),
    ("wat|wut|wht|wot", "what"),
    ("wheres", "where is"),
    ("whr|wher|wer", "where"),
    ("wen|wn", "when"),
    ("hows", "how is"),
    ("thats|thts", "that is"),
    ("pls|plz|plez|pleez|plss|plzz|pleaz|pleas", "please"),
    ("ppl|peeps", "people"),
    ("bc|cuz|coz|cos|bcuz|becuz", "because"),
    ("bf", "boyfriend"),
    ("gf", "girlfriend"),
    ("bday", "birthday"),
    ("abt|bout", "about"),
    ("rn", "right now"),
    ("tmrw|tmr|tmrrw|tomoz|2moro|2morrow|tomorow|tommorow|tmw", "tomorrow"),
    ("2nite|tonite|2night|tnite", "tonight"),
    ("l8r|ltr", "later"),
    ("sum1|some1", "someone"),
    ("any1|ne1", "anyone"),
    ("no1", "no one"),
    ("every1", "everyone"),
    ("msg", "message"),
    ("msgs", "messages"),
    ("txt", "text"),
    ("luv|lub", "love"),
    ("grl|gurl|gal", "girl"),
    ("skool|skl|schl", "school"),
    ("pix|pixs|picz|pikz|piks|pik|pictures|pict", "pics"),
    ("picture", "pic"),
    ("fone", "phone"),
    ("num|numba|nmbr|nr", "number"),
    ("addy", "address"),
    ("kno|knw", "know"),
    ("cud", "could"),
    ("shud", "should"),
    ("wud", "would"),
    ("kewl|kool", "cool"),
    ("yrs", "years"),
    ("yr", "year"),
)
