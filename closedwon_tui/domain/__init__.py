"""Plain data and pure rules: no Textual, no SQLAlchemy."""
