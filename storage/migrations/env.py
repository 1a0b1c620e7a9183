"""Alembic environment: migrates over the connection that ``storage.db.migrate`` hands over.

There is no alembic.ini and no URL here: the caller opens the connection (and its transaction) and puts it
in ``config.attributes["connection"]``, so migrations run the same from a checkout or an installed package.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.db import table_metadata


def run_migrations(connection: Connection) -> None:
    """Run the pending migrations on the given connection."""
    context.configure(
        connection=connection,
        target_metadata=table_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Alembic's entry point; only online migrations over a shared connection are supported."""
    connection = context.config.attributes.get("connection")
    if connection is None or context.is_offline_mode():
        raise RuntimeError("run minorguard's migrations with storage.db.migrate(url)")
    run_migrations(connection)


main()
