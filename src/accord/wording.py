"""Words for people: a count with its noun in the right number ("1 stance", "3 stances"), a verb
in agreement with a party's name ("Ukraine rejects", "European states reject")."""

from __future__ import annotations

from collections.abc import Sequence


def counted(count: int, noun: str, nouns: str | None = None) -> str:
    """``count`` and the noun, singular for exactly one, else ``nouns`` (the noun + "s" by default)."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def listed(words: Sequence[str]) -> str:
    """ "Ukraine", "Ukraine and Russia", "Ukraine, Russia and Europe"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def parties_counted(parties: int, mediators: Sequence[str] = (), observers: Sequence[str] = ()) -> str:
    """The parties that negotiate, counted, with who mediates and who observes by name: "3 parties
    (United States mediating)", "2 parties (Norway mediating; United Nations observing)". A mediator
    or an observer is no party to the deal, so it is not counted among them."""
    beside = [
        f"{listed(names)} {doing}"
        for names, doing in ((mediators, "mediating"), (observers, "observing"))
        if names
    ]
    return counted(parties, "party", "parties") + (f" ({'; '.join(beside)})" if beside else "")


def shortened(text: str, limit: int = 60) -> str:
    """``text`` cut to at most ``limit`` characters at a word's end, with "…" when cut ("Membership
    left to a later…"); a first word longer than ``limit`` is cut inside it (with "…")."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > 0 and text[limit - 1] != " ":
        cut = cut[:space]
    return cut.rstrip(" ,;:.–—-") + "…"


# The head nouns read as plural when capitalised in a name ("Arab States", "The Allies", "Social
# Democrats"): a capitalised word ending in "s" is as often a singular proper name ("Brussels",
# "General Motors", "Marshall Islands", "Siemens"), so only these count.
_PLURAL_HEADS = frozenset(
    {
        *("allies", "authorities", "communities", "countries", "delegations", "democrats", "donors"),
        *("employers", "factions", "forces", "governments", "greens", "groups", "guarantors", "houthis"),
        *("kurds", "liberals", "members", "militias", "movements", "nations", "parties", "partners"),
        *("powers", "rebels", "republicans", "socialists", "states", "tribes", "unions", "workers"),
    }
)
# the lower-case nouns ending in "s" that are singular ("the news", "a series")
_SINGULAR_WORDS = frozenset({"corps", "headquarters", "means", "news", "series", "species"})
# a plural head after these is one country or body: the United States, the United Nations, the
# Federated States of Micronesia
_ONE_BODY = frozenset({"united", "federated"})
# the words that end a name's head: "Friends of Syria", "Movement for Democratic Change"
_AFTER_HEAD = frozenset({"of", "for", "in", "from", "on", "at", "to", "with", "against", "under"})


def plural_name(name: str) -> bool:
    """Whether a party's name takes a plural verb ("European states (E3/EU) reject", "Ukraine
    rejects"). The head noun decides: the name's last word before any brackets, comma or preposition
    ("Friends of Syria": "Friends"). It is plural when written in lower case after another word and
    ending in "s" (not "ss", "us", "is", "as" or "os": "press", "consensus", "basis"), or when it is
    one of a few nouns that are plural capitalised too ("Arab States", "The Allies", "Social
    Democrats") and is not "United ..." or "Federated ...": the United States and the United Nations
    are one body each. Any other name is singular ("United Arab Emirates", "Netherlands", "General
    Motors", "Hamas", "Friends of Syria"): when unsure, singular."""
    # what stands in brackets, nested or square, is left out ("European states (E3 (UK, France))")
    depth, kept = 0, []
    for char in name:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0:
            kept.append(char)
    plain = "".join(kept)
    head_words: list[str] = []
    for word in plain.replace("/", " / ").split(",")[0].split():
        if word == "/":
            break  # "Gulf states/GCC": the first of the two names
        if word.lower() in _AFTER_HEAD and head_words:
            break
        head_words.append(word)
    if not head_words:
        return False
    head = head_words[-1].strip(".;:!?\"'“”‘’")
    before = head_words[-2].lower() if len(head_words) > 1 else ""
    lower = head.lower()
    if before in _ONE_BODY:
        return False
    if head.islower() and len(head_words) > 1:  # a lower-case word alone is rather a key ("siemens")
        return (
            lower.endswith("s")
            and not lower.endswith(("ss", "us", "is", "as", "os"))
            and lower not in _SINGULAR_WORDS
        )
    return lower in _PLURAL_HEADS


_PLURAL_VERBS = {"is": "are", "has": "have", "was": "were", "does": "do"}


def verb(subject: str, phrase: str) -> str:
    """``phrase``, a verb in the third person singular and what follows it ("rejects", "is studying",
    "has accepted", "takes no position on"), in agreement with ``subject``, a party's name: as it is
    for a singular name, its first word in the plural for a plural one (plural_name): "reject", "are
    studying", "have accepted", "take no position on"."""
    if not plural_name(subject):
        return phrase
    first, _, rest = phrase.partition(" ")
    if first in _PLURAL_VERBS:
        first = _PLURAL_VERBS[first]
    elif first.endswith("ies"):
        first = first[:-3] + "y"  # studies -> study
    elif first.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        first = first[:-2]  # crosses -> cross, goes -> go
    elif first.endswith("s"):
        first = first[:-1]
    return f"{first} {rest}" if rest else first


def possessive(name: str) -> str:
    """ "Zelensky's", "Ukrainian officials'", "the Witkoffs'": a plural in -s takes the apostrophe alone."""
    if name.endswith("s") and (plural_name(name) or name.endswith(_PLURAL_FORM_NAMES)):
        return name + "'"
    return name + "'s"


_PLURAL_FORM_NAMES = ("States", "Nations", "Netherlands", "Emirates", "Islands", "Philippines")
"""Names plural in form, singular in sense: "the United States'" (plural_name says "holds")."""
