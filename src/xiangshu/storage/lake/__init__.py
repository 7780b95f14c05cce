"""The data lake: immutable Parquet versions, validation in DuckDB, a serving store."""
