"""What the ingest tests on wire-report patterns share: a report read against the talks (the fixture
``talks`` in tests/unit/conftest.py), and its proposals of one kind."""

from __future__ import annotations

import hashlib

from accord.domain import Negotiation
from accord.domain.proposals import Proposal, ProposalKind, Proposals
from accord.ingest.extract import read_report


def read(text: str, negotiation: Negotiation) -> Proposals:
    return read_report(text, negotiation, sha256=hashlib.sha256(text.encode()).hexdigest())


def of(proposals: Proposals, kind: ProposalKind) -> list[Proposal]:
    return [p for p in proposals.proposals if p.kind is kind]
