"""`accord status`: the stored negotiation, read and handed to the analysis of where things stand."""

from __future__ import annotations

from accord.analysis.standing import Standing, standing_of
from accord.services.estimate import contradiction_data, contradictions, in_words
from accord.storage.database import Database
from accord.storage.unit_of_work import reading


def standing(
    database: Database, slug: str | None, *, version: int | None = None, solver: str = "highs"
) -> Standing:
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug()).negotiation
    return standing_of(negotiation, version=version, solver=solver)


# standing_of: a negotiation read already; contradictions: where the declared estimates contradict the
# recorded stances, most surprising first (accord.services.estimate), in_words / contradiction_data: one
__all__ = [
    "Standing",
    "contradiction_data",
    "contradictions",
    "in_words",
    "standing",
    "standing_of",
]
