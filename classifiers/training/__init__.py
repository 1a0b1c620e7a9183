"""Datasets, training, evaluation and the model card."""
