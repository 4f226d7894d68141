"""The users' files and published documents, shared by every front end (no typer, no terminal)."""
