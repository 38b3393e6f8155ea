"""Preferences from evidence (accord.analysis.estimate): the evidence read from the record, the
posterior against the prior, reproducibility, contradictions, failed diagnostics, the fitted estimate."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.estimate import (
    NoiseModel,
    as_preferences,
    contradictions,
    estimate,
    evidence_of,
)
from accord.analysis.prior import ALPHA_FLOOR, DEFAULT_CONCENTRATION, FloatArray
from accord.domain import (
    Choice,
    Distribution,
    Draft,
    DraftStatus,
    Negotiation,
    Option,
    Party,
    Person,
    Point,
    Preferences,
    RedLine,
    Role,
    Stance,
    StanceKind,
    Statement,
    Uncertainty,
)
from accord.errors import DomainError

ACCEPT, REJECT, CONDITIONAL = StanceKind.ACCEPT, StanceKind.REJECT, StanceKind.CONDITIONAL


def framework(points: int = 3, options: int = 3) -> tuple[Point, ...]:
    return tuple(
        Point(f"p{i}", i, f"Point {i}", tuple(Option(f"o{k}", f"option {k}") for k in range(options)))
        for i in range(1, points + 1)
    )


def negotiation(
    drafts: tuple[Draft, ...] = (), stances: tuple[Stance, ...] = (), **more: object
) -> Negotiation:
    north = Preferences(
        "north",
        weights={"p1": 5, "p2": 3, "p3": 2},
        scores={p: {"o0": 0, "o1": 5, "o2": 10} for p in ("p1", "p2", "p3")},
        score_scale=10,
        reservation_value=0.4,
        red_lines=(RedLine("p3", "o0"),),
        uncertainty=Uncertainty(dirichlet=30, reservation_value=Distribution("range", 0.2, 0.6)),
    )
    base = Negotiation(
        id="t",
        title="Test talks",
        points=framework(),
        parties=(Party("envoy", "Envoy", Role.MEDIATOR), Party("north", "North"), Party("south", "South")),
        preferences={"north": north},
        drafts=drafts,
        stances=stances,
    )
    return replace(base, **more)  # type: ignore[arg-type]


def draft(version: int, package: dict[str, str], **more: object) -> Draft:
    return Draft(version, {p: Choice(option=o) for p, o in package.items()}, DraftStatus.CIRCULATED, **more)  # type: ignore[arg-type]


def test_evidence_folds_superseded_stances_and_skips_what_says_nothing() -> None:
    drafts = (
        draft(1, {"p1": "o0", "p2": "o1"}),
        Draft(
            2,
            {"p1": Choice(option="o2"), "p2": Choice(text="free words"), "p3": Choice(option="o1")},
            author="north",
        ),
    )
    stances = (
        Stance(1, "north", "p1", ACCEPT),
        Stance(1, "north", "p1", REJECT),  # the correction, recorded later: it counts
        Stance(1, "north", "p2", StanceKind.STUDYING),  # says nothing
        Stance(2, "north", "p2", REJECT),  # free text: no option to judge
        Stance(1, "south", "p1", ACCEPT),  # another party's
    )
    found = evidence_of(negotiation(drafts, stances), "north")
    kinds = [(e.kind, e.point, e.option, e.answer, e.draft) for e in found]
    assert ("stance", "p1", "o0", "reject", 1) in kinds
    assert ("stance", "p1", "o0", "accept", 1) not in kinds
    assert not any(k[0] == "stance" and k[1] == "p2" for k in kinds)
    assert ("authored", "p1", "o2", None, 2) in kinds and ("authored", "p3", "o1", None, 2) in kinds
    assert ("red-line", "p3", "o0", "reject", None) in kinds
    assert ("draft", None, None, "reject", 1) in kinds  # answered 1 of 2 points, rejected it
    assert all(e.ref for e in found)
    # named in words, the option's text rather than its key
    assert [e.ref for e in found if e.kind == "red-line"] == ["declared red line on point 3 (option 0)"]


def test_a_statement_counts_once_when_adopted_as_a_stance() -> None:
    people = (Person("ana", "Ana North", party="north"),)
    said = Statement("S-1", "ana", dt.date(2025, 3, 1), "No.", points=("p1",), stance=REJECT, draft=1)
    other = Statement("S-2", "ana", dt.date(2025, 3, 2), "Fine.", points=("p2",), stance=ACCEPT)
    stances = (Stance(1, "north", "p1", REJECT, evidence="S-1"),)
    n = negotiation((draft(1, {"p1": "o0", "p2": "o1"}),), stances, people=people, statements=(said, other))
    found = evidence_of(n, "north")
    assert [e.kind for e in found if e.point == "p1" and e.kind != "red-line"] == ["stance"]
    statement = [e for e in found if e.kind == "statement"]
    assert [(e.point, e.option, e.answer, e.draft) for e in statement] == [("p2", "o1", "accept", 1)]
    assert "S-2" in statement[0].ref


def test_the_mediator_is_not_estimated() -> None:
    with pytest.raises(DomainError, match="mediator"):
        evidence_of(negotiation(), "envoy")


def test_with_no_evidence_the_posterior_is_the_prior_and_says_so() -> None:
    n = replace(
        negotiation(), preferences={"north": replace(negotiation().preferences["north"], red_lines=())}
    )
    post = estimate(n, "north", samples=4000, seed=3)
    assert post.evidence == () and any("no evidence" in w for w in post.warnings)
    for s in post.weight_summary().values():
        assert s.mean == pytest.approx(s.prior_mean, abs=0.02)
    assert post.reservation_summary().mean == pytest.approx(0.4, abs=0.02)
    assert post.diagnostics.ok


def test_a_party_without_preferences_gets_a_flat_prior_and_a_warning() -> None:
    post = estimate(negotiation(), "south", samples=800)
    assert any("no preferences" in w for w in post.warnings)
    assert any("no evidence" in w for w in post.warnings)
    assert post.weights.mean(axis=0) == pytest.approx([1 / 3] * 3, abs=0.05)


def consistent(rounds: int = 6) -> Negotiation:
    """North keeps rejecting o2 on p1 and accepting o0 there: the opposite of what it declared."""
    drafts = tuple(
        draft(v, {"p1": "o2" if v % 2 else "o0", "p2": "o1", "p3": "o1"}) for v in range(1, rounds + 1)
    )
    stances = tuple(Stance(v, "north", "p1", REJECT if v % 2 else ACCEPT) for v in range(1, rounds + 1))
    return negotiation(drafts, stances)


def test_evidence_consistent_with_one_extreme_moves_the_posterior_towards_it() -> None:
    post = estimate(consistent(), "north", samples=2000, seed=1)
    assert post.diagnostics.ok, post.diagnostics.problems
    scores = post.score_summary()["p1"]
    assert scores["o0"].mean > scores["o0"].prior_mean + 1.0
    assert scores["o2"].mean < scores["o2"].prior_mean - 1.0
    assert post.preferred()["p1"][0][0] == "o0"
    assert post.stance_probabilities("p1", "o2")["reject"] > 0.5
    assert post.influence and post.influence[0][1] >= post.influence[-1][1] >= 0


def test_the_slope_is_learnt_sharp_from_consistent_answers_and_flat_from_erratic_ones() -> None:
    """Each draft puts the same option on every point, o0 and o2 in turn; north declares o2 its best
    and o0 its worst. Accepting o2 and rejecting o0 every time makes the answers follow the preferences
    sharply; answering the reverse on one draft in three does not. (A `conditional` answer would
    speak for a flatter slope: with the cut fixed, the sharper the slope, the narrower the band of
    options answered that way.)"""
    drafts = tuple(draft(v, dict.fromkeys(("p1", "p2", "p3"), "o2" if v % 2 else "o0")) for v in range(1, 10))

    def answers(erratic: bool) -> tuple[Stance, ...]:
        def answer(v: int) -> StanceKind:
            follows = ACCEPT if v % 2 else REJECT
            return (REJECT if follows is ACCEPT else ACCEPT) if erratic and v % 3 == 0 else follows

        return tuple(Stance(v, "north", p, answer(v)) for v in range(1, 10) for p in ("p1", "p2", "p3"))

    sharp = estimate(negotiation(drafts, answers(False)), "north", samples=1000, seed=3)
    erratic = estimate(negotiation(drafts, answers(True)), "north", samples=1000, seed=3)
    assert sharp.diagnostics.ok and erratic.diagnostics.ok
    prior = sharp.slope_summary().prior_mean  # the same prior for both
    assert sharp.slope_summary().mean > prior > 3 * erratic.slope_summary().mean
    assert erratic.slope_summary().high < NoiseModel().beta  # the erratic party is surely below the median
    # fixed at 1 when not learnt
    fixed = estimate(
        negotiation(drafts, answers(True)), "north", samples=400, noise=NoiseModel(beta_spread=0.0)
    )
    assert fixed.slope_scale is not None and np.all(fixed.slope_scale == 1.0)


def test_the_estimate_is_reproducible_for_a_seed() -> None:
    a = estimate(consistent(), "north", samples=400, seed=7)
    b = estimate(consistent(), "north", samples=400, seed=7)
    c = estimate(consistent(), "north", samples=400, seed=8)
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.reservation, b.reservation)
    assert a.slope_scale is not None and b.slope_scale is not None
    assert np.array_equal(a.slope_scale, b.slope_scale)
    assert not np.array_equal(a.weights, c.weights)


def test_contradictory_evidence_is_reported_not_a_crash() -> None:
    drafts = tuple(draft(v, {"p1": "o2", "p2": "o1", "p3": "o1"}) for v in (1, 2))
    stances = (Stance(1, "north", "p1", REJECT), Stance(2, "north", "p1", ACCEPT))
    n = negotiation(drafts, stances)
    post = estimate(n, "north", samples=800)
    assert len(post.evidence) >= 2
    found = contradictions(n)
    assert [(c.party, c.point, c.option, c.draft, c.recorded) for c in found][:1] == [
        ("north", "p1", "o2", 1, "reject")
    ]
    assert found[0].probability < 0.1 and found[0].surprise == pytest.approx(-np.log(found[0].probability))
    assert contradictions(n, "south") == []  # no declared estimate: nothing to contradict


def test_a_posterior_that_fails_its_diagnostics_says_so() -> None:
    few = estimate(consistent(), "north", samples=8, seed=0)
    assert not few.diagnostics.ok and few.diagnostics.problems
    # an absurdly sharp noise model against answers that flip from draft to draft: the posterior is a
    # razor's edge that the runs each find a different piece of
    drafts = tuple(draft(v, {"p1": "o2", "p2": "o1", "p3": "o1"}) for v in range(1, 7))
    flips = tuple(
        Stance(v, "north", p, REJECT if v % 2 else ACCEPT) for v in range(1, 7) for p in ("p1", "p2", "p3")
    )
    absurd = estimate(negotiation(drafts, flips), "north", samples=400, noise=NoiseModel(beta=1e5, cut=0.0))
    assert not absurd.diagnostics.ok
    assert any("disagree" in p or "stages" in p for p in absurd.diagnostics.problems)


def test_too_few_samples_is_refused() -> None:
    with pytest.raises(DomainError, match="samples"):
        estimate(consistent(), "north", samples=3)


def test_the_posterior_as_preferences_carries_a_fitted_uncertainty_block() -> None:
    n = consistent()
    declared = n.preferences["north"]
    post = estimate(n, "north", samples=2000)
    fitted = as_preferences(post, declared)
    assert fitted.total_weight == pytest.approx(declared.total_weight)
    assert fitted.red_lines == declared.red_lines and fitted.score_scale == 10
    assert fitted.uncertainty is not None and fitted.uncertainty.dirichlet is not None
    assert fitted.uncertainty.dirichlet >= 1
    for point, by in fitted.uncertainty.scores.items():
        for option, d in by.items():
            assert d.kind == "normal" and d.low == 0 and d.high == 10
            assert d.mean == pytest.approx(fitted.scores[point][option])
    # re-estimating from the fitted prior with no evidence gives back its means
    again = estimate(
        replace(n, stances=(), preferences={"north": replace(fitted, red_lines=())}), "north", samples=4000
    )
    for point, s in again.weight_summary().items():
        assert s.prior_mean == pytest.approx(fitted.weight(point), abs=0.03)


@settings(max_examples=15, deadline=None)
@given(
    weights=st.lists(st.floats(0.1, 10), min_size=2, max_size=5),
    reservation=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**16),
)
def test_property_no_evidence_leaves_the_prior(weights: list[float], reservation: float, seed: int) -> None:
    points = framework(len(weights), 2)
    prefs = Preferences(
        "north",
        weights={p.id: w for p, w in zip(points, weights, strict=True)},
        scores={p.id: {"o0": 0.2, "o1": 0.8} for p in points},
        reservation_value=reservation,
    )
    n = replace(negotiation(), points=points, preferences={"north": prefs})
    post = estimate(n, "north", samples=2000, seed=seed)
    assert post.weights.sum(axis=1) == pytest.approx(1.0)
    # the default Dirichlet: 2 per point around the declared weights, no parameter below ALPHA_FLOOR
    alpha = np.maximum(DEFAULT_CONCENTRATION * len(weights) * np.array(weights) / sum(weights), ALPHA_FLOOR)
    assert post.weights.mean(axis=0) == pytest.approx(post.prior_weights.mean(axis=0), abs=0.03)
    assert post.prior_weights.mean(axis=0) == pytest.approx(alpha / alpha.sum(), abs=0.03)


@pytest.mark.parametrize(
    "noise",
    [
        NoiseModel(beta=6.0, beta_spread=0.0, cut_spread=0.0),
        NoiseModel(cut_spread=0.0),
        NoiseModel(),
    ],
    ids=["a fixed slope", "the slope learnt", "the slope and the cut learnt"],
)
def test_the_sampler_matches_the_exact_posterior_of_a_small_case(noise: NoiseModel) -> None:
    """One point with two options, a party with no declared preferences (the flat prior: uniform
    scores and reservation value), four drafts choosing o0 with mixed answers. A stance depends on
    whether o0 is the better option (x = 1 or 0), on the slope beta k and on the cut, a whole-draft
    verdict on s0 - r: once s1 is integrated out (P(s1 < s0) = s0) the posterior is an integral over
    s0, r, log k ~ N(0, spread^2) and log cut ~ N(log cut, cut_spread^2) (those learnt), computed here
    on a grid (r summed out first: only the verdicts depend on it)."""
    from scipy.special import expit

    drafts = tuple(draft(v, {"p1": "o0"}) for v in range(1, 5))
    answers = (ACCEPT, CONDITIONAL, ACCEPT, REJECT)
    stances = tuple(Stance(v, "south", "p1", a) for v, a in zip(range(1, 5), answers, strict=True))
    n = replace(negotiation(drafts, stances), points=framework(1, 2))
    post = estimate(n, "south", samples=4000, seed=5, noise=noise)
    assert post.diagnostics.ok, post.diagnostics.problems

    def axis(spread: float, centre: float) -> tuple[FloatArray, FloatArray]:
        if spread <= 0:
            return np.full(1, centre), np.ones(1)
        values = np.linspace(centre - 5 * spread, centre + 5 * spread, 81)
        return values, np.exp(-0.5 * ((values - centre) / spread) ** 2)

    log_k, prior_k = axis(noise.beta_spread, 0.0)
    log_c, prior_c = axis(noise.cut_spread, math.log(noise.cut))

    def stance_likelihood(x: float, k: FloatArray, cut: FloatArray) -> FloatArray:
        eta = noise.beta * k * (x - noise.tau)
        accept, reject = expit(eta - cut), expit(-eta - cut)
        p = {ACCEPT: accept, REJECT: reject, CONDITIONAL: 1.0 - accept - reject}
        return np.asarray(np.prod([p[a] for a in answers], axis=0))

    grid = (np.arange(200) + 0.5) / 200
    lk, lc = np.meshgrid(log_k, log_c, indexing="ij")
    prior = (prior_k[:, None] * prior_c[None, :])[None]
    best = stance_likelihood(1.0, np.exp(lk), np.exp(lc))[None] * prior  # (1, K, C)
    worst = stance_likelihood(0.0, np.exp(lk), np.exp(lc))[None] * prior
    s0 = grid[:, None, None]
    z = noise.beta_reservation * (grid[:, None] - grid[None, :])  # (s0, r)
    verdicts = np.prod([expit(-z) if a is REJECT else expit(z) for a in answers], axis=0)
    verdict = verdicts.sum(axis=1)[:, None, None]  # r summed out
    verdict_r = (verdicts * grid[None, :]).sum(axis=1)[:, None, None]
    joint = (s0 * best + (1 - s0) * worst) * verdict  # s1 integrated out
    z_total = joint.sum()
    exact_best = (s0 * best * verdict).sum() / z_total  # P(o0 is the better option)
    exact_s0 = (s0 * joint).sum() / z_total
    exact_r = ((s0 * best + (1 - s0) * worst) * verdict_r).sum() / z_total
    exact_s1 = ((s0 / 2 * s0 * best + (1 + s0) / 2 * (1 - s0) * worst) * verdict).sum() / z_total
    exact_log_k = (lk[None] * joint).sum() / z_total
    exact_log_c = (lc[None] * joint).sum() / z_total

    scores = post.scores[0]
    assert (scores[:, 0] > scores[:, 1]).mean() == pytest.approx(exact_best, abs=0.03)
    assert scores[:, 0].mean() == pytest.approx(exact_s0, abs=0.02)
    assert scores[:, 1].mean() == pytest.approx(exact_s1, abs=0.02)
    assert post.reservation.mean() == pytest.approx(exact_r, abs=0.02)
    assert post.slope_scale is not None and post.cuts is not None
    assert np.log(post.slope_scale).mean() == pytest.approx(exact_log_k, abs=0.05)
    assert np.log(post.cuts).mean() == pytest.approx(exact_log_c, abs=0.05)


def test_a_party_that_answers_conditional_often_gets_a_wider_band() -> None:
    """Two parties answer the same drafts with the same leaning (accept o2, reject o0, north's best
    and worst); one answers `conditional` on one point in two, the other never. The first's cut (the
    half-width of its conditional band) comes out surely wider than the prior's median; the second's
    stays where the prior put it (answers far from the band's edges say little of its width). With
    the cut fixed, the first party's conditionals would read as noise: a flatter slope."""
    drafts = tuple(draft(v, dict.fromkeys(("p1", "p2", "p3"), "o2" if v % 2 else "o0")) for v in range(1, 10))

    def answers(hedging: bool) -> tuple[Stance, ...]:
        def answer(v: int, p: int) -> StanceKind:
            if hedging and (v + p) % 2 == 0:
                return CONDITIONAL
            return ACCEPT if v % 2 else REJECT

        return tuple(Stance(v, "north", f"p{p}", answer(v, p)) for v in range(1, 10) for p in (1, 2, 3))

    hedging = estimate(negotiation(drafts, answers(True)), "north", samples=1000, seed=3)
    plain = estimate(negotiation(drafts, answers(False)), "north", samples=1000, seed=3)
    fixed = estimate(
        negotiation(drafts, answers(True)), "north", samples=1000, seed=3, noise=NoiseModel(cut_spread=0.0)
    )
    for post in (hedging, plain, fixed):
        assert post.diagnostics.ok, post.diagnostics.problems
    wide, narrow = hedging.cut_summary(), plain.cut_summary()
    assert wide.prior_mean == narrow.prior_mean
    assert wide.low > NoiseModel().cut  # surely wider than the prior's median
    assert narrow.low < NoiseModel().cut < narrow.high  # sharp answers say little of the band: the prior
    # with the band fixed, the same answers read as erratic: a flatter slope
    assert hedging.slope_summary().mean > 1.5 * fixed.slope_summary().mean
    assert fixed.cuts is not None and np.all(fixed.cuts == NoiseModel().cut)


def test_the_default_sample_count_is_the_same_everywhere() -> None:
    """1000 posterior samples per party by default (docs/estimate.md: with three walks of the weights
    per sweep of the scores they give the weights more effective samples than 4000 did with one), in
    the analysis, the services, the CLI, the web and the posterior robustness alike."""
    import inspect
    from collections.abc import Callable

    from accord.analysis import estimate as analysis
    from accord.cli import engine_commands, estimate_commands, robustness_commands
    from accord.services import estimate as service
    from accord.services import robustness
    from accord.web.routes import estimates as web

    def default(function: Callable[..., object], name: str) -> object:
        value = inspect.signature(function).parameters[name].default
        return getattr(value, "default", value)  # a typer Option holds its default

    assert analysis.WALKS == 3
    assert default(analysis.estimate, "samples") == 1000
    for function in (service.estimate_parties, service.for_viewer, service.of_record):
        assert default(function, "samples") == 1000, function
    assert default(robustness.posterior_acceptance, "samples") == 1000
    assert default(robustness.analyse, "posterior_samples") == 1000
    assert default(estimate_commands.estimate_command, "samples") == 1000
    assert default(robustness_commands.robust, "posterior_samples") == 1000
    assert default(engine_commands.solve_command, "posterior_samples") == 1000
    assert web.SAMPLES == 1000


def test_a_contradiction_of_a_party_named_in_the_plural_says_they() -> None:
    from accord.analysis.estimate import Contradiction
    from accord.scenario import load
    from accord.services.estimate import in_words
    from tests.conftest import EXAMPLES

    flagship = load(EXAMPLES / "peace-framework-2025.yaml")
    for party, it in (("europe", "they"), ("ukraine", "it")):
        found = Contradiction(party, "territory", "line-of-contact", 4, "reject", 0.03, 3.5, "v4")
        words = in_words(flagship, found)
        assert words.endswith(f"on draft v4, which {it} rejected"), words
