"""What the review workflows say to people: appeal refusals and answers in the user's language, the /status counts.

Every text quotes nothing from the reviewed messages; an answer carries at most the moderator's own note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from handlers.model import Notice

COUNTED_ACTIONS = ("review", "warn", "delete", "mute", "ban")
"""Actions listed by ``format_counts``, mildest first."""

REFUSALS = {
    "en": {
        "unknown": "There is no incident {ref} about you. Check the reference in the notice you received.",
        "nothing": "Nothing was done to you in incident {ref}, so there is nothing to appeal.",
        "twice": "You already appealed incident {ref} on {date}. Each incident can be appealed once.",
    },
    "zh": {
        "unknown": "没有与你有关的编号为 {ref} 的记录。请核对你收到的通知中的编号。",
        "nothing": "记录 {ref} 没有对你采取任何措施，无需申诉。",
        "twice": "你已于 {date} 对记录 {ref} 提出过申诉。每条记录只能申诉一次。",
    },
}

ANSWERS = {
    "en": {
        "confirmed": "minorguard: a moderator reviewed your appeal about {ref}. The decision stands.",
        "overturned": "minorguard: a moderator accepted your appeal about {ref}. The action was withdrawn; sorry.",
        "note": " Moderator's note: {note}",
    },
    "zh": {
        "confirmed": "minorguard：管理员已审核你对记录 {ref} 的申诉，维持原处理决定。",
        "overturned": "minorguard：管理员已接受你对记录 {ref} 的申诉，处理已撤销，抱歉给你带来不便。",
        "note": " 管理员备注：{note}",
    },
}


def appeal_answer(appeal: Mapping[str, Any]) -> Notice:
    """The answer sent to the appellant, in the appeal's language; quotes nothing but the moderator's note."""
    lang = appeal["lang"] if appeal["lang"] in ANSWERS else "en"
    text = ANSWERS[lang][appeal["outcome"]].format(ref=appeal["incident_id"])
    if appeal["note"]:
        text += ANSWERS[lang]["note"].format(note=appeal["note"])
    return Notice(lang=lang, text=text)


def format_counts(counts: Mapping[str, int], days: int) -> str:
    """The /status answer: incidents per action over the last days, overturns and open review items."""
    actions = ", ".join(f"{action} {counts.get(action, 0)}" for action in COUNTED_ACTIONS)
    return "\n".join(
        [
            f"last {days} days: {actions}",
            f"overturned {counts.get('overturned', 0)}, dry runs {counts.get('dry_run', 0)}",
            f"open review items: {counts.get('open_reviews', 0)}",
        ]
    )
