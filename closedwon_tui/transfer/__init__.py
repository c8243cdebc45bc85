"""Moving a pipeline in and out: reading other CRMs' export files, closedwon's own export, backup
and calendar formats.

Pure code: it reads and writes text and values, and knows nothing of the database (no SQLAlchemy)
or the screen (no Textual). The services feed it bytes and stages, and write what it returns.
"""
