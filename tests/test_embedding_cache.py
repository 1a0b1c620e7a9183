"""The training/evaluation embedding cache: computed once, written whole, read back exactly."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from classifiers.training.embedding import embed_all


class CountingEmbedder:
    """A deterministic stand-in for the encoder that records which texts it was asked to embed."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += list(texts)
        return np.asarray([[float(len(text)), float(sum(map(ord, text)) % 97)] for text in texts], dtype=np.float32)


def test_embed_all_computes_each_text_once_and_keeps_input_order(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    first = embed_all(["b", "aa", "b"], embedder, "k:1", tmp_path, "test")
    assert sorted(embedder.seen) == ["aa", "b"]
    again = embed_all(["aa", "b", "ccc"], embedder, "k:1", tmp_path, "test")
    assert sorted(embedder.seen) == ["aa", "b", "ccc"]
    np.testing.assert_array_equal(first[1], again[0])
    np.testing.assert_array_equal(first[0], again[1])
    assert again[2][0] == 3.0


def test_embed_all_leaves_one_whole_cache_file_and_no_partial_ones(tmp_path: Path) -> None:
    embed_all(["one", "two"], CountingEmbedder(), "k:1", tmp_path, "test")
    embed_all(["three"], CountingEmbedder(), "k:1", tmp_path, "test")
    files = sorted(path.name for path in tmp_path.iterdir())
    assert files == ["embeddings-k-1.npz"]
    with np.load(tmp_path / files[0], allow_pickle=False) as stored:
        assert len(stored["keys"]) == 3
        assert stored["vectors"].shape == (3, 2)


def test_embed_all_keys_the_cache_by_encoder(tmp_path: Path) -> None:
    embed_all(["same text"], CountingEmbedder(), "k:1", tmp_path, "test")
    other = CountingEmbedder()
    embed_all(["same text"], other, "k:2", tmp_path, "test")
    assert other.seen == ["same text"]


def test_embed_all_recomputes_an_unreadable_cache_and_replaces_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "embeddings-k-1.npz").write_bytes(b"PK\x03\x04 not a whole archive")
    embedder = CountingEmbedder()
    rows = embed_all(["x", "yy"], embedder, "k:1", tmp_path, "test")
    assert sorted(embedder.seen) == ["x", "yy"]
    assert rows.shape == (2, 2)
    assert "cannot be read" in caplog.text
    again = CountingEmbedder()
    embed_all(["x", "yy"], again, "k:1", tmp_path, "test")
    assert again.seen == []
