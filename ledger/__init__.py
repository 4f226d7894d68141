"""The store: one append-only, hash-chained `events` table on SQLite or PostgreSQL."""
