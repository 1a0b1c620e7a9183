"""English rules for the approach stages: age probing, flattery, secrecy, moving off-platform, gifts.

Rules read canonical text (see :mod:`classifiers.patterns.common`). Each one needs the act to be directed at the
other person ("add *me* on snap", "how old are *you*"), so that talk *about* a topic does not fire.
"""

from __future__ import annotations

from classifiers.patterns.common import rule
from classifiers.patterns.en_words import (
    ARE_YOU,
    GAME_APP,
    GIFT,
    I_OFFER,
    MINOR_AGE,
    PARENTS,
    PRIVATE_APP,
    SOFT_GIFT,
    YOU,
    YOU_ARE,
    YOUR,
)

__all__ = ["AGE_PROBE", "FLATTERY", "GIFTS", "OFF_PLATFORM", "SECRECY"]

_SCHOOL_YEAR_EN = r"(?:sec(?:ondary)? [1-5]|p[1-6]|primary [1-6]|form [1-5]|year (?:[5-9]|1[01]))"
"""A school year as Singapore, Malaysia, Hong Kong and British schools name it ("sec 1", "p6", "form 2", "year 8")."""

AGE_PROBE = (
    rule("age_probe", 0.9, "asks the addressee's age",
         rf"\bhow old {ARE_YOU}\b",
         rf"\bwhat is {YOUR} age\b",
         rf"(?<!at )(?<!for )(?<!of )\b{YOUR} age\s*\?",
         r"\basl\b",
         r"\bage sex location\b", rf"\bhow old (?:were|was) {YOU}\b", rf"\bwhat year (?:were|was) {YOU} born\b"),
    rule("age_probe", 0.9, "asks the addressee's school grade",
         rf"\bwhat (?:grade|year|form) {ARE_YOU} in\b", rf"\bwhat grade {ARE_YOU}\b(?! teach)",
         r"\b(?:what|which) grade\s*\?",
         rf"\b{YOU} (?:in |at )?{_SCHOOL_YEAR_EN}(?: or {_SCHOOL_YEAR_EN})?\b(?=[^.!]*\?| (?:ah|right|rite|issit)\b)"),
    rule("age_probe", 0.75, "asks which school the addressee attends",
         r"\b(?:you|ya) (?:at|from|in|go to|study at) [a-z]+(?: [a-z]+){0,2} (?:sec|secondary|primary|middle|high|"
         r"elementary|junior high|jr high)(?: school)?\b(?=[^.!]*\?| (?:right|rite|ah|issit|lol)\b)",
         r"\bsaw (?:your|ya) (?:school )?uniform\b"),
    rule("age_probe", 0.5, "asks what year the addressee is in", rf"\bwhat year {ARE_YOU}\b"),
    rule("age_probe", 0.6, "gives an age and asks the addressee's back",
         r"^\W*(?:i am )?\d{1,2}\W+(?:and )?(?:you|hbu|wbu|what about you|how about you|you\?)\W*$"),
    rule("age_probe", 0.75, "reads a school age off the addressee's profile",
         rf"\b{YOUR} (?:bio|profile|page|account|pfp) (?:says|said)[^.!?]{{0,12}}\b(?:1[0-7]|(?:[5-9]|1[0-2])"
         r"(?:st|nd|rd|th) grade|middle school|high school|grade [5-9])\b"),
    rule("age_probe", 0.85, "asks whether the addressee is in school",
         r"\b(?:are you|you|do you go to|you go to|are you in|you in|are you still in) (?:middle|high|elementary|"
         r"primary|junior high|jr high|secondary|grade|junior) ?school\b"),
    rule("age_probe", 0.75, "asks which school the addressee attends",
         rf"\b(?:what|which) school (?:do|did|does|are)? ?{YOU}\b",
         rf"\bwhere (?:do|did) {YOU} (?:go to school|study)\b",
         rf"\b{YOU} go to (?:which|what) school\b"),
    rule("age_probe", 0.6, "asks if the addressee is a minor",
         r"\bare you (?:a )?(?:minor|teen|teenager|kid|underage|under ?18|under age|over ?18|legal|18|still in school|"
         r"in school|a student)\b", r"\byou (?:a )?(?:minor|teen|teenager|kid|underage|still in school) ?\?",
         rf"\b(?:so|wait|oh|really|omg|wow) {YOU_ARE} (?:only |just )?{MINOR_AGE}\b",
         rf"\b{YOU_ARE} (?:only |just )?{MINOR_AGE} ?\?", rf"\b{YOU_ARE} (?:only|just|so) {MINOR_AGE}\b",
         rf"\b(?:because|since|cause|and|but|if) {YOU_ARE} (?:only |just )?{MINOR_AGE}\b"
         r"(?! (?:min|minutes|hours|days|%))"),
    rule("age_probe", 0.55, "asks where the addressee lives",
         rf"\bwhere (?:do|does) {YOU} (?:live|stay)\b", rf"\bwhere {ARE_YOU} (?:located|living|staying)\b",
         rf"\bwhat (?:city|town|state|area|part of town|neighborhood|neighbourhood|street) (?:do|are) {YOU} "
         r"(?:live|in|from)\b", rf"\b{YOU} live (?:near|close|around|nearby)\b"),
    rule("age_probe", 0.8, "asks for the addressee's address",
         rf"\b(?:what is|send|give|tell|drop) (?:me )?{YOUR} (?:address|location|zip|postcode|zip code|school name)\b",
         rf"\b(?:send|give|tell|drop) (?:me )?(?:{YOUR} ?)?(?:地址|位置|定位|住址)"),
    rule("age_probe", 0.25, "asks where the addressee is from", rf"\bwhere {ARE_YOU} from\b",
         rf"\bwhere {ARE_YOU} at\b"),
    rule("age_probe", 0.8, "asks whether the addressee is alone",
         r"\bare you (?:home )?(?:alone|by yourself|on your own)\b",
         r"\byou (?:home )?alone (?:right now |now |tonight )?\?",
         r"(?:^|[.!?,] ?)(?:are )?you (?:home )?alone(?: right now| now| tonight)?\s*$",
         r"\b(?:will|would|are) you be (?:home )?alone\b",
         r"\b(?:is|are) (?:any ?one|any ?body|someone|somebody) (?:else )?(?:home|with you|there|around)\b",
         r"\bwho (?:else )?(?:is|are) (?:home|there|with you)\b"),
    rule("age_probe", 0.85, "asks whether the addressee's parents are around",
         rf"\b(?:are|is) (?:{YOUR} )?{PARENTS} (?:home|around|there|asleep|sleeping|awake|away|out|gone|at work|in bed|"
         r"nearby|watching|looking)\b",
         rf"\b(?:when|what time) (?:do|does|will) {YOUR} {PARENTS} (?:get home|come home|leave|go to (?:bed|sleep)|go "
         r"out|work|get back)\b", rf"\b(?:do|does) {YOUR} {PARENTS} work\b",
         rf"\b{YOUR} {PARENTS} (?:home|around|asleep) ?\?"),
    rule("age_probe", 0.5, "asks whether anyone is home", r"(?:^|[.!?,] ?)any ?(?:one|body) home\b"),
    rule("age_probe", 0.5, "asks about the addressee's bedtime or house rules",
         rf"\bdo {YOU} have (?:a )?(?:curfew|bedtime)\b",
         rf"\bwhat time do {YOU} (?:have to )?(?:go to (?:bed|sleep)|get off|sleep)\b",
         r"\b(?:are you|you) allowed to\b",
         rf"\bdo {YOU} have (?:your own|a) (?:phone|room|bedroom)\b", rf"\bhow late can {YOU} (?:use|be on|stay)\b"),
    rule("age_probe", 0.4, "asks about the addressee's school day", r"\bhow (?:was|is) school\b",
         r"\bwhen you get out of school\b", r"\bwear (?:to|at) school\b"),
    rule("age_probe", 0.5, "asks when the addressee gets out of school",
         r"\bwhen (?:do|does) (?:you|school) (?:get out|finish|end|let out|get off)\b",
         r"\bwhat time (?:do|does) (?:you|school) (?:usually |normally )?"
         r"(?:get out|finish|end|get home|come out|leave)\b",
         r"\bwhen do you get home\b"),
    rule("age_probe", 0.35, "asks the addressee's gender",
         r"\b(?:are you|you) (?:a )?(?:boy|girl|guy|male|female) or (?:a )?(?:boy|girl|guy|male|female)\b",
         r"\bm or f\b", r"\bf or m\b", r"\bboy or girl\b", r"\bgirl or boy\b"),
    rule("age_probe", 0.55, "guesses the addressee's age or school level",
         rf"\b{YOU} (?:look|sound|seem|act|talk) (?:like )?(?:{YOU_ARE} )?(?:about |like |maybe |"
         rf"around )?{MINOR_AGE}\b(?! (?:lol|lmao|haha|omg)\b)",
         rf"\b{YOU} must be (?:like |about |around )?{MINOR_AGE}\b",
         rf"\b{YOU} (?:look|sound|seem) (?:so |really )?young\b",
         r"(?:^|[,.!?] ?|\b(?:in|still in) )(?:middle|high|elementary|primary|junior high) ?school ?\?",
         r"\b(?:which|what) grade\b", r"\bgrade is that\b", r"\b(?:4th|5th|6th|7th|8th|9th) ?\?",
         rf"\b(?:dm|send|tell|text|give) me {YOUR} age\b",
         r"\bis that (?:the |a )?[a-z]+(?: [a-z]+)? (?:school )?uniform\b[^.!]*\?", r"\bwhat school is that uniform\b"),
    rule("age_probe", 0.5, "asks how the addressee gets home or whether the parents allow things",
         rf"\b(?:do|does|will) {YOUR} {PARENTS} (?:pick {YOU} up|drive {YOU}|drop {YOU} off|let {YOU})\b",
         rf"\b(?:do|did) {YOU} walk home\b",
         r"\b(?:is it|is not it|is tomorrow) (?:a )?school night\b", rf"\bschool night for {YOU}\b",
         rf"\b(?:do|will) {YOU} have school tomorrow\b"),
    rule("age_probe", 0.4, "asks which town or place the addressee is in",
         r"\b(?:which|what) (?:town|city|area|neighborhood|neighbourhood|part of town|street|park|mall)(?: is (?:this|"
         r"that))?\s*\?"),
    rule("age_probe", 0.85, "asks when the parents are away",
         rf"\b(?:when|what time) (?:are|is) {YOUR} {PARENTS} (?:at work|out|gone|away|not home|home)\b",
         r"\bwhen (?:are you|you are|your) (?:home )?alone\b"),
    rule("age_probe", 0.7, "asks when the addressee has the house to themself",
         r"\b(?:house|place|home) to (?:yourself|urself)\b",
         rf"\b(?:does|do) (?:she|he|they|{YOUR} {PARENTS}) work late\b",
         rf"\b{YOU} (?:are )?(?:play |stay |be |playing |staying )?alone at home\b",
         rf"\b(?:what|which) (?:mall|park|place|spot|store) do {YOU} (?:hang out|go)\b"),
    rule("age_probe", 0.75, "asks a group of children for their grade or age",
         r"\b(?:comment|post|drop|say|reply with) (?:your|ur|ya) (?:grade|age|school)\b",
         r"\b(?:anyone|anybody|who|any (?:kids|girls|boys))(?: here)? (?:in|from) (?:middle|high|elementary|primary|"
         r"junior high) school\b", r"\b(?:primary|elementary|middle) school (?:kids|girls|boys) (?:first|only)\b"),
)

FLATTERY = (
    rule("flattery", 0.45, "tells the addressee they are no child",
         rf"\b{YOU_ARE} not (?:a )?(?:little )?(?:kid|child|baby)(?: (?:tho|though|to me|like them|like the others))?\b"
         r"(?! (?:anymore|any more)\b)"),
    rule("flattery", 0.95, "says the addressee is mature for their age",
         r"\b(?:mature|grown ?up|smart|wise|advanced|developed|tall|pretty|beautiful|hot) for (?:your|ya|a) "
         r"(?:age|\d+ ?(?:year old|yo))\b"),
    rule("flattery", 0.9, "compares the addressee with others their age",
         r"\b(?:prettier|cuter|hotter|smarter|more mature|sexier|better looking|more beautiful|older|"
         r"more grown up) than "
         r"(?:most |other |all the |the other )?(?:girls|boys|kids|guys|people|children) (?:your|ya) age\b"),
    rule("flattery", 0.5, "mentions kids the addressee's age", r"\b(?:girls|boys|kids) (?:your|ya) age\b"),
    rule("flattery", 0.7, "says the addressee looks grown up",
         rf"\b{YOU} (?:seem|act|sound|look|talk|write|type) (?:so |way |much |a lot )?grown ?up\b"),
    rule("flattery", 0.9, "says the addressee seems older than they are",
         rf"\b{YOU} (?:seem|act|sound|look|talk|write|type) (?:so |way |much |a lot )?(?:older|more mature|mature|"
         r"like an adult)\b",
         rf"\b{YOU} (?:do not|never) (?:act|seem|sound|look|talk) (?:like (?:a |an )?)?(?:{MINOR_AGE}|kid|child|"
         r"your age|young)\b"),
    rule("flattery", 0.85, "calls the addressee a special friend",
         rf"\b(?:be|{YOU_ARE}|like) my (?:special|secret|little|lil) (?:friend|girl|princess|angel|baby girl)\b",
         r"\bmy (?:special|secret) (?:friend|girl|princess|angel|baby girl)\b",
         rf"\b{YOU_ARE} (?:not like|different from) (?:the )?other (?:girls|kids|boys)\b"),
    rule("flattery", 0.4, "mentions a special bond",
         r"\bspecial (?:friend|bond|connection|relationship)\b", r"\bmy little (?:princess|angel)\b"),
    rule("flattery", 0.5, "calls the addressee special",
         rf"\b{YOU_ARE} (?:so |really |very |truly |super )?(?:special|one of a kind)\b(?=\s*(?:$|[.!?,]|to me|and|"
         r"girl|boy|lol|baby))",
         rf"\b{YOU_ARE} my (?:favorite|favourite|special|angel|princess|everything|world)\b"),
    rule("flattery", 0.9, "claims to understand the addressee better than others",
         rf"\b(?:no ?one|nobody) (?:else )?(?:understands|gets|knows|cares about|loves) {YOU} (?:like|the way|as much "
         r"as) (?:i|me)\b", rf"\bonly i (?:really )?(?:understand|get|know|care about|love) {YOU}\b",
         rf"\bi (?:understand|get) {YOU} (?:better|more) than (?:anyone|your|them)\b",
         rf"\bi am the only (?:one|person) (?:who|that) (?:understands|gets|cares about|loves) {YOU}\b"),
    rule("flattery", 0.25, "compliments the addressee's looks",
         rf"\b{YOU_ARE} (?:so |really |very |super |soo |such a |kinda |pretty |hella )?(?:cute|pretty|beautiful|"
         r"gorgeous|adorable|stunning|handsome|lovely|a cutie|cutie|precious|perfect|an angel|a doll|a princess)\b",
         r"\b(?:cute|pretty|beautiful|gorgeous) (?:girl|boy|face|smile|eyes)\b"),
    rule("flattery", 0.4, "compliments the addressee's body",
         r"\b(?:nice|great|hot|sexy|perfect|amazing|tight|fit) (?:body|legs|figure|curves|ass|butt|boobs|lips|"
         r"thighs)\b",
         rf"\b{YOUR} (?:body|legs|figure|curves|lips|thighs) (?:is|are|look|looks) (?:so |really )?(?:nice|hot|sexy|"
         r"amazing|perfect|beautiful|good)\b"),
    rule("flattery", 0.25, "expresses affection for the addressee",
         rf"\bi (?:really |kinda |totally )?(?:like|love|adore|miss|need) {YOU}\b",
         rf"\bi (?:think|thought|dream|dreamt) about {YOU}\b", rf"\b(?:thinking|dreaming) (?:about|of) {YOU}\b",
         rf"\bi (?:have|got) (?:a )?crush on {YOU}\b"),
    rule("flattery", 0.55, "says the addressee could be a model",
         rf"\b{YOU} (?:could|should) (?:be|become) (?:a )?(?:model|star|actress|influencer|famous)\b"),
    rule("flattery", 0.5, "promises trust or a special bond",
         r"\bwe (?:have|got|share) (?:a |something )?(?:special|real|deep|unique) (?:connection|bond|relationship)\b",
         rf"\bi (?:will|would) (?:never|always) (?:hurt|leave|protect) {YOU}\b",
         rf"\bi (?:will|ll) (?:always )?(?:take care of|protect|look after) {YOU}\b",
         rf"\b{YOU} can (?:trust|tell) me (?:anything|everything)\b", rf"\b{YOU} can trust me\b"),
    rule("flattery", 0.2, "calls the addressee by an endearment",
         r"\b(?:baby ?girl|princess|sweetie|sweetheart|darling|angel|kiddo|little one|lil one|cutie)\b"),
    rule("flattery", 0.8, "praises the addressee above others their age",
         r"\b(?:better|smarter|prettier|cuter|more mature|more talented|faster|stronger) than (?:most |other |all |the "
         r"other |the )?(?:girls|kids|adults|people|guys|boys|grown ups)(?: twice)? (?:your|ya) age\b",
         r"\b(?:better|smarter|more mature) than (?:most |a lot of )?(?:adults|grown ups|the (?:other )?kids)\b",
         rf"\bmature for (?:a |an )?{MINOR_AGE}\b", rf"\b{MINOR_AGE} and already (?:this |so )?(?:cute|pretty|hot|good|"
         r"mature|tall|developed|talented|beautiful)\b",
         rf"\b{YOU} (?:talk|act|seem|sound|write) like {YOU_ARE} (?:older|an adult|grown)\b"),
    rule("flattery", 0.55, "claims a special closeness with the addressee",
         r"\bwe (?:get|understand) each other\b", r"\b(?:you|ya) get me (?:like|better than)\b",
         r"\bwe (?:click|connect)\b"),
    rule("flattery", 0.4, "praises the addressee's talent",
         rf"\b{YOU} (?:have|got) (?:real |so much |a lot of |serious )?(?:talent|potential)\b",
         rf"\b{YOU_ARE} (?:so |really |very |super )?(?:talented|gifted|a natural|a quick learner)\b",
         r"\bbet the (?:boys|guys|girls) are all over you\b"),
    rule("flattery", 0.2, "calls the addressee by a pet name", r"\b(?:babe|hun|honey|sweetie|sweetheart)\b"),
)

SECRECY = (
    rule("secrecy", 0.9, "tells the addressee not to tell their parents",
         rf"\b(?:do not|never|better not|no need to|you can not|you should not|should not) (?:tell|say|mention|show|"
         rf"let|inform|text|talk to|snitch to) (?:it |this |anything |that |them |about (?:this|us|me|it) )?(?:to )?"
         rf"{YOUR} (?:{PARENTS}|friends|sister|brother|bff|bestie|counselor|therapist)\b(?! to\b)",
         r"\b(?:do not|never) (?:tell|say|mention|show) (?:it |this |that |anything )?(?:to )?(?:mom|dad|mum|parents|"
         r"teacher|teachers|the police|police|cops)\b"),
    rule("secrecy", 0.55, "asks the addressee to tell no one",
         r"(?<!they )(?<!them )(?<!people )(?<!who )(?<!he )(?<!she )(?<!kids )(?<!victims )\b(?:do not|never|"
         r"better not|"
         r"you can not) (?:tell|say|mention|show) (?:this |it |that |anything )?(?:to )?(?:any ?one|any ?body|no ?one|"
         r"nobody|a soul|other people)\b",
         rf"\b(?:promise|swear) (?:{YOU} will not|not to|{YOU} won t) tell\b",
         r"\b(?:no ?one|nobody) (?:has to|needs to|will|should|got to|must|would) (?:ever )?(?:know|find out)"
         r"(?: about (?:this|it|us|our \w+))?(?:$|[.!?,]| if| lol| ok)"),
    rule("secrecy", 0.9, "calls their contact a secret",
         r"\b(?:our|my) (?:little |lil |special |own |tiny |big )?secret\b",
         r"\b(?:this|it|that|us) (?:is|will be|stays|can be|has to be|must be) (?:our|just our|between) "
         r"(?:little |lil |special )?(?:secret|us)\b",
         r"\bkeep (?:us|our (?:chat|chats|talk|talks|messages|relationship)|what we \w+) (?:a )?"
         r"(?:secret|between us|private|quiet|hidden|on the (?:dl|down ?low|low))\b"),
    rule("secrecy", 0.65, "asks the addressee to keep it between them",
         r"\bkeep (?:it|this|that|me) (?:between us|between (?:you and me|me and you)|on the (?:dl|down ?low|low))\b"),
    rule("secrecy", 0.45, "asks the addressee to keep something secret", r"\bkeep (?:it|this|that|me) (?:a )?secret\b",
         r"\bbetween (?:you and me|us two|just us|me and you)\b", r"\bjust between us\b"),
    rule("secrecy", 0.7, "asks the addressee to delete what was said afterwards",
         r"\bdelete (?:it )?after(?=$|[.!?,]| ok| okay| k\b| yeah| alright| pls| please)"),
    rule("secrecy", 0.85, "asks the addressee to delete their messages",
         r"\b(?:delete|erase|clear|wipe|remove|unsend|hide) (?:all )?(?:of )?(?:our|these|those) (?:chat|chats|"
         r"messages|message|convo|convos|conversation|conversations|texts|history|dms|pics|photos|logs)\b",
         r"\bdelete (?:it|this|that|them|everything|the chat|the messages|this chat) (?:after|when|once|right after|"
         r"before)\b",
         r"\b(?:turn on|use|set|switch on) (?:disappearing|vanish|vanishing|secret) (?:messages|mode|chat)\b",
         r"\bdelete (?:the|our|your) (?:call )?(?:log|logs|history|call history) after\b",
         r"\b(?:use|get|download) (?:a )?(?:secret|hidden|vault|calculator) (?:app|account|chat)\b",
         r"\bmake sure (?:you|to) (?:delete|erase|clear|wipe)\b",
         r"\b(?:delete|erase|clear|wipe) (?:it|them|this|that|everything|all) (?:after|afterwards|when you|once|"
         r"right away)\b",
         r"\b(?:delete|erase|clear|wipe) (?:all )?(?:of )?(?:your|the|our|these|my) (?:gmail|email|emails|chats|"
         r"messages|texts|dms|pics|photos|history|convos?)\b(?! (?:folder|app|account|settings))",
         r"\b(?:delete|erase) (?:please )?(?:everything|all) (?:i sent|we said|of it|of them|of our)\b",
         r"(?:^|[.!?,] ?)(?:delete|erase) (?:please )?everything\b"),
    rule("secrecy", 0.85, "assures the addressee their parents will not find out",
         rf"\b{YOUR} {PARENTS} (?:will never|will not|would never|won t|wont|never has to|does not have to|do not have "
         r"to|doesnt have to|dont have to) (?:know|find out)\b"),
    rule("secrecy", 0.95, "asks the addressee to hide the contact from their parents",
         rf"\b(?:do not|never) let {YOUR} {PARENTS} (?:see|know|find out|read|catch|hear)\b",
         rf"\b(?:hide|hidden) (?:it|this|that|the app|the chat|our chat|me|us|the messages|your phone|this app) from "
         rf"{YOUR} {PARENTS}\b",
         rf"\b(?:so|make sure|in case) {YOUR} {PARENTS} (?:do not|does not|will not|can not|never) (?:see|know|"
         r"find out|"
         r"read|catch)\b", rf"\bwhen {YOUR} {PARENTS} (?:is|are) (?:not home|asleep|sleeping|gone|away|not around)\b"),
    rule("secrecy", 0.75, "asks whether the addressee's parents watch their messages",
         rf"\b(?:do|does|will|would|can|could) {YOUR} {PARENTS} (?:check|look at|go through|read|monitor|see|look "
         r"through|find) (?:your|this|these|our|the) (?:phone|messages|texts|chats|chat|dms|account|snap|insta|"
         r"convo|email|emails|inbox)\b",
         rf"\bso (?:they|{YOUR} {PARENTS}) (?:do not|dont|will not|won t) (?:think|know|find out|see)\b",
         rf"\bwhat time (?:do|does) (?:they|{YOUR} {PARENTS}) (?:go to (?:bed|sleep)|fall asleep|leave|get home)\b",
         rf"\b(?:do|does|will|would) {YOUR} {PARENTS} (?:know|find out|get mad|be mad|be upset|freak out)\b"),
    rule("secrecy", 0.7, "sets the addressee against their parents",
         rf"\b{YOUR} (?:{PARENTS}|friends) (?:would not|will not|do not|never|could not|can not) (?:understand|get it|"
         r"approve|get us|accept (?:it|us))\b", r"\b(?:no ?one|nobody|they|people) (?:would|will|could) (?:ever )?"
         r"(?:not )?understand (?:us|what we have|our \w+)\b",
         rf"\b{YOUR} {PARENTS} (?:is|are) (?:too strict|so strict|controlling|overprotective|unfair)\b",
         rf"\b{YOUR} {PARENTS} (?:would|will|is going to|going to) (?:kill|ground|freak|be mad|get mad)\b"),
    rule("secrecy", 0.85, "plans contact for when the parents are away",
         rf"\b(?:if|when|once|after|while) {YOUR} {PARENTS} (?:go|goes|went|is going) to (?:bed|sleep)\b",
         rf"\b(?:if|when|once|after|while) (?:{YOUR} )?{PARENTS} (?:is|are|gets|get) (?:gone|out|away|asleep|at work|"
         r"not home)\b", r"\bno ?one (?:going to|will|gonna) (?:come )?check on you\b",
         r"\bsneak (?:your|ya|the) (?:\w+ )?(?:phone|laptop|computer|ipad|tablet)\b"),
    rule("secrecy", 0.5, "promises not to tell", r"\bi (?:promise )?(?:i )?(?:will not|won t) tell\b",
         r"\bare you (?:a )?(?:cop|fed|police|undercover)\b(?! (?:show|movie|car))", r"\byou a cop ?\?",
         r"\bworking (?:for|with) the (?:cops|police|fbi)\b"),
    rule("secrecy", 0.65, "warns that the contact could get them in trouble",
         r"\b(?:i|we|you) (?:could|can|would|will|might|ll) (?:both )?(?:get|be) (?:in |into )?(?:so much |big |"
         r"a lot of )?(?:trouble|arrested|caught|in jail)\b",
         r"\b(?:get|got) (?:me|us) (?:in |into )?(?:trouble|arrested|caught)\b",
         r"\b(?:want|get) you (?:in|into) trouble\b", r"\byou to get in trouble\b",
         r"\bif (?:someone|anyone|your \w+|they) (?:ever )?(?:saw|sees|found out|finds out|read|reads) (?:us|this|our|"
         r"these|what (?:i|we))\b"),
    rule("secrecy", 0.3, "hushes the addressee", r"\bshh+\b", r"\bshush\b", r"\bzip (?:it|your lips)\b"),
    rule("secrecy", 0.85, "tells the addressee to hide or lie to their parents",
         rf"\bkeep (?:it|this|that|us|me) (?:from|away from) (?:{YOUR} )?{PARENTS}\b",
         rf"\btell {YOUR} {PARENTS} (?:you are|your|that you|you re|u r)\b",
         rf"\bif {YOUR} {PARENTS} (?:ask|asks|asking|finds out|find out|says something)\b,? (?:just )?"
         r"(?:say|tell (?:them|her|him)"
         r"|you say)\b",
         rf"\b(?:no need to|do not|never) (?:tell|mention|bother) (?:{YOUR} )?(?:{PARENTS}|coach|leader|club leader)\b"
         r"(?! to\b)",
         r"\b(?:do not|never) mention (?:me|us|it|this) (?:to|here|in)\b",
         rf"\b(?:do not|no) need (?:to )?(?:tell|inform|let) (?:{YOUR} )?{PARENTS}\b",
         rf"\bno need to (?:tell|mention) (?:it|this|that|the [a-z]+(?: [a-z]+)?) to "
         rf"(?:her|him|them|{YOUR} {PARENTS})\b"),
    rule("secrecy", 0.7, "says the addressee's parent need not come along",
         rf"\b(?:{YOUR} )?{PARENTS} (?:does not|do not|doesnt|dont) (?:need|have) to "
         r"(?:come|be there|tag along|drive)\b"),
    rule("secrecy", 0.8, "keeps it from the addressee's parents",
         rf"\beven from {YOUR} {PARENTS}\b|\beven from (?:parents|mom|dad)\b",
         rf"\b(?:{YOUR} )?{PARENTS} (?:never|will never|would never|can not|do not|does not|dont|doesnt) see "
         r"(?:it|this|them|"
         r"that)\b(?! (?:coming|happen))"),
    rule("secrecy", 0.6, "asks the addressee to keep it from the moderators",
         r"\b(?:do not|never) (?:tell|let|show|report (?:it |this |me )?to) (?:the )?(?:mods|moderators|admins?)\b"),
    rule("secrecy", 0.6, "says someone will not find out",
         r"\b(?:she|he|they) (?:will not|would not|will never|would never) (?:ever )?(?:know|find out|notice)"
         r"(?=$|[.!?,]| lol| tho| though| ok| i promise| trust me| if)"),
    rule("secrecy", 0.7, "asks the addressee to keep it out of the group",
         r"\b(?:do not|never) (?:post|mention|talk|say anything|share) (?:about )?(?:it|this|me|us)? ?(?:here|in here|"
         r"in the group|in the chat|on here)\b", r"\bwhere (?:nobody|no one) (?:reads|can see|will see|sees|checks)\b",
         r"\b(?:do not|never) show (?:it|this|them) to (?:anyone|anybody)\b",
         r"\b(?:your|ur) secret(?: is|s)? safe with me\b", r"\bour secrets\b|\bsecrets now\b"),
    rule("secrecy", 0.4, "asks the addressee to lock their door",
         rf"\block (?:{YOUR}|the) (?:bedroom |room )?door\b", r"\bmake sure (?:the|your) door is locked\b"),
    rule("secrecy", 0.45, "keeps the addressee to themself",
         r"\b(?:just|only) (?:us|you and me|me and you|the two of us|us two)\b(?! (?:and|with) )"),
    rule("secrecy", 0.7, "asks the addressee to come alone",
         r"\bjust (?:you|ya) come\b",
         r"\bcome alone\b|\bso we can (?:be|talk) alone\b|\bbring nobody\b|\b(?:do not|never) bring (?:your|a|"
         r"any) (?:friend|friends|sister|brother|mom|dad|parents)\b",
         r"\b(?:come|meet me|show up|be there)\b[^.!?]{0,25}\b(?:by (?:yourself|urself)|on your own|"
         r"without (?:your|ur) (?:mom|dad|parents|friends|mum))\b(?! (?:time|terms|schedule|pace))"),
    rule("secrecy", 0.7, "asks the addressee not to tell someone about them",
         r"\b(?:do not|never|dont) (?:tell|mention) (?:her|him|them) about (?:me|us|our (?:chats?|talks?|calls?))\b"),
    rule("secrecy", 0.85, "says someone close to the addressee need not know",
         rf"\b(?:he|she|they|{YOUR} \w+) (?:does not|do not|doesnt|dont) (?:need|have) to know"
         r"(?: about (?:us|this|me|it))?(?:$|[.!?,]| ok| lol| tho)",
         rf"\bwhile (?:they|{YOUR} {PARENTS}) (?:are|is) (?:out|away|gone|at work|asleep|not home)\b"),
    rule("secrecy", 0.5, "puts the addressee in their debt or keeps it just for them",
         rf"\b{YOU} owe me (?:a |one )?(?:lil |little |small )?(?:favor|favour|one|something|a pic)\b",
         rf"\b(?:{YOU} )?(?:kinda |kind of |sorta |so )?owe me (?:now|tho|though|one)?(?=$|[.!?,]| lol| haha| ;)",
         r"\b(?:pic|pics|photo|one|it|them) just for me\b", rf"\bjust {YOU} (?:tho|though|ok|okay|alright|and me)\b"),
    rule("secrecy", 0.85, "asks the addressee to keep a secret from a guardian",
         rf"\bkeep (?:it|this|that|us|me) (?:a )?secret from (?:{YOUR} )?{PARENTS}\b"),
)

OFF_PLATFORM = (
    rule("off_platform", 0.6, "points the addressee to their message requests",
         r"\bcheck (?:your|ya) (?:requests|message requests|dm requests)\b",
         r"\bfollow (?:me )?back so (?:i|we) can (?:dm|message|chat|talk)\b"),
    rule("off_platform", 0.85, "asks to move to a private app",
         rf"\b(?:add|hit|message|dm|text|find|friend|snap|kik|call|facetime|hmu|hit me up) me (?:up )?"
         rf"(?:on|at|in|@|via|thru|through|over) (?:my )?{PRIVATE_APP}\b",
         rf"\b(?:what is|what|give me|send me|drop|got|share|tell me|can i (?:get|have)|could i (?:get|have)|may i "
         rf"(?:get|have)|i need|let me get|let me have) {YOUR} {PRIVATE_APP}\b"),
    rule("off_platform", 0.5, "asks for the addressee's number or socials",
         rf"\b(?:what is|what|give me|send me|drop|got|share|tell me|can i (?:get|have)|could i (?:get|have)|may i "
         rf"(?:get|have)|i need|let me get|let me have) {YOUR} (?:number|phone number|cell|cell number|digits|mobile|"
         r"handle|user ?name|socials|contact|contact info)\b"),
    rule("off_platform", 0.7, "asks the addressee to message them on a private app",
         r"\b(?:snap|snapchat|kik|whatsapp|telegram|wechat|qq|insta) me\b(?! (?:when|if|later|back))"),
    rule("off_platform", 0.45, "asks the addressee to follow them", rf"\bfollow me (?:on|at|@) {PRIVATE_APP}\b"),
    rule("off_platform", 0.55, "asks if the addressee uses a private app",
         rf"\b(?:do|did) {YOU} (?:have|got|use|go on) (?:a |an )?{PRIVATE_APP}\b", rf"\bare {YOU} on {PRIVATE_APP}\b",
         rf"\b{YOU} (?:have|got|on) {PRIVATE_APP} ?\?"),
    rule("off_platform", 0.85, "asks to continue somewhere private",
         r"\b(?:let us|we (?:should|can|could)|can we|want to|do you want to|should we|we got to|i want to) (?:talk|"
         r"chat|"
         r"continue|move|go|switch|text|message|keep talking|keep chatting|talk more|chat more|speak) (?:this |it |our "
         rf"chat )?(?:on|in|over|to|at|via) (?:{PRIVATE_APP}|private|priv|dm|dms|pm|pms|somewhere (?:else|more "
         r"private|private|quieter)|another app|a different app|a private (?:chat|place|room))\b",
         r"\b(?:let us|we (?:can|could|should)|can we|want to|i want to) (?:talk|chat|text|"
         r"continue) (?:in )?(?:private|"
         r"privately)\b", r"\b(?:go|let us go|we can go|come|take you) somewhere (?:more )?private\b",
         r"\bsomewhere (?:more )?private to (?:talk|chat)\b",
         rf"\b(?:move|switch|take|go) (?:this|it|our chat|the chat|us) (?:to|over to|on|into) (?:{PRIVATE_APP}|dms?|"
         r"private|pms?|somewhere)\b"),
    rule("off_platform", 0.7, "says this place is not private enough",
         r"\b(?:this|the) (?:app|chat|group|site|game|server|place|room|thread|comment section|comments) (?:is )?"
         r"(?:not|is not) (?:safe|private|secure)\b", r"\btoo (?:public|many people) (?:here|in here|on here)\b",
         r"\b(?:here|this) is too public\b",
         r"\b(?:mods|admins) (?:here )?(?:read|see|check) (?:everything|it all|all)\b",
         r"\b(?:people|others|mods|everyone) (?:can|could|might|will) (?:see|read) (?:this|us|our)\b"),
    rule("off_platform", 0.4, "invites the addressee to private messages",
         r"\b(?:dm|pm|inbox|message|text|hmu|hit me up|slide into|dms|pms|whisper) (?:me|mee)\b",
         rf"\bcheck (?:{YOUR} )?(?:dms|dm|pms|inbox)\b",
         rf"\b(?:i will|ill|i|let me) (?:dm|pm|message|text|snap|add) {YOU}\b",
         r"\bi (?:just )?(?:sent|dmed|messaged|added|followed) you\b"),
    rule("off_platform", 0.8, "shares their own contact handle",
         rf"\b(?:my|here is my|heres my) {PRIVATE_APP}(?: id| name| username| handle| number)? ?(?:is|:|=|->|@)",
         r"\bmy (?:number|phone number|cell|digits|mobile) (?:is|:)"),
    rule("off_platform", 0.35, "asks for a gaming contact",
         rf"\b(?:add|friend|follow|join|hit|message) me (?:on|at|in|@) {GAME_APP}\b",
         rf"\b(?:what is|give me|send me|drop|got|share) {YOUR} {GAME_APP}(?: name| tag| id| username| user)?\b"),
    rule("off_platform", 0.6, "asks to video chat",
         r"\b(?:facetime|video ?call|video ?chat|skype|zoom) (?:me|with me|tonight|later|now)\b",
         r"\b(?:can|could|want to|let us) (?:we )?(?:facetime|video ?call|video ?chat|vc)\b"),
    rule("off_platform", 0.3, "asks the addressee to call", r"\bcall me\b(?! (?:when|if|later|back|at work|a))"),
    rule("off_platform", 0.75, "moves the addressee to a private app or server",
         rf"\b(?:got|have|on) {PRIVATE_APP} ?\?", rf"\badd my (?:private |other |second |secret )?(?:{PRIVATE_APP}|"
         rf"{GAME_APP})\b",
         rf"\b(?:add|message|dm) me on my (?:private |other |second |secret )?(?:{PRIVATE_APP}|{GAME_APP})\b",
         rf"\b(?:we can|let us|we could|just) use {PRIVATE_APP}\b",
         rf"\bsend (?:it|them|those|pics|the pics|the pic|a pic|one) (?:to|on) my {PRIVATE_APP}\b",
         r"\bprivate (?:server|chat|group|channel|discord)\b", r"\bmy @ is\b"),
    rule("off_platform", 0.5, "asks to be added or messaged",
         r"(?:^|[.!?,] ?)add me\b(?! (?:to|as|in|into) (?:the|your|a) (?:group|list|team|squad))",
         rf"\b(?:dm|text|message) me when {YOU_ARE} (?:alone|free|home)\b"),
    rule("off_platform", 0.7, "moves the talk to a private app",
         r"\b(?:i will|ill|let me|i can|i could) (?:explain|tell you|talk|show you|send it|send them) (?:more |it |"
         r"everything )?"
         rf"(?:on|over|in|via) {PRIVATE_APP}\b"),
)

GIFTS = (
    rule("gifts", 0.85, "offers the addressee gifts or money",
         rf"\b{I_OFFER} (?:buy|get|give|send|gift|pay|transfer|venmo|cash ?app|zelle|paypal|top up|load|hook) {YOU} "
         rf"(?:up )?(?:with )?(?:(?:some|a|an|free|more|any|the|new|\d+|a few|lots of|all the|unlimited) )*{GIFT}\b"
         r"(?! for (?:it|that|this|those|them|your|the|a|an|each|one)\b)"),
    rule("gifts", 0.45, "offers the addressee something",
         rf"\b{I_OFFER} (?:buy|get|give|send|gift|order) {YOU} {SOFT_GIFT}\b"),
    rule("gifts", 0.7, "asks whether the addressee wants gifts",
         r"\b(?:do you want|you want|want to have|want|would you like|want some|do you need|you need) (?:(?:some|free|"
         r"a|an|more) )*(?:robux|v ?bucks|vbucks|gift ?cards?|skins?|nitro|gems|diamonds|battle ?pass|a new phone|an "
         r"iphone|coins|primogems|minecoins)\b"),
    rule("gifts", 0.45, "asks whether the addressee wants money",
         r"\b(?:do you want|you want|would you like|want some|do you need) (?:some |free )?(?:money|cash)\b"),
    rule("gifts", 0.8, "offers to pay the addressee",
         rf"\b{I_OFFER} (?:pay|give|send|venmo|transfer) {YOU} (?:\$ ?\d+|\d+ ?(?:\$|dollars|bucks|usd)|money|cash|"
         r"good money|well|extra)\b(?! for (?:it|that|this|those|them|your|the|a|an|each|one)\b)"),
    rule("gifts", 0.55, "asks for the addressee's payment or game account",
         rf"\b(?:what is|give me|send me|drop) {YOUR} (?:cash ?app|venmo|paypal|zelle|roblox (?:user|name|username)|"
         r"epic (?:name|id)|fortnite (?:name|username))\b"),
    rule("gifts", 0.8, "promises the addressee whatever they want",
         rf"\b(?:buy|get) {YOU} (?:whatever|anything|everything) {YOU} (?:want|need|like)\b",
         rf"\b(?:just )?(?:sent|bought|got|gave) {YOU} (?:a |an |some |\d+ )?(?:\w+ ){{0,2}}{GIFT}\b"),
    rule("gifts", 0.5, "mentions a gift for the addressee",
         r"\b(?:i )?(?:bought|got|have|ordered|sent|made) (?:a (?:little )?(?:gift|present|surprise)|"
         r"something special) for (?:you|ya)\b", rf"\b(?:i will|ill|let me|i can|i want to) spoil {YOU}\b",
         rf"\b(?:buy|get) {YOU} (?:whatever|anything|everything) {YOU} (?:want|need|like)\b",
         rf"\b(?:anything|whatever) {YOU} want,? (?:i will|ill|i can|i|just ask)\b"),
    rule("gifts", 0.3, "offers the addressee a treat",
         rf"\b(?:i will|ill|let me|i can|i want to) treat {YOU}\b(?! (?:as|like))",
         r"\b(?:i )?(?:bought|got|have) something for (?:you|ya)\b"),
    rule("gifts", 0.35, "mentions free game currency", r"\bfree (?:robux|v ?bucks|vbucks|skins|nitro|gems|coins)\b"),
    rule("gifts", 0.5, "offers the addressee something specific",
         rf"\b{I_OFFER} (?:buy|get|give|send|gift|order|top up|pay for|bring) {YOU} (?:a |an |the |that |some |this |"
         r"those )?"
         r"(?:\w+ ){0,3}(?:pass|ticket|tickets|lessons|credit|account|subscription|membership|skin|skins|deck|set|"
         r"bundle|phone|game|outfit|shoes|necklace|bracelet|present|gift)\b",
         rf"\btop up {YOUR} (?:phone|account|credit|balance|game)\b",
         r"\bgiving away\b.{0,40}\b(?:kids|first \d+|to (?:you|u))\b"),
    rule("gifts", 0.35, "offers the addressee things for free",
         rf"\b{YOU} can have (?:them|it|mine|one)\b", r"\b(?:for free|free of charge)\b", r"\bgiveaway\b",
         r"\bgift ?cards?\b"),
    rule("gifts", 0.6, "offers free game items to whoever wants them",
         r"\bwho wants (?:some |free )?(?:robux|v ?bucks|vbucks|skins?|gems|coins|gift ?cards?|皮肤|点券|钻石)"),
)
