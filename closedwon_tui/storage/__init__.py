"""SQLAlchemy tables, the engine, migrations and repositories."""
