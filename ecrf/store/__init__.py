"""The site database: SQLCipher 4 via SQLAlchemy 2, key slots, Alembic migrations, the audit chain.

Only `ecrf.services` writes through it."""
