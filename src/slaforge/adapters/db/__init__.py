"""Relational storage: SQLAlchemy models, engine, unit of work, Alembic migrations."""
