"""A robustness result as the result page shows it: the tables `accord robustness` prints, in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from accord.reports.robustness_plots import candidate_label
from accord.services.robustness import Robustness

SENSITIVITY_ROWS = 10  # as the CLI: the parameters that move acceptance most


@dataclass(frozen=True)
class CandidateRow:
    name: str
    acceptance: str  # "0.4123 ± 0.0062": the probability and its 95% half-width
    parties: tuple[str, ...]  # per party: "mean u / 5th percentile"
    shares: tuple[str, ...]  # how often it is a concept's package, each in words


@dataclass(frozen=True)
class RobustnessView:
    heading: str
    posterior: str | None
    parties: tuple[str, ...]  # names, in the columns' order
    rows: tuple[CandidateRow, ...]
    resolves: int  # re-solves per concept (0: none, and no column for them)
    sensitivity_of: str | None
    sensitivity: tuple[tuple[str, str], ...]  # (parameter, "+0.322")


def robustness_view(
    result: Robustness, names: dict[str, str], drafts: Mapping[int, str | None] | None = None
) -> RobustnessView:
    """The same numbers, rounded the same way, as `accord robustness` prints; each candidate named in
    words as the charts name it ('draft 3 (D)', 'Nash'), by the drafts' labels (version -> label)."""
    labels: Mapping[int, str | None] = drafts or {}
    heading = f"{result.samples:,} samples (seed {result.seed}), {result.workers}, {result.seconds:.2f} s" + (
        f"; {result.resolves} re-solves per concept" if result.resolves else ""
    )
    found = result.posterior
    posterior = None
    if found is not None:
        pieces = ", ".join(f"{names.get(p, p)} {n}" for p, n in found.evidence.items())
        posterior = f"Preferences from the posterior ({found.samples:,} draws per party; evidence: {pieces})"
    parties = [p.party for p in result.candidates[0].parties]
    resolved = any(c.best_by_counts for c in result.candidates)
    rows = tuple(
        CandidateRow(
            candidate_label(c.candidate.name, labels),
            f"{c.acceptance:.4f} ± {1.96 * c.standard_error:.4f}",
            tuple(f"{p.expected_utility:.3f} / {p.fifth_percentile:.3f}" for p in c.parties),
            tuple(s.short for s in c.concept_shares()) or ("no concept's package",),
        )
        for c in sorted(result.candidates, key=lambda c: -c.acceptance)
    )
    return RobustnessView(
        heading,
        posterior,
        tuple(names.get(p, p) for p in parties),
        rows,
        result.resolves if resolved else 0,
        candidate_label(result.sensitivity_of, labels) if result.sensitivity_of else None,
        tuple((s.parameter, f"{s.correlation:+.3f}") for s in result.sensitivity[:SENSITIVITY_ROWS]),
    )
