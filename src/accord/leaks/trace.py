"""Reading a leaked text: which sites show which alternative, which version it is, whose copy it was."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord.leaks.codes import LENGTH, SIGNIFICANCE, accuse, bits_matrix, position
from accord.leaks.document import MARK, ONE, ZERO, ZERO_WIDTH, DraftDocument
from accord.leaks.rules import Rule, Site

CONTEXT = 18  # characters of context on each side of a site (at least)
MINIMUM_SITES = 6  # fewer observed sites than this: never a confident match


@dataclass(frozen=True)
class Copy:
    """A registered copy: who received it, of which version, with which codeword."""

    id: int
    version: int
    recipient: str
    codeword: bytes


@dataclass(frozen=True)
class Suspect:
    copy: Copy
    agree: int
    observed: int
    p_value: float
    confidence: float  # 1 - Bonferroni-adjusted p-value


@dataclass(frozen=True)
class Trace:
    version: int | None
    versions_considered: tuple[int, ...]
    sites_observed: int
    zero_width_bits: int
    suspects: tuple[Suspect, ...]  # ranked, most likely first

    @property
    def named(self) -> Suspect | None:
        """The source, when the evidence is strong enough; None means "no confident match"."""
        if not self.suspects:
            return None
        best = self.suspects[0]
        enough = self.sites_observed + self.zero_width_bits >= MINIMUM_SITES
        return best if enough and best.confidence >= 1 - SIGNIFICANCE else None


def plain_text(text: str) -> str:
    """Markdown and HTML markup out (headings' #, emphasis, tags), entities decoded."""
    if "<" in text and ">" in text:
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = re.sub(r"(?:^|(?<=\s))#+\s", "", text)
    return text.replace("*", "")


def normalise(text: str) -> tuple[str, bool]:
    """Zero-width characters out, straight double quotes, single spaces; also whether curly
    apostrophes survive (a digital copy) or not (retyped: apostrophe sites tell nothing then)."""
    kept = plain_text("".join(c for c in text if c not in ZERO_WIDTH))
    kept = kept.replace("“", '"').replace("”", '"').replace("\u00a0", " ")
    curly = "’" in kept
    return re.sub(r"\s+", " ", kept).strip(), curly


def zero_width_observations(text: str) -> list[tuple[int, int]]:
    """(position, bit) pairs from the zero-width groups still in the text."""
    found = []
    for m in re.finditer(MARK + f"([{ZERO}{ONE}]{{16}})", text):
        bits = "".join("1" if c == ONE else "0" for c in m.group(1))
        byte_at, value = int(bits[:8], 2), int(bits[8:], 2)
        if byte_at * 8 >= LENGTH:
            continue
        for j in range(8):
            found.append((byte_at * 8 + j, (value >> (7 - j)) & 1))
    return found


def _literal(text: str) -> str:
    out = []
    for part in re.split(r"(\s+)", text):
        if not part:
            continue
        if part.isspace():
            out.append(r"\s+")
        else:
            out.append(re.sub("['’]", "['’]", re.escape(part)))
    return "".join(out)


def _either(site: Site) -> str:
    options = sorted(site.alternatives, key=len, reverse=True)
    return "(?:" + "|".join(_literal(o) for o in options) + ")"


Segment = str | Site


def _stream(document: DraftDocument) -> list[Segment]:
    stream: list[Segment] = []
    for block in document.blocks:
        if stream:
            stream.append(" ")
        at = 0
        for site in block.sites:
            stream.append(block.text[at : site.start])
            stream.append(site)
            at = site.end
        stream.append(block.text[at:])
    return [s for s in stream if not (isinstance(s, str) and s == "")]


def _context(stream: list[Segment], index: int, step: int) -> str:
    pieces: list[str] = []
    length = 0
    i = index + step
    while 0 <= i < len(stream) and length < CONTEXT:
        segment = stream[i]
        if isinstance(segment, str):
            take = segment[: CONTEXT - length + 8] if step > 0 else segment[-(CONTEXT - length + 8) :]
            pieces.append(_literal(take))
            length += len(take)
        else:
            pieces.append(_either(segment))
            length += min(len(a) for a in segment.alternatives)
        i += step
    if step < 0:
        pieces.reverse()
    return "".join(pieces)


def observe(document: DraftDocument, text: str, curly: bool) -> list[tuple[Site, int]]:
    """The sites whose alternative can be told in ``text`` (normalised), with the alternative seen."""
    stream = _stream(document)
    seen = []
    for index, segment in enumerate(stream):
        if not isinstance(segment, Site):
            continue
        site = segment
        if site.rule is Rule.APOSTROPHE and not curly:
            continue
        a, b = (_literal(x) for x in site.alternatives)
        first, second = ("b", "a") if len(site.alternatives[1]) >= len(site.alternatives[0]) else ("a", "b")
        options = {"a": a, "b": b}
        target = f"(?:(?P<{first}>{options[first]})|(?P<{second}>{options[second]}))"
        left, right = _context(stream, index, -1), _context(stream, index, +1)
        # both sides of context first; with a typo on one side (retyping, OCR), one side alone; never
        # a side the draft has none of (a site at its very start or end): an alternative that is
        # empty would be "seen" anywhere, in any text at all
        patterns = [f"(?i:{left}){target}(?i:{right})"] if left and right else []
        patterns += [f"(?i:{left}){target}"] if left else []
        patterns += [f"{target}(?i:{right})"] if right else []
        for pattern in patterns:
            found = {0 if m.group("a") is not None else 1 for m in re.finditer(pattern, text)}
            if found:
                if len(found) == 1:
                    seen.append((site, found.pop()))
                break
    return seen


def trace(leaked: str, documents: Mapping[int, DraftDocument], copies: Sequence[Copy], secret: str) -> Trace:
    """Rank the registered copies by how well their codewords explain ``leaked``."""
    zero_width = zero_width_observations(leaked)
    text, curly = normalise(leaked)
    observed = {version: observe(doc, text, curly) for version, doc in documents.items()}
    if not observed:
        return Trace(None, (), 0, len(zero_width), ())
    most = max(len(v) for v in observed.values())
    # an excerpt of points no version changed fits several versions equally: all of them are candidates
    versions = tuple(sorted(v for v, found in observed.items() if len(found) == most))
    version = versions[-1] if most else None
    candidates = [c for c in copies if c.version in versions] if most else list(copies)
    if not candidates:
        return Trace(version, versions, most, len(zero_width), ())
    sites = observed[versions[-1]] if most else []
    # several sites carry the same codeword bit: one vote per position (a majority of what was seen
    # there), so that the agreements of an innocent copy really are independent fair coins
    votes: dict[int, int] = {}
    for at, value in [(position(secret, site.key), alt) for site, alt in sites] + zero_width:
        votes[at] = votes.get(at, 0) + (1 if value else -1)
    decided = {at: int(v > 0) for at, v in votes.items() if v != 0}
    positions = list(decided)
    values = list(decided.values())
    ranked = accuse(
        bits_matrix([c.codeword for c in candidates]), np.array(positions, dtype=np.int64), np.array(values)
    )
    suspects = tuple(
        Suspect(
            candidates[a.index],
            a.agree,
            a.observed,
            a.p_value,
            max(0.0, 1.0 - min(1.0, a.p_value * len(candidates))),
        )
        for a in ranked
    )
    return Trace(version, versions, most, len(zero_width), suspects)
