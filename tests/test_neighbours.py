"""The neighbour memory: votes of the nearest labelled corpus messages, read from a float16 store."""

from __future__ import annotations

import numpy as np

from classifiers.neighbours import Neighbours


def unit_rows(count: int, dim: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(count, dim))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def reference_votes(memory: Neighbours, queries: np.ndarray) -> np.ndarray:
    """The vote written out plainly, one query at a time, from the stored float16 vectors."""
    votes = []
    for query in queries.astype(np.float32):
        sims = memory.vectors.astype(np.float32) @ query
        nearest = np.argsort(-sims, kind="stable")[: memory.k]
        weights = np.exp(memory.sharpness * (sims[nearest].astype(np.float64) - sims[nearest].max()))
        votes.append((weights / weights.sum()) @ memory.labels[nearest].astype(np.float64))
    return np.array(votes)


def test_neighbours_read_matches_the_plain_vote_over_float16_vectors() -> None:
    vectors = unit_rows(300, 16, seed=1).astype(np.float16)
    labels = (np.random.default_rng(2).random((300, 9)) > 0.7).astype(np.uint8)
    memory = Neighbours(vectors, labels, k=5, sharpness=20.0)
    queries = unit_rows(40, 16, seed=3)
    np.testing.assert_allclose(memory.read(queries), reference_votes(memory, queries), atol=1e-6)


def test_neighbours_read_an_exact_memory_row_votes_its_labels() -> None:
    vectors = np.eye(4, dtype=np.float16)
    labels = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], dtype=np.uint8)
    memory = Neighbours(vectors, labels, k=1)
    np.testing.assert_array_equal(memory.read(np.eye(4, dtype=np.float32)[[2, 0]]), [[1.0, 1.0], [1.0, 0.0]])


def test_neighbours_read_never_counts_a_query_own_group() -> None:
    vectors = np.eye(3, dtype=np.float16)
    labels = np.array([[1], [0], [0]], dtype=np.uint8)
    memory = Neighbours(vectors, labels, k=1)
    query = np.array([[1.0, 0.2, 0.0]], dtype=np.float32)
    assert memory.read(query)[0, 0] == 1.0
    assert memory.read(query, query_groups=np.array([7]), index_groups=np.array([7, 8, 9]))[0, 0] == 0.0


def test_neighbours_read_of_an_empty_memory_is_all_zero() -> None:
    memory = Neighbours(np.zeros((0, 8), dtype=np.float16), np.zeros((0, 3), dtype=np.uint8))
    assert memory.read(unit_rows(2, 8, seed=4)).tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
