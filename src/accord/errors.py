"""The one exception tree of accord.

    AccordError                 every error accord raises on purpose
    ├── ScenarioError           a scenario file (YAML) is unreadable or invalid;
    │                           carries every Problem found, not just the first
    ├── GeniusFormatError       a GENIUS XML domain or profile cannot be read or written
    ├── DomainError             a rule of the negotiation model was broken by a caller
    │   └── NotFoundError       a negotiation, party, point, version or meeting does not exist
    ├── EngineError             the compromise engine cannot answer the question as asked
    ├── StorageError            the database cannot be opened, or holds no (or an old) schema
    ├── StaleWriteError         a write based on a stale read was refused (optimistic locking)
    ├── AuditError              the audit log does not verify (or cannot be checkpointed)
    ├── CheckpointError         a checkpoint file is unreadable, or not signed by the trusted key
    ├── KeyFileError            a key file is missing, unreadable, or not the key a record needs
    ├── NotAuthenticated        nobody is logged in (or the log-in failed)
    ├── AccessDenied            the policy does not let this viewer see or change this
    ├── TooManyAttempts         refused for a while: failed log-ins, or too many copies from a seat
    ├── Cancelled               long work (a robustness job) was stopped by whoever started it
    ├── SeatBusy                a seat asked for a second job while its first is unfinished
    └── SettingsError           a setting (an environment variable or flag) has a value accord cannot use

The CLI prints ``ErrorName: message`` for these and exits non-zero; anything
else escaping is a bug in accord.
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.wording import counted


class AccordError(Exception):
    """Base class of every error accord raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where it is and what was expected."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class ScenarioError(AccordError):
    """A scenario file could not be loaded; ``problems`` lists all that was found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        head = f"{counted(len(self.problems), 'problem')} found"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))


class GeniusFormatError(AccordError):
    """A GENIUS XML file cannot be read, or a scenario cannot be written as GENIUS XML."""


class DomainError(AccordError):
    """A rule of the negotiation model was broken (unknown point, option or party)."""


class EngineError(AccordError):
    """The compromise engine cannot answer the question as asked (bad concept, no draft option...).

    ``party``: the id of the party the question fails for, when one does (a form marks that field)."""

    def __init__(self, message: str = "", *, party: str | None = None) -> None:
        super().__init__(message)
        self.party = party


class NotFoundError(DomainError):
    """A negotiation, party, point, draft version or meeting named by the caller does not exist."""


class StorageError(AccordError):
    """The database cannot be opened or holds no accord schema (or an older one)."""


class StaleWriteError(AccordError):
    """A write was based on a state that has changed since it was read (optimistic locking)."""


class AuditError(AccordError):
    """The audit log does not verify (so no checkpoint is signed over it)."""


class CheckpointError(AccordError):
    """A checkpoint file is unreadable, or its signature does not verify against the trusted key."""


class KeyFileError(AccordError):
    """A key file is missing or unreadable, exists already, or is not the key a record was sealed under."""


class NotAuthenticated(AccordError):
    """Nobody is logged in, or the user name and password do not match."""


class AccessDenied(AccordError):
    """The policy (accord.security.policy) does not let this viewer see or change this."""


class TooManyAttempts(AccordError):
    """Refused for ``retry_after`` seconds: log-ins after repeated failures (accord.security.throttle),
    or one seat's copies beyond their rate (accord.security.rate_limit)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Cancelled(AccordError):
    """Long work was stopped, between two of its steps, by whoever started it (accord.web.jobs)."""


class SeatBusy(AccordError):
    """A seat asked for a second job while one of its jobs is queued or running (accord.web.jobs):
    one job at a time per seat."""


class SettingsError(AccordError):
    """A setting (an environment variable, see accord.config) has a value accord cannot use."""
