"""Per-message stage signals: invented examples in English, Chinese and mixed, positives and hard negatives."""

import re
import time

import pytest

from classifiers.normalize import normalize
from classifiers.patterns import cues, en_approach, en_exploit, zh_approach, zh_exploit
from classifiers.patterns.matcher import RuleMatcher, required_literals
from classifiers.signals import SignalAnalyzer, analyze_text
from classifiers.types import STAGES, MessageAnalysis, Stage

CUES = ("minor_cue", "adult_cue", "quoting")

POSITIVES = {
    Stage.AGE_PROBE: [
        "how old r u?", "wait what grade are you in", "u in middle school?", "which school do you go to",
        "are your parents home rn?", "are you home alone tonight?", "so you're only 13?",
        "你多大了呀", "你今年几年级了", "你是哪个学校的", "家里有人吗", "你爸妈在家吗", "你是初中生吗", "你几点放学",
        "u sec 2 or sec 3 ah?", "u at Bukit Timah sec right?",
        "so cute 你几岁 lol",
    ],
    Stage.FLATTERY: [
        "you're so mature for your age", "you're prettier than other girls your age", "you're my special friend",
        "no one understands you like i do", "u dont act like a kid at all",
        "你比同龄人成熟多了", "你一点都不像十三岁的", "你是我最特别的人", "只有我懂你", "你和别的女生不一样",
    ],
    Stage.SECRECY: [
        "don't tell your parents about us", "this is our little secret ok", "delete our chat after",
        "dont let ur mom see this", "make sure your dad doesn't find out", "keep this between us ok",
        "别告诉你爸妈", "这是我们的秘密", "聊完删记录哦", "加了就你一个人知道", "不要让你妈知道", "记得把聊天记录删了", "千万别跟老师说",
        "don't tell 你妈妈 ok, our secret", "你妈不会知道的", "your mom will never know", "你跟你妈说去补课",
        "if ur dad asks just say ur at maya's", "你爸妈问起来就说在同学家", "dont tell the mods about this ok",
        "你 parents 睡了就上线", "she won't know lol", "dont need tell ur dad la", "我们自己知道就行",
        "no need to mention the extra practice to her ok", "it's a private group, even from parents",
        "wanna talk about grown up stuff? delete after ok", "what time do they go to sleep? ill call u then",
        "u can delete the call log after", "ur mom doesnt need to come, ill drive", "用你爸手机注册 别让他知道",
        "记得 delete 聊天记录", "chat with me at 11, 用 ur ipad, 偷偷的.", "都行 但要悄悄的哦",
    ],
    Stage.OFF_PLATFORM: [
        "add me on snap", "what's ur insta", "let's talk on telegram instead", "my snap is lily.w22 add me",
        "this app isn't private, dm me on kik", "s.n.a.p me: cutie_22",
        "加我QQ", "加个V聊", "换个地方聊吧", "你微信多少", "扣扣 一三八零零一三八八", "加我薇信 abc_123",
        "加个薇呗 zhao 一八八二", "加我威 私聊",
        "群里不方便 add me on wechat", "我们俩单独建个小群吧", "check ur requests", "follow back so i can dm u",
    ],
    Stage.GIFTS: [
        "i'll buy you robux", "want a gift card?", "i can send you money for new clothes", "ill get you vbucks",
        "给你发红包", "送你皮肤", "我帮你充值", "想要什么我都给你买", "我给你买新手机",
    ],
    Stage.IMAGE_REQUEST: [
        "send me a pic", "show me what you look like", "send a full body pic", "got any pics in your bikini?",
        "send more or i'll show everyone", "turn on your cam", "answer my dms or i post what u sent me",
        "send two more by friday or ur whole class sees", "今晚再不发两张 我就发到你们班群里", "你之前发我的视频我都存着呢",
        "发张照片给我看看", "发个自拍呗", "给我看看你的样子", "不发我就把你照片发出去", "穿校服拍一张给我", "开视频吧",
        "晚上开视频 穿睡衣就行", "good 😏 send a pic so i know ur not a catfish",
        "send 一张自拍 to me", "发我三张 不然你们老师明天就能看到", "vc tonight, cam on", "开 cam 一下就送你",
        "or everyone on ur team sees what u sent", "i still have what u sent me, ur whole class follows this page",
        "不想我发出来的话今晚上线", "再发一段 不然你们学校贴吧见", "u know what i have. u dont want ur school seeing it",
    ],
    Stage.MEETING: [
        "let's meet up this weekend", "I can pick you up after school", "come over to my place tonight",
        "can you sneak out tonight", "meet me at the park at 5", "i can give u rides home if u want",
        "we could grab a coffee after ur practice", "我们见个面吧", "我去接你", "车费我出 住我这",
        "come stay at mine tonight", "ill take u somewhere way better", "放学后我在校门口等你", "来我家玩吧", "周末有空出来吗", "偷偷溜出来",
    ],
    Stage.SEXUAL_TALK: [
        "have you ever kissed anyone?", "哥教你大人谈恋爱都干啥", "wanna talk about grown up stuff", "are you a virgin", "what are you wearing rn", "have you started your period yet",
        "i want to kiss you all over",
        "你还是处吗", "你穿的什么内衣", "你接过吻吗", "你发育了没", "我想亲你", "你看过黄片吗",
    ],
    Stage.RECRUITMENT: [
        "easy money for teens, just chat with clients", "modeling gig, need photos to apply",
        "i pay $50 a day just to chat with lonely guys", "hiring teens for a modeling job, send pics",
        "兼职，只要聊天就给钱", "招模特，学生可以做，发全身照审核", "日结，学生党也能赚", "陪玩兼职，聊天就有钱",
        "童模招聘，试镜需要发照片",
    ],
}

HARD_NEGATIVES = {
    "adult flirting": [
        "you're cute, drinks after work?", "had fun last night, same bar friday?", "my wife says hi lol",
        "你今天真好看，下班一起吃饭吗", "我老公下班了，晚上一起吃饭",
    ],
    "sex education and parenting": [
        "how do I talk to my 10-year-old about puberty", "青春期教育怎么跟孩子讲比较好", "what age should kids get a phone?",
        "my daughter asked where babies come from", "性教育应该从几岁开始",
    ],
    "parents and teachers": [
        "parents, pick-up is at 5", "家长们，周六几点到学校", "reminder: field trip forms are due friday",
        "各位家长，明天下午三点开家长会", "coach here: practice moved to 6pm, parents please confirm",
    ],
    "shops": [
        "加我们店的微信领优惠券", "add our WhatsApp for orders", "DM us for prices and delivery", "客服微信：shop_8888，下单咨询",
        "new stock in! message our page to order", "新品到了 预约加V 把想做的款式照片发我",
    ],
    "game trades": [
        "trading skins, add me on discord", "wts ak skin, add me on steam", "出皮肤，有意私聊", "lfg ranked duo, add me",
        "收号，价格私聊", "meet me at 140 and its yours",
    ],
    "look-alike words": ["这个表情包加微笑就更可爱了", "给技能加威力", "加薇薇姐进群", "他偷偷的哦 还以为我不知道",
                         "lol send a pic of the dog", "cool 👍 send me the pic of ur setup"],
    "rude talk": ["你妈的", "kys noob", "shut up you idiot", "傻逼滚", "垃圾队友别送了"],
}

REPORTS = [
    "someone asked my daughter to add him on snap, reported",
    "我同学就遇到过 对方说招模特 先发几张照片",
    "report this guy, he told a kid to add him on snap",
    "parents: watch for people who say 'don't tell your parents'",
    "news: man arrested for luring a 13-year-old",
    "有人私信我女儿让她加微信，已举报",
    "警惕！有人冒充老师让孩子发照片",
    "新闻：男子诱骗未成年被抓",
    "@管理员 有个叫阿杰的人私聊我 问我多大了 还让我加他薇",
    "派出所来学校讲过 典型话术就是问你几年级 让你换个软件聊",
    "@群主 那个人在评论区问我家孩子几岁 还让加他 截图在这",
    "kid, never give your address to people from discord",
    "他还说'别告诉你妈' 太恶心了",
    "家长们 坏人常说的话：'你好成熟''别告诉爸妈''加我微信'", "提醒同学们：有陌生人让你发照片要马上告诉老师",
]


@pytest.mark.parametrize(("text", "quoting"), [("watch out for creepy old guys pretending to be 14 online", True),
                                              ("im not some creep pretending to be 15 lol", False),
                                              ("watch out for catfish accounts in the comments", True),
                                              ("prove ur not a catfish first", False)])
def test_signals_predators_posing_as_kids_are_a_topic(text, quoting):
    assert (analyze_text(text).quoting >= 0.5) is quoting

MINOR_CUES = [
    "im 13", "13f here", "i'm in 8th grade", "my mom takes my phone at 9", "i have so much homework",
    "我13岁", "我初二", "刚放学", "我妈不让我玩手机", "作业还没写完", "i'm only fourteen lol",
    "我作业还没写完呢", "我也16", "同15岁 羡慕", "哇你也高一", "高一新生第一周vlog", "can i text u later when my mom isn't around",
    "my mom would ground me forever", "my mom took away the cam", "初二", "8th grade lol", "爸妈出差了 就我跟奶奶在家",
    "my parents r at work til 7", "加我小号qq吧 大号被我妈盯着", "上课别看手机啊 被老班抓到就完了", "真的吗 我 9 岁 可以吗",
    "没 他们出差了 就我和奶奶", "ya 初一 u?", "我们都初一", "打卡 初一 今天数学好难", "outfit check (7th grade is exhausting)",
    "6th grade field trip was so fun", "住校第二周 周末才能拿手机", "we only get our phones on fridays",
    "sec 2 lor why", "13岁女生 坐标杭州", "im not allowed to go live yet", "finally done w homework",
    "parents said im not allowed to go", "begged my mom for a phone again", "5 more days of school!!",
    "pov: ur mom makes u go to bed at 9", "14 f ohio", "12/m texas u?", "m, ohio, almost 13", "im jess, 14 from leeds",
    "13 wbu?", "why would u talk to a 14 yo like me", "first ollie today!! 11 years old and hooked", "明天考场见 早点睡",
    "coach i might be late my mum drive me", "有人一起开黑吗 初二 钻石", "lol grade 7 too, whos ur homeroom",
    "5th grade, ohio", "grade 8, near toronto", "初二，杭州", "初一、北京海淀",
    "小学毕业啦 再见六年级", "初一好累 作业写不完", "初一又要月考了", "my first meet 100m back 3rd place (U11)", "school uniform lol just got home", "还穿着校服呢",
    "yea westfield middle 😄", "pine ridge middle haha we wear it every day", "i go to oak hill middle", "harbor elementary",
]
ADULT_CUES = ["本人成年 走平台交易", "那天孩子爸爸出差", "I'm 34", "my wife is cooking", "taking my kids to the park", "tired after work", "我30了", "刚下班", "我老公说的",
              "27了 谢谢夸奖 你呢", "我32 属猴的", "me! 我 27 刚搬来 NYC", "我早就成年了", "i have a mortgage and a bad back",
              "新人报道 94年的 在杭州做设计", "我是初中班主任 想在班会上讲", "born in 96 lol", "我大二 可以吗", "是我 大三 你哪个学院的",
              "我家孩子初三了", "我是计算机系研一的", "26岁 单身 在深圳", "我是程序员 天天加班", "别让 office 的人看到",
              "你家住哪个小区 叔叔给你送好吃的", "阿姨带你去买"]


def _stage_examples():
    return [(stage, text) for stage, texts in POSITIVES.items() for text in texts]


def _negative_examples():
    return [(kind, text) for kind, texts in HARD_NEGATIVES.items() for text in texts]


@pytest.mark.parametrize(("stage", "text"), _stage_examples())
def test_signals_stage_fires_on_the_act(stage, text):
    analysis = analyze_text(text)
    assert analysis.stage_scores[stage.value] >= 0.5, analysis.reasons
    reason = next(reason for reason in analysis.reasons if reason.signal == stage.value)
    assert not reason.detail.startswith("no sign")


@pytest.mark.parametrize("stage", list(POSITIVES))
def test_signals_each_stage_has_four_examples_per_language(stage):
    languages = [normalize(text).lang for text in POSITIVES[stage]]
    assert languages.count("en") >= 4
    assert languages.count("zh") >= 4


@pytest.mark.parametrize(("kind", "text"), _negative_examples())
def test_signals_hard_negatives_stay_low(kind, text):
    analysis = analyze_text(text)
    assert max(analysis.stage_scores.values()) < 0.3, (kind, analysis.reasons)


@pytest.mark.parametrize("text", REPORTS)
def test_signals_reports_are_marked_as_quoting(text):
    analysis = analyze_text(text)
    assert analysis.quoting >= 0.6
    assert max(analysis.stage_scores.values()) < 0.5


def test_signals_quoting_dampens_but_keeps_the_evidence():
    direct = analyze_text("send me a pic").stage_scores["image_request"]
    quoted = analyze_text("my daughter's coach told her 'send me a pic' last night").stage_scores["image_request"]
    assert 0 < quoted < direct


@pytest.mark.parametrize(
    ("text", "stage", "low", "high"),
    [
        ("you're so cute", "flattery", 0.15, 0.45),
        ("你好可爱", "flattery", 0.15, 0.45),
        ("dm me", "off_platform", 0.25, 0.5),
        ("what do you look like", "image_request", 0.3, 0.5),
        ("发红包", "gifts", 0.1, 0.3),
        ("出来玩", "meeting", 0.3, 0.5),
        ("are you a virgin", "sexual_talk", 0.9, 1.0),
        ("don't tell your parents", "secrecy", 0.85, 1.0),
        ("加我微信", "off_platform", 0.8, 1.0),
    ],
)
def test_signals_scores_are_graded(text, stage, low, high):
    assert low <= analyze_text(text).stage_scores[stage] <= high


@pytest.mark.parametrize("text", MINOR_CUES)
def test_signals_minor_cue(text):
    assert analyze_text(text).minor_cue >= 0.5


@pytest.mark.parametrize("text", ADULT_CUES)
def test_signals_adult_cue(text):
    assert analyze_text(text).adult_cue >= 0.5


@pytest.mark.parametrize(
    "text",
    [
        "my son is 13 and loves football", "i'm 15 minutes away", "he was 14 years old back then", "我儿子初二了",
        "我16号到", "我们同15岁的时候就认识了", "i'll msg u when i'm like 10-15min away", "在上课吗",
        "放学了吗 今天爸妈在家吗", "are ur parents home after school?", "did you do your homework?", "我是初中班主任", "你跟你妈说去补课",
        "text me after school then", "i can pick u up after school", "初一那年我也这样", "my 7th grade teacher was strict", "我女儿住校 周末才回家", "14岁的时候我也这样",
        "5th grade, my son's class", "7th grade, i teach science", "初二，我儿子", "6th grade, english class",
        "初一好可爱 加我吧", "初二太小了吧", "初一好乖",
        "in the middle rn", "top middle lane", "lol me middle child", "stuck in the middle", "ok middle it is",
        "my son goes to westfield middle",
    ],
)
def test_signals_minor_cue_needs_the_writer_to_be_the_minor(text):
    assert analyze_text(text).minor_cue < 0.5


@pytest.mark.parametrize("text", ["my parents are at work", "我妈今天加班", "爸妈都出差了", "my dad works nights lol"])
def test_signals_a_parent_at_work_is_not_the_writer_working(text):
    assert analyze_text(text).adult_cue < 0.5


@pytest.mark.parametrize(
    ("text", "age"),
    [("13", 13), ("31 and i have a mortgage", 31), ("十三", 13), ("13了", 13), ("12 我能照顾自己", 12), ("im 15", 15),
     ("10 min away", None), ("20 bucks", None), ("5 of us", None), ("12点见", None), ("9:30", None), ("3", None),
     ("ok", None), ("lol 13", None), ("13?? no way", None), ("13 ?", None)],
)
def test_signals_stated_age_is_a_bare_opening_number(text, age):
    assert analyze_text(text).stated_age == age


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("send more or i'll show everyone", True), ("今晚再不发两张 我就发到你们班群里", True), ("send me a pic", False),
     ("他说不发就把照片发到班群 已举报", False), ("reply or everyone in this group sees what you sent", True),
     ("要是你不发, i post it in ur class group", True), ("send more pics, you have until midnight", True),
     ("send me more memes lol u got till 9", False), ("听话 不然 ur classmates in this group will see", True), ("send the rest of the homework, you have till 9", False)],
)
def test_signals_coercion_comes_from_the_sextortion_rules_and_yields_to_quoting(text, coerces):
    assert (analyze_text(text).coercion >= 0.8) is coerces


@pytest.mark.parametrize("text", ["我30号到", "我25块买的", "我 2290417356", "i am 25 minutes away", "my 50m free pb!!",
                                  "那个叔叔给你发红包了吗", "你叔叔给你买的吗"])
def test_signals_adult_cue_is_not_a_date_a_price_or_a_number(text):
    assert analyze_text(text).adult_cue < 0.5


@pytest.mark.parametrize("text", ["how old r u?", "the weather is nice", "你多大了", "", "🙂🙂🙂"])
def test_signals_every_stage_and_cue_reports(text):
    analysis = analyze_text(text)
    assert set(analysis.stage_scores) == {stage.value for stage in STAGES}
    assert [reason.signal for reason in analysis.reasons] == [*(stage.value for stage in STAGES), *CUES]
    for reason in analysis.reasons:
        assert reason.detail
        if reason.score == 0:
            assert reason.detail.startswith(("no sign", "the writer does not"))


def test_signals_explain_a_disguised_handle():
    analysis = analyze_text("加我扣扣 一二三四五六七八")
    assert "qq:12345678" in analysis.handles
    reason = next(reason for reason in analysis.reasons if reason.signal == "off_platform")
    assert "QQ number written in disguise" in reason.detail
    assert analysis.stage_scores["off_platform"] >= 0.8


def test_signals_business_frame_does_not_excuse_exploitation():
    analysis = analyze_text("dm us for orders. hiring teens for a modeling job, send pics to apply")
    assert analysis.stage_scores["recruitment"] >= 0.5


def test_signals_analysis_carries_the_normalised_message():
    text = "ＡＤＤ ｍｅ ｏｎ ｓｎａｐ: lily_22"
    analysis = analyze_text(text)
    assert isinstance(analysis, MessageAnalysis)
    assert analysis.text == text
    assert analysis.normalized == normalize(text).folded
    assert analysis.lang == "en"
    assert analysis.handles == ("snap:lily_22",)


def test_signals_analyzer_instance_matches_the_shared_function():
    text = "you're so mature for your age, add me on snap"
    assert SignalAnalyzer().analyze(text) == analyze_text(text)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bhow old (?:are you|you)\b", {"how old "}),
        (r"(?:你|您)(?:今年)?(?:多大|几岁)", {"多大", "几岁"}),
        (r"(?:a|b)?cde", {"cde"}),
        (r"\d+", None),
    ],
)
def test_matcher_required_literals(pattern, literals):
    found = required_literals(pattern)
    assert (found if found is None else set(found)) == literals


def _shipped_rules():
    tables = (
        en_approach.AGE_PROBE, en_approach.FLATTERY, en_approach.SECRECY, en_approach.OFF_PLATFORM, en_approach.GIFTS,
        en_exploit.IMAGE_REQUEST, en_exploit.MEETING, en_exploit.SEXUAL_TALK, en_exploit.RECRUITMENT,
        zh_approach.AGE_PROBE_ZH, zh_approach.FLATTERY_ZH, zh_approach.SECRECY_ZH, zh_approach.OFF_PLATFORM_ZH,
        zh_approach.GIFTS_ZH, zh_exploit.IMAGE_REQUEST_ZH, zh_exploit.MEETING_ZH, zh_exploit.SEXUAL_TALK_ZH,
        zh_exploit.RECRUITMENT_ZH, cues.MINOR_CUE, cues.ADULT_CUE, cues.QUOTING, cues.COMMERCE, cues.TRADE, cues.FAMILY,
    )
    return [rule for table in tables for rule in table]


def test_matcher_indexes_every_shipped_rule():
    assert RuleMatcher(_shipped_rules()).unindexed == ()


def test_shipped_rules_hold_no_control_characters():
    """A "\\b" typed into a non-raw string becomes a backspace, and the rule silently never matches."""
    assert not [rule.detail for rule in _shipped_rules() if any(ord(char) < 32 for char in rule.pattern)]


def test_matcher_finds_what_a_plain_search_finds():
    rules = _shipped_rules()
    matcher = RuleMatcher(rules)
    texts = [text.lower() for _, text in _stage_examples() + _negative_examples()] + REPORTS + MINOR_CUES + ADULT_CUES
    for text in texts:
        expected = {id(rule) for rule in rules if re.search(rule.pattern, text)}
        assert {id(hit.rule) for hit in matcher.hits(text)} == expected, text


def test_signals_survive_long_adversarial_input():
    texts = ["a " * 5000, "s.n.a.p " * 1500, "你" * 8000, "1 2 " * 4000, "send me " * 2000 + "pic"]
    started = time.process_time()
    for text in texts:
        analyze_text(text)
    assert time.process_time() - started < 5.0


def test_signals_throughput_on_chat_sized_messages():
    texts = [text for _, text in _stage_examples() + _negative_examples()] * 10
    analyze_text("warm up")
    started = time.process_time()
    for text in texts:
        analyze_text(text)
    rate = len(texts) / max(time.process_time() - started, 1e-9)
    assert rate >= 1000


@pytest.mark.parametrize(
    "text",
    ["小姨我想要那个乐高城堡", "yes aunt lisa, doing homework", "姐 我外甥女我乐意", "thanks uncle joe!", "奶奶给你发个红包",
     "舅给你充了点券 自己挑", "爸 我放学就去订蛋糕", "老妈，我到学校了"],
)
def test_signals_family_frame_from_kinship(text):
    assert analyze_text(text).family >= 0.5


@pytest.mark.parametrize(
    "text",
    ["call me uncle, its our secret", "小哥哥加个微信", "姐姐好美", "uncle of mine? no", "叔叔去校门口接你 别告诉别人",
     "uncle will pick you up, dont tell", "don't ask a grown-up, they wont get it", "阿姨给你买糖 别告诉你妈", "妈的 又输了",
     "叔叔给你买皮肤"],
)
def test_signals_family_frame_needs_kinship_spoken_to_or_of(text):
    assert analyze_text(text).family == 0.0


@pytest.mark.parametrize(
    ("text", "seeks"),
    [("有没有初中妹子 陪哥聊天", True), ("招小演员 12-15岁 女孩 片酬日结", True), ("any girls 13-15 here wanna chat", True),
     ("有没有初中的一起开黑", False), ("招家教 辅导初中数学", False), ("招聘 18-35岁 服务员", False),
     ("有人举报说有人在找初中妹子", False), ("first 5 under 13 to dm me get robux", True), ("招主播 十五岁以上就行", True),
     ("兼职 陪聊 未成年也可以 日结", True), ("anyone here in middle school want to earn $50", True),
     ("kids under 12 eat free on sundays", False), ("我们在签学生主播 课余时间播", True), ("my first job in high school was at a cafe", False),
     ("高中生也可以报名数学竞赛", False), ("we accept under 16s, dm the manager", True),
     ("the younger girls make more on stream tbh", True), ("年纪越小越好赚", True),
     ("we accept under 16s if a parent or guardian signs", False), ("the younger kids go first at the recital", False),
     ("who here is under 14? free gems for young players", True), ("群里小朋友想赚零花钱的举手", True),
     ("who here is going to the game", False), ("小朋友想赚零花钱可以帮爸妈做家务", False)],
)
def test_signals_seeking_children_by_age_is_read_and_yields_to_reports(text, seeks):
    assert (analyze_text(text).seeks_minors >= 0.8) is seeks


@pytest.mark.parametrize(
    ("text", "handle"),
    [("陪哥聊天 扣 叁贰柒 伍伍零 捌捌壹", "qq:327550881"), ("扣了20000块", None), ("扣1", None)],
)
def test_signals_financial_numerals_and_a_lone_kou_before_a_number(text, handle):
    assert analyze_text(text).handles == ((handle,) if handle else ())


@pytest.mark.parametrize(
    "text",
    ["go to sleep, i won't tell mom u were up late", "your mom knows, i texted her", "原图太大的话我私发给需要的家长",
     "ill ask my dad to pick u up after practice", "我妈开车送我们过去", "mija you look so grown up",
     "明天外婆去校门口接你 别乱跑", "grandma will pick you up at 3", "姑姑 pick u up after practice ok",
     "你爸今天出差 我去接你", "ask a grown-up to help you upload it", "only with your parent's permission",
     "报名的事请你爸妈联系我们前台", "试训安排我们会跟家长沟通", "under 13? have a parent dm us to claim",
     "两年后让家长通过官网邮箱联系我们"],
)
def test_signals_family_frame_from_a_shared_parent_or_the_parents_kept_informed(text):
    assert analyze_text(text).family >= 0.5


@pytest.mark.parametrize(
    ("text", "surprise"),
    [("shh dont tell your sister, the cake is for her birthday", True), ("surprise party for grandma sat 3pm", True),
     ("周日你妈生日 大家先保密 给她一个惊喜", True), ("奶奶的生日蛋糕我来订", True),
     ("i have a surprise for you dont tell your mom", False), ("等你拍出来给她一个惊喜 先别告诉家长", False),
     ("its a surprise, just between us", False), ("赚到钱再告诉她 给她惊喜", False)],
)
def test_signals_a_surprise_for_someone_else_weakens_the_secret(text, surprise):
    analysis = analyze_text(text)
    assert (analysis.surprise >= 0.5) is surprise
    if surprise:
        assert analysis.stage_scores["secrecy"] < 0.42


@pytest.mark.parametrize(
    ("text", "asks"),
    [("post a pic on the community tab and ill feature it", False), ("drop a selfie in the group chat!", False),
     ("just post a pic for me", True), ("send me a pic on snap", True)],
)
def test_signals_a_picture_posted_where_everyone_sees_it_is_no_image_request(text, asks):
    assert (analyze_text(text).stage_scores["image_request"] >= 0.6) is asks


@pytest.mark.parametrize("text", ["before that my mom said only on fridays", "your mom said you cant"])
def test_signals_a_childs_own_parent_speaking_is_no_family_frame(text):
    assert analyze_text(text).family < 0.5


@pytest.mark.parametrize(
    ("text", "same"),
    [("same!! ur edits are fire", True), ("me too lol", True), ("我也是 初二", True), ("same time tomorrow?", False),
     ("the same", False), ("same old story", False)],
)
def test_signals_a_message_opening_with_same_is_marked(text, same):
    assert analyze_text(text).same_as_you is same


@pytest.mark.parametrize(("text", "asks"), [("14! u?", True), ("我13 你呢", True), ("14 lol", False), ("how r u?", False)])
def test_signals_an_age_given_with_a_question_back_asks_the_age(text, asks):
    assert (analyze_text(text).stage_scores["age_probe"] >= 0.35) is asks


@pytest.mark.parametrize(
    "text",
    ["15 m away from the pier", "10 m left on the timer", "i am level 13 from now on", "it was 12 m long", "m 10 mins away"],
)
def test_signals_a_distance_or_a_level_is_no_age_tag(text):
    assert analyze_text(text).minor_cue < 0.5


@pytest.mark.parametrize(
    ("text", "stage", "frame"),
    [("代练 接单 仅限18+ 成年人 加v详谈", "off_platform", "limits the offer to adults"),
     ("voice chat sessions, adults only, add me on discord", "off_platform", "limits the offer to adults"),
     ("不行哦 未成年接单是违法的", "recruitment", "limits the offer to adults"),
     ("家长可以私信我 加微信 周末还有空位", "off_platform", "offers a service to parents"),
     ("parents can whatsapp me, add me on whatsapp for the timetable", "off_platform", "offers a service to parents"),
     ("校服现货 order 请私信 加微信", "off_platform", "shop or business contact"),
     ("加vx 走中介 中介费一人一半", "off_platform", "game trading or team-up talk")],
)
def test_signals_offers_to_adults_parents_and_escrowed_trades_are_business_frames(text, stage, frame):
    reason = next(reason for reason in analyze_text(text).reasons if reason.signal == stage)
    assert f"weakened: {frame}" in reason.detail


@pytest.mark.parametrize(
    ("text", "quoting"),
    [("我儿子游戏里有个自称教练的 还说别告诉爸妈", True), ("还有那种说招童模的 专找小学生", True),
     ("招童模 专找小学生 加v", False)],
)
def test_signals_a_parents_account_of_an_approach_is_a_report(text, quoting):
    assert (analyze_text(text).quoting >= 0.5) is quoting


@pytest.mark.parametrize(
    ("text", "threat"),
    [("ill send the video link to your email tonight", False), ("ill send the video of the recital to the parents", False),
     ("ill post your pics in the group chat", True)],
)
def test_signals_sending_a_lesson_link_is_no_threat(text, threat):
    assert (analyze_text(text).stage_scores["image_request"] >= 0.9) is threat


@pytest.mark.parametrize(
    ("text", "alone"),
    [("meet me at the park saturday by yourself", True), ("show up without your parents and ill have it ready", True),
     ("come to practice on your own time", False), ("come with your mom on saturday", False)],
)
def test_signals_asking_to_come_alone(text, alone):
    assert (analyze_text(text).stage_scores["secrecy"] >= 0.6) is alone


@pytest.mark.parametrize(
    ("text", "dismisses"),
    [("age is just a number, we get each other", True), ("12岁怎么了 小点好", True), ("年龄不是问题 我不介意", True),
     ("叫我老公就行", True), ("the age of the building doesnt matter much", False), ("叫老公回来吃饭", False)],
)
def test_signals_dismissing_a_young_age_and_asking_to_be_called_husband(text, dismisses):
    assert (analyze_text(text).stage_scores["sexual_talk"] >= 0.5) is dismisses


def test_signals_call_me_husband_is_no_spouse_of_the_writer():
    assert analyze_text("叫我老公就行").adult_cue < 0.8
    assert analyze_text("我老公今天加班").adult_cue >= 0.8


@pytest.mark.parametrize("text", ["过来我这边住两天吧 机票我帮你订", "车费我来出 你直接来", "来我家住 路费我包"])
def test_signals_paid_travel_and_a_place_to_stay(text):
    assert analyze_text(text).stage_scores["meeting"] >= 0.8


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("你之前发我的那些我都留着呢 你也不想让你们班的人看到吧", True), ("你发我的作业我存着呢 不想让老师看到就自己改", False)],
)
def test_signals_kept_pictures_and_who_should_not_see_them_is_a_threat(text, coerces):
    assert (analyze_text(text).coercion >= 0.9) is coerces


@pytest.mark.parametrize("text", ["parents出差了 终于freedom", "my mom 加班到很晚"])
def test_signals_an_english_named_parent_at_work_is_not_the_writer_working(text):
    assert analyze_text(text).adult_cue < 0.6


@pytest.mark.parametrize(
    ("text", "surprise"),
    [("here's $10 for the fair, don't tell your sister or she'll want the same", True),
     ("外婆多给你个红包 别告诉你表哥", True), ("don't tell mom i let u stay up for the finale", True),
     ("别跟妈说我把你零花钱花了", True), ("hide the phone before dad sees lol", True),
     ("here's $10, don't tell your sister, add me on snap", False), ("don't tell your brother about our chats", False),
     ("別跟媽媽說不然她會擔心 叔叔開車載你", False), ("dont tell mommy i gave you candy, come over later", False),
     ("here's a fiver, don't tell your mum, she says i spoil you", True), ("别告诉你爸 他又要嫌外婆惯着你", True),
     ("let me spoil you, send a selfie", False), ("can we get ice cream on the way home, don't tell mom", True),
     ("舅舅多给你两百 别告诉你妈 她又要骂我", True), ("给你买奶茶 别告诉你妈 她会骂我 出来见一面", False),
     ("dont tell mom we talked ok", False), ("don't tell mom i messaged you", False),
     ("don't tell mom i was up till 2 gaming", True), ("delete our chat before your mom sees", False)],
)
def test_signals_a_treat_kept_from_a_sibling_or_a_slip_from_a_shared_parent_is_a_small_secret(text, surprise):
    analysis = analyze_text(text)
    assert (analysis.surprise >= 0.5) is surprise
    if surprise:
        assert analysis.stage_scores["secrecy"] < 0.42


@pytest.mark.parametrize(
    ("text", "family"),
    [("you dance like my niece lol", False), ("how old are you, you draw like my nephew", False),
     ("跳得像我孙子一样好", False), ("i think my niece goes to your school", False), ("我外甥女也在你们学校", False),
     ("my grandkids love your videos", True), ("我孙女也在学这个舞", True)],
)
def test_signals_a_comparison_with_or_a_mention_of_a_niece_is_no_family_frame(text, family):
    assert (analyze_text(text).family >= 0.5) is family


@pytest.mark.parametrize(
    "text",
    ["我妈会陪我一起去", "my dad is coming with me", "under 13 please ask a parent first", "ask your parents first ok"],
)
def test_signals_a_parent_coming_along_or_asked_first_is_a_family_frame(text):
    assert analyze_text(text).family >= 0.5


@pytest.mark.parametrize(
    ("text", "quoting"),
    [("我们从不需要你发任何照片 谁找你要密码都是骗子", True), ("we will never ask for your password or pics", True),
     ("if anyone asks u where u live online, tell me or dad right away", True),
     ("有人问你在哪个学校 让你加QQ 都要马上告诉妈妈", True), ("我表弟上周差点被骗 对方冒充客服", True),
     ("my online friend says she's 13 too, should i video call her?", True), ("send me a photo, i never ask twice", False)],
)
def test_signals_safety_advice_and_near_misses_are_reports(text, quoting):
    assert (analyze_text(text).quoting >= 0.4) is quoting


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("i'll post the photo u sent on ur school page if u block me", True),
     ("ill share the pics you sent in here unless u answer", True), ("i'll send the pic you sent to grandma", False)],
)
def test_signals_threatening_to_post_what_was_sent_is_sextortion(text, coerces):
    assert (analyze_text(text).coercion >= 0.8) is coerces


@pytest.mark.parametrize(
    ("text", "recruits"),
    [("under 13? ask a parent to enter", False), ("giveaway! under 12 must have parent permission", False),
     ("looking for girls under 15 for paid shoots", True), ("小模特真可爱 这件有大码吗", False), ("招小模特 日结", True)],
)
def test_signals_an_age_rule_and_praise_of_a_shops_model_are_no_recruitment(text, recruits):
    assert (analyze_text(text).stage_scores["recruitment"] >= 0.6) is recruits


@pytest.mark.parametrize("text", ["收王者号 要有典藏皮肤 预算800 加vx详谈", "出原神号 五星满命 加v"])
def test_signals_buying_or_selling_a_named_games_account_is_trade(text):
    reason = next(reason for reason in analyze_text(text).reasons if reason.signal == "off_platform")
    assert "weakened: game trading or team-up talk" in reason.detail


@pytest.mark.parametrize(
    ("text", "stage", "reads"),
    [("i might come say hi at the gate after school 😊", "meeting", True),
     ("what time do u usually come out of school?", "age_probe", True),
     ("the parents meet at the gate at 3 for the trip", "meeting", False),
     ("帅哥练得不错 高几了？", "age_probe", True), ("拍几张光着上身的照片发我看看", "image_request", True),
     ("表现好送你双aj", "gifts", True), ("照片私发给我 别发群里 保护隐私", "secrecy", False),
     ("这事别发群里 我们私下说", "secrecy", True)],
)
def test_signals_school_gate_visits_home_time_grade_shirtless_pictures_and_privacy(text, stage, reads):
    assert (analyze_text(text).stage_scores[stage] >= 0.45) is reads


@pytest.mark.parametrize(("text", "minor"), [("yes its oakfield primary", True), ("my son goes to oakfield primary", False)])
def test_signals_naming_ones_own_primary_school_is_a_minor_cue(text, minor):
    assert (analyze_text(text).minor_cue >= 0.8) is minor


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("do it by friday or i send our chat and the photos to everyone who follows you", True),
     ("ill send the photos to the class group chat for the yearbook", False)],
)
def test_signals_threatening_to_send_the_chat_and_photos_to_followers_is_sextortion(text, coerces):
    assert (analyze_text(text).coercion >= 0.8) is coerces


@pytest.mark.parametrize(
    ("text", "frame"),
    [("亲 10岁一般穿140码 加微信看实拍", "shop or business contact"), ("换绑后付款 加我qq 细聊", "game trading or team-up talk")],
)
def test_signals_a_childrens_shop_and_an_account_handover_are_business_frames(text, frame):
    reason = next(reason for reason in analyze_text(text).reasons if reason.signal == "off_platform")
    assert f"weakened: {frame}" in reason.detail


@pytest.mark.parametrize(("text", "family"), [("你QQ多少 拉你进班级小群", True), ("你QQ多少 拉你进个小群", False)])
def test_signals_pulling_a_classmate_into_the_class_group_is_a_family_frame(text, family):
    assert (analyze_text(text).family >= 0.5) is family


@pytest.mark.parametrize(
    ("text", "secret"),
    [("外婆睡着以后再打给我 别让他知道", True), ("姥姥明天生日 我们偷偷准备蛋糕", False),
     ("别想着跟家长说 没用的", True), ("有事记得告诉老师", False), ("你敢讲出去试试", True), ("你敢吃辣吗", False),
     ("爸妈不方便陪同 你一个人来", True), ("家长可以陪同 也可以在门口等", False)],
)
def test_signals_hiding_from_a_grandparent_silencing_threats_and_parents_kept_away_are_secrecy(text, secret):
    assert (analyze_text(text).stage_scores["secrecy"] >= 0.8) is secret


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("周五前转两百 否则全班都会知道", True), ("明天交作业 否则老师会知道", False), ("不然你同学全知道", True),
     ("他说不然全校都知道 我已经截图报警了", False)],
)
def test_signals_threatening_that_the_school_will_know_is_sextortion(text, coerces):
    assert (analyze_text(text).coercion >= 0.8) is coerces


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("不发我就跟你爸说你考试作弊", True), ("你再不拍我就告诉你班主任", True), ("不转钱我就找你妈告状", True),
     ("再不听话我就告诉你爸妈", False), ("早点睡 不然我告诉你妈", False), ("你不写完作业我就跟你爸说", False),
     ("it'd be a shame if ur class gc saw them", True), ("would hate for your parents to see these pics", True),
     ("itd be a shame if your mom saw the mess lol", False), ("would be a shame if it rained on the match", False)],
)
def test_signals_a_threat_to_tell_parents_unless_pictures_or_money_are_sent_is_sextortion(text, coerces):
    assert (analyze_text(text).coercion >= 0.8) is coerces


@pytest.mark.parametrize(
    ("text", "secret"),
    [("小声点 别被你爸妈听见", True), ("打完记得把通话记录删了", True), ("别被雨淋了 带伞", False),
     ("通话记录能导出吗 报销要用", False)],
)
def test_signals_not_being_overheard_by_parents_and_deleting_the_call_log_are_secrecy(text, secret):
    assert (analyze_text(text).stage_scores["secrecy"] >= 0.8) is secret


@pytest.mark.parametrize(
    ("text", "stage", "low", "high"),
    [("把号码发我 我给你充", "off_platform", 0.8, 1.0), ("把订单号发我 帮你查物流", "off_platform", 0.0, 0.3),
     ("晚上跟我打个电话", "off_platform", 0.3, 0.35), ("两个主播连麦pk好燃", "off_platform", 0.0, 0.0)],
)
def test_signals_asking_for_a_phone_number_and_a_call(text, stage, low, high):
    assert low <= analyze_text(text).stage_scores[stage] <= high


@pytest.mark.parametrize(
    ("text", "quoting"),
    [("記住：陌生人叫你加LINE要照片的 直接封鎖檢舉", True), ("已檢舉 大家小心", True), ("封锁线外面排队", False), ("直接封鎖他", True)],
)
def test_signals_taiwanese_blocking_and_reporting_words_mark_a_report(text, quoting):
    assert (analyze_text(text).quoting >= 0.8) is quoting


@pytest.mark.parametrize(
    ("text", "minor"),
    [("拉个小群 咱初一五班的都来", True), ("我们初二3班今天放假", True), ("我们初一五班的同学们注意 明天交表", False),
     ("咱们三年级二班的家长请进群", False)],
)
def test_signals_naming_our_class_is_the_writer_in_school(text, minor):
    assert (analyze_text(text).minor_cue >= 0.8) is minor


@pytest.mark.parametrize(
    ("text", "coerces"),
    [("unless u want ur whole class seeing it, 2 more tonight", True), ("ur school saw it? shame if ur school saw it", True),
     ("你之前视频的录屏我还留着 不回来的话我就发你们年级群", True), ("你不回来的话我就发群里说你鸽了", False),
     ("unless u want ur mom to pick u up, take the bus", False)],
)
def test_signals_kept_recordings_and_veiled_exposure_threats_are_sextortion(text, coerces):
    assert (analyze_text(text).coercion >= 0.8) is coerces


@pytest.mark.parametrize(
    ("text", "secret"),
    [("parents don't need to come, it's better for focus", True), ("don't tell her about me or she'll take ur phone", True),
     ("聊天记录会自动删 家里人看不到", True), ("就說是抽獎中的", True), ("大人不会懂我们的", False),
     ("parents need to come to the meeting", False), ("tell her about me, i'd love to meet her", False)],
)
def test_signals_parents_kept_away_and_cover_stories_are_secrecy(text, secret):
    assert (analyze_text(text).stage_scores["secrecy"] >= 0.7) is secret


@pytest.mark.parametrize(("text", "meets"), [("meet me at spawn, come alone", False), ("meet me at the lobby in 5", False),
                                             ("meet me at the park at 5", True), ("meet me at the mall after school", True)])
def test_signals_a_meeting_at_a_game_location_is_no_meeting(text, meets):
    assert (analyze_text(text).stage_scores["meeting"] >= 0.7) is meets


@pytest.mark.parametrize(
    ("text", "minor"),
    [("高一 被同学孤立了 好难受", True), ("在学校蹭wifi 初一好惨", True), ("我妈说可以玩到下午五点", True),
     ("我妈同意了 五点前要回家", True), ("my mom says i have to be home by 9", True), ("初一 去庙里上香", False),
     ("高三那年好惨", False), ("正月初一好热闹", False)],
)
def test_signals_a_bare_school_grade_and_a_curfew_set_by_parents_are_minor_cues(text, minor):
    assert (analyze_text(text).minor_cue >= 0.5) is minor


def test_signals_a_birthday_gift_kept_from_a_parent_who_would_make_the_child_save_it_is_a_small_secret():
    text = "happy birthday!! sent u $20 on the app. don't let ur mother know or she'll make u save it"
    assert analyze_text(text).surprise >= 0.9
    assert analyze_text("sent u $20 dont let ur mom know or she'll take ur phone").surprise == 0.0


@pytest.mark.parametrize(
    ("text", "minor", "adult"),
    [("招搭档 本人初一 想演长期本", True, False), ("我妈批准我出门到五点", True, False), ("求约拍 坐标广州 本人19", False, True),
     ("成年啦 大二 可以看学生证", False, True), ("本人19号到", False, False), ("大一点的尺码有吗", False, False)],
)
def test_signals_self_introductions_by_grade_or_age_and_a_curfew(text, minor, adult):
    analysis = analyze_text(text)
    assert (analysis.minor_cue >= 0.5, analysis.adult_cue >= 0.8) == (minor, adult)


@pytest.mark.parametrize(
    ("text", "stage", "reads"),
    [("你加爷爷好友 以后常来爷爷家玩", "off_platform", True), ("你加爷爷好友 以后常来爷爷家玩", "meeting", True),
     ("Q我：2 3 5 8 8", "off_platform", True), ("iq我最高", "off_platform", False),
     ("发张照片我好代入", "image_request", True), ("你这个年纪也该懂点了", "sexual_talk", True),
     ("你这个年纪也该懂事了", "sexual_talk", False), ("家长不用陪 有家长在孩子放不开", "secrecy", True),
     ("家长可以陪同", "secrecy", False), ("nice r u alone rn? wanna see something", "sexual_talk", True),
     ("are you alone? wanna see something funny", "sexual_talk", False),
     ("if u add me dont tell ur moms lol", "secrecy", True)],
)
def test_signals_kinship_self_reference_grooming_normalisation_and_parents_kept_away(text, stage, reads):
    assert (analyze_text(text).stage_scores[stage] >= 0.6) is reads


@pytest.mark.parametrize(
    ("text", "surprise", "family"),
    [("舅舅转你200 下周你妈生日 你拿去给她买束花 保密哦 别提前说漏嘴", True, True),
     ("popped a little money in ur card, don't tell ur mum it's for sweets 😉 love Nana", False, True),
     ("转你200 别告诉你妈", False, False)],
)
def test_signals_a_parents_birthday_present_and_a_relatives_sign_off(text, surprise, family):
    analysis = analyze_text(text)
    assert (analysis.surprise >= 0.9, analysis.family >= 0.9) == (surprise, family)


@pytest.mark.parametrize(
    ("text", "seeks"),
    [("先让孩子自己加我 发几张生活照", True), ("have your daughter dm me directly for the casting", True),
     ("让孩子加我微信 有不会的题随时问", False), ("have your daughter bring her permission slip", False)],
)
def test_signals_asking_a_parent_to_have_the_child_make_contact_alone_looks_for_children(text, seeks):
    assert (analyze_text(text).seeks_minors >= 0.8) is seeks


@pytest.mark.parametrize(
    ("text", "signal", "reads"),
    [("then i send screenshots of our chats to ur whole class", "coercion", True),
     ("then i send the photos to the team group for the yearbook", "coercion", False),
     ("今晚再拍三张 不然明天全班都能看到", "coercion", True), ("早点交作业 不然明天老师都能看到", "coercion", False),
     ("我妹也收到过 还让她加个vx 说别告诉家里", "quoting", True), ("叔叔发红包给她 让她私信我", "quoting", False),
     ("六年级毕业照 再见了我的小学", "minor_cue", True), ("女儿六年级毕业照", "minor_cue", False),
     ("wait what homeroom r u in", "minor_cue", True)],
)
def test_signals_threats_reports_and_school_cues_of_session_16(text, signal, reads):
    assert (getattr(analyze_text(text), signal) >= 0.55) is reads


@pytest.mark.parametrize(
    ("text", "stage", "reads"),
    [("给你看点课本上没有的 涩涩的成人bio知识", "sexual_talk", True), ("这个番好涩啊", "sexual_talk", False),
     ("gg给你发个大hb 私xin gg来拿", "off_platform", True), ("记得bgs爸爸mm哦", "secrecy", True)],
)
def test_signals_slang_and_pinyin_initials_read_as_the_words(text, stage, reads):
    assert (analyze_text(text).stage_scores[stage] >= 0.5) is reads


@pytest.mark.parametrize(("text", "minor"), [("收到了 谢谢大哥哥", True), ("谢谢大哥 货收到了", False), ("谢谢哥哥的礼物", False)])
def test_signals_thanking_a_big_brother_as_a_child_does(text, minor):
    assert (analyze_text(text).minor_cue >= 0.5) is minor


@pytest.mark.parametrize(
    ("text", "minor", "adult"),
    [("im in the 415 14/m whats ur asl?", True, False), ("<--13", True, False), ("15 <--", True, False),
     ("ill be 14 in march", True, False), ("i'll b 23 in june", False, True), ("im gonna be 27 next month", False, True),
     ("29/f/boston", False, True), ("hey 31/m here", False, True), ("i might be a bit old for you lol", False, True),
     ("i am 21 in a row lol", False, False), ("i was 21 in 2010", False, False), ("price 20/m for the plan", False, False),
     ("5/10 would not recommend", False, False), ("i am too old for this game", False, False),
     ("my son 24/m/ca is moving out", False, True)],
)
def test_signals_asl_tags_with_slashes_coming_birthdays_and_being_too_old_for_someone(text, minor, adult):
    analysis = analyze_text(text)
    assert (analysis.minor_cue >= 0.8, analysis.adult_cue >= 0.8) == (minor, adult)


@pytest.mark.parametrize(("text", "adult"), [("v我50", False), ("借我30 明天还", False), ("我30了", True), ("我50岁了", True)])
def test_signals_v_me_fifty_is_a_transfer_not_an_age(text, adult):
    assert (analyze_text(text).adult_cue >= 0.8) is adult


@pytest.mark.parametrize(
    ("text", "signal", "reads"),
    [("answer me in 10 min or everyone in this chat sees what u sent me", "coercion", True),
     ("reply fast or everyone in this chat sees the meme first", "coercion", False),
     ("giveaway!! only for members 13 and under, dm me", "seeks_minors", True),
     ("anyone 12-14 want free robux? dm", "seeks_minors", True), ("only 12 13 people came to practice", "seeks_minors", False),
     ("this camp is only for kids 8-12", "seeks_minors", False), ("anyone 10-12 want to join the swim camp", "seeks_minors", False),
     ("u grade 7 also right?", "minor_cue", True), ("grade 7 also had a quiz today", "minor_cue", False),
     ("每人送1000点券 加我q领", "gifts", True), ("每人一个苹果", "gifts", False),
     ("群公告里那个不是我 加我这个号", "quoting", False), ("请看群公告 别加私人号", "quoting", True)],
)
def test_signals_threats_to_a_chat_offers_by_age_range_same_grade_gifts_for_all_and_impersonation(text, signal, reads):
    analysis = analyze_text(text)
    value = analysis.stage_scores["gifts"] if signal == "gifts" else getattr(analysis, signal)
    assert (value >= 0.55) is reads


@pytest.mark.parametrize(
    ("text", "signal", "reads"),
    [("请你 mom or dad 加我就好, 我只跟 parents 直接 communicate", "family", True), ("别让你 mom 加我", "family", False),
     ("别让你爸妈加我 偷偷的", "family", False), ("have your mom or dad add me for the schedule", "family", True),
     ("dont have your mom add me", "family", False), ("你负责把爸爸带出门 我们布置", "family", True),
     ("把你爸妈支开", "family", False), ("所有 audition 家长必须陪同", "family", True), ("家长不用陪同", "family", False),
     ("刚加完班 29", "adult_cue", True), ("别在公司群乱说 我们 manager 超爱八卦", "adult_cue", True),
     ("加完作业再说", "adult_cue", False)],
)
def test_signals_parents_asked_to_make_contact_a_parent_lured_out_for_a_surprise_and_work_talk(text, signal, reads):
    assert (getattr(analyze_text(text), signal) >= 0.55) is reads


@pytest.mark.parametrize(
    ("text", "signal", "reads"),
    [("不发的话我就挂到你们学校贴吧 你自己掂量", "coercion", True), ("不想被你班主任看到 今晚再拍一个", "coercion", True),
     ("不想被老师看到就别抄了", "coercion", False), ("电话先挂了 不发了", "coercion", False),
     ("群里的小学生举个手 叔叔发红包", "seeks_minors", True), ("群里小朋友谁家今晚没大人", "seeks_minors", True),
     ("群里的家长们注意 明天放假", "seeks_minors", False), ("giving robux to whoever is under 13", "seeks_minors", True),
     ("whoever is under 18 needs a parent to sign", "seeks_minors", False),
     ("any 12 13 yo here? free skins", "seeks_minors", True), ("any 12 13 more laps?", "seeks_minors", False),
     ("cos第一次 初三学生党 轻喷", "minor_cue", True), ("我家初三学生党 愁死了", "minor_cue", False),
     ("中三 test 又肥佬", "minor_cue", True), ("hes at work on tuesdays lol", "adult_cue", False),
     ("im like 30 from sf", "adult_cue", False), ("i am 30 from la", "adult_cue", True)],
)
def test_signals_exposure_threats_children_called_out_in_a_room_student_tags_and_someone_elses_work(text, signal, reads):
    assert (getattr(analyze_text(text), signal) >= 0.55) is reads


@pytest.mark.parametrize(
    ("text", "stage", "reads"),
    [("开麦给叔叔喘两声 给你买套装", "sexual_talk", True), ("跑完步喘一下", "sexual_talk", False),
     ("叔叔就喜欢小的", "sexual_talk", True), ("我就喜欢小的那个杯子", "sexual_talk", False),
     ("今晚你屋企冇人呀?", "age_probe", True), ("今晚屋企食咩", "age_probe", False)],
)
def test_signals_moaning_a_liking_for_the_young_and_cantonese_home_alone(text, stage, reads):
    assert (analyze_text(text).stage_scores[stage] >= 0.55) is reads


@pytest.mark.parametrize(("text", "adult"), [("our manager loves gossip", True), ("go tell your manager lol", False)])
def test_signals_our_manager_is_work_your_manager_is_not(text, adult):
    assert (analyze_text(text).adult_cue >= 0.55) is adult
