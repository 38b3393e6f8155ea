"""The stored negotiation, read for the analyses: the same model a scenario file gives.

Every analysis (solve, frontier, diagnose, ...) reads either a scenario file or the stored negotiation;
this is the second way. The model is the one `accord export` would write and `accord.scenario.load`
would read back, so an analysis gives the same answer on the stored negotiation as on the file it was
imported from. The read is a read of the mediator's estimates: it asks the policy, as the command line's
local operator (accord.security.policy.command_line), for the mediator's analyses.
"""

from __future__ import annotations

from accord.domain import Negotiation
from accord.security.policy import Action, command_line, require, visible
from accord.storage.database import Database
from accord.storage.unit_of_work import reading


def for_analyses(database: Database, slug: str | None, *, user: str) -> Negotiation:
    """``slug`` None: the only negotiation stored (NotFoundError naming them when there are several,
    or saying there is none)."""
    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        viewer = command_line(user, name)
        require(viewer, Action.ANALYSE, name)
        negotiation = uow.repository.load(name).negotiation
    return visible(viewer, name, negotiation)
