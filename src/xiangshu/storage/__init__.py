"""Storage behind small interfaces: the metadata store (SQLAlchemy on SQLite or
PostgreSQL), and later the data lake, serving store, search index and blobs."""
