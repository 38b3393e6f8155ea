"""Copies, retyping, excerpts, OCR errors and collusion, simulated the same way in tests and bench/."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

from accord.domain import Negotiation
from accord.leaks.codes import LENGTH, bit, new_codeword, new_secret, position
from accord.leaks.document import DraftDocument, as_text, build, render
from accord.leaks.trace import Copy, Trace, trace


@dataclass
class Circulation:
    """One draft handed to ``n`` recipients, each with its own fingerprinted copy."""

    document: DraftDocument
    secret: str
    copies: list[Copy]

    @classmethod
    def of(cls, negotiation: Negotiation, version: int, n: int, seed: int | None = None) -> Circulation:
        """``seed`` makes the codewords and the secret repeatable (tests); None draws them as accord
        does, from the operating system's CSPRNG."""
        document = build(negotiation, negotiation.draft(version))
        if seed is None:
            return cls(
                document,
                new_secret(),
                [Copy(i, version, f"recipient-{i:04d}", new_codeword()) for i in range(n)],
            )
        rng = random.Random(seed)
        draw = lambda size: bytes(rng.getrandbits(8) for _ in range(size))  # noqa: E731
        copies = [Copy(i, version, f"recipient-{i:04d}", draw(LENGTH // 8)) for i in range(n)]
        return cls(document, draw(32).hex(), copies)

    def text(self, copy: Copy, digital: bool = False) -> str:
        rendered = render(
            self.document,
            lambda site: bit(copy.codeword, position(self.secret, site.key)),
            copy.codeword if digital else None,
        )
        return as_text(rendered)

    def original(self) -> str:
        """The draft as written, without any fingerprint."""
        return as_text(render(self.document, lambda site: site.written, None))

    def trace(self, text: str) -> Trace:
        return trace(text, {self.document.version: self.document}, self.copies, self.secret)


def retype(text: str) -> str:
    """What a careful typist keeps: the words and punctuation, not the spacing or the curly quotes."""
    text = "".join(c for c in text if c not in "\u200b\u200c\u2060")
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip()


def excerpt(text: str, words: int, rng: random.Random) -> str:
    tokens = text.split()
    if len(tokens) <= words:
        return " ".join(tokens)
    start = rng.randrange(0, len(tokens) - words)
    return " ".join(tokens[start : start + words])


def garble(text: str, rate: float, rng: random.Random) -> str:
    """OCR-like errors: each character is substituted, dropped or doubled with probability ``rate``."""
    out = []
    for c in text:
        if rng.random() < rate:
            kind = rng.randrange(3)
            if kind == 0:
                out.append(rng.choice(string.ascii_letters))
            elif kind == 2:
                out.append(c + c)
        else:
            out.append(c)
    return "".join(out)


def merge(first: str, second: str, rng: random.Random) -> str:
    """Two copies merged paragraph by paragraph (each point's text is one sentence)."""
    a, b = first.split("\n\n"), second.split("\n\n")
    assert len(a) == len(b)
    return "\n\n".join(x if rng.random() < 0.5 else y for x, y in zip(a, b, strict=True))
