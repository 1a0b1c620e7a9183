"""The notice a warned or removed user reads: which rule, what was done, how to appeal — never the evidence."""

from __future__ import annotations

from handlers.model import Action, Decision, Notice

SUPPORTED_LANGUAGES = ("en", "zh")

RULE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "age_probe": "asking a young person about their age, school, home or whereabouts",
        "flattery": "building a special, private bond with a young person",
        "secrecy": "asking a young person to keep secrets from their parents or to delete messages",
        "off_platform": "moving a young person to private contact off this platform",
        "gifts": "offering a young person gifts, money or game items",
        "image_request": "asking a young person for pictures or videos",
        "meeting": "asking a young person to meet in person",
        "sexual_talk": "sexual talk directed at a young person",
        "recruitment": "offering a young person paid work or 'jobs'",
    },
    "zh": {
        "age_probe": "打听未成年人的年龄、学校、住址或行踪",
        "flattery": "与未成年人建立“特殊”的私密关系",
        "secrecy": "要求未成年人对父母保密或删除聊天记录",
        "off_platform": "把未成年人引到平台外私下联系",
        "gifts": "向未成年人赠送礼物、钱或游戏道具",
        "image_request": "向未成年人索要照片或视频",
        "meeting": "约未成年人线下见面",
        "sexual_talk": "对未成年人进行涉性聊天",
        "recruitment": "向未成年人提供所谓的“兼职”或“工作”",
    },
}

ACTION_TEXT: dict[str, dict[Action, str]] = {
    "en": {
        Action.WARN: "This is a warning.",
        Action.DELETE: "Your message was removed.",
        Action.MUTE: "Your message was removed and you cannot post for {minutes} minutes.",
        Action.BAN: "Your message was removed and you were removed from this chat.",
    },
    "zh": {
        Action.WARN: "这是一次警告。",
        Action.DELETE: "你的消息已被删除。",
        Action.MUTE: "你的消息已被删除，你将被禁言 {minutes} 分钟。",
        Action.BAN: "你的消息已被删除，你已被移出本群。",
    },
}

TEMPLATE = {
    "en": (
        "minorguard: this chat protects minors. Your message matched our rule against {rules}. {action} "
        "If you think this is a mistake, you can appeal with reference {ref}."
    ),
    "zh": "minorguard：本群保护未成年人。你的消息触犯了禁止{rules}的规则。{action}如认为有误，可凭编号 {ref} 申诉。",
}

FALLBACK_RULE = {"en": "the solicitation of minors", "zh": "诱导、接触未成年人"}
LIST_JOINER = {"en": "; ", "zh": "；"}


def notice_language(sender_locale: str | None, message_lang: str, chat_language: str) -> str:
    """Pick the notice language: the user's locale, else the message's language, else the chat's default."""
    if sender_locale:
        base = sender_locale.replace("_", "-").split("-")[0].lower()
        if base in SUPPORTED_LANGUAGES:
            return base
    if message_lang in SUPPORTED_LANGUAGES:
        return message_lang
    return chat_language if chat_language in SUPPORTED_LANGUAGES else "en"


def build_notice(decision: Decision, lang: str) -> Notice | None:
    """The user's notice for a warn-or-stronger decision, naming at most two rules; None for allow/review."""
    actions = ACTION_TEXT[lang]
    if decision.action not in actions:
        return None
    rules = [RULE_TEXT[lang][stage] for stage in decision.stages if stage in RULE_TEXT[lang]][:2]
    text = TEMPLATE[lang].format(
        rules=LIST_JOINER[lang].join(rules) or FALLBACK_RULE[lang],
        action=actions[decision.action].format(minutes=decision.mute_seconds // 60),
        ref=decision.incident_id or "-",
    )
    return Notice(lang=lang, text=text)
