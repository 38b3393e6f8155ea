"""A negotiation from a GENIUS domain and its profiles, with GENIUS's own utilities.

GENIUS's utility of a package is the sum over issues of w_i x e_i: the weights w_i as written
(GENIUS does not rescale them) and the evaluations e_i as its evaluators return them, capped at 1.
accord's utility is the sum of (weight_i / sum of weights) x score_i / score_scale. With S the sum of
the weights, the import writes

    weight_i = w_i,   score = e_i,   score_scale = 1 / S   (left at 1 when S is 1)

so the scenario shows the profile's own weights and GENIUS's evaluations, and every utility is
GENIUS's exactly. When the weights add up to more than 1 but no package reaches 1 (the best
evaluations of some issues are below 1), it writes instead, with top_i the best e_i and
M = sum of w_i x top_i:

    weight_i = w_i x top_i,   score = e_i / top_i,   score_scale = 1 / M

(Here score_scale is 1 / M.) A profile whose best package would be worth more than 1 cannot be
GENIUS's exactly: GENIUS caps such utilities at 1, which no additive utility does. It is written the
second way with score_scale 1, that is every utility divided by M, and a warning gives the largest
difference from GENIUS's, (M - 1) / M, at the packages GENIUS values exactly 1.
"""

from __future__ import annotations

import re
from pathlib import Path

from accord.domain import Negotiation, Option, Party, Point, Preferences, Role
from accord.scenario.genius.domain_file import MAX_INTEGER_VALUES, GeniusIssue, IssueKind, read_domain
from accord.scenario.genius.profile_file import GeniusProfile, profile_from, require_additive
from accord.scenario.genius.slugs import slug, unique
from accord.scenario.genius.xml_text import parse, problem

# GENIUS caps a utility at 1: a best package worth more than this is divided down, with a warning
OVER_ONE = 1e-9
# a best package worth 1 to within this keeps score_scale 1
ONE = 1e-12


def import_genius(
    domain_file: Path,
    profile_files: list[Path],
    *,
    real_steps: int | None = None,
    warnings: list[str] | None = None,
) -> Negotiation:
    """A negotiation built from a GENIUS domain and one profile per party.

    ``real_steps`` discretises each real issue into that many evenly spaced values (both bounds
    included); without it a real issue is refused. What cannot be GENIUS's exactly is said in
    ``warnings`` (when given) and recorded in the party's metadata."""
    repaired: dict[Path, list[str]] = {path: [] for path in [domain_file, *profile_files]}
    roots = [(path, parse(path, repaired[path])) for path in profile_files]
    for path, root in roots:
        require_additive(path, root)  # before the domain's issues: a non-additive profile says so
    read = read_domain(domain_file, repaired[domain_file])
    issues = _discretise(domain_file, read, real_steps)
    profiles = [profile_from(path, root, issues, repaired[path]) for path, root in roots]
    if warnings is not None:
        warnings += [f"{domain_file}: {note}" for note in repaired[domain_file]]
        warnings += [
            f"{path}: {note}"
            for profile, path in zip(profiles, profile_files, strict=True)
            for note in profile.notes
        ]

    point_ids: set[str] = set()
    points = []
    option_keys: dict[int, dict[str, str]] = {}
    for number, issue in enumerate(issues, start=1):
        taken: set[str] = set()
        option_keys[issue.index] = {v: unique(slug(v), taken) for v in issue.values}
        numbers = issue.numbers or (None,) * len(issue.values)
        points.append(
            Point(
                id=unique(slug(issue.name), point_ids),
                number=number,
                title=issue.name,
                options=tuple(
                    Option(option_keys[issue.index][v], v, value=x)
                    for v, x in zip(issue.values, numbers, strict=True)
                ),
            )
        )
    party_ids: set[str] = set()
    parties = []
    preferences = {}
    for profile, path in zip(profiles, profile_files, strict=True):
        party_id = unique(slug(profile.name), party_ids)
        meta = _metadata(profile, path)
        preferences[party_id], best = _preferences(party_id, path, profile, issues, points, option_keys)
        if best > 1 + OVER_ONE:
            meta["divided_by"] = best
            if warnings is not None:
                warnings.append(
                    f"{path}: the weights times each issue's best evaluation add up to {best:.6g}; GENIUS "
                    f"caps utilities at 1, accord divides them by {best:.6g} instead, so they differ "
                    f"from GENIUS's by at most {(best - 1) / best:.2g}"
                )
        parties.append(Party(party_id, profile.name, Role.PARTY, metadata={"genius": meta}))
    # ANAC files are usually named like "party_domain.xml"; the id drops that suffix
    name = re.sub(r"[-_ ]?domain$", "", domain_file.stem, flags=re.IGNORECASE) or domain_file.stem
    genius: dict[str, object] = {"domain": domain_file.name}
    if any(i.kind is IssueKind.REAL for i in read):
        genius["real_steps"] = real_steps
    return Negotiation(
        id=slug(name),
        title=name,
        points=tuple(points),
        parties=tuple(parties),
        preferences=preferences,
        metadata={"genius": genius},
    )


def _discretise(domain_file: Path, issues: list[GeniusIssue], real_steps: int | None) -> list[GeniusIssue]:
    reals = [i for i in issues if i.kind is IssueKind.REAL]
    if not reals:
        return issues
    if real_steps is None:
        named = ", ".join(f"{i.name!r} (from {i.lower:g} to {i.upper:g})" for i in reals)
        raise problem(
            domain_file,
            f"real-valued issue {named} has no finite list of values",
            "discrete or integer issues; to import a real one, discretise it with --real-steps N "
            "(N evenly spaced values from its lower to its upper bound)",
        )
    if not 2 <= real_steps <= MAX_INTEGER_VALUES:
        raise problem(
            domain_file,
            f"{real_steps} steps for a real issue",
            f"--real-steps from 2 to {MAX_INTEGER_VALUES:,}",
        )
    return [i.discretised(real_steps) if i.kind is IssueKind.REAL else i for i in issues]


def _metadata(profile: GeniusProfile, path: Path) -> dict[str, object]:
    meta: dict[str, object] = {"profile": path.name}
    if profile.discount_factor is not None:
        meta["discount_factor"] = profile.discount_factor
    if profile.reservation is None or not 0 <= profile.reservation <= 1:
        meta["reservation"] = "absent" if profile.reservation is None else profile.reservation
    return meta


def _preferences(
    party_id: str,
    path: Path,
    profile: GeniusProfile,
    issues: list[GeniusIssue],
    points: list[Point],
    option_keys: dict[int, dict[str, str]],
) -> tuple[Preferences, float]:
    """The party's preferences, and its best package's worth in GENIUS (before any cap)."""
    tops = {i.index: max(profile.evaluations[i.index].values()) for i in issues}
    best = sum(profile.weights[i.index] * tops[i.index] for i in issues)
    if best <= 0:
        raise problem(
            path,
            "every package is worth 0 to this profile (each issue has weight 0 or evaluations 0)",
            "a positive weight on an issue with a positive evaluation",
        )
    total = sum(profile.weights[i.index] for i in issues)
    # the profile's own numbers when its weights add up to at most 1; else each issue's best
    # evaluation folded into its weight (see the module's note)
    own = total <= 1 + ONE
    weights, scores = {}, {}
    for point, issue in zip(points, issues, strict=True):
        top, keys = tops[issue.index], option_keys[issue.index]
        divisor = 1.0 if own else top
        weights[point.id] = profile.weights[issue.index] * (1.0 if own else top)
        scores[point.id] = {
            keys[v]: (e / divisor if divisor > 0 else 0.0)
            for v, e in profile.evaluations[issue.index].items()
        }
    scale = total if own else best
    reservation = profile.reservation if profile.reservation is not None else 0.0
    preferences = Preferences(
        party=party_id,
        weights=weights,
        scores=scores,
        score_scale=1.0 if scale >= 1 - ONE else 1 / scale,  # scale > 0: best > 0
        reservation_value=min(max(reservation, 0.0), 1.0),
        basis=f"GENIUS profile {path.name}",
    )
    return preferences, best
