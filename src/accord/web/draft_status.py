"""A draft's status in words, and the statuses it may take next (accord.services.drafts.NEXT_STATUS:
draft -> circulated -> agreed or withdrawn; those two are final), as the draft's page offers them."""

from __future__ import annotations

from accord.domain import DraftStatus
from accord.services.drafts import NEXT_STATUS
from accord.web.translations import N_

STATUS_WORDS = {
    DraftStatus.DRAFT: N_("a draft, not yet circulated"),
    DraftStatus.CIRCULATED: N_("circulated"),
    DraftStatus.AGREED: N_("agreed (final)"),
    DraftStatus.WITHDRAWN: N_("withdrawn (final)"),
}
ACTIONS = {
    DraftStatus.CIRCULATED: N_("Mark as circulated"),
    DraftStatus.AGREED: N_("Mark as agreed"),
    DraftStatus.WITHDRAWN: N_("Withdraw this draft"),
}


def next_statuses(status: DraftStatus) -> list[tuple[str, str]]:
    """Each status the draft may take next, with its button's words (for the catalogue: N_)."""
    order = (DraftStatus.CIRCULATED, DraftStatus.AGREED, DraftStatus.WITHDRAWN)
    return [(s.value, ACTIONS[s]) for s in order if s in NEXT_STATUS[status]]
