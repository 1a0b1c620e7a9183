"""Throughput of ``bot.py score`` on N messages replayed from the team's own development conversations.

Usage: .venv/bin/python scripts/bench_score.py [--messages 100000] [--encoder/--no-encoder]

Each copy of a conversation gets its own chat id, so conversation state builds as in a real export.
Prints messages/s for the whole command (start-up and model load included), checks one decision per line and
prints the load average before and after. The command's progress bar stays on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "classifiers" / "training" / "corpus" / "dev.jsonl"


def write_input(path: Path, total: int) -> None:
    """Write ``total`` message lines, cycling through the development conversations."""
    conversations = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    written, copy = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < total:
            for case in conversations:
                chat = f"{case['id']}-{copy}"
                for index, message in enumerate(case["messages"]):
                    if written == total:
                        return
                    to = message.get("to")
                    row = {
                        "chat_id": chat,
                        "message_id": str(index),
                        "sender_id": f"{chat}:{message['sender']}",
                        "text": message["text"],
                        "reply_to_user_id": f"{chat}:{to}" if to else None,
                    }
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    written += 1
            copy += 1


def main() -> int:
    """Build the input, time the replay, print the figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--encoder", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source, decisions = Path(folder) / "messages.jsonl", Path(folder) / "decisions.jsonl"
        write_input(source, args.messages)
        env = os.environ | {"MINORGUARD_CLASSIFIER__USE_ENCODER": str(args.encoder).lower()}
        load_before = [round(load, 2) for load in os.getloadavg()]
        started = time.perf_counter()
        with decisions.open("w", encoding="utf-8") as out:
            command = [sys.executable, "bot.py", "score", "--input", str(source)]
            result = subprocess.run(command, cwd=ROOT, env=env, stdout=out, check=False)
        elapsed = time.perf_counter() - started
        with decisions.open("rb") as written:
            lines = sum(1 for _ in written)
    if result.returncode != 0 or lines != args.messages:
        print(f"bot.py score failed: exit {result.returncode}, {lines} of {args.messages} lines", file=sys.stderr)
        return 1
    mode = "encoder" if args.encoder else "rules only"
    print(f"bot.py score ({mode}): {args.messages} messages in {elapsed:.1f} s = {args.messages / elapsed:.0f} msg/s")
    print(f"load average (1/5/15 min) before: {load_before}, after: {[round(load, 2) for load in os.getloadavg()]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
