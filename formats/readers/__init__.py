"""Readers of the users' files: YAML and JSON documents, spreadsheets, CSV, plans, measurements."""
