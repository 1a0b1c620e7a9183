"""Running the encoder over many texts once, with a progress bar and an on-disk cache.

The cache (``.npz`` of plain arrays, keyed by the encoder's cache key, which names its version and the built files
it runs, and by each text's SHA-256) only saves time when training and evaluation run one after the other; deleting
it changes nothing but the running time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

CHUNK = 512


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def embed_all(
    texts: Sequence[str],
    embed: Callable[[Sequence[str]], np.ndarray],
    cache_key: str,
    cache_dir: Path | None,
    label: str,
) -> np.ndarray:
    """Embeddings of ``texts`` (rows in order), computing only those missing from the cache."""
    cache_path = cache_dir / f"embeddings-{cache_key.replace(':', '-')}.npz" if cache_dir else None
    known: dict[str, np.ndarray] = {}
    if cache_path is not None and cache_path.exists():
        with np.load(cache_path, allow_pickle=False) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    keys = [_key(text) for text in texts]
    missing = sorted({key: text for key, text in zip(keys, texts, strict=True) if key not in known}.items())
    with tqdm(total=len(missing), desc=f"encoder: {label}", unit="msg", leave=False) as progress:
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            vectors = embed([text for _, text in chunk])
            known.update({key: vector for (key, _), vector in zip(chunk, vectors, strict=True)})
            progress.update(len(chunk))
    if cache_path is not None and missing:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(known)
        np.savez(cache_path, keys=np.asarray(ordered), vectors=np.vstack([known[key] for key in ordered]))
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([known[key] for key in keys]).astype(np.float32)
