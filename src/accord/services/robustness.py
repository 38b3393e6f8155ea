"""`accord robustness`: candidates from drafts and concepts, Monte Carlo in-process or on Dask."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.robustness import (
    Chunk,
    Draws,
    Model,
    Runner,
    Tally,
    acceptance_of_draws,
    build_model,
    draws_of,
    in_process,
    model_of,
    quantile,
    resample_problem,
    run,
    with_draws,
)
from accord.analysis.seeds import checked_seed
from accord.domain import Negotiation
from accord.engine import Concept, get_solver, parse_concept, solve
from accord.engine.problem import Problem, draft_columns
from accord.errors import Cancelled, DomainError
from accord.reports.robustness_charts import Held
from accord.scenario import load
from accord.wording import counted

if TYPE_CHECKING:
    from accord.security.policy import Viewer
    from accord.storage.database import Database

RESOLVE_STREAM = 2**32  # the re-solves draw from spawn keys (RESOLVE_STREAM, r): apart from the blocks


@dataclass(frozen=True)
class Candidate:
    name: str
    columns: tuple[int, ...]
    package: dict[str, str]
    concepts: tuple[str, ...] = ()  # the concepts whose package it is on the declared estimates


@dataclass(frozen=True)
class PartyOutlook:
    party: str
    acceptance: float
    expected_utility: float
    fifth_percentile: float


@dataclass(frozen=True)
class CandidateOutlook:
    candidate: Candidate
    acceptance: float  # P(acceptable to every party)
    standard_error: float
    parties: tuple[PartyOutlook, ...]
    best_by: dict[str, float]  # concept -> share of re-solves where it is the concept's package
    # concept -> (re-solves where it is the concept's package, re-solves): the share's interval
    best_by_counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def concept_shares(self) -> list[ConceptShare]:
        """How often it is each concept's package: its own concepts always (a 0 said in words, never a
        bare 0.00 on its own row), another concept's only when it ever is."""
        return [
            concept_share(concept, hits, total)
            for concept, (hits, total) in self.best_by_counts.items()
            if total and (hits or concept in self.candidate.concepts)
        ]


CONCEPT_NAMES = {
    "nash": "Nash",
    "kalai-smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "egalitarian",
    "leximin": "leximin",
    "utilitarian": "utilitarian",
}


@dataclass(frozen=True)
class ConceptShare:
    """How often a package is a concept's package when the preferences are redrawn, with the 95%
    Wilson score interval of that share (Wilson 1927: it stays inside [0, 1], also at 0 or n hits)."""

    concept: str
    hits: int
    resolves: int
    low: float
    high: float

    @property
    def share(self) -> float:
        return self.hits / self.resolves

    @property
    def text(self) -> str:
        """'is the Nash package in 87% of 100 re-solves (95% interval 79–92%)'."""
        name = CONCEPT_NAMES.get(self.concept, self.concept)
        return (
            f"is the {name} package in {_percent(self.share)} of {self.resolves} re-solves "
            f"(95% interval {_percent(self.low, sign=False)}–{_percent(self.high)})"
        )

    @property
    def short(self) -> str:
        """'the Nash package in 87% (79–92%)', for a table whose header says the rest."""
        name = CONCEPT_NAMES.get(self.concept, self.concept)
        return (
            f"the {name} package in {_percent(self.share)} "
            f"({_percent(self.low, sign=False)}–{_percent(self.high)})"
        )


def concept_share(concept: str, hits: int, resolves: int) -> ConceptShare:
    z = 1.959963984540054
    n = resolves
    centre = (hits + z * z / 2) / (n + z * z)
    half = z * np.sqrt(hits * (n - hits) / n + z * z / 4) / (n + z * z)
    return ConceptShare(concept, hits, n, max(0.0, float(centre - half)), min(1.0, float(centre + half)))


def _percent(value: float, sign: bool = True) -> str:
    """A share in whole percent; below 1% but not 0 (or above 99% but not 100) says so."""
    if 0 < value < 0.005:
        words = "<1"
    elif 0.995 <= value < 1:
        words = ">99"
    else:
        words = f"{100 * value:.0f}"
    return words + ("%" if sign else "")


@dataclass(frozen=True)
class Sensitivity:
    parameter: str
    correlation: float  # with the acceptance (by every party) of the candidate most in doubt


@dataclass(frozen=True)
class Robustness:
    samples: int
    seed: int
    candidates: tuple[CandidateOutlook, ...]
    sensitivity: tuple[Sensitivity, ...]
    sensitivity_of: str | None  # the candidate whose acceptance is most in doubt (p(1-p) largest)
    resolves: int
    seconds: float
    workers: str
    histogram: np.ndarray  # (parties, candidates, BINS): utility counts, for plots
    posterior: Posteriors | None = None  # when the preferences came from the posterior


@dataclass(frozen=True)
class Posteriors:
    """Every party's posterior as draws on the problem, and how it was estimated."""

    draws: dict[str, Draws]
    samples: int  # posterior samples per party
    seed: int
    evidence: dict[str, int]  # per party: pieces of evidence
    diagnostics: dict[str, dict[str, Any]]  # per party: ess, rhat, acceptance, ok, problems
    forced: tuple[str, ...]  # parties whose posterior failed its diagnostics and was used anyway


def posteriors(
    negotiation: Negotiation, problem: Problem, *, samples: int, seed: int, force: bool = False
) -> Posteriors:
    """Each of the problem's parties' posterior (accord.analysis.estimate) as draws for the Monte
    Carlo. A posterior that fails its diagnostics is refused, naming why, unless ``force``."""
    from accord.analysis import estimate as estimating  # SciPy and the sampler: only when asked

    found = {
        party: estimating.estimate(negotiation, party, samples=samples, seed=seed)
        for party in problem.parties
    }
    failed = [party for party, post in found.items() if not post.diagnostics.ok]
    names = dict(zip(problem.parties, problem.party_names, strict=True))
    if failed and not force:
        why = "; ".join(
            f"{names[p]}: {', '.join(found[p].diagnostics.problems) or 'diagnostics not met'}" for p in failed
        )
        raise DomainError(
            f"the posterior failed its diagnostics ({why}), so it is not used: raise --posterior-samples, "
            "or give --force to use it anyway"
        )
    draws, evidence, diagnostics = {}, {}, {}
    for party, post in found.items():
        draws[party] = draws_of(
            problem, post.points, post.options, post.weights, post.scores, post.reservation
        )
        evidence[party] = len(post.evidence)
        d = post.diagnostics
        diagnostics[party] = {
            "ess": d.ess,
            "particles": d.particles,
            "rhat": d.rhat,
            "acceptance": d.acceptance,
            "ok": d.ok,
            "problems": list(d.problems),
        }
    return Posteriors(draws, samples, seed, evidence, diagnostics, tuple(failed))


def histograms(result: Robustness, names: Sequence[str]) -> np.ndarray:
    """(parties, len(names), BINS): the utility histograms of the named candidates."""
    order = [next(k for k, c in enumerate(result.candidates) if c.candidate.name == name) for name in names]
    return result.histogram[:, order, :]


DEFAULT_CONCEPTS = ("nash",)
"""The concepts weighed when none is asked for (the workbench's form starts with the same)."""


def default_candidates(negotiation: Negotiation) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The drafts and concepts to weigh when neither is asked for: the latest draft (when there is one)
    and the Nash package."""
    latest = negotiation.latest_draft
    return ((latest.version,) if latest else ()), DEFAULT_CONCEPTS


def candidates_of(
    negotiation: Negotiation, model: Model, drafts: Sequence[int], concepts: Sequence[str], top: int
) -> list[Candidate]:
    problem = model.problem
    found: dict[tuple[int, ...], Candidate] = {}

    def add(name: str, columns: Sequence[int] | np.ndarray, concept: str | None = None) -> None:
        key = tuple(int(c) for c in columns)
        if key not in found:
            found[key] = Candidate(name, key, problem.package(np.array(key)))
        if concept is not None and concept not in found[key].concepts:
            # one package may be several concepts' (egalitarian and leximin often agree)
            found[key] = replace(found[key], concepts=(*found[key].concepts, concept))

    for version in dict.fromkeys(drafts):
        name = f"draft v{version}"
        key = tuple(int(c) for c in draft_columns(problem, negotiation.draft(version)))
        if key in found:  # a draft asked for is never dropped: one candidate names both drafts
            same = found[key]
            found[key] = replace(same, name=f"{same.name} = {name}")
        else:
            add(name, key)
    solver = get_solver()
    for name in concepts:
        concept = parse_concept(name)
        outcome = solve(problem, concept, solver=solver, top=top)
        for solution in outcome.solutions:
            name = f"{concept.value} #{solution.rank}" if top > 1 else concept.value
            add(name, solution.columns, concept.value if solution.rank == 1 else None)
    if not found:
        raise DomainError("no candidate package: give --draft VERSION or --concepts (and a deal must exist)")
    return list(found.values())


@contextmanager
def dask_runner(workers: int | None, scheduler: str | None) -> Iterator[tuple[Runner, str]]:
    """Blocks on a local Dask cluster (``workers``) or an existing one (``scheduler``); results in order."""
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=10)  # type: ignore[no-untyped-call]
        except (ValueError, OSError, TimeoutError) as error:
            raise DomainError(
                f"scheduler: cannot reach a Dask scheduler at {scheduler!r} ({error}); "
                "expected the address of a running one, tcp://HOST:PORT"
            ) from None
        where = f"Dask scheduler {scheduler}"
    else:
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
        where = "local Dask cluster" + (f" of {counted(workers, 'worker')}" if workers else "")

    def runner(work: Callable[[int], Chunk], chunks: Sequence[int]) -> Iterable[Chunk]:
        futures = client.map(work, list(chunks), pure=False)
        for future in futures:  # in order: the float sums are added in block order, as in-process
            yield future.result()

    try:
        yield runner, where
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class PosteriorAcceptance:
    """Each package's probability of being accepted under the posterior: by every party, and by each."""

    everyone: tuple[float, ...]  # per package
    parties: tuple[dict[str, float], ...]  # per package: party -> probability
    posterior: Posteriors


def posterior_acceptance(
    negotiation: Negotiation,
    problem: Problem,
    packages: Sequence[Sequence[int] | np.ndarray],
    *,
    samples: int = 1000,
    seed: int = 0,
    force: bool = False,
) -> PosteriorAcceptance:
    """For each package (flat columns of ``problem``): the probability that every party accepts it
    when its weights, scores and reservation value are its posterior's (each draw checked: red lines
    and links as declared, utility at or above that draw's reservation value), exactly over the
    posterior's equally weighted draws; every party's is the product of each party's, the parties'
    posteriors being independent (docs/estimate.md)."""
    found = posteriors(negotiation, problem, samples=samples, seed=seed, force=force)
    if not packages:
        return PosteriorAcceptance((), (), found)
    model = with_draws(build_model(negotiation, problem), found.draws)
    columns = np.array([[int(c) for c in p] for p in packages], dtype=np.int64)
    each, everyone = acceptance_of_draws(model, columns)
    return PosteriorAcceptance(
        tuple(float(p) for p in everyone),
        tuple(
            {party: float(each[i, k]) for i, party in enumerate(problem.parties)} for k in range(len(columns))
        ),
        found,
    )


def require_uncertainty(negotiation: Negotiation) -> None:
    """Sampling needs at least one party's `uncertainty` block (or the posterior)."""
    if not any(p.uncertainty for p in negotiation.preferences.values()):
        raise DomainError(
            "no party's preferences have an `uncertainty` block: every sample would be the same; "
            "see docs/robustness.md (or sample from the posterior: --posterior)"
        )


def stored_for(database: Database, viewer: Viewer, slug: str) -> Negotiation:
    """The stored negotiation as the mediator's analyses read it, for a viewer the policy lets run
    them (Action.ANALYSE): anyone else is refused before anything is read."""
    from accord.security.policy import Action, require, visible  # the database: only when read
    from accord.storage.unit_of_work import reading

    require(viewer, Action.ANALYSE, slug)
    with reading(database) as uow:
        negotiation = uow.repository.load(slug).negotiation
    return visible(viewer, slug, negotiation)


def one_thread(work: Callable[[int], Chunk], chunks: Sequence[int]) -> Iterable[Chunk]:
    """The chunks one after another on the calling thread: a workbench job takes one core, not all,
    so the requests of everyone else keep theirs (the same numbers: chunks are added in order)."""
    for chunk in chunks:
        yield work(chunk)


def analyse(
    negotiation: Negotiation,
    *,
    samples: int,
    seed: int,
    drafts: Sequence[int] = (),
    concepts: Sequence[str] = (),
    top: int = 1,
    resolves: int = 0,
    runner: Runner = in_process,
    where: str = "in-process",
    progress: Callable[[int], None] | None = None,
    posterior: bool = False,
    posterior_samples: int = 1000,
    force: bool = False,
    cancelled: Callable[[], bool] | None = None,
    resolved: Callable[[int], None] | None = None,
) -> Robustness:
    """``posterior``: every party's preferences resampled from its posterior (estimated from the
    evidence on record, ``posterior_samples`` per party, the same ``seed``) instead of its
    `uncertainty` block; red lines and links stay as declared.

    ``progress`` is told the samples of each chunk done, ``resolved`` each re-solve done (of
    ``resolves`` per concept); ``cancelled`` is asked between chunks and between re-solves, and True
    stops the work with accord.errors.Cancelled (the workbench's jobs, accord.web.jobs)."""
    if samples < 1:
        raise DomainError(f"samples: expected at least 1, got {samples:,}")
    if resolves < 0:
        raise DomainError(f"resolves: expected 0 (none) or more, got {resolves:,}")
    if top < 1:
        raise DomainError(f"top: expected at least 1, got {top:,}")
    checked_seed(seed)
    if not posterior:
        require_uncertainty(negotiation)
    started = time.perf_counter()
    model = model_of(negotiation)
    found = None
    if posterior:
        found = posteriors(negotiation, model.problem, samples=posterior_samples, seed=seed, force=force)
        model = with_draws(model, found.draws)
    chosen = candidates_of(negotiation, model, drafts, concepts, top)
    columns = np.array([c.columns for c in chosen], dtype=np.int64)
    tally = run(model, columns, samples, seed, runner=runner, progress=progress, cancelled=cancelled)
    best_by = _resolve(model, chosen, concepts, resolves, seed, cancelled=cancelled, resolved=resolved)
    return Robustness(
        samples,
        seed,
        tuple(_outlook(model, tally, k, c, best_by) for k, c in enumerate(chosen)),
        *_sensitivity(model, tally, chosen),
        resolves if concepts else 0,
        time.perf_counter() - started,
        where,
        tally.histogram,
        found,
    )


def _outlook(
    model: Model, tally: Tally, k: int, candidate: Candidate, best_by: dict[str, tuple[list[int], int]]
) -> CandidateOutlook:
    n = tally.samples
    p = tally.accepted_by_all[k] / n
    parties = tuple(
        PartyOutlook(
            party,
            float(tally.accepted[i, k] / n),
            float(tally.utility_sum[i, k] / n),
            quantile(tally.histogram[i, k], 0.05),
        )
        for i, party in enumerate(model.problem.parties)
    )
    shares = {concept: hits[k] / total for concept, (hits, total) in best_by.items() if total}
    counts = {concept: (hits[k], total) for concept, (hits, total) in best_by.items() if total}
    return CandidateOutlook(candidate, float(p), float(np.sqrt(p * (1 - p) / n)), parties, shares, counts)


def _resolve(
    model: Model,
    chosen: list[Candidate],
    concepts: Sequence[str],
    resolves: int,
    seed: int,
    *,
    cancelled: Callable[[], bool] | None = None,
    resolved: Callable[[int], None] | None = None,
) -> dict[str, tuple[list[int], int]]:
    """How often each candidate is the concept's package when the preferences are redrawn."""
    index = {c.columns: k for k, c in enumerate(chosen)}
    result: dict[str, tuple[list[int], int]] = {}
    solver = get_solver()
    for name in concepts:
        concept: Concept = parse_concept(name)
        hits = [0] * len(chosen)
        for r in range(resolves):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(RESOLVE_STREAM, r)))
            outcome = solve(resample_problem(model, rng), concept, solver=solver)
            if outcome.best is not None and outcome.best.columns in index:
                hits[index[outcome.best.columns]] += 1
            if resolved is not None:
                resolved(1)
            if cancelled is not None and cancelled():
                raise Cancelled(f"cancelled while re-solving {concept.value} ({r + 1} of {resolves} done)")
        result[concept.value] = (hits, resolves)
    return result


def _sensitivity(
    model: Model, tally: Tally, chosen: list[Candidate]
) -> tuple[tuple[Sensitivity, ...], str | None]:
    """Correlation of each uncertain parameter with acceptance (by all) of the candidate most in doubt."""
    n = tally.samples
    shares = tally.accepted_by_all / n
    k = int(np.argmax(shares * (1 - shares)))
    p = shares[k]
    if not model.parameters or p in (0.0, 1.0):
        return (), None
    mean = tally.x_sum / n
    variance = np.maximum(tally.x2_sum / n - mean**2, 0.0)
    covariance = tally.xy_sum[:, k] / n - mean * p
    spread = np.sqrt(variance * p * (1 - p))
    correlation = np.divide(covariance, spread, out=np.zeros_like(covariance), where=spread > 0)
    names = [param.describe(model.problem.party_names, model.problem) for param in model.parameters]
    ranked = sorted(zip(names, correlation, strict=True), key=lambda item: -abs(item[1]))
    return tuple(Sensitivity(name, float(c)) for name, c in ranked), chosen[k].name


def analyse_file(path: Path, **options: Any) -> Robustness:
    return analyse(load(path), **options)


def as_data(result: Robustness) -> dict[str, Any]:
    """The result as `accord robustness --json` prints it (and the jobs API answers it)."""
    return {
        "samples": result.samples,
        "seed": result.seed,
        "seconds": round(result.seconds, 3),
        "where": result.workers,
        "resolves_per_concept": result.resolves,
        "candidates": [
            {
                "name": c.candidate.name,
                "package": c.candidate.package,
                "acceptance": c.acceptance,
                "standard_error": c.standard_error,
                "parties": {
                    p.party: {
                        "acceptance": p.acceptance,
                        "expected_utility": p.expected_utility,
                        "fifth_percentile": p.fifth_percentile,
                    }
                    for p in c.parties
                },
                "best_by": c.best_by,
                "concepts": list(c.candidate.concepts),
                "concept_shares": [
                    {
                        "concept": s.concept,
                        "share": s.share,
                        "hits": s.hits,
                        "resolves": s.resolves,
                        "low": s.low,
                        "high": s.high,
                        "text": s.text,
                    }
                    for s in c.concept_shares()
                ],
            }
            for c in result.candidates
        ],
        "sensitivity_of": result.sensitivity_of,
        "sensitivity": [{"parameter": s.parameter, "correlation": s.correlation} for s in result.sensitivity],
        "preferences": "posterior" if result.posterior else "uncertainty",
        "posterior": _posterior_data(result.posterior),
    }


def _posterior_data(found: Posteriors | None) -> dict[str, object] | None:
    if found is None:
        return None
    return {
        "samples": found.samples,
        "seed": found.seed,
        "evidence": found.evidence,
        "diagnostics": found.diagnostics,
        "forced": list(found.forced),
    }


def held(result: Robustness, negotiation: Negotiation, link: str | None = None) -> list[Held]:
    """The candidates as the acceptance chart shows them, most acceptable first: each named in words,
    with each party's mean utility; with ``link`` (the comparison page's path), the address of its
    package beside the latest draft."""
    from urllib.parse import urlencode

    from accord.reports.robustness_plots import candidate_label

    labels = {d.version: d.label for d in negotiation.drafts}
    names = {p.id: p.name for p in negotiation.parties}
    return [
        Held(
            candidate_label(c.candidate.name, labels),
            c.acceptance,
            c.standard_error,
            {names.get(p.party, p.party): p.expected_utility for p in c.parties},
            f"{link}?{urlencode(c.candidate.package)}" if link else None,
        )
        for c in sorted(result.candidates, key=lambda c: -c.acceptance)
    ]
