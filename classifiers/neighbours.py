"""Reading a message by its nearest labelled neighbours in our own corpus (e5 cosine, top-k, softmax-weighted).

The corpus is written with near-miss pairs on purpose (a shop's "add our WeChat" next to a groomer's, a grandmother
asking for a photo next to a stranger), and a neighbour vote keeps such local distinctions that one linear head per
stage smooths away. The stage heads average their reading with this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

CHUNK = 2048


@dataclass(frozen=True)
class Neighbours:
    """A labelled memory of corpus messages.

    Attributes:
        vectors: (n, dim) unit embeddings of the corpus messages (stored as float16).
        labels: (n, stages) 0/1 stage labels of those messages (offender messages carry their stages).
        k: how many neighbours vote.
        sharpness: softmax temperature over cosine similarities (higher = closer neighbours count more).
    """

    vectors: np.ndarray
    labels: np.ndarray
    k: int = 10
    sharpness: float = 20.0
    _index: np.ndarray = field(init=False, repr=False, compare=False)
    _votes: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Convert the stored float16 vectors and 0/1 labels once, not on every read."""
        object.__setattr__(self, "_index", np.ascontiguousarray(self.vectors, dtype=np.float32))
        object.__setattr__(self, "_votes", np.asarray(self.labels, dtype=np.float64))

    def read(
        self, embeddings: np.ndarray, query_groups: np.ndarray | None = None, index_groups: np.ndarray | None = None
    ) -> np.ndarray:
        """(m, stages) neighbour votes; a query never sees index rows of its own group when groups are given."""
        votes = np.zeros((len(embeddings), self.labels.shape[1]))
        if len(embeddings) == 0 or len(self.vectors) == 0:
            return votes
        index = self._index
        k = min(self.k, len(index))
        for start in range(0, len(embeddings), CHUNK):
            sims = np.asarray(embeddings[start : start + CHUNK], dtype=np.float32) @ index.T
            if query_groups is not None and index_groups is not None:
                sims[query_groups[start : start + CHUNK, None] == index_groups[None, :]] = -1.0
            nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            closeness = np.take_along_axis(sims, nearest, axis=1).astype(np.float64)
            weights = np.exp(self.sharpness * (closeness - closeness.max(axis=1, keepdims=True)))
            weights /= weights.sum(axis=1, keepdims=True)
            votes[start : start + CHUNK] = np.einsum("nk,nks->ns", weights, self._votes[nearest])
        return votes
