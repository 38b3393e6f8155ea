"""Analyses that read a compiled problem and explain it in the negotiators' terms (no I/O, no solver)."""
