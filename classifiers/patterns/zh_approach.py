"""Chinese rules for the approach stages: age probing, flattery, secrecy, moving off-platform, gifts.

Rules read the folded text: Simplified, lower case, no spaces inside Chinese, full-width punctuation made ASCII
("，" → ","), homophones of 微信 / 扣扣 already replaced ("薇信" → "微信", "扣扣" → "qq").
"""

from __future__ import annotations

from classifiers.patterns.common import rule

__all__ = ["AGE_PROBE_ZH", "FLATTERY_ZH", "GIFTS_ZH", "OFF_PLATFORM_ZH", "SECRECY_ZH"]

NI = r"(?:你|您)"
PARENTS_ZH = (
    r"(?:爸|妈|爸妈|父母|爸爸|妈妈|家长|家里人|家人|家里|老师|班主任|老爸|老妈|奶奶|爷爷|姥姥|外婆|外公|大人|屋企人|"
    r"阿妈|老豆|parents?|mom|mum|dad|mommy|mummy)"
)
PLATFORM_ZH = (
    r"(?:qq|微信|wechat|weixin|vx|wx|v|q|企鹅|球球|抖音|快手|小红书|陌陌|探探|soul|telegram|tg|飞机|电报|whatsapp|line|snap|"
    r"kik|discord|insta|instagram|ins|"
    r"ig|联系方式|电话|手机号|号码|私人号|小号|q号|v号|绿泡泡|赖|私人微信|私人qq)"
)
GIFT_ZH = (
    r"(?:红包|钱|零花钱|皮肤|点券|钻石|q币|金币|游戏币|会员|礼物|衣服|手机|化妆品|口红|裙子|鞋|零食|奶茶|充值卡|月卡|"
    r"战令|通行证|英雄|装备|道具|平板|ipad|耳机|首饰|包包|游戏|储值卡|话费|球鞋|周边|手办|粘土|衣服|舞蹈服|零食|aj|"
    r"\s?robux|\s?skins?|\s?vbucks|\s?gift ?cards?)"
)
AMOUNT_ZH = (
    r"(?:个|点|些|一个|一些|一点|几个|一套|一款|一件|一部|\d+|[一二两三四五六七八九十百千万]+)?(?:块|元|个|张|"
    r"套)?(?:的)?(?:新|新的|最新的|好看的|漂亮的|贵的)?"
)
NOT_SIZE_AFTER = (
    r"(?!仇|的|事|关系|区别|意义|用|脸|能耐|本事|问题|影响|作用|差别|压力|风险|把握|面子|毛病|点|块|个|号|码|尺|年纪的|"
    r"进|开始|时)"
)
NOT_CHILD_BEFORE = r"(?<!孩子)(?<!儿子)(?<!女儿)(?<!闺女)(?<!娃)(?<!宝宝)"

AGE_PROBE_ZH = (
    rule("age_probe", 0.9, "asks the addressee's age",
         rf"{NI}(?:今年|现在|到底|是)?(?:多大|几岁|多少岁|多大岁数|多少年纪){NOT_SIZE_AFTER}",
         rf"{NI}(?:是)?(?:几几年|哪年|哪一年|几零后|0\d后|1\d后|零几年)(?:的|出生|生的)?", rf"{NI}属(?:什么|啥)"),
    rule("age_probe", 0.6, "gives an age and asks the addressee's back",
         rf"^\W*(?:我)?(?:\d{{1,2}}|[二三四五六]?十[一二三四五六七八九]?)(?:岁|了)*\W*(?:{NI}呢|{NI}多大|{NI}几岁)"),
    rule("age_probe", 0.6, "asks someone's age",
         rf"(?:^|[,.?!。、\s]){NOT_CHILD_BEFORE}(?:今年)?(?:多大了|几岁了|几岁啦|多大啦|多大呀|几岁呀|多大啊)"),
    rule("age_probe", 0.9, "asks the addressee's school grade",
         rf"{NOT_CHILD_BEFORE}(?:{NI}|今年|现在)(?:读|上|在)?(?:几年级|初几|高几)",
         r"(?:^|[,.?!。、\s])(?:读|上|在读)?(?:几年级|初几|高几)",
         r"(?:几年级|初几|高几)(?:了|啦|呀|啊)?[?？]",
         rf"{NI}(?:读|上|在读|是)(?:小学|初中|高中|中学|初一|初二|初三|高一|高二|高三)(?:了|吗|吧|么|呀|啊|没)",
         r"(?:上|读)(?:初中|高中|小学)了(?:吗|没)", rf"{NI}是(?:学生|小学生|初中生|高中生|中学生)(?:吗|吧|么|呀|啊)"),
    rule("age_probe", 0.75, "asks which school the addressee attends",
         rf"{NI}(?:们)?(?:在|是)?(?:哪个|哪所|哪|什么)(?:学校|中学|小学|初中|高中)",
         r"(?:^|[,.?!。、\s])(?:哪个|哪所)(?:学校|中学|小学)的", rf"{NI}(?:的)?学校(?:在)?(?:哪|叫什么|是哪)"),
    rule("age_probe", 0.6, "asks where the addressee lives",
         rf"{NI}(?:家)?住(?:在)?(?:哪|哪里|哪儿|哪边|什么地方|哪个区|哪个小区)", r"(?:^|[,.?!。、\s])住哪",
         rf"{NI}家(?:在)?(?:哪|地址)"),
    rule("age_probe", 0.8, "asks for the addressee's address or location",
         rf"(?:发|给|告诉)(?:我)?(?:一下)?(?:{NI}(?:家|的))(?:地址|定位|位置)", rf"{NI}家(?:的)?地址"),
    rule("age_probe", 0.8, "guesses the addressee is a schoolchild",
         r"(?:是|还是|都是|你)?(?:小学生|初中生|中学生|初中|小学|国中|国小|高中生|国[一二三])(?:吧|吗|嘛|呀|啊|么|喔|"
         r"哦|\?)",
         r"你还在(?:上学|读书|念书)", r"还在(?:上学|读书|念书)(?:吧|吗|呀|啊|么|\?)", r"(?:读|上)?中几",
         r"小学几年级|国中几年级"),
    rule("age_probe", 0.75, "asks which school the addressee goes to", r"读哪间|哪间学校|哪个学校|哪所学校"),
    rule("age_probe", 0.85, "asks a child's age or grade by a pet name",
         r"(?:mm|dd|妹妹|弟弟|小妹妹|小弟弟|宝贝|宝宝|小朋友|小可爱|小姑娘|小妹|妹子|小美女|小帅哥)(?:你|们)?(?:今年|现在)?"
         r"(?:读|上)?(?:几年级|几岁|多大|初几|高几)"),
    rule("age_probe", 0.55, "asks which area the addressee is in",
         r"你家(?:在)?哪个小区", r"离你(?:家|那|学校)?(?:远不|远吗|近吗|多远)",
         r"你(?:家|那|学校)?离[^,.!?。]{1,8}(?:远不|远吗|近吗|多远)"),
    rule("age_probe", 0.35, "asks which city or server area the addressee is in",
         r"你(?:是)?哪个区|你在哪个(?:区|小区|城市)"),
    rule("age_probe", 0.8, "asks when no adult is home",
         r"(?:家里|家)(?:几点|什么时候|啥时候)?没人(?:吗|么|的时候|\?)", rf"(?:家长|{PARENTS_ZH})(?:都)?不在家",
         r"(?:几点|什么时候|啥时候)家里没人", r"谁家(?:今晚|今天|现在|周末|晚上)?(?:没大人|没人|大人不在)",
         r"屋企(?:冇人|冇大人|无人|得你一个|得你一個)"),
    rule("age_probe", 0.35, "asks about the addressee's body size",
         rf"{NI}?(?:个子|身高)(?:多高|多少)", r"还在长(?:个)?(?:吧|吗)"),
    rule("age_probe", 0.5, "asks about the addressee's house rules",
         rf"(?:{NI})?(?:爸妈|父母|家长|家里)管得(?:严|紧)(?:不|吗|么)", rf"{NI}(?:妈|爸|家长)(?:几点)?收(?:你)?手机"),
    rule("age_probe", 0.25, "asks where the addressee is from", rf"{NI}(?:是)?哪(?:里|儿)人"),
    rule("age_probe", 0.85, "asks whether anyone is home",
         rf"(?:{NI})?家里?(?:有|没)(?:有)?人(?:吗|没|么|不|在)",
         rf"{NI}(?:现在|今天|晚上)?(?:是)?(?:一个人|自己|独自)(?:在家|在宿舍|在房间)",
         r"(?:一个人|自己)在家(?:吗|么|呀|啊|嘛|\?)",
         rf"{NI}(?:现在)?(?:是)?一个人(?:吗|么|呀|啊)"),
    rule("age_probe", 0.85, "asks about the addressee's parents' whereabouts",
         r"(?:他们|爸妈|你妈|你爸)几点回(?:来|家)?",
         rf"{NI}(?:的)?{PARENTS_ZH}(?:在家(?![族长庭]群)|不在家|在不在|在吗|回来|回家|几点回|什么时候回|出门|去上班|"
         r"上班了|睡了|睡觉了|在旁边|在身边)"),
    rule("age_probe", 0.6, "asks when the addressee finishes school",
         rf"{NI}?(?:几点|什么时候|啥时候)(?:放学|下课|下晚自习)"),
    rule("age_probe", 0.35, "asks the addressee's gender",
         rf"{NI}是(?:男|女)(?:的|生|孩)(?:吗|么|还是)", r"(?:是)?男(?:的|生|孩)还是女(?:的|生|孩)"),
    rule("age_probe", 0.4, "asks about the addressee's own phone",
         rf"{NI}(?:有)?自己的手机(?:吗|么)", rf"手机是{NI}自己的"),
)

FLATTERY_ZH = (
    rule("flattery", 0.9, "says the addressee is mature for their age",
         r"比同龄(?:人|的|女生|男生|小孩|孩子|人都)?(?:更|还|都|要)?(?:成熟|懂事|漂亮|好看|聪明|有气质|可爱)",
         r"(?:一点都?不像|根本不像|完全不像|都不像)(?:个|一个)?(?:小孩|孩子|学生|\d+岁|[一二三四五六七八九十]+岁|"
         r"十几岁|初中生|小学生)",
         rf"{NI}(?:的)?(?:心理|思想)(?:年龄)?(?:很|好|挺|特别|真|这么)?成熟"),
    rule("flattery", 0.75, "praises the addressee as beyond their age",
         r"比(?:很多|好多|一般)?大人(?:都|还)?(?:强|厉害|好|会|骚|成熟)",
         r"(?:[一二三四五六]年级|初[一二三]|国[一二三]|小学|初中|\d+岁|[一二三四五六七八九十]+岁)就[一-鿿]?(?:这么|"
         r"这样|已经)?(?:厉害|会|好看|漂亮|成熟|懂事|有料|有天赋|好)",
         r"比我(?:带过|教过|见过)的(?:中学生|学生|小孩|孩子)(?:都)?(?:聪明|厉害|强)"),
    rule("flattery", 0.45, "says the addressee is mature", rf"{NI}(?:特别|好|很|真|这么|挺)懂事"),
    rule("flattery", 0.4, "praises the addressee's talent or manner",
         r"有天赋|我很欣赏(?:你)?|好乖|真乖|这么乖|最可爱的|很上镜|好上镜|声音好(?:甜|嫩|好听)|(?:声音|皮肤)好嫩"),
    rule("flattery", 0.6, "calls the addressee special",
         rf"{NI}(?:是|就是)(?:我)?(?:最|很|特别)?(?:特别|特殊|重要|唯一|专属|与众不同)(?:的)",
         rf"{NI}(?:和|跟)(?:别的|其他|别)(?:女生|女孩|男生|男孩|小孩|人)不一样", r"(?:我的|我们的)(?:小公主|小天使)"),
    rule("flattery", 0.9, "claims to understand the addressee better than others",
         rf"(?:只有我|就我|我最)(?:懂|理解|在乎|关心|心疼|疼|爱){NI}",
         rf"(?:没人|没有人|谁都不)(?:比我)?(?:更)?(?:懂|理解|在乎|关心){NI}",
         rf"(?:{NI}爸妈|{NI}父母|他们|{NI}家人)(?:都)?(?:不懂|不理解|不关心|不在乎){NI}"),
    rule("flattery", 0.25, "compliments the addressee's looks",
         rf"{NI}(?:长得)?(?:好|真|太|超|特别|很|蛮|挺|好好|超级|也太)(?:可爱|漂亮|好看|美|乖|甜|萌|帅|迷人|有气质|"
         r"清纯|水灵)",
         r"(?:小可爱|小仙女|小美女|小宝贝)"),
    rule("flattery", 0.4, "compliments the addressee's body",
         rf"{NI}(?:的)?(?:身材|腿|皮肤|腰|脚|屁股)(?:真|好|很|太|超)(?:好|美|白|细|长|漂亮|嫩|正|棒|翘)"),
    rule("flattery", 0.25, "expresses affection for the addressee",
         rf"我(?:好|很|真|超|有点|真的)?(?:喜欢|爱|想){NI}", rf"(?:好想|想死){NI}"),
    rule("flattery", 0.55, "says the addressee could be a model",
         rf"{NI}(?:可以|能|应该)(?:去)?(?:当|做)(?:模特|明星|网红|主播|演员)"),
    rule("flattery", 0.5, "promises trust or protection",
         rf"我会(?:一直)?(?:保护|照顾|疼){NI}", rf"{NI}可以(?:相信|信任)我",
         r"(?:有什么|什么)(?:事|话|心事)?都可以(?:跟|和)我说"),
)

SECRECY_ZH = (
    rule("secrecy", 0.9, "tells the addressee not to tell their parents",
         rf"(?:别|不要|不许|不准|千万别|千万不要|可别|不能|不可以|不用|不必|没必要|用不着|不需要)(?:跟|和|对|给)(?:{NI}(?:的)?)?"
         rf"{PARENTS_ZH}(?:说|讲|"
         r"告状|提)",
         rf"(?:别|不要|不许|不准|千万别|千万不要|不能|不用|不必|没必要|敢|记得不|记得别)告诉(?:{NI}(?:的)?)?{PARENTS_ZH}",
         rf"(?:别|不要|不用|不许|千万别)(?:跟|和)(?:{NI}的?)?(?:家里|同学|奶奶|爷爷|朋友)(?:说|讲|提)"),
    rule("secrecy", 0.9, "tells the addressee to hide something from their parents",
         r"(?:你妈|你爸|你爸妈|你家长|你父母|奶奶|爷爷|外婆|外公|姥姥|姥爷)[^。!?]{0,20}别让(?:她|他|他们)(?:知道|发现|看到)"),
    rule("secrecy", 0.65, "asks the addressee to tell no one",
         r"(?:别|不要|不许|千万别|不能)告诉(?:别人|任何人|其他人|同学|朋友|闺蜜)",
         r"(?:别|不要|不许|千万别|不能)(?:跟|和)(?:别人|任何人|其他人|同学|朋友|闺蜜)(?:说|讲|提)",
         r"(?:谁|任何人)都(?:别|不要|不能)(?:告诉|说出去|讲出去)", r"(?:谁|任何人)都(?:别|不要|不能|不许)(?:说|讲|提)",
         r"(?:要|帮我|替我|一定要|记得)保密", r"保守秘密",
         r"只有我们(?:两个|俩|两人)?知道",
         r"(?:就|只有)(?:我们|咱们|咱|我)俩?知道", r"(?:我们|咱们|咱俩|我俩)自己知道(?:就好|就行|就可以)",
         rf"(?:就|只有|只让)(?:{NI})(?:一个人|一个)?知道",
         r"(?:别|不要)跟(?:她们|他们|她|他)(?:说|讲)",
         r"别(?:发|说|讲)(?:到)?群里(?![^。！？!?]{0,6}(?:保护隐私|注意隐私|隐私))|别在(?:群里|评论区|这里|这)(?:说|讲|发)",
         r"别让(?:其他人|别人|大家|她们|他们)知道", r"(?:男人|我们)之间的秘密"),
    rule("secrecy", 0.45, "keeps the addressee to themself",
         r"(?:只有|就)(?:我们|咱们|咱|我和你|你和我)(?:两个|俩|两人)(?=$|[\s,.!?。]|人|的)"),
    rule("secrecy", 0.85, "tells the addressee what to tell their parents",
         r"(?:就|跟你妈|跟你爸|跟家里|跟大人|回去就|你就)说(?:你)?(?:去|在)(?:同学家|同学那|朋友家|补习|补课|上课|自习|"
         r"练琴|兴趣班|图书馆|学校|厕所)",
         r"那就说(?:去|在)", r"(?:就|你就)说是(?:抽奖|中奖|同学|朋友|自己|捡|买|攒|借|网上|活动)",
         rf"(?:{NI}的?)?{PARENTS_ZH}(?:要是|如果)?问(?:起|起来|你|的话|起来的话)?(?:来)?(?:你)?就说",
         r"回去就说",
         r"不用问(?:大人|家长|你爸妈|你妈)",
         r"唔(?:好|使)(?:话俾|同)(?:屋企人|阿妈|老豆)",
         rf"{PARENTS_ZH}就别(?:掺和|管|知道)了", r"问了就不让你出门"),
    rule("secrecy", 0.9, "calls their contact a secret",
         r"(?:我们|咱们|我俩|咱俩)(?:之间)?的(?:小)?秘密", r"这是(?:我们的|咱们的)(?:小)?秘密"),
    rule("secrecy", 0.85, "asks the addressee to delete their messages",
         r"(?:删|删掉|删了|删除|清空|清除|清)(?:掉)?(?:我们的|咱们的)?(?:聊天)(?:记录)?",
         r"(?:删|删掉|删除|清空|清除)(?:我们的|咱们的)(?:记录|消息|对话|照片)", r"(?:聊天)?记录(?:要|记得)(?:删|清)",
         r"\b(?:delete|del|clear) ?(?:我们的|咱们的)?(?:聊天)?(?:记录|消息|对话)",
         r"把(?:我们的|咱们的)?(?:聊天|通话)?(?:记录|纪录|消息|对话|聊天)(?:都|全)?(?:删|删掉|删了|清空|清掉)",
         r"(?:聊天|通话)[记纪]录(?:要|记得|都)?(?:删|清)",
         r"(?:聊完|看完|发完|发了|看了)(?:就|要|记得)?(?:删|清)", r"(?:删|清)(?:掉|空)?[记纪]录",
         r"(?:记录|纪录|消息|聊天)(?:会|都会|都)?自动(?:删|销毁|清)", r"阅后即焚",
         r"(?:聊天)?记录(?:都)?(?:删|清)(?:了|掉)(?:没|吗|么|没有)", r"(?:每天|每次|以后)都(?:要|得)?(?:删|清)"),
    rule("secrecy", 0.8, "threatens the addressee into silence", r"敢告诉", rf"{NI}就(?:完了|死定了)",
         rf"别想着?(?:告诉|跟)(?:老师|警察|别人|{PARENTS_ZH})", rf"{NI}敢(?:说|讲)(?:出去)?试试",
         r"按我说的(?:做|来|办)(?:就)?(?:没事|不会有事)"),
    rule("secrecy", 0.95, "asks the addressee to hide the contact from their parents",
         rf"(?:别|不要|不能)(?:让|给|被)(?:{NI}(?:的)?)?{PARENTS_ZH}(?:知道|看到|发现|看见|听见|听到)",
         rf"(?:{NI}妈|{NI}爸|家长|爸妈|{NI}家里|家里人|家人)(?:查|看)不到",
         rf"(?:趁|等)(?:{NI})?(?:{PARENTS_ZH})(?:不在|睡着|睡了|出门|上班)",
         rf"{NI}的?\s?(?:{PARENTS_ZH})\s?(?:睡了|睡着了?|不在家?|出门了?)\s?(?:就|以后|之后|再)"),
    rule("secrecy", 0.4, "asks the addressee to lock their door",
         r"(?:把|将)(?:房)?门\s?(?:锁|关|lock)\s?(?:好|上|起来)?", r"(?:锁|lock)\s?(?:好|上)?(?:房)?门"),
    rule("secrecy", 0.85, "assures the addressee their parents will not find out",
         rf"(?:{NI})?(?:妈|爸|爸妈|父母|家长|家里)(?:不会|不可能|永远不会)(?:知道|发现)"),
    rule("secrecy", 0.7, "asks the addressee to come alone",
         rf"(?:{NI})?(?:一个人|自己|单独)(?:过)?来(?:就行|就好|就可以|吧|哦)",
         r"(?:别|不要|不用)带(?:人|朋友|同学|家长|爸妈)"),
    rule("secrecy", 0.85, "wants the parents kept away",
         rf"(?:家长|{PARENTS_ZH}|大人)(?:在|陪|跟着|在场|陪同)(?:的话)?(?:会)?(?:影响|不方便|不好|放不开|紧张)",
         rf"(?:家长|{PARENTS_ZH}|大人)不方便(?:陪同|陪着?|跟着|在场)",
         rf"(?:家长|{PARENTS_ZH}|大人)(?:不用|不必|不需要|没必要)(?:陪|跟着?|来|在场|陪同)",
         rf"有(?:家长|{PARENTS_ZH}|大人)在(?:的话)?(?:孩子|小孩|她|他|{NI})?(?:会)?(?:放不开|紧张|不自然|拍不好)",
         rf"(?:别|不要|不用|不能)(?:带|让|叫)(?:{NI}的?)?(?:家长|{PARENTS_ZH}|大人)(?:来|陪|跟|知道)"),
    rule("secrecy", 0.6, "suggests doing things secretly",
         r"(?:偷偷|悄悄)(?:的|地)?(?:加我|聊|出来|来找我|见面)",
         r"(?<![我他她])(?:偷偷|悄悄)(?:的|地)(?:哦|喔|噢|呀|哈|啦|嘛)?(?=\s*[.,!。，！~]|$)"),
    rule("secrecy", 0.7, "asks whether the parents check the addressee's phone",
         rf"(?:{NI})?(?:{PARENTS_ZH})(?:会|要|经常)?(?:查|看|翻)(?:{NI}的?)?(?:手机|聊天记录|微信|qq)"),
    rule("secrecy", 0.65, "sets the addressee against their parents",
         rf"(?:{NI})?(?:爸妈|父母|家长|{NI}妈|{NI}爸|大人)(?:太|好|真)?(?:不会|不)(?:理解|懂|同意|支持)(?:{NI}|我们)",
         rf"(?:{NI})(?:爸妈|父母|家长)(?:太|好|真)(?:严|烦|过分)"),
)

OFF_PLATFORM_ZH = (
    rule("off_platform", 0.85, "asks to add them on a private app",
         rf"加(?:我|一下|个|下|一个|我的|下我|一下我|我个)?(?:的)?{PLATFORM_ZH}(?!群)",
         r"加(?:我|一下|个|下|一个|我个)?(?:微|薇|威)(?=$|[^一-鿿]|呗|吧|呀|啊|哦|嘛|吗|么|呢|私|聊)"),
    rule("off_platform", 0.85, "asks the addressee to add them, calling themself uncle or big brother",
         r"加(?:叔叔|爷爷|哥哥|姐姐|阿姨|伯伯|大叔)(?:的)?(?:好友|微信|qq|vx|v(?![a-z])|q号|v号)"),
    rule("off_platform", 0.6, "asks the addressee to message them on QQ", r"(?<![a-z])q我(?=\s?[:：]|\s?\d)"),
    rule("off_platform", 0.45, "invites the addressee to add them",
         r"加我(?!们)", r"(?:可以|能|要不要|要不)加(?:你|一下)", r"互加|互关"),
    rule("off_platform", 0.8, "asks for the addressee's contact",
         rf"{NI}(?:的)?{PLATFORM_ZH}(?:号)?(?:是)?(?:多少|是啥|是什么|给我|发我|有吗|有没有|呢)",
         rf"(?:给|发|告诉)我(?:个|一下|下)?{NI}的(?:qq|微信|vx|wx|联系方式|电话|手机号|号码|q号|v号)",
         rf"把(?:{NI}的?)?(?:手机号码?|电话号码?|号码)(?:发|给|私|告诉)(?:我|一下)",
         r"留(?:个|一下|下)(?:qq|微信|vx|wx|联系方式|q号|v号)",
         rf"{NI}有(?:没有)?{PLATFORM_ZH}(?:吗|么|没)", rf"{NI}玩(?:qq|微信|抖音|快手)(?:吗|么|没)"),
    rule("off_platform", 0.5, "invites the addressee to private chat",
         r"私聊我|私我|私信我|私讯我|来私聊|找我私聊|私下(?:聊|联系)", r"\bdm ?我",
         r"私信(?:哥哥|叔叔|姐姐|爷爷|阿姨)"),
    rule("off_platform", 0.6, "proposes a group of just the two of them",
         r"(?:单独|私下|偷偷)(?:建|拉|开)(?:个|一个)?(?:小)?群",
         r"(?:建|拉)(?:个|一个)(?:小)?群[^,.!?。]{0,4}就(?:我们|咱们?)(?:俩|两个)"),
    rule("off_platform", 0.7, "asks the addressee to make a hidden account", r"注册(?:个|一个)?[一-鿿a-z]{0,4}小号",
         r"在上面聊"),
    rule("off_platform", 0.3, "asks the addressee to call or voice chat",
         r"(?:给我|跟我|和我)打(?:个|一个)?(?:电话|语音)", r"(?:来|跟我|和我|找我)连麦"),
    rule("off_platform", 0.4, "mentions private chat", r"私聊|私发|私戳|戳我|滴滴我|dd我|小窗|私你|私讯"),
    rule("off_platform", 0.6, "points the addressee to their profile or private account",
         r"(?:在|看|去|来)我(?:的)?主页", r"主页(?:有|里有)", r"(?:加|发|来)(?:我)?(?:的)?私人(?:微信|号|qq|账号)",
         r"我(?:的)?私人(?:微信|号|qq)"),
    rule("off_platform", 0.85, "asks to continue somewhere private",
         r"换个(?:地方|平台|软件|app)", rf"\bdm ?(?:我|me) ?(?:的)?(?:{PLATFORM_ZH})(?![a-z])",
         rf"(?:去|到|来|上|在|用)(?:{PLATFORM_ZH})(?:上|里)?(?:聊|说|找我|细聊|私聊|语音|视频|开|演|详谈|细说|联系)",
         rf"{PLATFORM_ZH}(?:上|里)(?:聊|说|细聊|详谈)",
         r"(?:我们|咱们|咱俩|我俩|跟你|和你|找你)(?:单独|私下|偷偷)(?:聊|说|联系)",
         r"(?:单独|私下)(?:聊聊|聊)(?:吧|呗|好吗|可以吗)",
         r"这里(?:人多|人太多|不方便|说话不方便|说不方便|不好说)",
         r"群里(?:说话)?不方便"),
    rule("off_platform", 0.8, "shares their own contact",
         rf"我(?:的)?{PLATFORM_ZH}(?:号)?(?:是|:|为)", r"(?:扫|扫一扫)(?:我的)?(?:码|二维码)"),
)

GIFTS_ZH = (
    rule("gifts", 0.85, "offers the addressee gifts or money",
         rf"(?<!不)(?<!没)(?:给|帮|替){NI}(?:发|充|买|送|转|冲|出|包){AMOUNT_ZH}{GIFT_ZH}",
         rf"(?<!不)(?<!没)(?:送|给){NI}{AMOUNT_ZH}{GIFT_ZH}", rf"(?:帮|给){NI}(?:充值|充钱|付钱|买单|出钱)",
         rf"(?:送|给|帮){NI}(?:(?!别|不|没|说)[一-鿿]){{0,5}}?{GIFT_ZH}",
         rf"{GIFT_ZH}(?:先|都|就|免费)?(?:给|送|发){NI}",
         rf"(?:给{NI}|帮{NI})充(?:\d+|[一二两三四五六七八九十百千]+)"),
    rule("gifts", 0.6, "offers everyone who answers gifts",
         rf"(?:一人|每人|每个人|人人)(?:都)?(?:送|发|给){AMOUNT_ZH}{GIFT_ZH}"),
    rule("gifts", 0.6, "asks whether the addressee wants gifts",
         rf"(?:想要|要不要|想不想要)(?:什么|\d+|[一二两三四五六七八九十百千万]+)?(?:个|套|张)?{GIFT_ZH}",
         rf"{NI}?想要(?:什么|啥)(?:我)?(?:都)?(?:给{NI}|送{NI}|买给{NI}|帮{NI}买)",
         rf"喜欢(?:什么|啥)(?:我)?(?:都)?(?:给{NI}|送{NI}|买给{NI}|帮{NI}买)"),
    rule("gifts", 0.8, "offers to transfer money",
         rf"(?:转|打)(?:给)?{NI}(?:\d+|[一二两三四五六七八九十百千万]+)(?:块|元|rmb)", rf"转{NI}\d+",
         rf"(?:给{NI}|发{NI})(?:\d+|[一二两三四五六七八九十百千]+)(?:块|元)",
         rf"给{NI}v(?:\d+|[一二两三四五六七八九十百千]+)"),
    rule("gifts", 0.4, "promises the addressee a surprise or a treat", rf"给{NI}(?:个|一个)?(?:惊喜|好东西)",
         r"免费送|缺钱(?:吗|么|不)"),
    rule("gifts", 0.35, "offers to treat the addressee", rf"(?:我)?请{NI}(?:吃|喝|玩)", rf"(?:带{NI}|陪{NI})(?:买|逛)"),
    rule("gifts", 0.2, "mentions red packets", r"红包"),
)
