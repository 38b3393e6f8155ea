"""Codewords and the accusation score.

Each copy gets a fresh random codeword of LENGTH bits (from the operating system's CSPRNG). A site
carries the bit at a position chosen by HMAC-SHA256(negotiation secret, site key), so many sites
repeat each bit and any excerpt carries a sample of the codeword. Tracing counts, per registered
copy, how many observed bits agree with its codeword: an innocent copy agrees with each bit with
probability 1/2, so the one-sided binomial tail gives a p-value; a copy is named with confidence when
that p-value, multiplied by the number of copies compared (Bonferroni), is below SIGNIFICANCE.

These are random binary fingerprinting codes with a binomial accusation score (the unbiased case of
Tardos-style codes). Two colluders who merge their copies sentence by sentence each still agree with
about 3/4 of the observed bits, far above an innocent's 1/2: with enough observed sites (a page or
so) at least one of them is named. Larger coalitions voting bit by bit agree less (3 colluders:
3/4 each under majority vote; c colluders: about 1/2 + 1/sqrt(2 pi c)), so they need longer excerpts.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

LENGTH = 256  # bits per codeword
SIGNIFICANCE = 1e-3


def new_codeword() -> bytes:
    return secrets.token_bytes(LENGTH // 8)


def new_secret() -> str:
    return secrets.token_hex(32)


def position(secret: str, site_key: str) -> int:
    digest = hmac.new(bytes.fromhex(secret), site_key.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") % LENGTH


def bit(codeword: bytes, at: int) -> int:
    return (codeword[at // 8] >> (7 - at % 8)) & 1


def bits_matrix(codewords: Sequence[bytes]) -> np.ndarray:
    """(copies, LENGTH) array of 0/1."""
    raw = np.frombuffer(b"".join(codewords), dtype=np.uint8).reshape(len(codewords), LENGTH // 8)
    return np.unpackbits(raw, axis=1)


@dataclass(frozen=True)
class Accusation:
    index: int  # into the copies compared
    agree: int
    observed: int
    p_value: float  # one-sided binomial tail: P(agree or more | an innocent copy)

    @property
    def share(self) -> float:
        return self.agree / self.observed if self.observed else 0.0


def _log_tail(k: int, n: int) -> float:
    """log P(X >= k) for X ~ Binomial(n, 1/2), computed in log space (no underflow)."""
    if k <= 0:
        return 0.0
    terms = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) for i in range(k, n + 1)]
    top = max(terms)
    return top + math.log(sum(math.exp(t - top) for t in terms)) - n * math.log(2)


def accuse(codewords: np.ndarray, positions: np.ndarray, observed_bits: np.ndarray) -> list[Accusation]:
    """Every copy ranked by agreement with the observations (most agreeing first)."""
    if len(positions) == 0:
        return [Accusation(i, 0, 0, 1.0) for i in range(len(codewords))]
    agree = (codewords[:, positions] == observed_bits[None, :]).sum(axis=1)
    n = len(positions)
    order = np.lexsort((np.arange(len(agree)), -agree))
    cache: dict[int, float] = {}
    ranked = []
    for i in order:
        k = int(agree[i])
        if k not in cache:
            cache[k] = math.exp(_log_tail(k, n))
        ranked.append(Accusation(int(i), k, n, cache[k]))
    return ranked
