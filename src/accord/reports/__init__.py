"""Views of a negotiation for people and machines (no I/O here)."""
