"""The database: tables, migrations, connection handling (SQLite by default, PostgreSQL in production)."""
