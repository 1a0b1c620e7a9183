"""Alembic migrations of minorguard's tables; run them with ``storage.db.migrate(url)``."""
