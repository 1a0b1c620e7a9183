"""Detector throughput: ``Scorer.analyze`` + ``combine`` on short group-chat messages, the encoder alone, a profile.

The messages are written here for the benchmark (English, Chinese and mixed, mostly everyday chat with some
grooming-like and obfuscated lines so that the rule tables and the normaliser do real work); each is made distinct
by a short tail, so no per-text cache can flatter the figures. Every measure prints the load average beside it.
Usage (from the repository root)::

    python scripts/bench_detector.py full --batches 64 500          # analyze + combine, msgs/s
    python scripts/bench_detector.py parts                          # rules / encoder / heads separately
    python scripts/bench_detector.py encoder --runtimes onnx-int8 onnx
    python scripts/bench_detector.py profile --batches 500          # cProfile of analyze, top functions
    python scripts/bench_detector.py costs --repeats 5              # fit the encoder batch planner's costs
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

EN_LINES = (
    "anyone on tonight? need two more for squad",
    "lmao that clip is so cursed",
    "did the teacher say the quiz is friday or monday",
    "bus was 20 mins late again, so done with this route",
    "can someone send the notes from chem",
    "happy bday!!! hope u get loads of cake",
    "what time is the stream starting",
    "just pulled a legendary on my first try",
    "brb mum is calling me for dinner",
    "this song has been on repeat all week",
    "anyone wanna trade a dragon pet for my unicorn",
    "server lag is unreal today",
    "gn everyone see u tmrw",
    "that boss fight took me like 3 hours",
    "who's going to the match on saturday",
    "my cat just knocked my drink over lol",
    "is the new update out yet",
    "ngl the ending of that show was mid",
    "i got a B on the essay finally",
    "we need a name for the group project",
    "does anyone know a good laptop under 500",
    "pizza or burgers for the party?",
    "my little brother broke my headset again",
    "the wifi at school is so slow",
    "congrats on making the team!!",
    "whos hosting the minecraft server this time",
    "rain cancelled practice again",
    "anyone seen my charger i left it in the library",
    "omg the new skin looks so good",
    "pls dont spoil the episode i havent watched it",
    "can we move the call to 7",
    "i think the shop closes at 6 on sundays",
    "lol my dad tried to use tiktok",
    "the trailer dropped!! 10/10",
    "i'm so tired i slept through my alarm",
    "are we doing secret santa this year",
    "how do you beat level 12 i keep dying",
    "my grandma made dumplings for everyone",
    "the library has free printing now",
    "who took the last slice",
    "that's the third time the game crashed today",
    "check the pinned message for the rules",
    "reminder: field trip forms due thursday",
    "welcome to the group! introduce yourself",
    "does anyone have the link to the form",
    "our coach wants everyone there by 8:30",
    "i'm selling my old bike if anyone wants it",
    "traffic on the highway is insane right now",
    "the concert was amazing, my ears are still ringing",
    "who wants to study together at the cafe",
    "how old are you btw",
    "you're really mature for your age, you know that?",
    "don't tell anyone about our chats ok, it's just between us",
    "add me on snap it's easier to talk there",
    "i can buy you the battle pass if you want",
    "send me a pic of what you're wearing",
    "we should meet up at the mall, i'll pick you up",
    "are your parents home right now?",
    "which school do you go to?",
    "you're so pretty, way prettier than girls your age",
    "my snap is j.r.o.c.k.s 99, add me",
    "delete our messages after you read them",
    "i'll pay you 50 bucks to model some clothes for my page",
    "wanna earn easy money just chatting with people",
    "hmu on discord i'll send you free robux",
    "you can trust me more than your parents",
    "your parents don't understand you like i do",
    "is anyone home with you tonight",
    "do you have a webcam",
    "PSA: someone here asked my kid for her snapchat, please report them",
    "parents, watch for adults asking kids to keep secrets",
    "news: man arrested for messaging minors on a game app",
    "coach here: practice moved to the north field, parents pick up at 6",
    "shop's open again, add our whatsapp for orders",
    "selling rare items, dm me for prices",
    "i'm 13 and i have homework all weekend",
    "my mom takes my phone at 9 so bye",
    "i'm a nurse, night shifts are killing me",
    "my kids are finally asleep, time for coffee",
    "ｈｅｙ ｗｈａｔ's ｕｐ",
    "s.n.a.p me l8r",
    "u r s0 cute",
    "let's go to the beach this summer",
    "the exam results come out next week",
    "does anyone know how to fix a bike chain",
    "new phone who dis",
    "lol same",
    "ok",
    "thanks!!",
    "good morning ☀️",
    "🔥🔥🔥",
    "gg",
    "wait what happened",
    "i'll be late, save me a seat",
    "is it just me or is the app down",
    "the quiz answers are in the doc",
    "we won 3-1!!!",
    "that's so unfair",
    "see you at the park at 5?",
)
ZH_LINES = (
    "今晚有人一起打排位吗",
    "哈哈哈笑死我了",
    "数学作业你写完了吗",
    "今天早上公交车又晚点了",
    "谁能把课件发一下",
    "生日快乐！天天开心",
    "比赛几点开始啊",
    "我刚抽到一个新皮肤",
    "我妈叫我吃饭了，等会儿回来",
    "这首歌我循环了一整周",
    "有人想晚点换装备吗",
    "服务器今天卡死了",
    "大家晚安，明天见",
    "这个副本太难了吧",
    "周末有人去看电影吗",
    "我家猫又把杯子打翻了",
    "新版本更新了没",
    "这部剧结局好烂",
    "作文终于拿了个B",
    "小组作业叫什么名字好",
    "有没有推荐的平价耳机",
    "聚会吃火锅还是烧烤",
    "我弟又把我耳机弄坏了",
    "学校的网太慢了",
    "恭喜你进校队了！",
    "谁来开服务器",
    "下雨了，训练又取消了",
    "有人看到我的充电器吗，落在图书馆了",
    "这个新皮肤太好看了",
    "别剧透啊我还没看",
    "电话改到七点吧",
    "那家店周日六点关门",
    "我爸学会刷抖音了哈哈",
    "预告片出来了！！",
    "困死了，闹钟都没听到",
    "今年还玩秘密圣诞老人吗",
    "第十二关怎么过啊",
    "奶奶包了饺子给大家",
    "图书馆现在可以免费打印了",
    "最后一块谁吃了",
    "游戏今天第三次闪退了",
    "看一下置顶的群规",
    "提醒：春游回执周四交",
    "欢迎新朋友！来自我介绍一下",
    "有表格链接吗",
    "教练说八点半集合",
    "出一辆旧自行车，有人要吗",
    "高速堵死了",
    "演唱会太棒了，耳朵还在响",
    "有人一起去咖啡店自习吗",
    "你今年多大了",
    "你比同龄人成熟多了",
    "我们聊天的事别告诉别人哦",
    "加我微信吧，那边方便",
    "我给你充个会员吧",
    "拍张照片给我看看你穿的什么",
    "周末出来见个面，我去学校门口接你",
    "你爸妈现在在家吗",
    "你在哪个学校读书呀",
    "你好漂亮，比你同学都好看",
    "加我扣扣 一三八五六七八九",
    "聊完记得把记录删了",
    "帮我拍几张衣服的照片，给你五十块",
    "想不想赚零花钱，陪人聊天就行",
    "加我vx送你皮肤",
    "你可以相信我，比你爸妈还懂你",
    "你爸妈根本不理解你",
    "今晚家里就你一个人吗",
    "你有摄像头吗",
    "提醒各位家长：有人私信孩子要微信，已举报",
    "家长们注意，陌生人让孩子保密要警惕",
    "新闻：男子在游戏里诱骗未成年人被抓",
    "教练通知：训练改到北场，家长六点来接",
    "小店恢复营业，订货加微信",
    "出稀有道具，私聊报价",
    "我初二，周末作业好多",
    "我妈九点收手机，先走了",
    "我是护士，夜班太累了",
    "孩子终于睡了，喝杯咖啡",
    "＋薇：ｌｏｖｅ８８６６",
    "加我企鹅🐧",
    "你 好 可 爱",
    "學校今天放假嗎",
    "暑假去海边吧",
    "下周出成绩",
    "自行车链条掉了怎么修",
    "哈哈哈哈",
    "好的",
    "谢谢！！",
    "早上好☀️",
    "冲冲冲",
    "打得好",
    "发生什么事了",
    "我晚点到，帮我占个座",
)
MIXED_LINES = (
    "今晚 ranked 来不来",
    "这个 boss 太难了 lol",
    "homework 写完了吗",
    "明天 quiz 考什么",
    "我刚抽到 legendary 了",
    "周末一起 minecraft 吗",
    "这个 update 好烂",
    "bus 又晚点了 烦死",
    "谁有 chem 的 notes",
    "happy birthday 生日快乐！",
    "加我 wechat 聊",
    "你多大了 how old r u",
    "add 我 qq 吧",
    "别告诉你爸妈 ok?",
    "send 张照片给我",
    "我们 meet 一下吧",
    "我 13 岁 middle school",
    "my mom 收手机了 bye",
    "这个 skin 好看吗",
    "gg 打得好",
    "今天 wifi 好慢",
    "明天 field trip 别忘了带水",
    "谁来 host 服务器",
    "那个 trailer 看了吗 太燃了",
    "我 bro 又把 headset 弄坏了",
    "coach 说八点集合",
    "这首 song 好上头",
    "group project 叫什么",
    "我 dad 学会用 tiktok 了",
    "最后一块 pizza 谁吃了",
    "给你买 battle pass 好不好",
    "dm 我 有 free robux",
    "你的 snap 是什么",
    "加 v 送皮肤",
    "你好 cute 啊",
    "新闻 says 有人被抓了",
    "提醒 parents 注意陌生人",
    "shop 加 whatsapp 订货",
    "see you 明天",
    "lol 我也是",
)
TAILS = ("", " lol", " 😂", "!!", " haha", " 🙏", " @mia", " 哈哈", " ...", " 👀", " tbh", " ?", " 😅", " 呢", " rn")

MODEL_DIR = Path("var/models")


def chat_messages(count: int) -> list[str]:
    """``count`` distinct messages: the lines above interleaved by language, each with its own tail."""
    lines = [line for group in itertools.zip_longest(EN_LINES, ZH_LINES, MIXED_LINES) for line in group if line]
    pairs = itertools.product(TAILS, lines)
    return [line + tail for tail, line in itertools.islice(pairs, count)]


def load() -> str:
    """The 1-, 5- and 15-minute load averages as text."""
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def rates(work: Callable[[], int], repeats: int) -> list[float]:
    """Items per second of ``repeats`` runs of ``work`` (which returns how many items it did)."""
    found = []
    for _ in range(repeats):
        started = time.perf_counter()
        done = work()
        found.append(done / (time.perf_counter() - started))
    return found


def show(label: str, found: Sequence[float]) -> None:
    """One result line: median, range and the load average now."""
    print(f"{label:<44} {statistics.median(found):7.0f} msgs/s ({min(found):.0f}-{max(found):.0f})  [{load()}]")


def full(args: argparse.Namespace) -> None:
    """``analyze`` + ``combine`` (one fresh context per message) in batches, per batch size."""
    from classifiers.scorer import load_scorer
    from classifiers.types import ConversationContext

    scorer = load_scorer(model_dir=args.model_dir, runtime=args.runtime, threads=args.threads)
    texts = chat_messages(args.messages)
    context = ConversationContext(sender_id="s", target_id="t")
    scorer.analyze(texts[:8])

    for batch in args.batches:

        def work(batch: int = batch) -> int:
            for start in range(0, len(texts), batch):
                for analysis in scorer.analyze(texts[start : start + batch]):
                    scorer.combine(analysis, context)
            return len(texts)

        show(f"full {args.runtime}, batch {batch}, {len(texts)} msgs", rates(work, args.repeats))


def parts(args: argparse.Namespace) -> None:
    """Each part of ``analyze`` on its own, batch by batch: rule signals, encoder, heads (+ neighbours), combine."""
    from classifiers.scorer import load_scorer
    from classifiers.signals import analyze_text
    from classifiers.types import ConversationContext

    scorer = load_scorer(model_dir=args.model_dir, runtime=args.runtime, threads=args.threads)
    part = scorer.learned
    texts = chat_messages(args.messages)
    batch = args.batches[0]
    analyses = [analyze_text(text) for text in texts]
    folded = [analysis.normalized for analysis in analyses]
    embeddings = part.encoder.embed(folded, batch_size=part.batch_size)
    fused = part.heads.fuse(analyses, embeddings)
    context = ConversationContext(sender_id="s", target_id="t")

    def over_batches(step: Callable[[int, int], object]) -> Callable[[], int]:
        def work() -> int:
            for start in range(0, len(texts), batch):
                step(start, start + batch)
            return len(texts)

        return work

    show("rules (analyze_text)", rates(over_batches(lambda a, b: [analyze_text(t) for t in texts[a:b]]), args.repeats))
    encode = over_batches(lambda a, b: part.encoder.embed(folded[a:b], batch_size=part.batch_size))
    show(f"encoder {args.runtime}", rates(encode, args.repeats))
    fuse = over_batches(lambda a, b: part.heads.fuse(analyses[a:b], embeddings[a:b]))
    show("heads + neighbours (fuse)", rates(fuse, args.repeats))
    combine = over_batches(lambda a, b: [scorer.combine(analysis, context) for analysis in fused[a:b]])
    show("combine", rates(combine, args.repeats))


def encoder(args: argparse.Namespace) -> None:
    """The encoder alone on the folded messages, per runtime, in batches of 64."""
    from classifiers.encoder import Encoder
    from classifiers.signals import analyze_text

    folded = [analyze_text(text).normalized for text in chat_messages(args.messages)]
    for runtime in args.runtimes:
        model = Encoder.load(args.model_dir, runtime=runtime, threads=args.threads)
        model.warm()
        show(f"encoder {runtime}, batch 64", rates(lambda model=model: len(model.embed(folded, 64)), args.repeats))


def profile(args: argparse.Namespace) -> None:
    """Profile ``analyze`` over the messages in batches; prints the top functions by own and total time."""
    from classifiers.scorer import load_scorer

    scorer = load_scorer(model_dir=args.model_dir, runtime=args.runtime, threads=args.threads)
    texts = chat_messages(args.messages)
    scorer.analyze(texts[:8])
    print(load())
    profiler = cProfile.Profile()
    profiler.enable()
    for start in range(0, len(texts), args.batches[0]):
        scorer.analyze(texts[start : start + args.batches[0]])
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


def costs(args: argparse.Namespace) -> None:
    """Time single runs of rows x width tokens and fit the batch planner's cost model (``classifiers.encoder``)."""
    import numpy as np
    from tokenizers import Tokenizer

    from classifiers.encoder import QUERY_PREFIX, TOKENIZER_PATH, Encoder

    model = Encoder.load(args.model_dir, runtime=args.runtime, threads=args.threads)
    model.warm()
    tokenizer = Tokenizer.from_file(str(args.model_dir / TOKENIZER_PATH))
    pieces = sorted(piece[1:] for piece in tokenizer.get_vocab() if piece[:1] == "\u2581" and piece[1:].isalpha())
    words = [word for word in pieces if word.isascii() and len(tokenizer.encode(word, add_special_tokens=False)) == 1]
    best: dict[tuple[int, int], float] = {}
    for _ in range(args.repeats):
        for rows in (1, 4, 16, 64):
            for words_per_row in (4, 12, 28, 60):
                texts = [" ".join([words[row]] * words_per_row) for row in range(rows)]
                width = len(tokenizer.encode(QUERY_PREFIX + texts[0]))
                started = time.perf_counter()
                model.embed(texts, batch_size=rows)
                best[rows, width] = min(best.get((rows, width), float("inf")), time.perf_counter() - started)
    shape = np.array(list(best), dtype=float)
    spent = np.array(list(best.values()))
    terms = np.column_stack([np.ones(len(spent)), shape[:, 0] * shape[:, 1], shape[:, 0] * shape[:, 1] ** 2])
    fit, *_ = np.linalg.lstsq(terms / spent[:, None], np.ones_like(spent), rcond=None)
    for (rows, width), seconds in best.items():
        print(
            f"rows {rows:3} width {width:3}: {seconds * 1000:8.2f} ms  {seconds * 1e6 / (rows * width):6.1f} us/token"
        )
    print(f"RUN_COST_TOKENS ~ {fit[0] / fit[1]:.0f}, ATTENTION_WIDTH ~ {fit[1] / fit[2]:.0f}  [{load()}]")


def main() -> None:
    """Parse the command line and run one measure."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("measure", choices=("full", "parts", "encoder", "profile", "costs"))
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--runtime", default="onnx-int8", help="encoder runtime for full, parts and profile")
    parser.add_argument("--runtimes", nargs="+", default=["onnx-int8", "onnx"], help="runtimes for encoder")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--batches", type=int, nargs="+", default=[64, 500])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--top", type=int, default=25, help="functions shown by profile")
    args = parser.parse_args()
    print(f"{args.measure}: {args.messages} messages, {args.threads} threads, {load()}")
    measures = {"full": full, "parts": parts, "encoder": encoder, "profile": profile, "costs": costs}
    measures[args.measure](args)


if __name__ == "__main__":
    main()
