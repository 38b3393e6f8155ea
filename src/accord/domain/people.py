"""People at the talks: members of a party's delegation, and others (journalists, officials of
third states) who belong to no party."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii


@dataclass(frozen=True)
class Person:
    """One person, by a key unique in the negotiation.

    ``party`` is the party the person belongs to (None: a journalist, an official of a third state);
    ``lead`` marks who leads that party's delegation; ``aliases`` are other spellings the record may
    meet ("Yury"/"Yuri", a name with its title); ``note`` is private: the mediator's, never shown to
    another seat (accord.security.policy); ``sources`` are the keys of the sources that name them.
    """

    id: str
    name: str
    party: str | None = None
    role: str | None = None
    lead: bool = False
    aliases: tuple[str, ...] = ()
    note: str | None = None
    sources: tuple[str, ...] = ()

    def answers_to(self, name: str) -> bool:
        """Whether ``name`` is this person: the key, the name or an alias (case and accents aside)."""
        wanted = fold_name(name)
        return wanted in {fold_name(n) for n in (self.id, self.name, *self.aliases)}

    def answers_to_surname(self, name: str) -> bool:
        """Whether ``name`` is the last word of this person's name or of an alias."""
        wanted = fold_name(name)
        return " " not in wanted and any(
            fold_name(n).split()[-1:] == [wanted] for n in (self.name, *self.aliases)
        )


def fold_name(name: str) -> str:
    """A name as compared: lower case, accents removed, runs of spaces as one."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


_NAME_AND_ROLE = re.compile(r"^\s*(?P<name>[^()]+?)\s*\((?P<role>[^()]+)\)\s*$")


def from_delegation_entry(entry: str) -> tuple[str, str | None]:
    """A scenario's old ``delegation:`` entry as (name, role): "Anouk Verhaegen (party leader)" gives
    ("Anouk Verhaegen", "party leader"); an entry without a role in brackets is the name itself."""
    found = _NAME_AND_ROLE.match(entry)
    if found is None:
        return entry.strip(), None
    return found["name"], found["role"].strip()


def person_key(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A key for a new person from the name: "Anouk Verhaegen" -> "anouk-verhaegen", "Юрий Ушаков" ->
    "yurii-ushakov" (-2, -3, ... when taken)."""
    plain = anyascii(fold_name(name)).lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "person"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key
