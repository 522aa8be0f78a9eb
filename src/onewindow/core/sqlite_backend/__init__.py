"""SQLite with one write lock per process and database: writers queue on it instead of in SQLite's busy handler."""
