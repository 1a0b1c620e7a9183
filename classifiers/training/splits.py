"""Deterministic train / held-out splits by group (offender, thread, match), never by message.

A group goes to the held-out side when the SHA-256 of its name falls in the held-out share, so the split does
not depend on file order or on which other groups exist. The Perverted-Justice releases overlap (every
``bf-psr-pj`` offender is also in ``koutli-pj``), so Koutli cases that share lines with a held-out ``bf-psr-pj``
offender are held out with it, and cases that share lines with a training offender stay in training.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

from classifiers.training.datasets import Conversation, SideLines

HELD_OUT_SHARE = 0.3
SPLIT_SALT = "minorguard-split-v1"
MIN_SHARED_LINES = 5
_SPACE = re.compile(r"\s+")


def held_out(group: str, share: float = HELD_OUT_SHARE) -> bool:
    """Whether a group belongs to the held-out side."""
    digest = hashlib.sha256(f"{SPLIT_SALT}:{group}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def text_key(text: str) -> str:
    """The form under which two lines count as the same text (case and spacing ignored)."""
    return _SPACE.sub(" ", text.lower()).strip()


def split_groups(items: Sequence[Conversation], share: float = HELD_OUT_SHARE) -> tuple[list, list]:
    """(training, held-out) conversations, whole groups on one side."""
    train = [item for item in items if not held_out(item.group, share)]
    test = [item for item in items if held_out(item.group, share)]
    return train, test


def _distinctive(lines: Iterable[str]) -> set[str]:
    return {key for line in lines if len(key := text_key(line)) >= 12}


def split_pj(
    sessions: Sequence[Conversation], cases: Sequence[SideLines], share: float = HELD_OUT_SHARE
) -> tuple[list[Conversation], list[Conversation], list[SideLines], list[SideLines]]:
    """Split both Perverted-Justice releases by offender, deduplicated by text across the two.

    Returns:
        (training sessions, held-out sessions, training Koutli cases, held-out Koutli cases). A Koutli case that
        shares at least ``MIN_SHARED_LINES`` distinctive offender lines with a ``bf-psr-pj`` offender takes that
        offender's side; the others are split by their own name.
    """
    train_sessions, test_sessions = split_groups(sessions, share)
    test_lines = _distinctive(turn.text for s in test_sessions for turn in s.turns if turn.sender == "groomer")
    train_lines = _distinctive(turn.text for s in train_sessions for turn in s.turns if turn.sender == "groomer")
    train_cases, test_cases = [], []
    for case in cases:
        lines = _distinctive(case.offender)
        if len(lines & test_lines) >= MIN_SHARED_LINES:
            test_cases.append(case)
        elif len(lines & train_lines) >= MIN_SHARED_LINES or not held_out(f"koutli:{case.case}", share):
            train_cases.append(case)
        else:
            test_cases.append(case)
    return train_sessions, test_sessions, train_cases, test_cases
