"""Rules about the writer and the frame: minor and adult self-presentation, reporting/quoting, shop and trade talk.

English rules read canonical text, Chinese rules the folded text (see :mod:`classifiers.patterns.common`). Cues are
first-person ("I'm 13", "我初二"): a parent's "my son is 13" is an adult cue, not a minor one.
"""

from __future__ import annotations

from classifiers.patterns.common import rule
from classifiers.patterns.en_words import MINOR_AGE, PARENTS

__all__ = [
    "ADULT_CUE", "COMMERCE", "FAMILY", "MINOR_CUE", "QUOTING", "SAME_AS_YOU", "SEEKS_MINORS", "STATED_AGE", "SURPRISE",
    "TRADE",
]

_SCHOOL_YEAR = (
    r" (?:the )?(?:(?:[1-9]|1[0-2])(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth) "
    r"grade| (?:middle|high|elementary|primary|junior high) ?school| year (?:[5-9]|1[01])\b"
)
_WHEN_AN_AGE_COMES = (
    r" (?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?|a (?:week|month|few (?:days|weeks|months))|(?:two|three|\d+) (?:days|weeks|months)|"
    r"the (?:summer|fall|spring|winter))\b"
)
"""When a birthday comes: "i'll be 21 in july" is an age, "21 in a row" is not."""
_NOT_A_QUANTITY = (
    r"(?!\s*(?:min|mins|minute|minutes|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|km|miles?|mi|lbs?|pounds?|kgs?|"
    r"feet|ft|inches|cm|percent|%|dollars|bucks|k\b|am\b|pm\b|o clock|times|"
    rf"in\b(?!{_SCHOOL_YEAR}|{_WHEN_AN_AGE_COMES})|points|level|lvl|"
    r"games|wins|kills|hp|"
    r"mmr|years? (?:ago|in|at|of|with|since|later)|yrs? (?:ago|in|at)|of )|\.\d|:\d|,\d|/|"
    r"\s*(?:to|or)?\s+\d+\s*(?:min|mins|minute|minutes|hours?|hrs?|km|miles?|mi)\b|"
    r"(?<=like \d\d) from\b|(?<=like \d) from\b)"
)
_FIRST_PERSON_AGE = (
    r"\b(?:i am|iam|i just turned|just turned|i turned|i will be?|i ll be?|ill be?|i am going to be)\s*"
    r"(?:only |just |like |almost |"
    r"nearly |turning |now )?"
)
_NOT_THEIR_CHILD = r"(?<!my )(?<!our )(?<!his )(?<!her )(?<!a )(?<!the )(?<!their )(?<!your )"
_ADULT_AGE = r"(?:1[89]|[2-9]\d|twenty|thirty|forty|fifty|sixty)"
_AGE_TAIL = r"(?:\s*(?:years old|year old|yrs old|yr old|yo|y o|and a half))?"
_NOT_KIN_TAGGED = "".join(
    rf"(?<!{kin} )" for kin in ("son", "daughter", "kid", "child", "brother", "sister", "nephew", "niece", "cousin")
)
"""Not a relative's tag: "my daughter 13/f" describes the daughter."""
_NOT_ASKED = r"(?![^.!?]*\?)"
"""Not inside a question: "after school" in "are your parents home after school?" is about the one asked."""
_NOT_ASKED_ZH = r"(?!了?(?:吗|么|没|没有|不)|[^。！!?]*\?)"
_KIN = r"(?:son|daughter|kid|kids|child|children|brother|sister|nephew|niece|cousin|students?|class|boy|girl)"
_NOT_A_SCHOOL_NAME = (
    r"(?:the|a|an|in|of|my|your|his|her|our|their|to|at|this|that|me|i|am|im|just|so|right|left|top|bottom|center|"
    r"dead|upper|lower|go|going|stuck|smack|mid|not|no|is|was|and|or|but|lane|seat|row|name|kid|child|ok|okay|yes|"
    r"yeah|yea|yep|ya|ye|yh|lol|haha|like|hate|love|back|from|after|before|since|for|with|about|when)"
)
"""Words that open "<word> middle" without naming a school ("in the middle", "top middle", "me middle child")."""
_NOT_PARENTS_EN = "".join(
    rf"(?<!{parent} )(?<!{parent} is )(?<!{parent} are )(?<!{parent} s )(?<!{parent} r )(?<!{parent} both )"
    for parent in ("parents", "mom", "dad", "mum", "mother", "father", "folks")
)
"""Not after a parent: "my parents are at work" tells where the writer's parents are, not that the writer works."""
_NOT_PARENTS_ZH = (
    r"(?<![爸妈母长们他她])(?<![爸妈母长们他她].)(?<![爸妈母长们他她]..)(?<![爸妈母长]...)(?<![爸妈母长]....)"
    r"(?<!parents)(?<!parents )(?<!mom)(?<!mom )(?<!dad)(?<!dad )(?<!mum)(?<!mum )"
)
"""Not after a parent within four characters, or "他们" within two: "爸妈出差了", "我爸妈周六都上班", "他们出差了"."""
_PARENTS_AWAY_ZH = r"(?:爸妈|我妈|我爸|父母|家里人|家长|大人)[^,，。.!！?？]{0,4}?"

MINOR_CUE = (
    rule("minor_cue", 0.9, "says they are a minor by age",
         rf"{_FIRST_PERSON_AGE}{MINOR_AGE}{_AGE_TAIL}\b{_NOT_A_QUANTITY}",
         r"我(?:今年|现在|才|只有|刚|刚刚|都|就|也)?(?:满)?(?:才|只有)?\s?(?:1[0-7]|[89]|十[一二三四五六七]?|[八九]|"
         r"十几)\s?(?:岁|周岁)(?!时|的时候|那年|那会)",
         r"我(?:今年|现在)?(?:才|只有|刚)(?:1[0-7]|十[一二三四五六七])(?:了|啦|"
         r"呢)?(?![级分点块个号斤万千百次天小年月\d])",
         r"我(?:也|都|今年|现在)?\s?(?:1[0-7]|十[一二三四五六七])(?:岁|周岁)?(?:了|啦|呀|哦)?(?=$|[\s,，.。!！?？~]|你|呢|吗)",
         r"我(?:是)?(?:0[5-9]|1[0-5])后",
         r"我(?:今年|现在)?(?:1[0-7]|十[一二三四五六七])(?:岁)?(?:的话)?(?:可以|行|能|也能|也可以|够)(?:吗|不|么|嘛|吧|参加|报名)",
         r"我(?:今年|现在)?(?:1[0-7]|[89]|十[一二三四五六七]?)[ ,，]?(?:[一二三四五六]年级|初[一二三]|高[一二]|"
         r"[七八九]年级|(?:[1-9]|1[0-2])(?:st|nd|rd|th) grade)"),
    rule("minor_cue", 0.8, "opens with their own age",
         r"^(?:1[0-7]|十[一二三四五六七])\s?岁(?=想找|求|女生?|男生?|初[一二三]|高[一二]|的我|坐标|学生)"),
    rule("minor_cue", 0.85, "gives a minor age/sex tag",
         rf"(?:^|[\s,;]){_NOT_THEIR_CHILD}{MINOR_AGE} ?/? ?(?:f|m|female|male)\b(?= *(?:$|[/,.!?]|here|from|looking|"
         r"lol|bored|hi|hey))",
         rf"(?:^|[\s,;(]){_NOT_THEIR_CHILD}{_NOT_KIN_TAGGED}{MINOR_AGE} ?/ ?(?:f|m|female|male)\b(?! ?/ ?\d)",
         r"^\s*(?:<[-=]+\s*" + MINOR_AGE + r"|" + MINOR_AGE + r"\s*<[-=]+)\s*(?:me|here|lol)?\s*$",
         rf"^\W*(?:hi |hey |hello )?{MINOR_AGE} ?(?:/ ?)?(?:yo|y o|years old|year old|yrs old)\b(?! {_KIN})",
         rf"(?:^|[.!?] ?){MINOR_AGE} ?(?:yo|y o|years old|year old|yrs old)\b(?= (?:and|but|lol|btw|now|here|rn)\b|"
         r" ?[!,]| ?$)",
         rf"^\W*(?:asl:? ?)?{MINOR_AGE} ?[/,]? ?(?:f|m|female|male)\b(?! *(?:away|left|ago|long|tall|deep|high|wide|"
         r"degrees|deg|outside|from here|per|a day|each|penalty))",
         rf"^\W*(?:f|m|female|male)[ ,/]+(?:[a-z]+[ ,/]+){{0,2}}(?:almost |nearly |turning |just turned )?{MINOR_AGE}\b"
         rf"{_NOT_A_QUANTITY}",
         rf"\b(?:i am|me) (?!(?:level|lvl|rank|number|on|at|in|chapter|page|episode|floor|room|done|up|down|out)\b)"
         rf"[a-z]+,? {MINOR_AGE}\b(?= *(?:$|from\b|f\b|m\b|and\b|yo\b|years\b|yrs\b|/))",
         rf"^\W*{MINOR_AGE}(?: ?[/,]? ?(?:f|m))?[\s,.!]+(?:and )?(?:how old are you|how about you|what about you|"
         r"hbu|wbu|and you|you|u)\b(?: ?\?|$)",
         rf"\ba {MINOR_AGE} ?(?:yo|y o|year old|yr old)(?: (?:girl|boy|kid))? like me\b"),
    rule("minor_cue", 0.8, "says they are in the same school grade",
         r"\b(?:(?:grade|year|yr|sec|form|primary|p) ?(?:[1-9]|1[0-2])|(?:[1-9]|1[0-2])(?:st|nd|rd|th) grade) "
         r"(?:(?:too|as well)\b|also\b(?= *(?:$|[?!.,]|right|ah|la|lah|meh|leh|lor|ya|is it)))"),
    rule("minor_cue", 0.85, "says which school grade they are in",
         r"\b(?:i am|i just started|just started|i am starting|i am going into|i will be in|"
         r"i ll be in) (?:in )?(?:the )?"
         r"(?:[1-9]|1[0-2])(?:st|nd|rd|th)? grade\b", r"\bi am (?:a |an )?(?:[5-9]|1[0-2])(?:st|nd|rd|th)? grader\b",
         r"\bi am (?:a )?(?:freshman|sophomore|junior|senior) in (?:high ?school|hs)\b",
         r"\bi am (?:still )?in (?:middle|junior high|jr high|elementary|primary|high|secondary) ?school\b",
         r"\bi am (?:a |in )?(?:year|yr) (?:[5-9]|1[0-1])\b", r"\bi am (?:a )?(?:middle|high) ?schooler\b",
         r"^\W*(?:maybe|yes|yeah|yep|ya|ye|ok|lol|haha)?[!,.]* ?(?:it is|its|it s|i go to|i am at|i am in) "
         r"[a-z]+(?: [a-z]+)? (?:primary|elementary|middle school|junior high|jr high)\b",
         rf"^\W*(?:(?:yes|yeah|yea|yep|ya|ye|yh|ok|lol|haha)[!,.]* )?(?:(?:it is|its|it s|i go to|i am at) )?"
         rf"(?!{_NOT_A_SCHOOL_NAME}\b)[a-z]+(?: (?!{_NOT_A_SCHOOL_NAME}\b)[a-z]+)? "
         r"(?:middle|elementary|junior high|jr high)"
         r"(?= *(?:$|[^\w\s]|(?:school|haha|lol|lmao|we|and|its|but|rn|ugh|why|u|you)\b))",
         r"我(?:现在|今年|才|还|也|都)?(?:在|上|读|是)?(?:初[一二三]|初中|高[一二]|小学|[一二三四五六]年级|小学生|初中生|"
         r"中学生|七年级|八年级|九年级)(?!同学|的时候|时候|时|那会|那时|老师|毕业|就|阶段|以前|之前|开始|有段|的同学|班主任|教师|"
         r"[语数英]文?老师|的老师|家长|部)",
         r"(?:咱们?|我们)(?:都是|是)?(?:初[一二三]|高[一二三]|[一二三四五六七八九]年级)(?:[一二三四五六七八九十\d]+班)"
         r"(?!的?(?:同学们|家长|学生|孩子|老师|班主任|各位))"),
    rule("minor_cue", 0.8, "says they are the same school age as a minor",
         r"(?:^|[\s,，.。!！])同(?:1[0-7]|十[一二三四五六七])(?:岁|周岁)?",
         r"你也(?:是)?(?:初[一二三]|高[一二]|[一二三四五六]年级|[七八九]年级|小学生|初中生)",
         r"我们(?:俩|两个)?(?:都|也)(?:是|在|上)?(?:初[一二三]|高[一二]|[一二三四五六]年级|[七八九]年级|小学生|初中生)",
         r"\b(?:same|me too)(?: lol| haha)?[,.!]? (?:i am|im) (?:in )?(?:[5-9]|1[0-2])(?:st|nd|rd|th)? grade\b"),
    rule("minor_cue", 0.6, "says they are in the last school year", r"我(?:现在|今年)?(?:在|上|读|是)?(?:高三|高中生)"),
    rule("minor_cue", 0.75, "says their parents control their phone or time",
         rf"\bmy {PARENTS} (?:takes|took|will take|is taking|confiscated|confiscates) (?:away )?my (?:phone|ipad|"
         r"tablet|"
         r"laptop|switch|xbox|computer)\b", rf"\bmy {PARENTS} (?:grounded me|grounds me|will ground me|will not let me|"
         r"does not let me|do not let me|never lets me|makes me go to bed|says i (?:can not|have to)|checks my|"
         r"will check my|reads my|would kill me|will kill me|is calling me|is yelling|would ground me|will ground me|"
         r"is going to ground me|do not trust me|does not trust me|do not allow me|does not allow me)\b",
         rf"\bmy {PARENTS} (?:took|takes|take) (?:away )?(?:the|my) (?:cam|webcam|phone|laptop|computer|ipad)\b",
         r"\b(?:i am|got) grounded\b",
         r"\b(?:i|we) (?:have|got) (?:school|class|classes) (?:tomorrow|in the morning|on monday)\b",
         r"\bi (?:have to|got to|need to) (?:go to bed|sleep|be home) (?:at|by) (?:[7-9]|10|ten|nine|eight)\b",
         r"\bmy (?:bedtime|curfew)\b",
         r"我(?:妈|爸|爸妈|妈妈|爸爸|父母|家长|家里)(?:不让|不许|不准|会收|收了|没收|要收|管得?(?:好|很)?严|会查|查我|"
         r"骂我|打我|会骂|在催|叫我睡觉)", r"(?:手机|电话)(?:被|让)(?:我)?(?:妈|爸|爸妈|老师)?(?:收|没收)",
         r"我(?:妈|爸|爸妈|妈妈|爸爸|家长|老师)[^,.!?，。！？]{0,6}(?:收|没收)(?:了)?(?:我的?)?(?:手机|平板|ipad)",
         r"(?:把|将)(?:我的?)?(?:手机|平板|ipad)(?:给)?(?:收了|没收了|收走)"),
    rule("minor_cue", 0.6, "says what they are not yet allowed to do",
         r"\b(?:i am|im) not allowed to (?:go live|have (?:insta|instagram|tiktok|snap|snapchat|social media|a phone|"
         r"discord)|date|stream)(?: yet| until| till)\b"),
    rule("minor_cue", 0.55, "mentions homework or school life",
         r"\b(?:done|finished) (?:with |w )?(?:my )?(?:homework|hw)\b",
         r"\b(?:what|which) homeroom\b", r"\bsit (?:together|with (?:you|u)) at lunch\b"),
    rule("minor_cue", 0.65, "says their parents decide for them",
         r"\b(?:parents|mom|dad|mum) (?:said|say|says) (?:i am|im|i) (?:not allowed|can not|cant|have to)\b",
         r"\b(?:begged|begging|asked) my (?:parents|mom|dad|mum) (?:for|to let me|if i can)\b",
         r"\b(?:mom|mum|dad|parents)\b[^.!?]{0,15}\bmakes? (?:me|you) go to bed at (?:[7-9]|10)\b"),
    rule("minor_cue", 0.55, "says a parent drives them",
         r"\bmy (?:mom|mum|dad|mommy|parents) (?:will |is gonna |gonna |can |has to |have to )?(?:drive|drives|driving|"
         r"drop|drops|dropping) me\b"),
    rule("minor_cue", 0.6, "counts down their school year", r"\b\d{1,2} more days of school\b"),
    rule("minor_cue", 0.75, "says they get their phone only at set times",
         r"(?:周[五六日末]|放假|回家|晚上)(?:才能?|才可以)(?:拿|用|玩|碰)(?:到)?(?:手机|平板)",
         r"\b(?:i|we) (?:only )?get (?:my|our) phones? (?:back )?(?:on|at) (?:fridays?|weekends?|the weekend)\b"),
    rule("minor_cue", 0.5, "boards at school", r"(?:^|我|我们)(?:在)?住校(?!生活费)", r"\bat boarding school\b"),
    rule("minor_cue", 0.6, "hides from their parents' eyes",
         rf"\b(?:when|while|if|till|until|once|after|before) my {PARENTS} (?:is not|are not|is|are|goes|go|gets|get|"
         r"falls|leaves|leave) (?:around|home|here|asleep|sleeping|to (?:bed|sleep|work)|out|gone|at work|not home|"
         r"not around|not here)\b",
         rf"\b(?:do not|dont) (?:want to|wanna) (?:text|talk|chat|call) (?:you )?(?:near|around|in front of|with) my "
         rf"{PARENTS}\b"),
    rule("minor_cue", 0.5, "says their parents are away",
         r"\bmy (?:parents|mom|dad|mum|folks|mom and dad)(?: are| is| r| s| both)? (?:at work|away|out of town|on a "
         r"trip|working late|working nights|on night shift|not home|not back|gone for)\b",
         rf"{_PARENTS_AWAY_ZH}(?:出差|上班|加班|上夜班|不在家|出门了|出去了|回老家)",
         r"就我(?:一个人|自己|和|跟)(?:奶奶|爷爷|外婆|姥姥|外公|姥爷)?(?:在家)",
         r"就我(?:和|跟)(?:奶奶|爷爷|外婆|姥姥|外公|姥爷)(?!说|讲)"),
    rule("minor_cue", 0.55, "mentions homework or school life",
         r"\b(?:my|doing|do my|finish my|finishing|have|got|so much|lots of|tons of) (?:homework|hw|math homework|"
         rf"science project|book report|school project)\b{_NOT_ASKED}",
         rf"(?:^|\b(?:i|i am|we|my)\b(?:(?!\byou\b)[^.?!]){{0,25}})\b(?:after|before) school\b{_NOT_ASKED}",
         r"\b(?:my|our) (?:teacher|homeroom|principal|classmates|school bus|recess|report card|field trip|math teacher|"
         r"gym teacher|pe teacher)\b", rf"\b(?:at|in) (?:recess|detention|homeroom|study hall)\b{_NOT_ASKED}",
         rf"\bschool (?:tomorrow|tonight)\b{_NOT_ASKED}",
         rf"(?:(?:刚|才|刚刚|马上|快|快要|还没)放学|放学(?:了|啦|回家)|(?:明天|明早|今天)(?:还)?(?:要)?上学|(?:上|"
         rf"下)晚自习|在上课|下课了){_NOT_ASKED_ZH}",
         rf"(?:(?:写|做|补|赶|交)(?:完)?(?:作业|功课)|作业(?:还)?(?:没|没有)?(?:写完|做完|好多|太多|好难)|寒假作业|"
         rf"暑假作业){_NOT_ASKED_ZH}",
         r"(?:我们)?(?:班主任|老班)(?:说|布置|留|让|骂|抓)|被老班|中考|小升初|月考|期中考|期末考|(?:明天|明早|周一)考场见",
         rf"我(?:得|要|去|还要|还得)?(?:上|去)?(?:补习班|补课){_NOT_ASKED_ZH}",
         r"被(?:我)?(?:妈|爸|爸妈|家长|老师|老班|班主任)(?:盯着|发现|抓到|查|没收|骂)"),
    rule("adult_cue", 0.8, "says they are at university",
         r"(?:^|我|[\s,，])(?:现在|今年)?(?:是)?(?:大[二三四]|大一(?!点|些|号|码|倍|圈|岁)|研[一二三]|研究生|博士生?)"
         r"(?=$|[\s,，。!！?？]|学生|的|了|在读|狗|可以|吗|呀|你)",
         r"我(?:是)?[一-鿿]{1,6}(?:系|专业|学院)(?:的)?(?:大[二三四]|研[一二三]|研究生|博士生?)"),
    rule("minor_cue", 0.35, "mentions classmates", r"我们班|同桌"),
    rule("minor_cue", 0.6, "marks a school milestone of their own",
         r"(?:^|我)(?:小[一二三四五六]|初[一二三])(?:毕业|毕业典礼|开学|期末|的最后一天)"),
    rule("minor_cue", 0.6, "introduces themself by school stage",
         r"^(?:本|咱|我们)?(?:小学生|初中生|初一|初二|初三|高一|高二|初一党|初二党|初三党|小学党|学生党)(?:一枚|放假|"
         r"放暑假|放寒假|开学|报到|在线|表示|求助|求带|的我|党|新生)",
         r"(?<!家)(?<!孩子)(?<!女儿)(?<!儿子)(?<!闺女)(?:初[一二三]|高[一二三]|中[一二三四五六]|小学|初中)学生党",
         r"^\W*中[一二三四五六]\s?(?:test|测验|考试|默书|功课|又|今日|今天|真系|好难|好多)",
         r"\b(?:it is|its) a school night\b", r"\b(?:i have|i got|got) (?:a )?(?:test|quiz|exam) (?:tomorrow|"
         r"on monday) at school\b"),
    rule("minor_cue", 0.6, "finishes primary school or competes in a children's age group",
         r"^(?!.*(?:proud|女儿|儿子|孩子|我家|宝贝|娃))(?:(?!你).){0,20}小学毕业(?:了|啦|咯)",
         r"六年级毕业(?:了|啦)|bye bye 六年级",
         r"^(?!.*(?:女儿|儿子|孩子|我家|宝贝|娃|学生))[^。!?]{0,8}(?:六年级|小学)毕业(?:照|典礼|季)",
         r"再见了?\s?我的小学",
         r"\b(?:my|i)\b[^.!?]{0,40}\(?\bu ?(?:[6-9]|1[0-5])\)?(?:$|[\s.!)])"),
    rule("minor_cue", 0.6, "says they wear a school uniform",
         r"^\W*(?:still )?(?:in |wearing )?(?:my )?school uniform\b",
         r"\bi am (?:still )?(?:in|wearing) (?:my )?school uniform\b", r"^\W*还穿着校服|我(?:还)?穿着校服"),
    rule("minor_cue", 0.8, "gives their school grade with their game rank",
         r"(?:初[一二三]|高[一二]|[七八九]年级)(?:的)?\s?(?:钻石|星耀|王者|黄金|白银|铂金|青铜|大师|宗师|段位|国服)"),
    rule("minor_cue", 0.85, "answers with their school grade",
         r"^\W*(?:初[一二三]|高[一二]|小[一二三四五六]|[一二三四五六]年级|[七八九]年级|中[一二三]|国[一二三])(?:了|啦|呀|哦|呢|"
         r"吧)?\W*$", r"我(?:今年|现在)?(?:在|上|读|是)?国[一二三中](?!家|外|内|庆)",
         r"^\W*(?:(?:[5-9]|1[01])(?:st|nd|rd|th)(?: grade)?|grade (?:[5-9]|1[01])|year (?:[5-9]|1[01])|sec(?:ondary)? "
         r"[1-3]|form [1-4])(?: lol| haha| why)?\W*$",
         r"^\W*(?:(?:[5-9]|1[01])(?:st|nd|rd|th) grade|grade (?:[5-9]|1[01])|year (?:[5-9]|1[01]))[,;] ?"
         r"(?![^,;]*\b(?:teach|teacher|teaching|son|daughter|kids?|child|students?|class)\b)[a-z][a-z .]{1,24}\W*$",
         r"^\W*(?:初[一二三]|高[一二]|小[一二三四五六]|[一二三四五六七八九]年级)[,，、 ] ?"
         r"(?![^,，]*(?:儿子|女儿|孩子|娃|学生|老师|班主任|教))[\u4e00-\u9fff]{1,8}\W*$",
         r"^\W*(?:sec(?:ondary)? [1-5]|p[1-6]|primary [1-6]|form [1-5])\b"
         r"(?= ?(?:lor|la|lah|leh|ah|liao|only|now|this year)\b)",
         r"^\W*(?:ya|yeah|yes|yep|yup|same|me too|对|嗯|是的?|我也是?)\W*"
         r"(?:初[一二三]|高[一二]|[七八九]年级|国[一二三]|"
         r"(?:[5-9]|1[01])(?:st|nd|rd|th)(?: grade)?)(?=$|\W|了|啦|呀|哦|呢|吧)"),
    rule("minor_cue", 0.7, "tags their post with their own school grade",
         r"(?:^|\(|[,.!] ?|in my life |my )(?:[5-9]|1[0-2])(?:st|nd|rd|th) grade "
         r"(?:(?:dance|formal|trip|camp|graduation|science fair|field trip|math|homework|drama|class|recital|concert|"
         r"play) )?"
         r"(?:is|was|has been|sucks|edition|life|problems|struggles|"
         r"vibes|be like|diaries|survival|energy)\b",
         r"^(?:打卡|坐标|本人)?(?:初[一二三]|高[一二]|[七八九]年级)(?:党|狗|的我|一枚)?\s?(?=今天|明天|又|好|太|要|在|刚|快|作业|"
         r"考试|月考|期中|期末|小测|英语|数学|语文|物理|开学|放假|被)(?!(?:好|太|才|还)(?:可爱|乖|小|年轻|嫩|萌|懂事|聪明|漂亮))",
         r"(?:^|\s)(?:初[一二三]|高[一二]|[七八九]年级)(?:党|狗|的我)?(?:好惨|太惨|好难|太难了?|好累|太累了?)\W*$"),
    rule("minor_cue", 0.85, "introduces themself by school grade",
         r"本人(?:是|今年)?(?:初[一二三]|高[一二]|小学生|初中生|[一二三四五六七八九]年级|小[一二三四五六])"),
    rule("minor_cue", 0.55, "says their parents set when they must be home",
         r"我(?:妈|爸|爸妈|妈妈|爸爸|家长)[^,.!?。，]{0,8}(?:(?:玩|出门|出去|在外面)到[^,.!?。，]{0,4}[\d一二三四五六七八九十]+点|"
         r"[\d一二三四五六七八九十]+点(?:前|之前|以前)(?:要|得|必须|就得|就要)?回家)",
         rf"\bmy {PARENTS} (?:says?|said) (?:i (?:have|need) to be home|i can stay (?:out )?(?:till|until))\b"),
    rule("minor_cue", 0.9, "says they are a child",
         r"\bi am (?:just |only |still )?(?:a )?(?:kid|child|minor|little girl|little boy|underage|under ?18|not 18|"
         r"not an adult|too young)\b", r"\bwhen i (?:am|turn) (?:18|eighteen)\b",
         r"我(?:还)?(?:是)?(?:个)?(?:小孩|孩子|未成年|小学生|初中生)(?!的)"),
    rule("minor_cue", 0.55, "thanks an older stranger as a child does",
         r"(?:谢谢|谢啦|谢了|好的|知道了|嗯嗯)\s?(?:大哥哥|大姐姐)"),
    rule("minor_cue", 0.6, "says they are a teen", r"\bi am (?:a )?(?:teen|teenager)\b", r"我(?:是)?(?:学生|学生党)"),
)

ADULT_CUE = (
    rule("adult_cue", 0.85, "gives an adult age",
         rf"{_FIRST_PERSON_AGE}{_ADULT_AGE}{_AGE_TAIL}\b{_NOT_A_QUANTITY}",
         rf"(?:^|[\s,.!?:;(]){_NOT_THEIR_CHILD}{_ADULT_AGE}\s*(?:f|m|yo|y o|female|male)\b(?!\s*{_KIN})"
         r"(?!\s*(?:free|freestyle|fly|butterfly|back|backstroke|breast|breaststroke|medley|relay|sprint|dash|run|race|"
         r"swim|hurdles|final)\b)",
         rf"(?:^\W*(?:hi |hey |hello )?|\bi am |\basl:? ?){_ADULT_AGE} ?/ ?(?:f|m|female|male)\b(?! ?/ ?\d)",
         rf"(?:^|[\s,;(]){_NOT_THEIR_CHILD}{_NOT_KIN_TAGGED}{_ADULT_AGE} ?/ ?(?:f|m|female|male) ?/ ?[a-z]",
         r"(?<![vV转借给])我(?:今年|已经|都|也|快)?(?:1[89]|[2-9]\d|[二三四五六七八九]十[一二三四五六七八九]?|十[八九])(?:岁|周岁|了)",
         r"(?<![vV转借给])我(?:今年|已经|都|也)?\s?(?:1[89]|[2-9]\d)(?![\d号日点块楼分个元年月天次层级斤公里米万千百kgcm%/:.度w])",
         r"^\W*(?:1[89]|[2-6]\d)\s?(?:岁|周岁)(?:\s|,|，)*(?:单身|已婚|离异|程序员|工程师|上班族|在(?!读|上学))",
         r"(?<!\d)(?:2\d|[3-6]\d)\s?岁\s?(?:still|了还|还在|还是|依然|的我|的人了|的老阿姨|的大叔)"),
    rule("adult_cue", 0.8, "says they are too old for the addressee",
         r"\bi (?:am|may be|might be|may b|might b|could be|would be) (?:probably |maybe |prob )?"
         r"(?:a (?:bit|little|lil|tad) |kinda |kind of |way |much |too |a lot )*old for (?:you|ya)\b"),
    rule("adult_cue", 0.8, "mentions a spouse, children or employees",
         r"\bmy (?:wife|husband|hubby|wifey|fiance|fiancee|spouse|kids|son|daughter|sons|daughters|children|toddler|"
         r"boss|coworker|coworkers|co workers?|colleague|colleagues|employees|employer|manager|mortgage|landlord|"
         r"tenants?|"
         r"students|patients|clients|grandkids|grandson|granddaughter|ex wife|ex husband|\d+ (?:yo|year old))\b",
         r"(?<!叫)(?<!做)(?<!当)我(?:的)?(?:老公|老婆|媳妇|丈夫|妻子|爱人|儿子|女儿|闺女|孩子|宝宝|娃)|孩子他?(?:爸|妈|爸爸|妈妈|爹|娘)",
         r"我家(?:孩子|儿子|女儿|闺女|娃|宝宝|老大|老二)",
         r"(?:作为|我是)(?:一名|一个|个)?(?:初中|高中|小学|中学|幼儿园)?(?:家长|妈妈|爸爸|老师|班主任|宝妈|宝爸|教师)",
         r"(?:二胎|二宝|三胎|俩娃|两个娃的?)(?:宝妈|宝爸|妈妈|爸爸|妈|爸)"),
    rule("adult_cue", 0.8, "gives an adult birth year",
         r"(?:^|[\s,，。!！]|我是?)(?:(?:19)?[5-9]\d|(?:20)?0[0-7])年(?:的|生)(?![一-鿿]{0,2}(?:老|朋友|交情|感情|经验|时间|房|车|"
         r"酒|事))",
         r"\bborn in (?:19[5-9]\d|200[0-7]|[5-9]\d)\b", r"\b(?:19[5-9]\d|[5-9]\d) (?:baby|babies|kid)\b"),
    rule("adult_cue", 0.8, "gives an adult age in answer",
         r"(?:^|[\s,，。!！])(?:都|已经|快)?(?:[二三四五六]十[一二三四五六七八九]?|[2-6]\d)(?:岁|周岁)?了(?!吗|么|没|嘛)"),
    rule("adult_cue", 0.6, "mentions work",
         rf"\b{_NOT_PARENTS_EN}(?<!he is )(?<!she is )(?<!hes )(?<!shes )(?<!he s )(?<!she s )(?<!they are )"
         r"(?<!theyre )(?:after|before|at|from|off) work\b",
         r"\b(?:my|the) (?:job|shift|office|commute|paycheck|salary|401k|rent)\b",
         r"\bi work (?:as|at|in|for|nights|days)\b", r"\b(?:my|our) (?:company|business)\b",
         r"\b(?:a|my|the) mortgage\b", r"\bi am (?:over|above) (?:18|21)\b|\b(?:18|21) ?\+",
         rf"{_NOT_PARENTS_ZH}(?:下班|上班|加班|出差|上夜班|加完班|下完班|下了班)",
         r"我们公司|我的公司|老板|领导|同事|工资|房贷|车贷|社保|office ?(?:的人|里|同事)|公司群|团建|社畜",
         r"\b(?:our|my) (?:manager|boss|team lead|coworkers?|colleagues?)\b|\bteam ?building\b",
         r"我(?:也|都|已经)?(?:有工作|工作了|上班了|参加工作)"),
    rule("adult_cue", 0.85, "says they are of age",
         r"我(?:已经|早就|早|都|也|是)?成年(?:了|人)", r"本人(?:已经|已)?成年(?!后|以后|之后|前|以前|的时候)",
         r"(?:^|[\s,，])(?:已经|早就)?成年(?:了|啦|咯)",
         r"本人(?:今年)?(?:1[89]|[2-6]\d)(?:岁|周岁)?(?![\d号点块元个cmkg斤])",
         r"\bi am (?:an adult|of age|legal|not a (?:kid|minor|child))\b"),
    rule("adult_cue", 0.8, "says their role is adult",
         r"\bi am (?:a |an )?(?:teacher|nurse|engineer|dad|father|mom|mother|mum|parent|lawyer|manager|accountant|"
         r"developer|doctor|adult|grown (?:man|woman|up)|grownup|cop|police officer|firefighter|mechanic|programmer|"
         r"professor|coach|pastor|soldier|retired|married|divorced|single mom|single dad)\b",
         r"\bas a (?:parent|mom|dad|teacher|mother|father)\b",
         r"(?:^|我是|我是个|我是一名|我是一个|本人)(?:程序员|工程师|医生|护士|律师|会计|设计师|公务员|上班族|打工人|社畜|全职妈妈|"
         r"全职宝妈)",
         r"(?<![个那这位的你他她们])(?:叔叔|阿姨)(?:我)?(?:今天|明天|晚上|周末|下次|待会|等会)?(?:给|带|请|陪|送|帮|教|接)(?:你|妳)"),
    rule("adult_cue", 0.35, "mentions adult life",
         r"\b(?:my (?:college|university|uni|degree|major|car|apartment|mortgage)|grad school|beer|wine|bar|pub)\b",
         r"大学|研究生|读研|毕业了|考研|喝酒|结婚了"),
)

QUOTING = (
    rule("quoting", 0.9, "reports someone approaching a child",
         r"\b(?:guy|man|person|dude|creep|stranger|account|user|adult|old man|grown man|predator|someone|somebody|"
         r"weirdo|"
         r"pervert|perv|pedo|he|she) (?:is |was |keeps |kept |has been |been |just )?(?:asking|asked|telling|told|"
         r"messaging|messaged|dming|dmed|texting|texted|contacting|contacted|trying to get|tried to get|sending|sent|"
         r"begging|offering|offered|grooming|groomed) (?:my|our|a|her|his|their|the|these|other|young|little) "
         r"(?:daughter|son|kid|kids|child|children|niece|nephew|student|students|sister|brother|girl|boy|cousin|teen|"
         r"teens|minor|minors|players|members)\b",
         r"\bmy (?:daughter|son|kid|child|niece|nephew|student|little sister|little brother|\d+ (?:yo|"
         r"year old))(?: s)? "
         r"(?:was|got|is being|has been|keeps getting|is getting) (?:asked|messaged|contacted|groomed|dmed|approached|"
         r"targeted|harassed|sent)\b",
         r"(?:有人|有个人|有个|一个|某个|这个|那个|这位|陌生)(?:男的|女的|人|网友|陌生人|大叔|男人|账号|家伙|变态|"
         r"老男人)?"
         r"(?:一直|总是|老是|天天|经常|竟然|居然|偷偷)?(?:私信|私聊|加|找|问|让|要|骗|叫|约|诱导|引诱|骚扰|搭讪|"
         r"联系)(?:了|过)?(?:我)?(?:家)?(?:女儿|儿子|孩子|闺女|学生|妹妹|弟弟|小孩|小朋友|侄女|外甥女|娃)",
         r"我(?:家)?(?:女儿|儿子|孩子|闺女|学生|妹妹|弟弟|小孩|娃)(?:被|让|给)(?:人|陌生人|网友|一个)",
         r"(?:有人|有个人|有个|某个|这个人|那个人|这人|那人|此人|这个号|这个账号|这家伙)[^,.!?，。！？]{0,12}(?:私信|私聊|加|找|"
         r"问|让|要|骗|叫|约|诱导|引诱|骚扰|搭讪|联系)(?:了|过)?(?:我)?(?:家)?(?:女儿|儿子|孩子|闺女|学生|妹妹|弟弟|小孩|小朋友|"
         r"侄女|外甥女|娃)",
         r"问(?:她|他|我女儿|我儿子|我家孩子|孩子)(?:几岁|多大|几年级|哪个学校|住哪|在哪)"),
    rule("quoting", 0.85, "asks others to report or block someone",
         r"\b(?:report|reported|reporting|block|blocked|ban|banned|flag|flagged) (?:this|that|him|her|them|the|"
         r"this guy|that guy|this account|this user|this person|he|"
         r"please)\b(?<!ban the)(?<!block the)(?<!ban that)(?<!block that)",
         r"\bi (?:reported|blocked|screenshotted) (?:him|her|"
         r"them|it|this|the)\b", r"\b(?:mods|admins?),? (?:please|pls|can you|ban|remove|kick)\b",
         r"举报|检举|(?<!把我)(?<!小号)拉黑(?!就(?:完事|没事|行了|有用|能))|封锁(?=他|她|了|掉|吧|这|那|对方|帐号|账号|检举|举报|$|\s|[,.!?、。，！])|报警|封号|踢了他|踢出去|"
         r"管理员(?:管管|处理|在吗)|群主(?:管管|处理|踢)",
         r"截图(?:在这|在此|为证|如下|在下面|发群主)|截图(?:已经?)?(?:发|给)(?:你|给你|群主|管理)了|(?:附|附上|上)截图",
         r"^@(?:群主|管理员|管理|admins?|mods?)\b"),
    rule("quoting", 0.8, "warns others about grooming",
         r"\b(?:parents|moms|dads|everyone|folks|guys|all|people|kids)[,:]? (?:please )?(?:watch (?:out )?for|"
         r"be (?:aware|careful|alert)|beware|heads up|look out|watch out|stay safe|be on alert)\b",
         r"\b(?:psa|beware|red flags?|warning signs?|signs of grooming)\b", r"^\s*(?:warning|heads up|careful)\b",
         r"\b(?:never|do not) (?:send|share|give|add) (?:pics|photos|your (?:address|number|pics)|nudes|personal info|"
         r"strangers)\b.{0,30}\b(?:strangers|people you do not know|anyone online|online)\b",
         r"\b(?:talk to|teach|tell) (?:your|our) (?:kids|children|daughter|son|students) (?:about|that|to never|"
         r"not to)\b",
         r"\b(?:never|do not|dont) (?:send|share|give|tell|post) (?:pics|photos|nudes|personal info|your (?:address|"
         r"number|pics|photos|age|location|school|real name|snap))\b(?![^.!?]{0,25}\b(?:but|except|other than) me\b)",
         r"警惕|提醒(?:一下|大家|各位|同学们|孩子们|小朋友们)|大家注意|家长注意|各位家长|小心(?:这种|这个|陌生|骗子)|当心|防范",
         r"(?:坏人|骗子|变态|怪叔叔|陌生人)(?:常|经常|一般|都|最爱)?(?:说|用)的(?:话|套路|话术)",
         r"(?:给|跟)(?:孩子|娃|小孩)(?:讲讲|说说|聊聊)",
         r"(?:不要|别|千万别)(?:随便)?(?:加|给|发|相信)(?:陌生人|网友|陌生)",
         r"(?:不需要|不用|不会|从不|从来不|绝不|不会找)(?:你|大家|你们)?(?:发|给|提供|要)(?:任何|你的)?(?:照片|密码|验证码|自拍|"
         r"个人信息)",
         r"谁(?:找你|跟你|向你|私信你|问你)?(?:要|问你要)[^，。！？!?]{0,8}(?:都是|就是)(?:骗子|假的)",
         r"(?:谁|如果有人|要是有人|有人)(?:问你|让你|叫你|找你|要你)[^。！？!?]{0,30}(?:都要|就要|要马上|马上|一定要|记得)"
         r"(?:告诉|跟)(?:妈妈|爸爸|我|家长|老师|大人)",
         r"\b(?:i|we) (?:will )?(?:never|do not|dont|will not|wont) (?:ask|ask for|need) (?:you )?(?:for )?(?:your )?"
         r"(?:pics|photos|password|passwords|personal info|address|login)\b",
         r"\bif (?:anyone|someone|somebody|a stranger|a person) (?:ever )?(?:asks|tells|wants|dms|messages) you\b"
         r"[^.!?]{0,60}"
         r"\b(?:tell|come to|let|show) (?:me|mom|dad|a grown ?up|an adult|your (?:mom|dad|parents|teacher))\b"),
    rule("quoting", 0.85, "reports news about an offender",
         r"\b(?:arrested|charged|jailed|sentenced|convicted|indicted|accused|pleaded guilty|pled guilty|prosecutors?|"
         r"police said|according to police|sting operation)\b",
         r"警方|民警|派出所|被抓|被捕|被判|判刑|落网|刑拘|嫌疑人"),
    rule("quoting", 0.5, "talks about grooming as a topic",
         r"\b(?:grooming|groomer|groomers|predator|predators|pedo|pedophile|paedophile|pedophiles|child "
         r"abuse|sextortion|online safety|internet safety|stranger danger|luring|(?<!not a )catfish(?:ing|ed)?)\b",
         r"(?<!not )(?<!not a )(?<!not an )(?<!not some )(?<!no )\b(?:creepy|creeps?|grown|older|fake)\b[^.!?]{0,25}\b"
         r"(?:pretending|posing|faking) (?:to be|as)\b",
         r"性侵|猥亵|诱骗|网络诱骗|恋童|性教育|儿童保护|防性侵|网络安全|新闻|报道|据报|记者|法院|检察|犯罪"),
    rule("quoting", 0.4, "quotes what someone else said",
         r"\b(?:he|she|they|this guy|that guy|the guy|the man|someone|somebody|this person) (?:just )?(?:said|says|"
         r"told me|"
         r"told her|told him|asked me|asked her|asked him|keeps saying|kept saying|wrote|texted|messaged|was like)\b",
         r"\b(?:friend|guy|person|someone|somebody|he|she) (?:say|says|said|claims|claimed) (?:(?:he|she|they) "
         r"(?:is|are|was)|hes|shes|theyre) (?:\d|only|also|just)",
         r"(?:他|她|那人|对方|那个人|这个人|有人|网友)(?:跟|对|和)?(?:我|她|他|我女儿|我儿子|孩子)?(?:说|问|讲)(?:了|"
         r"过)?(?:[:,]|\s*[\"「『])"),
    rule("quoting", 0.7, "tells how someone approached them",
         r"\b(?:told|asked) me (?:to|not to|for|if|how old)\b", r"\b(?:reported and blocked|blocked and reported)\b",
         r"\bi (?:reported|blocked)(?: (?:him|her|them|it))?(?:$|[.!,])", r"\bwatch (?:your|ur|our) kids\b",
         r"(?<![让叫要请给])(?:他|她|那人|对方|有人|有个人)(?:也|还|就)?(?:找过我|问我(?:几岁|多大|家里|住哪|是不是|要不要)|让我|叫我|"
         r"要我|私信我)",
         r"有(?:个|一个)?[^，。！？,.!?]{0,10}的人(?:一直|老是|总是|突然)?(?:私聊|私信|加|找|问)(?:了|过)?我",
         r"(?:管理员|管理|群主)[\s,，:：]*有(?:人|个)", r"(?:典型|常见|经典)的?话术",
         r"(?<![让叫要请给])(?:对方|那人|他|她|有人)(?:还|就|一直)?(?:让|叫|要|逼)(?:她|他|我女儿|我儿子|孩子|小孩|我表妹|我妹)",
         r"还说(?:送|要|让|给|别|不要|不许)", r"还(?:让|叫|要)(?:她|他)(?:加|发|拍|别|不要|私信|出来)",
         r"我(?:妹|妹妹|弟|弟弟|女儿|儿子|闺女|表妹|家孩子|同学)(?:也|之前|上次|以前)?(?:收到过|遇到过|碰到过|被(?:人)?(?:私信|加|骚扰|问)过)",
         r"(?:都是|一个|这种|老)套路|冒充|自称|千万别信|别信|不要信|群公告(?![^，。!?,.]{0,4}不是我)|家长(?:们)?一定要",
         r"(?:还有|就是|小心|遇到)(?:那种|这种)(?:人|号|账号)?[^，。!?,.]{0,4}(?:说|会|专|以|打着)",
         r"(?:让|叫)(?:小孩|孩子|小朋友)(?:开视频|发照片|加)",
         r"(?:我|我家|我的)?(?:表妹|表弟|妹妹|弟弟|女儿|儿子|侄女|外甥女|同学|朋友)(?:就|也)?(?:遇到过|碰到过|遇到了|碰到了)"
         r"[^。!?]{0,8}(?:对方|那人|有人|一个人)(?:说|让|要|还)",
         r"(?:差点|险些|差一点)(?:就)?(?:被骗|上当|被套路|被人骗)"),
)

COMMERCE = (
    rule("commerce", 1.0, "shop, service or organiser contact",
         r"\b(?:add|dm|message|text|call|whatsapp|follow|email) us\b",
         r"\b(?:to book|book a|booking|bookings|% off|free week|"
         r"members|brochure|studio|salon|trial lesson|free trial|sign ?ups?|registration|the league|brackets?|"
         r"fill in the form)\b", r"您|家委会|夏令营|相册|课表|集资|报名|家长们|各位家长|试听|实拍图|一对一|课时"),
    rule("commerce", 1.0, "shop or business contact",
         r"\b(?:our (?:store|shop|team|page|company|business|whatsapp|wechat|number|hotline|office|website)|customer "
         r"(?:service|support)|for (?:orders|order|bookings|inquiries|enquiries|pricing|prices|delivery|wholesale|"
         r"appointments)|discount|coupon|promo code|free shipping|price list|catalog|order now|in stock|ready stock|"
         r"pre ?orders?|got stock|order (?:via|by|through|thru|here|pls|please))\b|\border ?请",
         r"\b(?:study|research|researchers|university|participants|survey|clinic|volunteers)\b",
         r"店|客服|优惠|领券|下单|订单|包邮|批发|代购|价格|咨询|预约|官方|售后|团购|折扣|门店|发货|商家|老板娘|实拍|童装|尺码|"
         r"码数|多大码|几码|^亲(?![爱人戚密])"),
    rule("commerce", 1.0, "limits the offer to adults",
         r"\b(?:(?:18|21) ?\+? only|adults? only|must be (?:18|21|an adult|over 18)|(?:18|21) (?:and|or) (?:over|above|"
         r"older|up)|no minors|age verification|id (?:check|verified|verification))\b",
         r"\bcome back when (?:you are|your|ur) (?:18|an adult|older)\b",
         r"仅限\s?(?:18|十八|成年)|年满\s?(?:18|十八)|(?:年龄|实名|身份证)认证|身份证实名|未成年(?:人)?(?:一律)?(?:不收|勿扰|禁止|免进|"
         r"不接|请绕道|勿加)|未成年[^，。!?,.]{0,6}(?:违规|违法|不允许|不可以|不能|不行|不给|不卖|不收)|等(?:你)?成年(?:了)?(?:再说|再来|以后再)"),
    rule("commerce", 1.0, "offers a service to parents",
         r"\bparents? (?:please|pls|can|may|are welcome to) (?:add|contact|dm|pm|message|whatsapp|text|call|email)\b",
         r"(?<!告诉)(?<!跟)(?<!和)(?<!让)(?<!瞒着)(?<!不用)(?<!别)(?:家长|宝妈|宝爸)(?:们)?(?:请|可以|可)?(?:加|私信|联系|"
         r"咨询|扫码|留言)|请家长(?:加|私信|联系|咨询)"),
)

_KIN_ZH = (
    r"(?:奶奶|爷爷|姥姥|姥爷|外婆|外公|二姨|大姨|小姨|姨妈|姑姑|小姑|舅舅|舅妈|婶婶|伯伯|大伯|二伯|姑父|姨夫|表姐|表哥|堂姐|"
    r"堂哥)"
)

FAMILY = (
    rule("family", 1.0, "family member talking to a child of the family",
         r"\b(?:grandma|grandpa|granny|nana|auntie|aunty) (?:here|says|loves|misses|will|is|and)\b",
         r"\b(?:love|lots of love|xoxo|hugs),? (?:from )?(?:your )?(?:grandma|grandpa|granny|nana|nan|gran|grammy|"
         r"gramps|auntie|aunty)\W*$",
         r"\b(?:love|miss) you,? (?:grandma|grandpa|mom|dad|mum|sweetheart|kiddo)\b",
         r"(?:奶奶|爷爷|姥姥|姥爷|外婆|外公|二姨|大姨|小姨|姑姑|舅舅|舅妈|婶婶|伯伯|表姐|表哥|堂姐|堂哥)(?:给你|带你|想你|帮你|老忘|在这|"
         r"给)", r"(?<![阿大小二])(?:舅|姑|姨)(?:给你|带你|帮你|送你|请你|转你)",
         r"囡囡|乖孙|大孙子|孙女|小侄子|侄女|宝贝女儿|给爸爸|给妈妈|把(?:爸爸|妈妈|老爸|老妈)(?:带|叫|骗|支|引|拖)|家族群|(?:给|跟|陪)(?:奶奶|爷爷|姥姥|外婆|阿嬷|阿公|阿婆)",
         r"\b(?:send|tell|show|call|give|text|hug|visit|for|with|to) (?:grandma|grandpa|granny|nana|grammy|gramps)\b",
         r"\b(?:mija|mijo|mijita|mijito)\b",
         r"\b(?:abuela|abuelo|abuelita|abuelito|tia|tio) (?:wants|says|loves|misses|will|is)\b"),
    rule("family", 1.0, "a relative who picks the child up or takes them somewhere",
         rf"{_KIN_ZH}(?:明天|今天|下午|晚上|等下|待会|周末)?(?:会|要)?(?:去|来)?[^，。,.!?]{{0,8}}(?:接你|送你|陪你去|带你去)",
         rf"(?:{_KIN_ZH}|\b(?:grandma|grandpa|granny|nana|gran)) ?(?:will |can |gonna |is gonna |is going to |ll )?"
         r"(?:pick|drive|drop|fetch|collect) you\b"),
    rule("family", 0.8, "brings their own parent along",
         r"\bmy (?:mom|mum|dad|parents) (?:can|will|could|is going to|gonna) (?:pick|drive|drop|take) (?:you|us)\b",
         r"\b(?:ask|get|have) my (?:mom|mum|dad|parents) (?:to )?(?:pick|drive|drop|take) (?:you|us)\b",
         r"我(?:妈|爸|爸妈|妈妈|爸爸)(?:开车)?(?:去|来)?(?:接|送)(?:你|我们)",
         r"我(?:妈|爸|爸妈|妈妈|爸爸|家长)(?:会|也会|要)?(?:陪我|跟我|和我|带我)(?:一起)?(?:去|来)",
         r"\bmy (?:mom|mum|dad|parents|mother|father) (?:is|are|will be|is gonna be|will|would) (?:coming|come|there)"
         r"(?: (?:with me|too|along))?\b"),
    rule("family", 1.0, "addresses a relative by their kinship",
         r"(?:^|\b(?:yes|yeah|yep|ok|okay|thanks|thank you|thx|ty|hi|hey|hello|love you|ily|bye|night|goodnight|"
         r"morning),? )(?:aunt|auntie|aunty|uncle|grandma|grandpa|granny|nana|grammy|gramps|mom|mum|mommy|mama)"
         r"(?: [a-z]+)?(?:$|[,.!?])",
         r"^(?:@\S+\s*)?(?:奶奶|爷爷|姥姥|姥爷|外婆|外公|二姨|大姨|小姨|姨妈|姑姑|小姑|舅舅|舅妈|婶婶|伯伯|表姐|表哥|堂姐|"
         r"堂哥)(?=[\s,，!！~]|我|你|呀|啊|好|在|也)", r"^(?:@\S+\s*)?(?:爸|妈|老爸|老妈)(?=[\s,，!！~]|我|你)",
         r"(?<!像)(?<!比)(?<!跟)(?<!和)我(?:的)?(?:外甥女?|侄子|侄女|孙子|孙女|外孙女?)(?!女)"
         r"(?!一样|似的|那么|这么|也在|在你|跟你|和你|也是你|也上)|"
         r"(?<!like )(?<!as )(?<!than )(?<!of )\bmy (?:grandson|granddaughter|grandkids)\b"),
    rule("family", 1.0, "addresses the parents openly",
         r"\b(?:dear|hi|hello|attention|calling all) (?:parents|families|guardians)\b",
         r"(?<!my )(?<!our )\bparents\s*:",
         r"\b(?:parents|guardians) (?:can|please|are welcome to|must|should|will need to)\b",
         r"\b(?:parent|guardian)(?:'s)? (?:permission|consent|signature|group chat|group|email)\b",
         r"\b(?:ask|get|check with) (?:a |your )?(?:parents?|guardians?|grown ?ups?|an adult)(?: s)? "
         r"(?:first|permission|ok|okay|before)\b",
         r"(?:各位|亲爱的)家长|家长们|家长(?:群|(?:必须|需要|须|都要)?陪同|接送|签字|同意|确认|都在|在群里|可以旁听|旁听)|(?:发|拉|进)(?:到)?(?:家长|班级)小?群"),
    rule("family", 1.0, "keeps the child's parents in the loop",
         r"(?<!not )(?<!never )(?<!or )(?<!ill )(?<!i will )(?<!i ll )(?<!i am gonna )(?<!i am going to )"
         r"(?<!need )(?<!need to )"
         r"\b(?:tell|ask|show|text|call|thank) (?:your|ur) (?:mom|mum|dad|mommy|daddy|parents|mother|father|folks)\b"
         r"(?! (?:that )?(?:you|your|u)\b)",
         r"\b(?:with|and) (?:your|ur) (?:mom|mum|dad|parents)(?:'s)? (?:permission|ok|okay|there|around|present)\b",
         r"(?<!别)(?<!不要)(?<!不准)(?<!不许)(?<!千万别)(?<!不能)(?<!不用)(?<!不必)(?<!没必要)(?<!用不着)(?<!不需要)"
         r"(?:告诉|问问|问|跟|和)(?:你|您)(?:爸|妈|爸妈|爸爸|妈妈|"
         r"家长|父母)(?:一声|说(?!(?:你)?(?:去|在|要去))|商量|同意)",
         r"(?:快|快去)?谢谢(?:二姨|大姨|小姨|姑姑|舅舅|奶奶|爷爷|外婆|外公|阿姨|叔叔)",
         r"(?<!别)(?<!不要)(?<!不用)(?:跟|和|与)(?:你|您)?的?(?:爸妈|父母|家长)(?:沟通|商量|联系|确认)|"
         r"(?<!别)(?<!不要)(?<!不用)(?<!不必)(?<!不能)(?<!不许)(?:让|请)(?:你|您)的?(?:爸妈|父母|家长|爸爸|妈妈)"
         r"(?:打|联系|来|加|签)",
         r"(?<!别)(?<!不要)(?<!不用)(?<!不必)(?:让|请)家长[^，。,!?]{0,10}(?:联系我们|联系老师|打电话|签字|同意)",
         r"\b(?:your|ur) (?:mom|mum|dad|parents|mother|father) (?:knows|said (?:it is|its) (?:ok|okay|fine)|said yes|"
         r"is ok with it|agreed|will be there)\b",
         r"\b(?:i will not|i wont|i won t|won t|will not|i am gonna|i am going to|ill|i ll|i will) "
         r"(?:tell|ask|call|text) (?:mom|dad|mum)\b",
         r"(?<!my )(?<!your )(?<!ur )(?<!his )(?<!her )(?<!their )(?<!our )\b(?:mom|dad|mum) (?:said|says|"
         r"wants you|is making|made us)\b",
         r"(?:发给|私发给|通知|转给)(?:各位|需要的|所有)?家长",
         r"过年(?:给你)?(?:包|发)(?:个)?(?:大)?红包|压岁钱",
         r"(?:你|您)(?:妈|爸|妈妈|爸爸)(?:今天|明天|晚上|这周)?(?:加班|出差|让我|叫我|托我|拜托我|同意了|说可以|知道的|已经知道)",
         r"(?<!not )(?<!never )\b(?:ask|get|have) (?:a|an|your|ur) (?:grown ups?|adult|parent|guardian)s? (?:to )?"
         r"(?:help|dm|message|contact|email|sign|call|text)\b",
         r"\bwith (?:a|an|your|ur) (?:grown ups?|adult|parent|guardian)(?:s)?(?: s)? (?:help|permission|ok|okay)\b",
         r"(?<!别)(?<!不要)(?<!不用)(?<!不必)(?<!不能)(?<!不许)(?:让|请|叫)(?:你|您)的?\s?"
         r"(?:mom|mum|dad|parents?|mommy|daddy)(?:\s?(?:or|and|和|或者?)\s?(?:mom|mum|dad))?\s?"
         r"(?:加|联系|打|来|签)",
         r"我只(?:跟|和|与)\s?(?:家长|parents?|爸妈|父母)\s?(?:直接)?\s?(?:沟通|联系|communicate|聊)",
         r"\bi only (?:talk|speak|communicate|deal|chat) (?:directly )?(?:with|to) "
         r"(?:parents|(?:your|ur) (?:mom|mum|dad|parents))\b",
         r"(?<!not )(?<!never )(?<!dont )(?<!do not )\b(?:ask|have|get) (?:your|ur) (?:mom|mum|dad|parents)"
         r"(?: or (?:mom|mum|dad))? (?:to )?(?:add|message|text|"
         r"contact|call|email) me\b"),
)

_FOR_SOMEONE_ELSE = (
    r"(?:his|her|their|mom|dad|mum|grandma|grandpa|nana|(?:your|ur) (?:mom|dad|mum|brother|sister|grandma|grandpa|"
    r"teacher|coach|aunt|uncle))"
)

_TREAT = (
    r"(?=.*(?:\$ ?\d|\b(?:\d+ (?:dollars|bucks)|money|cash|candy|sweets|chocolate|ice cream|sprinkles|gift|gift card|"
    r"present|birthday card|red packet|ang ?pao|ang ?bao|hong ?bao|robux|v ?bucks|bigger|more|one too|spoil|spoils|"
    r"treat|snack|snacks|cookies|cake|extra|allowance|pocket money|surprise|bonus)\b|红包|压岁钱|零花钱|奖励|冰淇淋|"
    r"雪糕|零食))"
)
_TREAT_ZH = (
    r"(?=.*(?:红包|压岁钱|零花钱|月卡|充了|皮肤|糖|零食|奶茶|礼物|多给|单独给|更多|惯着|宠着|多发|多包|奖励|钱|bonus))"
)
_NO_APPROACH = (
    r"(?!.*(?:\b(?:snap|snapchat|whatsapp|telegram|discord|insta|instagram|ig|dm|dms|pm|private|address|my place|"
    r"my house|come over|webcam|cam|video ?call|videos?|facetime|pics?|photos?|selfies?|gf|bf|girlfriend|boyfriend|"
    r"date|irl|email|cashapp|venmo|paypal|wear|pajamas|uniform|"
    r"kiss|alone|just us|our secret)\b|pick (?:you|u) up|微信|qq|vx|私聊|私信|地址|接你|来我家|视频|照片|网恋|老公|"
    r"老婆|女朋友|男朋友|约会|单独|秘密|载你|开车|学校门口|后门|见面|见一面|出来见|出来玩))"
)
"""What a treat kept from a sibling is about (money, sweets, a bigger present), and what it never comes with: another
app, an address, pictures, a date, being alone."""

SURPRISE = (
    rule("surprise", 1.0, "keeps a surprise for someone else's birthday or party",
         rf"\b(?:surprise|gift|present|cake|party) (?:party )?for {_FOR_SOMEONE_ELSE}\b",
         r"\bfor (?:his|her|their|mom s|dad s|moms|dads|mums) (?:birthday|bday|anniversary|\d+th|retirement)\b",
         r"\b(?:birthday|bday) (?:surprise|party)\b|\bsurprise party\b",
         r"^(?=.*生日)(?!.*(?:赚|钱|试镜|成绩|再告诉|选上|拍出来))(?:.*)给(?:她|他|妈妈|爸爸|你妈|你爸|奶奶|爷爷|外婆|外公|老师|"
         r"你哥|你姐|哥哥|姐姐)(?:一个|个)?惊喜",
         r"(?:她|他|妈妈|爸爸|你妈|你爸|奶奶|爷爷|外婆|外公|老师|小姨|姑姑|舅舅)(?:\d+岁)?(?:的)?生日(?:惊喜|派对|礼物|蛋糕)",
         r"(?:妈妈|爸爸|你妈|你爸|奶奶|爷爷|外婆|外公|老师)(?:的)?生日[^。!?]{0,16}(?:给|送)(?:她|他)(?:买|准备|送|订)",
         r"(?:别|不要|不能|千万别)提前(?:说|讲|告诉|透露|说漏)"),
    rule("surprise", 1.0,
         "keeps a treat from a sibling, a relative's spoiling from the parent, or a slip from a shared parent",
         rf"^{_TREAT}{_NO_APPROACH}.*\b(?:do not|dont|never) tell (?:your )?(?:little |big |baby |older |younger )?"
         r"(?:brother|sister|bro|sis|siblings|cousins?|kor kor|jie jie|gor gor)\b",
         rf"^{_TREAT_ZH}{_NO_APPROACH}.*别(?:跟|告诉|让|和)(?:你)?(?:哥|姐|弟|妹|哥哥|姐姐|弟弟|妹妹|表哥|表姐|表弟|表妹|堂哥|堂姐|"
         r"堂弟|堂妹)",
         rf"^{_NO_APPROACH}.*\b(?:do not|dont|never) tell (?:mom|dad|mum)(?: (?:that|about))? i (?:was|am|got|gave|"
         r"let|already|left|finished|spent|broke|lost|ate|took|stayed|forgot|borrowed|used)\b",
         rf"^{_TREAT}{_NO_APPROACH}.*\b(?:do not|dont|never) tell (?:mom|dad|mum)\b",
         rf"^{_TREAT}{_NO_APPROACH}.*\b(?:do not|dont|never) (?:tell|let) (?:your |ur )?(?:mom|dad|mum|mother|father)"
         r"(?: know)?\b[^.!?]{0,6}\b(?:or|cause|cuz|coz|because) (?:she|he)(?: ?ll| will| would| d)? make (?:you|u) "
         r"(?:save|bank|put away|share) (?:it|them|half)\b",
         rf"^{_TREAT}{_NO_APPROACH}.*\b(?:she|he|mom|dad|mum)(?: will| would|ll|d)? "
         r"(?:scold|yell at|be mad at|kill) me\b",
         rf"^{_TREAT_ZH}{_NO_APPROACH}.*(?:她|他|你妈|你爸|你妈妈|你爸爸)(?:会|又要|又会|肯定|准)?(?:骂|念叨|数落)我",
         rf"^{_NO_APPROACH}.*\b(?:before|in case|so|or) (?:mom|dad|mum) (?:sees|see|finds out|notices|knows)\b",
         rf"^{_NO_APPROACH}.*别(?:跟|告诉|让|和)(?:爸|妈|老爸|老妈)(?:说|知道)?\s?(?:我|他又|她又)",
         rf"^{_NO_APPROACH}.*\b(?:she|he|mom|dad|mum|your (?:mom|dad|mum|mother|father))(?: ?ll| will| would|"
         r" already| always)? (?:thinks|think|says|say|will say|is gonna say|complains|knows) i "
         r"(?:spoil|spoiled|spoiling) you\b",
         rf"^{_NO_APPROACH}.*(?:她|他|你妈|你爸)(?:又|总|老|就)?(?:要|会)?(?:说|嫌)(?:我|奶奶|爷爷|外婆|外公|姥姥|姥爷|姑姑|舅舅|"
         r"小姨)?(?:惯着|宠着|惯坏|宠坏)你"),
)
"""A surprise kept for someone else: "don't tell mom, the party is for her 50th" hides nothing from the child's
parents (see :data:`classifiers.signals.SURPRISE_DAMPING`)."""

TRADE = (
    rule("trade", 1.0, "game trading or team-up talk",
         r"\b(?:trade|trading|trades|wts|wtb|wtt|selling|buying|price|offers?|keys|lfg|lf\d|looking for (?:group|team|"
         r"squad|duo|players)|middleman|ign|inventory|ranked|duo|squad|clan|guild|raid|scrims?)\b",
         r"(?:出|收|换)(?:号|皮肤|装备|账号)|(?:出|收)[\u4e00-\u9fffA-Za-z0-9]{1,6}?(?:号|账号)(?!码)|预算\d|交易|组队|开黑|上分|车队|排位|公会|战队|带飞|代练|面交|同城|换你的|交换|九成新|自取|出一套|转卖|闲置|收购|出售|转让|求购|二手|收一|走中介|中介费|担保交易|交易猫|盼之|换绑|付款|定金|"
         r"\b(?:after payment|payment first|escrow)\b"),
)

STATED_AGE = (
    r"^\W*(?:(?:i am|me|i turned|turned|turning|just turned)\s+)?(?:only |just |like |almost |nearly )?"
    r"(?:(?P<digits>[1-7]?\d)|(?:我)?(?:今年|已经|才|都)?(?P<numeral>[二三四五六七]?十[一二三四五六七八九]?|[八九]))"
    r"(?:\s*(?:yo|y o|years old|year old|yrs old|yrs|岁|周岁))?\s*(?:了|啦|呀|哦|呢|啊)?"
    r"(?=$|[\s,.!~，。！)]|and\b|lol|haha|我|你)(?![\s!.~]*[?？])"
    r"(?!\s*(?:min|mins|minutes?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|km|miles?|pm|am|o clock|points?|"
    r"games?|people|of|more|times|percent|k\b|dollars|bucks|usd|rmb|块|元|点|分|个|号|楼|次|天|人|条|张|年|月|级|层|"
    r"[%:/]|\.\d))"
)
"""A message that opens with a bare number ("13", "31 and i have a mortgage", "十三了"; not "13??", which asks): an
age only in answer to an age question, which the conversation step decides."""

SAME_AS_YOU = (
    r"^\W*(?:(?:same+|same here|me too|me 2)(?:$|[\s!.,~]|lol|haha|omg)(?!\s*(?:time|thing|place|day|old|as)\b)|"
    r"我也是|我也一样)"
)
"""A message that opens by saying the same holds for the writer ("same!!", "me too", "我也是"): an age only in answer to
a child who gave theirs, which the conversation step decides."""

_OFFER_ZH = r"(?:兼职|招|日结|主播|陪玩|模特|工资|月入|红包|收入|赚|job|hiring|recruit|\$\d)"
_MINORS_ZH = r"(?:未成年|中学生|初中生|高中生|学生妹|小学生)"
_WELCOME_ZH = r"(?:可以|行|可|ok|欢迎|welcome|优先|都可以|都行)"

SEEKS_MINORS = (
    rule("seeks_minors", 0.9, "looks for children by their age or school year",
         r"\b(?:any|looking for|lf|seeking|want|need|searching for|hiring|recruiting|casting)\b[^.!?]{0,15}\b(?:girls?|"
         r"boys?|chicks|kids|"
         r"teens?)\b[^.!?]{0,10}\b(?:1[0-7]|[89]|under (?:1[4-8])|(?:1[0-7]|[89]) ?(?:-|to)? ?1[0-7]|"
         r"in (?:middle|high) school|(?:middle|high) schoolers?|[5-9]th grade(?:rs)?)\b",
         r"\b(?:any|looking for|lf|seeking)\b[^.!?]{0,10}\b(?:young|little|middle school|high school|underage|teen)\b "
         r"(?:girls?|boys?|chicks)\b",
         r"(?:有没有|有无|找|招|求|蹲|来个|来点)[^,，。!！?？]{0,6}(?:初中|高中|小学|初[一二三]|高[一二]|未成年|学生|0[89]后|1\d后|"
         r"萝莉|小)(?:的)?(?:妹子|妹妹|小妹|女生|女孩|男生|弟弟|萝莉|小姑娘)",
         r"(?:招|找|要)[^，。!！?？]{0,10}(?:[89]|1[0-7])\s?[-~到至\s]\s?(?:1[0-7])\s?(?:岁|周岁)",
         r"(?:签|招|收)(?:学生|中学生|初中生|高中生|未成年)(?:主播|模特|陪玩|童模)",
         r"未成年[^，。,]{0,8}(?:也没关系|没关系|也可以|也行|照样)"),
    rule("seeks_minors", 0.85, "asks a parent to have the child contact them on their own",
         r"(?:让|叫)(?:孩子|小孩|你女儿|你儿子|你闺女|你家孩子|娃)(?:自己|单独|偷偷)(?:加我|联系我|私聊我|私信我|来找我|跟我联系)",
         r"\bhave (?:your|ur) (?:daughter|son|kid|child|girl|boy) (?:dm|message|text|add|contact|snap) me "
         r"(?:directly|herself|himself|privately|on (?:her|his) own)\b"),
    rule("seeks_minors", 0.85, "opens an offer to children by their age or school",
         r"\b(?:anyone|any ?one here|who(?: here)?(?: is|s)?|any)\b[^.!?]{0,12}\b(?:in (?:middle|high) school|"
         r"under (?:1[0-7]|[89])|"
         r"(?:1[0-7]|[89]) or (?:under|younger))\b",
         r"\bonly (?:for )?(?:members |people |ppl |users |followers |subs |viewers )?(?:aged? )?"
         r"(?:(?:1[0-7]|[89]) ?(?:to|~)? ?1[0-7]|(?:1[0-7]|[89]) and (?:under|younger|below))\b"
         r"(?! (?:years? ago|yrs ago|minutes|mins|hours|days|weeks|months|lbs|kg|cm|inches|feet|ft|people|ppl|players|"
         r"members|of|times|left|more|came|showed)\b)",
         r"\banyone (?:aged? )?(?:1[0-7]|[89]) ?(?:to|~)? ?1[0-7] (?:want|wants|wanna|need|needs) (?:free|some)\b",
         r"\b(?:under (?:1[0-7]|[89])|(?:1[0-7]|[89]) (?:to )?1[0-7]|1[0-7] and (?:under|up|above))\b (?:only|ok|okay|"
         r"welcome|allowed|can apply|can join|wanted|preferred|to dm)\b",
         rf"{_OFFER_ZH}[^。!?]{{0,30}}{_MINORS_ZH}\s?(?:也|also)?\s?{_WELCOME_ZH}",
         rf"{_MINORS_ZH}\s?(?:也|also)?\s?{_WELCOME_ZH}[^。!?]{{0,30}}{_OFFER_ZH}",
         r"(?:1[0-7]|十[一二三四五六七])\s?(?:岁|周岁)?以上(?:就行|就可以|都可以|都行|即可|可)",
         r"(?:18|十八)\s?(?:岁|周岁)?以下\s?(?:也|also)?\s?(?:可以|行|ok|可)",
         r"\bwe (?:take|accept|hire|sign|recruit|want|prefer)\b (?:under (?:1[0-8]|[89])s?|minors|underage|"
         r"(?:kids|teens|girls|boys|students) (?:under|below) (?:1[0-8]|[89]))\b(?![^.!?]{0,30}\b(?:parent|guardian))",
         r"\b(?:the )?younger (?:ones|girls|boys|streamers|models|creators|kids|hosts)\b[^.!?]{0,20}\b(?:earn|make|"
         r"get paid|get more|do better)\b",
         r"(?:年纪|年龄)越小[^，。!?]{0,8}(?:越|赚|挣|收入)",
         r"(?:群里|在座|这里|直播间)的?(?:小朋友|小孩|小学生|初中生|中学生|小妹妹|小弟弟)(?:们)?(?:都)?"
         r"(?:谁|哪个|有没有|扣1|扣个1|打1|举个?手|冒泡|出来|报名)",
         r"\b(?:whoever|anyone who|anybody who|those who|every ?one who) (?:is|are|s) (?:under|below) "
         r"(?:1[0-7]|[89])\b",
         r"\b(?:any|anyone|any ?one here)\b[^.!?]{0,8}\b(?:1[0-7]|[89]) ?(?:to|-|~)? ?(?:1[0-7]) ?(?:yo|y o|year olds?|"
         r"yr olds?)\b",
         r"(?:小朋友|小孩|小学生|初中生|中学生)(?:们)?[^。!?]{0,4}(?:想|要)(?:赚|挣)(?:点)?(?:零花钱|钱)[^。!?]{0,8}"
         r"(?:举手|私我|私聊|加我|找我|扣1|报名)"),
)
"""Rules for a message that looks for children by age or school year ("有没有初中妹子", "looking for girls 12-15"):
whoever it is sent to, it seeks minors (a corroborating fact, see :func:`classifiers.conversation.corroboration`)."""
