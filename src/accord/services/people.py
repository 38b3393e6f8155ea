"""Use cases on people: the members of each party's delegation, and people of no party."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from accord.domain import Negotiation, Person
from accord.domain.people import fold_name, person_key
from accord.errors import DomainError, NotFoundError
from accord.services.record_keys import checked_key
from accord.storage.database import Database
from accord.storage.unit_of_work import Writing, reading, writing


def _party(negotiation: Negotiation, party: str | None) -> str | None:
    if party is None:
        return None
    try:
        return negotiation.party(party).id
    except NotFoundError as error:
        raise NotFoundError(f"--party: {error}") from None


def _check_lead(negotiation: Negotiation, person: Person) -> None:
    if not person.lead:
        return
    if person.party is None:
        raise DomainError(f"--lead: {person.name} belongs to no party, so leads no delegation")
    for other in negotiation.people_of(person.party):
        if other.lead and other.id != person.id:
            raise DomainError(
                f"--lead: {other.name} ({other.id}) leads {person.party}'s delegation already; "
                f"`accord person update {other.id} --no-lead` first"
            )


def add_person(
    database: Database,
    slug: str | None,
    *,
    name: str,
    actor: str,
    party: str | None = None,
    role: str | None = None,
    lead: bool = False,
    aliases: Sequence[str] = (),
    note: str | None = None,
    key: str | None = None,
    expected_revision: int | None = None,
) -> Person:
    """A person, of a party (or of none); the key is made from the name unless given."""
    if not name.strip():
        raise DomainError("a person needs a name")
    with writing(database, actor) as uow:
        return add_person_in(
            uow,
            slug or uow.repository.default_slug(),
            name=name,
            party=party,
            role=role,
            lead=lead,
            aliases=aliases,
            note=note,
            key=key,
            expected_revision=expected_revision,
        )


def add_person_in(
    uow: Writing,
    slug: str,
    *,
    name: str,
    party: str | None = None,
    role: str | None = None,
    lead: bool = False,
    aliases: Sequence[str] = (),
    note: str | None = None,
    key: str | None = None,
    sources: Sequence[str] = (),
    expected_revision: int | None = None,
) -> Person:
    """:func:`add_person` inside an open unit of work (a batch of writes in one transaction, such as
    `accord ingest apply`): checked, written and audited the same way; ``sources``: stored sources
    it cites."""
    if not name.strip():
        raise DomainError("a person needs a name")
    negotiation = uow.repository.load(slug, stances=False).negotiation
    taken = {p.id for p in negotiation.people}
    if key is not None:
        checked_key(key, "person", taken)
    else:
        wanted = _party(negotiation, party)
        named = [p for p in negotiation.people if fold_name(p.name) == fold_name(name)]
        same = next((p for p in named if p.party == wanted), None)
        if same is not None:
            raise DomainError(
                f"--id: {same.name} of that party is recorded already ({same.id}); to record another person "
                "of that name, give it an --id of its own"
            )
    for cited in sources:
        negotiation.source(cited)
    person = Person(
        id=key or person_key(name, taken),
        name=name.strip(),
        party=_party(negotiation, party),
        role=role.strip() or None if role else None,
        lead=lead,
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases if a.strip())),
        note=note or None,
        sources=tuple(dict.fromkeys(sources)),
    )
    _check_lead(negotiation, person)
    before = uow.repository.state_digest(slug)
    uow.repository.claim(slug, expected_revision)
    uow.repository.add_person(slug, person)
    of = f" of {person.party}" if person.party else " (of no party)"
    uow.record(
        "person.add",
        slug,
        f"person {person.id}: {person.name}{of}",
        before,
        {"person": person.id, **({"sources": list(person.sources)} if person.sources else {})},
    )
    return person


def update_person(
    database: Database,
    slug: str | None,
    who: str,
    *,
    actor: str,
    name: str | None = None,
    party: str | None = None,
    no_party: bool = False,
    role: str | None = None,
    lead: bool | None = None,
    add_aliases: Sequence[str] = (),
    note: str | None = None,
    expected_revision: int | None = None,
) -> Person:
    """Change a person's details (``no_party``: of no party from now on); the audit entry keeps
    each changed field before and after (a private note only as changed)."""
    if no_party and party is not None:
        raise DomainError("--party: give a party or --no-party, not both")
    with writing(database, actor) as uow:
        slug_ = slug or uow.repository.default_slug()
        negotiation = uow.repository.load(slug_, stances=False).negotiation
        person = negotiation.person(who)
        changed = replace(
            person,
            name=name.strip() if name and name.strip() else person.name,
            party=None if no_party else (_party(negotiation, party) if party is not None else person.party),
            role=role.strip() or None if role is not None else person.role,
            lead=person.lead if lead is None else lead,
            aliases=tuple(dict.fromkeys([*person.aliases, *(a.strip() for a in add_aliases if a.strip())])),
            note=note if note is not None else person.note,
        )
        if changed == person:
            raise DomainError(f"nothing to change for {person.id}: give --name, --party, --role, --lead, …")
        _check_lead(negotiation, changed)
        fields = {
            f: [getattr(person, f), getattr(changed, f)]
            for f in ("name", "party", "role", "lead", "aliases", "note")
            if getattr(person, f) != getattr(changed, f)
        }
        if "aliases" in fields:
            fields["aliases"] = [list(person.aliases), list(changed.aliases)]
        if "note" in fields:  # the note is private: the log says that it changed, not what it says
            fields["note"] = ["…", "…"]
        before = uow.repository.state_digest(slug_)
        uow.repository.claim(slug_, expected_revision)
        uow.repository.update_person(slug_, changed)
        uow.record(
            "person.update",
            slug_,
            f"person {person.id}: {', '.join(fields)} changed",
            before,
            {"person": person.id, "changes": fields},
        )
    return changed


def list_people(database: Database, slug: str | None, party: str | None = None) -> tuple[Person, ...]:
    with reading(database) as uow:
        negotiation = uow.repository.load(slug or uow.repository.default_slug(), stances=False).negotiation
    if party is not None:
        return negotiation.people_of(_party(negotiation, party) or "")
    return negotiation.people
