"""Persistence: sqlmodel tables, migrations and the stores that implement the pipeline's ports."""
