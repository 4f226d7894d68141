"""The OIV's console: a read-only web view of the ledger (pages, downloads, JSON API)."""
