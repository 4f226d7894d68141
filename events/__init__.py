"""The vocabulary of the ledger: event models, their canonical encoding and their registry.

This package imports nothing else of ours, so that every layer can speak it.
"""
