"""The central database: one schema (SQLAlchemy Core) for SQLite and PostgreSQL, opened from a path or URL."""
