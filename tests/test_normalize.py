"""Obfuscation-aware normalisation: folding, handle extraction and language, on invented examples."""

import pytest

from classifiers.normalize import Normalized, Normalizer, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＤＤ ｍｅ ｏｎ ｓｎａｐ", "add me on snap"),
        ("s.n.a.p me", "snap me"),
        ("s n a p", "snap"),
        ("s💕n💕a💕p", "snap"),
        ("k-i-k me later", "kik me later"),
        ("sn\u200bap\u200d", "snap"),
        ("s3nd m3 a p1c", "send me a pic"),
        ("n00dz", "noodz"),
        ("ѕеnd", "send"),
        ("ＳＥＮＤ", "send"),
        ("🇸🇳🇦🇵", "snap"),
        ("sooooo cuteeee", "soo cutee"),
        ("加我薇信", "加我微信"),
        ("加我威信", "加我微信"),
        ("加我微❤信", "加我微信"),
        ("加我V信", "加我微信"),
        ("加 我 微 信", "加我微信"),
        ("加我扣扣", "加我qq"),
        ("加我🐧", "加我qq"),
        ("➕V", "加v"),
        ("這是我們的秘密", "这是我们的秘密"),
        ("妳幾歲", "你几岁"),
        ("ｑｑ：１２３４５６７８", "qq:12345678"),
    ],
)
def test_normalize_folds_obfuscation(raw, expected):
    assert expected in normalize(raw).folded


@pytest.mark.parametrize(
    "raw",
    ["r u a boy or girl", "成为新的人", "口口声声说爱你", "13f here", "meet me at 5", "1 2 3 go"],
)
def test_normalize_keeps_ordinary_text(raw):
    assert normalize(raw).folded == raw.lower()


@pytest.mark.parametrize(
    ("raw", "handle"),
    [
        ("加我qq 1 2 3 4 5 6 7 8", "qq:12345678"),
        ("扣扣 幺两三四五六七八", "qq:12345678"),
        ("企鹅号：８７６５４３２１", "qq:87654321"),
        ("🐧①②③④⑤⑥⑦⑧", "qq:12345678"),
        ("球球 一二三四五六七", "qq:1234567"),
        ("加我薇信 abc_123", "wechat:abc_123"),
        ("➕v：lily2008", "wechat:lily2008"),
        ("wx号: wxid_k9k9k9", "wechat:wxid_k9k9k9"),
        ("s.n.a.p: lily_22", "snap:lily_22"),
        ("my snap is lily.w22", "snap:lily.w22"),
        ("ig: lily.22", "instagram:lily.22"),
        ("tg: @lilybot", "telegram:@lilybot"),
        ("t.me/lily_bot", "telegram:@lily_bot"),
        ("find me at t dot me slash lily_bot", "telegram:@lily_bot"),
        ("discord lily#1234", "discord:lily#1234"),
        ("line id: lily88", "line:lily88"),
        ("kik: lily_88", "kik:lily_88"),
        ("whatsapp +44 7700 900123", "whatsapp:447700900123"),
        ("call me 138 0013 8888", "phone:13800138888"),
        ("text me one three eight zero zero one three eight eight eight eight", "phone:13800138888"),
        ("加我 1 3 8 - 0 0 1 3 - 8 8 8 8", "phone:13800138888"),
        ("text me at 808-265-3953", "phone:8082653953"),
    ],
)
def test_normalize_extracts_disguised_handles(raw, handle):
    assert handle in normalize(raw).handles


@pytest.mark.parametrize(
    "raw",
    [
        "2,124,821,694 views already",
        "the meeting is on 2024-05-01",
        "order #12345678 has shipped",
        "watch?v=abc123XYZ is so good",
        "my snap is down again",
        "家长群号：480611554",
        "she scored 98765 points",
    ],
)
def test_normalize_finds_no_handle_in_ordinary_numbers(raw):
    assert normalize(raw).handles == ()


@pytest.mark.parametrize(
    ("raw", "lang"),
    [
        ("how old are you", "en"),
        ("你多大了", "zh"),
        ("加我qq吧", "zh"),
        ("你好 add me on snap please", "mixed"),
        ("", "en"),
    ],
)
def test_normalize_detects_language_by_script(raw, lang):
    assert normalize(raw).lang == lang


def test_normalize_keeps_the_original_text():
    raw = "Ｓ.Ｎ.Ａ.Ｐ me: lily_22"
    result = normalize(raw)
    assert isinstance(result, Normalized)
    assert result.text == raw
    assert result.folded == "snap me: lily_22"


def test_normalizer_instance_matches_the_shared_function():
    raw = "加我薇信 abc_123，這是我們的秘密"
    assert Normalizer().normalize(raw) == normalize(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gg给你发个大hb", "哥哥给你发个大红包"),
        ("记得bgs爸爸", "记得不告诉爸爸"),
        ("叫我lg", "叫我老公"),
        ("来sī聊", "来私聊"),
        ("私xin我", "私信我"),
        ("让她加我 d🌙i🌙s🌙c🌙o🌙r🌙d", "让她加我discord"),
        ("wanna trade sp!cy p1cs", "wanna trade spicy pics"),
    ],
)
def test_normalize_expands_pinyin_initials_next_to_chinese_and_joins_spelled_aliases(raw, expected):
    assert normalize(raw).folded == expected


@pytest.mark.parametrize("raw", ["bb霜好用吗", "sx作业写完没", "gg wp", "hb to you all", "si bien", "good game, gg"])
def test_normalize_leaves_initials_with_other_readings_or_away_from_chinese(raw):
    assert normalize(raw).folded == raw.lower()
