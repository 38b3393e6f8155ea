"""Use case: read a report against a stored negotiation's record and propose entries (nothing is
written; `accord ingest apply` writes what a person accepted, accord.services.ingest_apply).

Ingest reads the whole record (every party's people, every point) and proposes entries of any
party's chronology: the mediator's work, decided by the policy (Action.INGEST) for the command line
(the local operator) and the workbench alike.
"""

from __future__ import annotations

import datetime as dt

from accord.domain.proposals import Proposals
from accord.errors import DomainError
from accord.ingest.reading import ReportText
from accord.security.policy import Action, Viewer, command_line, require, visible
from accord.storage.database import Database
from accord.storage.unit_of_work import reading


def propose(
    database: Database,
    slug: str | None,
    report: ReportText,
    *,
    viewer: Viewer | None = None,
    user: str = "operator",
    report_date: dt.date | None = None,
    outlet: str | None = None,
    url: str | None = None,
    today: dt.date | None = None,
) -> Proposals:
    """The proposals a report makes for the negotiation's record, each with its evidence. A source
    address that is no web address is refused here, before the reading, not when the proposals are
    applied."""
    from accord.domain.sources import url_problem
    from accord.ingest.extract import read_report  # spaCy and the rules load here, on use

    if url is not None and (problem := url_problem(url)):
        raise DomainError(f"--source-url: {problem}")

    with reading(database) as uow:
        name = slug or uow.repository.default_slug()
        seen_by = viewer or command_line(user, name)
        require(seen_by, Action.INGEST, name)
        negotiation = visible(seen_by, name, uow.repository.load(name, stances=False).negotiation)
    return read_report(
        report.text,
        negotiation,
        sha256=report.sha256,
        file=report.name,
        date=report_date,
        outlet=outlet,
        url=url,
        title=report.title,
        today=today,
    )
