"""Running the encoder over many texts once, with a progress bar and an on-disk cache.

The cache (``.npz`` of plain arrays, keyed by the encoder's cache key, which names its version and the built files
it runs, and by each text's SHA-256) only saves time when training and evaluation run one after the other; deleting
it changes nothing but the running time. It is written whole to a temporary file and then renamed, so that a second
process reading it (an evaluation beside a training run) never sees half a file; a file that cannot be read is
reported and computed afresh.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

CHUNK = 512
log = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _read_cache(cache_path: Path) -> dict[str, np.ndarray]:
    """The cached embeddings by text key; none when the file is missing or cannot be read."""
    if not cache_path.exists():
        return {}
    try:
        with np.load(cache_path, allow_pickle=False) as stored:
            return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        log.warning("embedding cache %s cannot be read (%s); computing its embeddings afresh", cache_path, error)
        return {}


def embed_all(
    texts: Sequence[str],
    embed: Callable[[Sequence[str]], np.ndarray],
    cache_key: str,
    cache_dir: Path | None,
    label: str,
) -> np.ndarray:
    """Embeddings of ``texts`` (rows in order), computing only those missing from the cache."""
    cache_path = cache_dir / f"embeddings-{cache_key.replace(':', '-')}.npz" if cache_dir else None
    known = _read_cache(cache_path) if cache_path is not None else {}
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
        partial = cache_path.with_name(f"{cache_path.stem}.{os.getpid()}.partial.npz")
        np.savez(partial, keys=np.asarray(ordered), vectors=np.vstack([known[key] for key in ordered]))
        partial.replace(cache_path)
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.vstack([known[key] for key in keys]).astype(np.float32)
