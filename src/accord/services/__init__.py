"""Use cases: each reads its input, calls the capabilities, and returns plain results."""
