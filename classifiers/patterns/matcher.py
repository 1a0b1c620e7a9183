r"""Fast matching of many rules: only the rules whose required literals occur in a text are tried.

Python's ``re`` tries every alternative of a pattern at every position, which makes a few hundred bilingual rules
too slow for a busy chat. Every match of an alternative must contain one of a few literal strings (for
``\bhow old (?:are you|you)\b`` that is "how old "); :func:`required_literals` reads them off the parsed pattern.
:class:`RuleMatcher` indexes the alternatives by the first three characters of those literals, so a message only
pays for the n-grams it contains and the handful of alternatives they point to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# The parser behind ``re`` (stable across 3.11–3.13); ``sre_parse`` is its deprecated public alias.
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]

from classifiers.patterns.common import Rule

__all__ = ["Hit", "RuleMatcher", "required_literals"]

_KEY_LENGTH = 3
_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}


@dataclass(frozen=True)
class Hit:
    """A rule that matched, and where its first match lies in the text."""

    rule: Rule
    start: int
    end: int


def required_literals(pattern: str) -> frozenset[str] | None:
    """A set of literal strings one of which every match of ``pattern`` contains, or None when there is none.

    Among the candidates (runs of literal characters, alternations whose every branch has literals, repeats that
    happen at least once) the most selective is chosen: long literals first, then fewer of them.
    """
    return _sequence_literals(sre_parser.parse(pattern))


def _sequence_literals(items: sre_parser.SubPattern | list) -> frozenset[str] | None:
    """Required literals of a sequence of parsed items."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []
    for op, argument in items:
        if op is sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        if op in _ZERO_WIDTH:
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        inner = _item_literals(op, argument)
        if inner:
            candidates.append(inner)
    if run:
        candidates.append(frozenset({"".join(run)}))
    return max(candidates, key=_selectivity, default=None)


def _item_literals(op: object, argument: object) -> frozenset[str] | None:
    """Required literals of one non-literal item (alternation, group or repeat)."""
    if op is sre_constants.BRANCH:
        branches = [_sequence_literals(branch) for branch in argument[1]]
        if any(branch is None for branch in branches):
            return None
        return frozenset().union(*branches)
    if op is sre_constants.SUBPATTERN:
        return _sequence_literals(argument[-1])
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[0] >= 1:
        return _sequence_literals(argument[2])
    return None


def _selectivity(literals: frozenset[str]) -> tuple[int, int]:
    """Longer literals (up to the index key length) and fewer of them make a better filter."""
    return min(min(len(literal) for literal in literals), _KEY_LENGTH + 1), -len(literals)


class RuleMatcher:
    """Finds the rules that match a text, trying only alternatives whose required literals occur in it.

    Args:
        rules: the rules to match; each alternative of each rule is compiled and indexed on its own.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = tuple(rules)
        self._alternatives: list[tuple[int, re.Pattern[str]]] = []
        self._always: list[int] = []
        self._exact: dict[str, list[int]] = {}
        self._longer: dict[str, list[tuple[str, int]]] = {}
        for rule_number, rule in enumerate(self._rules):
            for alternative in rule.alternatives:
                self._add(rule_number, alternative)
        self._keys = frozenset(self._exact) | frozenset(self._longer)

    @property
    def unindexed(self) -> tuple[str, ...]:
        """Alternatives with no required literal, tried on every text (kept few for speed)."""
        return tuple(self._alternatives[number][1].pattern for number in self._always)

    def hits(self, text: str) -> list[Hit]:
        """Each matching rule once, with its first match, in rule order."""
        found: dict[int, Hit] = {}
        for number in sorted(self._candidates(text)):
            rule_number, pattern = self._alternatives[number]
            if rule_number in found:
                continue
            match = pattern.search(text)
            if match:
                found[rule_number] = Hit(self._rules[rule_number], match.start(), match.end())
        return [found[number] for number in sorted(found)]

    def _add(self, rule_number: int, alternative: str) -> None:
        """Compile one alternative and index it under its required literals."""
        number = len(self._alternatives)
        self._alternatives.append((rule_number, re.compile(alternative)))
        literals = required_literals(alternative)
        if not literals:
            self._always.append(number)
            return
        for literal in literals:
            if len(literal) <= _KEY_LENGTH:
                self._exact.setdefault(literal, []).append(number)
            else:
                self._longer.setdefault(literal[:_KEY_LENGTH], []).append((literal, number))

    def _candidates(self, text: str) -> set[int]:
        """Alternatives whose required literal occurs in ``text``, plus the unindexed ones."""
        grams = {text[start : start + size] for size in (1, 2, _KEY_LENGTH) for start in range(len(text) - size + 1)}
        candidates = set(self._always)
        for key in grams & self._keys:
            candidates.update(self._exact.get(key, ()))
            for literal, number in self._longer.get(key, ()):
                if literal in text:
                    candidates.add(number)
        return candidates
