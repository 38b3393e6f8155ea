"""The seeds that make a sampled result reproducible: whole numbers from 0 to 2^32 - 1, as the CLI's
--seed and the workbench's seed fields take them (NumPy's SeedSequence refuses a negative one)."""

from __future__ import annotations

from accord.errors import DomainError

MAX_SEED = 2**32 - 1


def checked_seed(seed: int) -> int:
    """``seed``, or a DomainError saying what a seed may be."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise DomainError(f"seed: expected a whole number from 0 to {MAX_SEED:,}, got {seed!r}")
    return seed
