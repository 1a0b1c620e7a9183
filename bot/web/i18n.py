"""Which language a console page speaks (the user's choice, else the browser's Accept-Language) and its words."""

from __future__ import annotations

from bot.web.texts import EN, ZH

LANGUAGES = {"en": "English", "zh-Hans": "中文"}
"""The console's languages (BCP 47 tags) and how each names itself in the switch."""

DEFAULT_LANGUAGE = "en"

STAGE_NAMES = {
    "en": {
        "age_probe": "age / school / whereabouts",
        "flattery": "flattery, special friend",
        "secrecy": "secrecy",
        "off_platform": "moving off-platform",
        "gifts": "gifts and bribes",
        "image_request": "image requests",
        "meeting": "meeting",
        "sexual_talk": "sexual talk",
        "recruitment": "\u201cjobs\u201d for minors",
    },
    "zh-Hans": {
        "age_probe": "打听年龄/学校/行踪",
        "flattery": "奉承、特殊朋友",
        "secrecy": "要求保密",
        "off_platform": "引到站外",
        "gifts": "礼物与利诱",
        "image_request": "索要照片",
        "meeting": "约见面",
        "sexual_talk": "涉性言语",
        "recruitment": "招募未成年人“工作”",
    },
}
"""Each grooming stage's name, per language, as moderators read it."""

ACTION_NAMES = {
    "en": {"allow": "allow", "review": "review", "warn": "warn", "delete": "delete", "mute": "mute", "ban": "ban"},
    "zh-Hans": {"allow": "放行", "review": "送审", "warn": "警告", "delete": "删除", "mute": "禁言", "ban": "封禁"},
}
"""Each action's name, per language."""


def pick_language(choice: str | None, accept_language: str | None) -> str:
    """The page language: a valid stored choice wins, then the first supported Accept-Language entry.

    Every Chinese tag (zh, zh-CN, zh-TW, zh-Hant …) maps to zh-Hans, the only Chinese the console has.
    """
    if choice in LANGUAGES:
        return choice
    ranked: list[tuple[float, int, str]] = []
    for position, entry in enumerate((accept_language or "").split(",")):
        tag, _, params = entry.strip().partition(";")
        weight = _quality(params)
        if weight > 0:
            ranked.append((-weight, position, tag.strip().lower().split("-")[0]))
    for _, _, primary in sorted(ranked):
        if primary == "zh":
            return "zh-Hans"
        if primary == "en":
            return "en"
    return DEFAULT_LANGUAGE


def _quality(params: str) -> float:
    """The q-value of one Accept-Language entry (1 when absent, 0 when malformed)."""
    params = params.strip()
    if not params.startswith("q="):
        return 1.0
    try:
        return float(params[2:])
    except ValueError:
        return 0.0


class Translator:
    """The words of one language; ``t("key", name=...)`` fills the placeholders."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._texts = ZH if self.lang == "zh-Hans" else EN

    def __call__(self, key: str, **values: object) -> str:
        """The text for ``key`` in this language.

        Raises:
            KeyError: the key is unknown (a template bug, caught by the tests).
        """
        text = self._texts[key]
        return text.format(**values) if values else text

    def term(self, prefix: str, value: str) -> str:
        """A coded value's name, e.g. ``term("kind", "appeal")``; the value itself when it has no name."""
        return self._texts.get(f"{prefix}_{value}", value)

    def stage(self, stage: str) -> str:
        """A grooming stage's name in this language (the stage's code when it is unknown)."""
        return STAGE_NAMES[self.lang].get(stage, stage)

    def action(self, action: str) -> str:
        """An action's name in this language."""
        return ACTION_NAMES[self.lang].get(action, action)
