"""Adjusted Winner for two parties of a stored negotiation (`accord adjusted-winner` on the
workbench): the mediator's analysis, on the record as it stands."""

from __future__ import annotations

from accord.reports.fair_division import AdjustedWinnerView, adjusted_winner_view
from accord.security.policy import Action, Viewer, require
from accord.services import workbench
from accord.storage.database import Database


def adjusted_winner(
    database: Database, viewer: Viewer, slug: str, party_a: str, party_b: str
) -> AdjustedWinnerView:
    """Adjusted Winner between ``party_a`` and ``party_b``, their weights the bids (the mediator's:
    it reads both parties' private preferences)."""
    require(viewer, Action.ANALYSE, slug)  # before reading anything
    negotiation = workbench.view(database, viewer, slug).negotiation
    return adjusted_winner_view(negotiation, party_a, party_b)
