"""`accord status`: the stored negotiation, read and handed to the analysis of where things stand."""

from __future__ import annotations

from accord.analysis.standing import Standing, standing_of
from accord.storage.database import Database
from accord.storage.unit_of_work import reading


def standing(
    database: Database, slug: str | None, *, version: int | None = None, solver: str = "highs"
) -> Standing:
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug()).negotiation
    return standing_of(negotiation, version=version, solver=solver)


__all__ = ["Standing", "standing", "standing_of"]  # standing_of: a negotiation read already
