"""Replay: plan state, scoring, rollup, cruscotto, and the use cases that check and append acts."""
