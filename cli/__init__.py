"""The `ledger` command: thin typer commands over `projections` and `ledger`."""
