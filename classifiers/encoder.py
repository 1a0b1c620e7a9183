"""Sentence embeddings from the local multilingual-e5-small build, batched and offline.

The folder is written once by :func:`classifiers.encoder_build.build_encoder` (``python bot.py setup-model``).
Three runtimes read it: ``onnx-int8`` (default, fastest), ``onnx`` (fp32) and ``torch`` (the Hugging Face folder).
The int8 graph quantises activations per token row, not per batch, so a text's embedding does not depend on the
other texts it is embedded with (see :func:`classifiers.int8_graph.quantize_int8`).
The ONNX runtimes need only ``tokenizers`` and ``onnxruntime``, so a bot that uses them never imports torch.
Every input is prefixed with ``"query: "`` as e5 expects; the result is one unit vector of 384 floats per text.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
from tokenizers import Tokenizer

QUERY_PREFIX = "query: "
SETUP_COMMAND = "python bot.py setup-model"
MANIFEST_NAME = "manifest.json"
HF_SUBDIR = "hf"
TOKENIZER_PATH = "hf/tokenizer.json"
ONNX_FP32_PATH = "onnx/model.onnx"
ONNX_INT8_PATH = "onnx/model.int8.onnx"
HF_MODEL_FILES = ("hf/config.json", "hf/model.safetensors", TOKENIZER_PATH)
BUILD_FILES = (*HF_MODEL_FILES, ONNX_FP32_PATH, ONNX_INT8_PATH)
RUNTIME_FILES = MappingProxyType(
    {
        "onnx-int8": (TOKENIZER_PATH, ONNX_INT8_PATH),
        "onnx": (TOKENIZER_PATH, ONNX_FP32_PATH),
        "torch": HF_MODEL_FILES,
    }
)
RUNTIMES = tuple(RUNTIME_FILES)

# The batch planner's cost model for the int8 graph, fitted with `python scripts/bench_detector.py costs` on the
# project's 2-core AVX2 machine: one session run costs about as much as 55 tokens of work, and attention makes a
# token dearer by about 1/700 for every token of width. The per-row graph (converter 2) costs the same per token as
# the per-tensor one it replaced but about 1 ms more per run (its quantisers are more nodes): fitted side by side at
# load 1.7, 67 tokens against 52 for the old graph, so the old graph's quiet-machine 40 (36-43) becomes about 52;
# calls of 64 chat messages ran 2.6 % faster with 55 than with 40 and 0.7 % faster still with 70. The attention term
# fitted 780-2300 for either graph under that load, no clear change, so the quiet-machine 700 stays.
RUN_COST_TOKENS = 55.0
ATTENTION_WIDTH = 700.0

BatchRunner = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""Maps (input_ids, attention_mask), both int64 (batch, sequence), to float32 (batch, dim) unit vectors."""


def _check_runtime(runtime: str) -> None:
    """Raise ValueError unless ``runtime`` is one of :data:`RUNTIMES`."""
    if runtime not in RUNTIME_FILES:
        raise ValueError(f"unknown encoder runtime {runtime!r}; choose one of {', '.join(RUNTIMES)}")


def read_manifest(model_dir: Path) -> dict[str, Any] | None:
    """The build's ``manifest.json`` as a dict, or None when it is missing."""
    path = model_dir / MANIFEST_NAME
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def encoder_files_present(model_dir: Path, runtime: str) -> bool:
    """True when ``model_dir`` holds a finished build (manifest) with the files ``runtime`` reads.

    Raises:
        ValueError: for an unknown runtime.
    """
    _check_runtime(runtime)
    required = (MANIFEST_NAME, *RUNTIME_FILES[runtime])
    return all((model_dir / name).is_file() for name in required)


def _onnx_runner(model_path: Path, threads: int) -> BatchRunner:
    """An onnxruntime CPU session over the exported graph, limited to ``threads`` threads."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    # Idle worker threads sleep instead of spinning, leaving the few cores to the event loop between batches.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])

    def run(input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": input_ids, "attention_mask": attention_mask}
        return session.run(["sentence_embedding"], feeds)[0]

    return run


@contextmanager
def offline_transformers() -> Iterator[None]:
    """Keep transformers offline and hide its own tqdm bars (loading and saving weights) for the duration.

    The offline variables are set before transformers is first imported, which is when the hub reads them.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as transformers_logging

    bars_were_enabled = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if bars_were_enabled:
            transformers_logging.enable_progress_bar()


def _torch_runner(hf_dir: Path, threads: int) -> BatchRunner:
    """The Hugging Face folder run by torch: mean pooling over the mask and L2 norm, as in the ONNX graph."""
    import torch

    with offline_transformers():
        from transformers import BertModel

        bert = BertModel.from_pretrained(str(hf_dir), local_files_only=True).eval()
    torch.set_num_threads(threads)

    def run(input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            mask = torch.from_numpy(attention_mask)
            hidden = bert(input_ids=torch.from_numpy(input_ids), attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp_min(1.0)
            return torch.nn.functional.normalize(pooled, dim=-1).numpy()

    return run


def length_batches(lengths: Sequence[int], batch_size: int) -> list[tuple[int, int]]:
    """Cut ascending token lengths into consecutive batches of at most ``batch_size`` rows, planned for the least work.

    A batch is padded to its longest row, so one batch of mixed lengths wastes work on padding while many small
    batches pay the per-run cost again and again. The plan minimises, by dynamic programming, the estimated cost
    ``RUN_COST_TOKENS + rows * width * (1 + width / ATTENTION_WIDTH)`` summed over the batches.

    Args:
        lengths: token counts in ascending order.
        batch_size: the most rows in one batch (at least 1).

    Returns:
        ``(start, end)`` index pairs into ``lengths`` that cover it in order.
    """
    widths = np.asarray(lengths, dtype=np.float64)
    row_cost = widths * (1.0 + widths / ATTENTION_WIDTH)
    best = np.zeros(len(widths) + 1)
    first_row = np.zeros(len(widths) + 1, dtype=np.int64)
    for end in range(1, len(widths) + 1):
        starts = np.arange(max(0, end - batch_size), end)
        costs = best[starts] + RUN_COST_TOKENS + (end - starts) * row_cost[end - 1]
        pick = int(np.argmin(costs))
        best[end], first_row[end] = costs[pick], starts[pick]
    bounds: list[tuple[int, int]] = []
    end = len(widths)
    while end > 0:
        bounds.append((int(first_row[end]), end))
        end = bounds[-1][0]
    return bounds[::-1]


class Encoder:
    """Batched e5 sentence embeddings: texts in, an (n, 384) float32 array of unit vectors out, in input order.

    Attributes:
        runtime: "onnx-int8", "onnx" or "torch".
        version: runtime, the SHA-256 prefix of the source weights and the build's converter version, e.g.
            ``"onnx-int8:1571fc982750:converter-2"``; trained heads store it and refuse embeddings from another
            encoder.
        cache_key: the version and a digest of the built files the runtime reads (as the build's manifest records
            them); the training embedding cache is keyed by it, so no cached embedding outlives a graph whose bytes
            changed, even where a converter change forgot to bump the converter version.
        dim: embedding size (384).
        max_length: longest input in tokens, the special tokens included; longer inputs are truncated.
    """

    def __init__(
        self,
        tokenizer: Tokenizer,
        runner: BatchRunner,
        *,
        runtime: str,
        version: str,
        dim: int,
        max_length: int,
        files_digest: str,
    ) -> None:
        pad_id = tokenizer.token_to_id("<pad>")
        if pad_id is None:
            raise ValueError("the encoder's tokenizer has no <pad> token")
        self._tokenizer = tokenizer
        self._runner = runner
        self._pad_id = pad_id
        self.runtime = runtime
        self.version = version
        self.cache_key = f"{version}:{files_digest}"
        self.dim = dim
        self.max_length = max_length

    @classmethod
    def load(cls, model_dir: Path, runtime: str = "onnx-int8", threads: int = 2, max_length: int = 128) -> Encoder:
        """Load a build from ``model_dir`` for one runtime, offline.

        Raises:
            ValueError: for an unknown runtime, ``threads`` < 1 or ``max_length`` outside 8..the model's limit.
            FileNotFoundError: when the build is missing or incomplete; the message names the setup command.
        """
        _check_runtime(runtime)
        manifest = read_manifest(model_dir)
        if manifest is None or not encoder_files_present(model_dir, runtime):
            raise FileNotFoundError(
                f"encoder files for runtime {runtime!r} are missing in {model_dir}; build them with: {SETUP_COMMAND}"
            )
        limit = int(manifest["model"]["max_positions"])
        if threads < 1 or not 8 <= max_length <= limit:
            raise ValueError(f"need threads >= 1 and 8 <= max_length <= {limit}, got {threads} and {max_length}")
        tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_PATH))
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length)
        if runtime == "torch":
            runner = _torch_runner(model_dir / HF_SUBDIR, threads)
        else:
            runner = _onnx_runner(model_dir / RUNTIME_FILES[runtime][-1], threads)
        version = f"{runtime}:{manifest['source']['sha256'][:12]}:converter-{manifest['converter_version']}"
        dim = int(manifest["model"]["dim"])
        recorded = manifest.get("files", {})
        files = "".join(f"{name}={recorded.get(name, '')};" for name in RUNTIME_FILES[runtime])
        digest = hashlib.sha256(files.encode()).hexdigest()[:12]
        return cls(
            tokenizer,
            runner,
            runtime=runtime,
            version=version,
            dim=dim,
            max_length=max_length,
            files_digest=digest,
        )

    def _padded(self, sequences: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Right-pad token id sequences to the longest one; returns (input_ids, attention_mask) as int64."""
        width = max(len(ids) for ids in sequences)
        input_ids = np.full((len(sequences), width), self._pad_id, dtype=np.int64)
        attention_mask = np.zeros((len(sequences), width), dtype=np.int64)
        for row, ids in enumerate(sequences):
            input_ids[row, : len(ids)] = ids
            attention_mask[row, : len(ids)] = 1
        return input_ids, attention_mask

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``; always returns a float32 array of shape (len(texts), dim), rows in input order.

        A text that occurs more than once is run once. Texts are sorted by token length and cut into the batches
        :func:`length_batches` plans, so that little of each batch is padding.

        Raises:
            TypeError: when given one string instead of a sequence of strings.
            ValueError: when ``batch_size`` < 1.
        """
        if isinstance(texts, str):
            raise TypeError("embed takes a sequence of texts, not a single string")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        unique = list(dict.fromkeys(texts))
        embeddings = self._embed_distinct(unique, batch_size)
        if len(unique) == len(texts):
            return embeddings
        row_of = {text: row for row, text in enumerate(unique)}
        return embeddings[[row_of[text] for text in texts]]

    def _embed_distinct(self, texts: Sequence[str], batch_size: int) -> np.ndarray:
        """Embeddings of distinct texts, run in length-sorted batches of at most ``batch_size`` rows."""
        embeddings = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return embeddings
        token_ids = [encoding.ids for encoding in self._tokenizer.encode_batch([QUERY_PREFIX + t for t in texts])]
        by_length = sorted(range(len(texts)), key=lambda index: len(token_ids[index]))
        for start, end in length_batches([len(token_ids[row]) for row in by_length], batch_size):
            rows = by_length[start:end]
            input_ids, attention_mask = self._padded([token_ids[row] for row in rows])
            embeddings[rows] = self._runner(input_ids, attention_mask)
        return embeddings

    def warm(self) -> None:
        """Run one tiny batch so that the first real batch does not pay for lazy initialisation."""
        self.embed(["warm-up", "预热"])
