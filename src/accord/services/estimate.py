"""Preferences estimated from the evidence (issue 14), for the command line and the web alike.

The model and the sampler are accord.analysis.estimate (pure); this module chooses the parties, reads
the stored negotiation through the policy, and writes an estimate back as a party's declared one.

- An estimate is the mediator's reading of a party (accord.security.policy, Action.ESTIMATE): no
  party's seat sees one, its own included; a seat that may not is refused before anything is read.
- A scenario FILE is read as it is; with no FILE the stored negotiation is read (its current stances:
  corrected and withdrawn ones are folded out by the storage), with the revision it was read at.
- :func:`adopt` stores the posterior summary (accord.analysis.estimate.as_preferences) as the party's
  new declared estimate with its uncertainty block: one audited write, refused when the record
  changed since the estimate was read (StaleWriteError) or when a posterior failed its diagnostics
  (unless forced). The audit entry names the evidence the estimate rests on, never the numbers, as
  a preference edit never shows the preferences (they are private).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from accord.analysis.estimate import Contradiction, Posterior, as_preferences, estimate
from accord.analysis.estimate import contradictions as contradictions_of
from accord.audit import AuditEntry
from accord.domain import Negotiation, Party, Preferences
from accord.errors import DomainError, NotFoundError
from accord.reports.brief_words import draft_name
from accord.scenario.yaml_format import check_document, to_document
from accord.security.policy import Action, Viewer, require, visible
from accord.storage.database import Database
from accord.storage.unit_of_work import reading, writing
from accord.wording import counted, plural_name, verb

# progress: (the party being estimated, how many are done, how many in all)
Progress = Callable[[Party, int, int], None]
PARALLEL = 2
"""Parties estimated at once (threads), at most the machine's cores."""

# how a recorded stance reads in a sentence: (the answer as the model weighs it, as it was given)
_WORDS = {
    "accept": ("accepting", "", "accepted"),
    "reject": ("rejecting", "", "rejected"),
    "conditional": ("accepting", " with conditions", "did"),
}


@dataclass(frozen=True)
class PartyEstimate:
    """One party's posterior, with what a reader must be told about it (no evidence, no declared
    preferences, failed diagnostics)."""

    party: Party
    posterior: Posterior
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Estimation:
    """The estimates of the parties asked for, and the contradictions between the declared estimates
    and the recorded stances, most surprising first. ``slug`` and ``revision``: the stored
    negotiation read and its revision then (None for a scenario file)."""

    negotiation: Negotiation
    estimates: tuple[PartyEstimate, ...]
    contradictions: tuple[Contradiction, ...]
    samples: int
    seed: int
    seconds: float
    slug: str | None = None
    revision: int | None = None

    @property
    def ok(self) -> bool:
        return all(e.posterior.diagnostics.ok for e in self.estimates)


def parties_of(negotiation: Negotiation, refs: Sequence[str] | None = None) -> list[Party]:
    """The parties named (by id or name, any case), each once, or every party proper when none is
    named. NotFoundError naming the parties there are."""
    if not refs:
        return list(negotiation.negotiating_parties)
    chosen: list[Party] = []
    for ref in refs:
        wanted = ref.strip().casefold()
        found = next((p for p in negotiation.parties if wanted in (p.id.casefold(), p.name.casefold())), None)
        if found is None:
            known = negotiation.known_parties
            raise NotFoundError(f"negotiation {negotiation.id!r} has no party {ref!r} (parties: {known})")
        if found not in chosen:
            chosen.append(found)
    return chosen


def estimate_parties(
    negotiation: Negotiation,
    parties: Sequence[str] | None = None,
    *,
    samples: int = 1000,
    seed: int = 0,
    progress: Progress | None = None,
) -> Estimation:
    """Each party's posterior from the evidence in ``negotiation`` (read already: a scenario file, or
    the stored negotiation as a viewer may see it: see :func:`for_viewer`)."""
    if samples < 1:
        raise DomainError(f"--samples must be at least 1, got {samples}")
    chosen = parties_of(negotiation, parties)
    if not chosen:
        raise NotFoundError(
            f"negotiation {negotiation.id!r} has no party to estimate (no party with role 'party')"
        )
    started = time.perf_counter()
    posteriors = _estimate_all(negotiation, chosen, samples, seed, progress)
    estimates = [
        PartyEstimate(party, posterior, _warnings(negotiation, party, posterior))
        for party, posterior in zip(chosen, posteriors, strict=True)
    ]
    return Estimation(
        negotiation,
        tuple(estimates),
        tuple(contradictions(negotiation, [p.id for p in chosen])),
        samples,
        seed,
        time.perf_counter() - started,
    )


def _estimate_all(
    negotiation: Negotiation, chosen: Sequence[Party], samples: int, seed: int, progress: Progress | None
) -> list[Posterior]:
    """Each party's posterior, two parties at a time on a machine with two cores or more: the sampler
    spends its time in NumPy, which lets go of the interpreter's lock, so threads run side by side
    (no process to start, nothing to pickle). Each party draws from its own seeded generators, so
    the result does not depend on the order the threads finish in. BLAS gets one thread each."""
    from concurrent.futures import ThreadPoolExecutor

    from threadpoolctl import threadpool_limits

    workers = max(1, min(PARALLEL, os.cpu_count() or 1, len(chosen)))
    total = len(chosen)
    found: list[Posterior] = []
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(estimate, negotiation, p.id, samples=samples, seed=seed) for p in chosen]
        # progress as if one at a time: the first party not finished yet, and how many are
        for done, future in enumerate(futures):
            if progress is not None:
                progress(chosen[done], done, total)
            found.append(future.result())
    if progress is not None:
        progress(chosen[-1], total, total)
    return found


def _warnings(negotiation: Negotiation, party: Party, posterior: Posterior) -> tuple[str, ...]:
    found = []
    if negotiation.preferences.get(party.id) is None:
        found.append(
            f"{party.name} {verb(party.name, 'has')} no declared preferences: the prior is flat "
            "(every weight and score alike)"
        )
    if not posterior.evidence:
        found.append(f"no evidence on record for {party.name}: its estimate is the prior")
    if not posterior.diagnostics.ok:
        problems = "; ".join(posterior.diagnostics.problems) or "see the diagnostics"
        found.append(f"the estimate of {party.name} failed its diagnostics ({problems}): do not rely on it")
    return tuple(found)


def contradictions(negotiation: Negotiation, parties: Sequence[str] | None = None) -> list[Contradiction]:
    """Where the declared estimates contradict the recorded stances, most surprising first (``parties``:
    those parties' only; by id)."""
    chosen = parties_of(negotiation, parties)
    estimated = [p.id for p in chosen if negotiation.preferences.get(p.id) is not None]
    found = [c for party in estimated for c in contradictions_of(negotiation, party)]
    return sorted(found, key=lambda c: -c.surprise)


def in_words(negotiation: Negotiation, contradiction: Contradiction) -> str:
    """A contradiction as a person would say it: "the estimates give Russian Federation a 3% chance of
    rejecting point 21 'Territory' on draft D, which it rejected"."""
    c = contradiction
    party = _name(negotiation, c.party)
    gerund, condition, past = _WORDS.get(c.recorded, (f"answering {c.recorded!r} on", "", "did"))
    try:
        point = negotiation.point(c.point)
        where = f"point {point.number} '{point.title}'"
    except (DomainError, KeyError):
        where = f"point {c.point}"
    if c.draft is not None:
        try:
            where += f" on {draft_name(negotiation.draft(c.draft))}"  # as the briefing names it
        except (DomainError, KeyError):
            where += f" on draft v{c.draft}"
    else:
        where += f" ({c.ref})"
    chance = "less than 1%" if c.probability < 0.005 else f"{c.probability:.0%}"
    it = "they" if plural_name(party) else "it"
    return f"the estimates give {party} a {chance} chance of {gerund} {where}{condition}, which {it} {past}"


def contradiction_data(negotiation: Negotiation, contradiction: Contradiction) -> dict[str, Any]:
    """A contradiction for --json (status and estimate alike)."""
    c = contradiction
    return {
        "party": c.party,
        "point": c.point,
        "option": c.option,
        "draft": c.draft,
        "recorded": c.recorded,
        "probability": round(c.probability, 6),
        "surprise": round(c.surprise, 6),
        "ref": c.ref,
        "text": in_words(negotiation, c),
    }


def _name(negotiation: Negotiation, party: str) -> str:
    try:
        return negotiation.party(party).name
    except (DomainError, KeyError):
        return party


# -- the stored negotiation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """The stored negotiation as the viewer may see it, and the revision it was read at."""

    slug: str
    revision: int
    negotiation: Negotiation


def read(
    database: Database, viewer: Viewer, slug: str | None, parties: Sequence[str] | None = None
) -> Record:
    """The stored negotiation ``slug`` (None: the only one stored), for a viewer the policy lets estimate
    each party asked for (AccessDenied before anything of the negotiation is read)."""
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        require(viewer, Action.ESTIMATE, name)
        stored = uow.repository.load(name)
    negotiation = visible(viewer, name, stored.negotiation)
    for party in parties_of(negotiation, parties):
        require(viewer, Action.ESTIMATE, name, party=party.id)
    return Record(name, stored.revision, negotiation)


def for_viewer(
    database: Database,
    viewer: Viewer,
    slug: str | None,
    parties: Sequence[str] | None = None,
    *,
    samples: int = 1000,
    seed: int = 0,
    progress: Progress | None = None,
) -> Estimation:
    """The estimates of the stored negotiation (see :func:`read`), ready for :func:`adopt`."""
    if samples < 1:
        raise DomainError(f"--samples must be at least 1, got {samples}")
    record = read(database, viewer, slug, parties)
    return of_record(record, parties, samples=samples, seed=seed, progress=progress)


def of_record(
    record: Record,
    parties: Sequence[str] | None = None,
    *,
    samples: int = 1000,
    seed: int = 0,
    progress: Progress | None = None,
) -> Estimation:
    found = estimate_parties(record.negotiation, parties, samples=samples, seed=seed, progress=progress)
    return replace(found, slug=record.slug, revision=record.revision)


def adopt(
    database: Database, viewer: Viewer, estimation: Estimation, *, force: bool = False
) -> list[AuditEntry]:
    """Store each estimated party's posterior summary as its declared estimate (weights, scores,
    reservation value, uncertainty), in one transaction with one audit entry per party. Refused,
    with nothing written, for a scenario file, a posterior that failed its diagnostics (unless
    ``force``), or a record that changed since the estimate was read (StaleWriteError)."""
    if estimation.slug is None:
        raise DomainError(
            "an estimate from a scenario file is not stored: import the file (accord import FILE) and "
            "estimate the stored negotiation"
        )
    slug = estimation.slug
    for found in estimation.estimates:
        require(viewer, Action.ADOPT_ESTIMATE, slug, party=found.party.id)
    failed = [e for e in estimation.estimates if not e.posterior.diagnostics.ok]
    if failed and not force:
        names = ", ".join(e.party.name for e in failed)
        raise DomainError(
            f"the estimate of {names} failed its diagnostics, so it is not stored: estimate again with "
            "more --samples, or give --force to store it anyway"
        )
    assert viewer.username is not None
    entries = []
    with writing(database, viewer.username) as uow:
        negotiation = uow.repository.load(slug, stances=False).negotiation
        before = uow.repository.state_digest(slug)
        uow.repository.claim(slug, estimation.revision)  # nothing written since the estimate was read
        for found in estimation.estimates:
            party = found.party.id
            declared = negotiation.preferences.get(party) or Preferences(party=party, weights={})
            adopted = as_preferences(found.posterior, declared)
            updated = replace(negotiation, preferences={**negotiation.preferences, party: adopted})
            # validated as a file is: what is stored can be exported and imported again
            negotiation = check_document(to_document(updated), file=f"the estimate of {party}")
            uow.repository.set_framework(slug, negotiation)
            posterior = found.posterior
            entries.append(
                uow.record(
                    "preferences.estimate",
                    slug,
                    f"preferences of {party} set to the estimate from "
                    f"{counted(len(posterior.evidence), 'piece')} of evidence",
                    before,
                    {
                        "party": party,
                        # what the estimate rests on, by name; the numbers are private
                        "evidence": [e.ref for e in posterior.evidence],
                        "samples": estimation.samples,
                        "seed": estimation.seed,
                        "diagnostics_ok": posterior.diagnostics.ok,
                        "forced": bool(force and not posterior.diagnostics.ok),
                    },
                )
            )
            before = entries[-1].after_digest
    return entries
