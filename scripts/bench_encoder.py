"""Benchmark the encoder runtimes: build time, import + load time, msgs/s, one-message latency, agreement with torch.

Each runtime is measured in a fresh Python process, so its load time includes its imports and the ONNX runs show
whether torch got imported. Usage (from the repository root)::

    python scripts/bench_encoder.py                       # all runtimes, var/models
    python scripts/bench_encoder.py --build               # first time a forced rebuild (conversion time)
    python scripts/bench_encoder.py --runtimes onnx-int8 --threads 2 --repeats 5
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

EN_MESSAGES = (
    "anyone up for ranked tonight?",
    "lol that was so funny",
    "did you finish the maths homework",
    "the bus was late again this morning",
    "can someone share the slides from class",
    "happy birthday!! have a great day",
    "what time does the match start",
    "I just got a new skin in the game",
    "my mum says dinner is ready brb",
    "this song has been stuck in my head all week",
    "who wants to trade items later",
    "the server is lagging so badly today",
    "good night everyone see you tomorrow",
    "how old are you btw",
    "don't tell anyone about our chat ok",
    "add me on snap, it's easier there",
)
ZH_MESSAGES = (
    "今晚有人一起打排位吗",
    "哈哈哈笑死我了",
    "数学作业你写完了吗",
    "今天早上公交车又晚点了",
    "谁能把上课的课件发一下",
    "生日快乐！祝你天天开心",
    "比赛几点开始啊",
    "我刚抽到一个新皮肤",
    "我妈叫我吃饭了，等会儿回来",
    "这首歌我循环了一整周",
    "有人想晚点换装备吗",
    "服务器今天卡得要命",
    "大家晚安，明天见",
    "你今年多大了",
    "我们聊天的事别告诉别人哦",
    "加我微信吧，那边方便",
)
AGREEMENT_TEXTS = (
    *EN_MESSAGES[:10],
    *ZH_MESSAGES[:10],
    "ｈｏｗ ｏｌｄ ａｒｅ ｙｏｕ？",
    "ＡＤＤ　ＭＥ　ＯＮ　ＱＱ　１２３４５",
    "你好呀～今天过得怎么样😊",
    "good game everyone 🎮🔥",
    "送你一个红包🧧，收下吧",
    "wanna see my new puppy? 🐶🐶",
    "Ｑ Ｑ：九八七六五四三二",
    "周末去图书馆复习吗？📚",
    "   lots   of    spaces   here   ",
    "tab\tseparated\twords",
    "这是一条很长的消息，" * 6,
    "This is a much longer English message that goes on about the weekend plans and the weather. " * 3,
    "mixed 中英文 message 一起 test",
    "!!!???...",
    "1234567890",
    "早上好☀️",
    "see you at the park at 5?",
    "學校今天放假嗎",
    "Ça va? Muy bien, gracias.",
    "👍",
)
THROUGHPUT_MESSAGES = (EN_MESSAGES + ZH_MESSAGES) * 8  # 256 messages, half English, half Chinese


def measure_runtime(model_dir: Path, runtime: str, threads: int, repeats: int, save: Path) -> dict[str, object]:
    """Load one runtime in this process and time it; saves the agreement embeddings to ``save``."""
    started = time.perf_counter()
    from classifiers.encoder import Encoder

    imported = time.perf_counter()
    encoder = Encoder.load(model_dir, runtime=runtime, threads=threads)
    loaded = time.perf_counter()
    encoder.warm()
    rates = []
    for _ in range(repeats):
        begin = time.perf_counter()
        encoder.embed(THROUGHPUT_MESSAGES, batch_size=64)
        rates.append(len(THROUGHPUT_MESSAGES) / (time.perf_counter() - begin))
    latencies = []
    for index in range(60):
        begin = time.perf_counter()
        encoder.embed([THROUGHPUT_MESSAGES[index % len(THROUGHPUT_MESSAGES)]])
        latencies.append((time.perf_counter() - begin) * 1000)
    np.save(save, encoder.embed(AGREEMENT_TEXTS))
    return {
        "runtime": runtime,
        "version": encoder.version,
        "import_s": imported - started,
        "load_s": loaded - imported,
        "msgs_per_s": rates,
        "latency_ms": statistics.median(latencies),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch_imported": "torch" in sys.modules,
    }


def run_child(model_dir: Path, runtime: str, threads: int, repeats: int, save: Path) -> dict[str, object]:
    """Run :func:`measure_runtime` in a fresh interpreter and return its JSON result."""
    command = [sys.executable, __file__, "--child", runtime, "--model-dir", str(model_dir)]
    command += ["--threads", str(threads), "--repeats", str(repeats), "--save", str(save)]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def report(results: list[dict[str, object]], embeddings: dict[str, np.ndarray]) -> None:
    """Print one line per runtime, then each runtime's cosine agreement with torch."""
    header = ("runtime", "import s", "load s", "msgs/s (median, min-max)", "1 msg ms", "RSS MB")
    print("{:<10} {:>8} {:>7} {:>26} {:>9} {:>7}".format(*header))
    for result in results:
        rates = result["msgs_per_s"]
        spread = f"{statistics.median(rates):.0f} ({min(rates):.0f}-{max(rates):.0f})"
        print(
            f"{result['runtime']:<10} {result['import_s']:>8.2f} {result['load_s']:>7.2f} {spread:>26} "
            f"{result['latency_ms']:>9.1f} {result['rss_mb']:>7.0f}  torch imported: {result['torch_imported']}"
        )
    if "torch" not in embeddings:
        return
    for runtime, vectors in embeddings.items():
        if runtime == "torch":
            continue
        cosines = (vectors * embeddings["torch"]).sum(axis=1)
        nearest = _nearest_agreement(vectors, embeddings["torch"])
        print(
            f"{runtime} vs torch on {len(cosines)} texts: cosine mean {cosines.mean():.4f}, min {cosines.min():.4f}; "
            f"same nearest neighbour {nearest:.0%}"
        )


def _nearest_agreement(vectors: np.ndarray, reference: np.ndarray) -> float:
    """Share of texts whose nearest other text is the same under both embeddings."""
    mine, theirs = vectors @ vectors.T, reference @ reference.T
    np.fill_diagonal(mine, -2.0)
    np.fill_diagonal(theirs, -2.0)
    return float((mine.argmax(axis=1) == theirs.argmax(axis=1)).mean())


def main() -> None:
    """Parse the command line and run the benchmark (or one child measurement)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, default=Path("var/models"))
    parser.add_argument("--runtimes", nargs="+", default=["onnx-int8", "onnx", "torch"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5, help="passes over the 256 messages")
    parser.add_argument("--build", action="store_true", help="force a rebuild first and time it")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--save", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_runtime(args.model_dir, args.child, args.threads, args.repeats, args.save)))
        return
    if args.build:
        from classifiers.encoder_build import build_encoder

        started = time.perf_counter()
        build_encoder(args.model_dir, force=True)
        print(f"build: {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as scratch:
        results, embeddings = [], {}
        for runtime in args.runtimes:
            save = Path(scratch, f"{runtime}.npy")
            results.append(run_child(args.model_dir, runtime, args.threads, args.repeats, save))
            embeddings[runtime] = np.load(save)
    report(results, embeddings)


if __name__ == "__main__":
    main()
