"""Who and what a report names, read from the record: the parties (their names, the names the press
uses, the adjectives of nationality), the people (names, aliases, a unique surname, spellings within a
transliteration's distance), titles ("chief negotiator", "the foreign ministry's spokeswoman") that
introduce people not yet in the record, and the places where the talks met.

rapidfuzz scores spellings ("Dmitri Volkhov" ~ "Dmitry Volkov"); everything else is patterns built
from the record, so the same rules read any negotiation's reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from accord.domain import Negotiation
from accord.domain.negotiation import Role
from accord.domain.people import Person, fold_name

TITLE_NOUNS = (
    "spokeswoman|spokesman|spokesperson|press secretary|minister|deputy minister|foreign minister"
    "|negotiator|chief negotiator|lead negotiator|envoy|special envoy|adviser|advisor|ambassador|secretary"
    "|party leader|leader|chair|chairman|chairwoman|president|vice-president|prime minister|premier"
    "|deputy|official|representative|director|head|commissioner|mediator|formateur|informateur"
    "|mayor|governor|general|colonel|chancellor|senator|counsel|aide|diplomat|undersecretary|delegate"
    "|chief of staff|national security adviser|national security advisor|son-in-law|counterpart"
)
_TITLE = re.compile(rf"\b(?i:{TITLE_NOUNS})\b", re.IGNORECASE)


def _plural(title: str) -> str:
    """A title's plural as the press writes it: "envoys", "spokesmen", "deputies", "chiefs of staff"."""
    head, _, rest = title.partition(" of ")
    if head.endswith("man"):
        head = head[:-3] + "men"
    elif head.endswith("person"):
        head = head[:-6] + "people"
    elif head.endswith("y") and not head.endswith(("ay", "ey", "oy")):
        head = head[:-1] + "ies"
    elif "-in-" not in head:
        head += "s"
    return f"{head} of {rest}" if rest else head


# "US envoys X and Y", "Ukrainian negotiators X, Y and Z": one title for several people
PLURAL_TITLES = "|".join(
    sorted({_plural(t) for t in TITLE_NOUNS.split("|") if "-in-" not in t}, key=len, reverse=True)
)
# the words before a title that belong to it: "Russian", "Ukraine's", "U.S. Army", "Trump's special",
# "the party's", "Kremlin"
_MODIFIER = re.compile(
    r"(?:(?:[A-Z][\w.&'’-]*|the|its|their|his|her|(?i:party|ministry's|government's|special|presidential"
    r"|chief|senior|national|security|foreign|deputy|first|top|lead|acting|interim|current|former|army"
    r"|defence|defense|finance|housing|economy|economic|health|interior|justice|trade))\s+){1,5}$"
)
_PARTICLE = r"(?:van|de|der|den|von|al|el|bin|da|di|du|le|la|ter|ten|zu|dos|das|del)"
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
# a word of a name: "Rubio", "McConnell", "O'Brien", "Takht-Ravanchi", "al-Nasser", "Trump's" (the
# possessive is trimmed from a candidate, never part of a name)
_NAME_WORD = (
    rf"(?:Mc|Mac|O['’]|D['’]|(?:al|el|ad|as|ash|at|an|ar|az|ud|ul|ibn|abu|bin)-)?"
    rf"[{_UPPER}][{_LOWER}]+(?:['’][{_LOWER}]+)?(?:-[{_UPPER}]?[{_LOWER}]+)*"
)
# up to five words, so that a title's capitals before a name ("Deputy Foreign Minister Sergei Ryabkov")
# leave the whole name once trimmed
NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_NAME_WORD}){{1,4}}"
_ORGANISATION_WORDS = frozenset(
    [
        "party",
        "union",
        "ministry",
        "office",
        "council",
        "committee",
        "authority",
        "courier",
        "courant",
        "times",
        "post",
        "press",
        "news",
        "agency",
        "bureau",
        "institute",
        "university",
        "group",
        "alliance",
        "front",
        "movement",
        "government",
        "federation",
        "republic",
        "kingdom",
        "states",
        "commission",
        "parliament",
        "assembly",
        "congress",
        "senate",
        "bank",
        "fund",
        "court",
        "tribune",
        "herald",
        "gazette",
        "journal",
        "radio",
        "television",
        "tv",
        "channel",
        "network",
        "review",
        "daily",
        "weekly",
    ]
)
# the last word of a place's name, never a person's: "Shell Bay", "the Palm Golf Club", "Diriyah
# Palace", "Hallandale Beach" ("Park" and "Hall" are surnames too, so they are not here)
PLACE_WORDS = frozenset(
    {
        "bay", "beach", "club", "palace", "hotel", "resort", "island", "islands", "lake", "estate",
        "castle", "villa", "centre", "center", "gardens", "springs", "square", "airport", "harbour",
        "harbor", "valley", "heights", "ranch", "lodge", "manor", "chateau", "château", "abbey",
        "stadium", "plaza", "avenue", "boulevard", "embassy", "consulate", "headquarters", "residence",
        "mansion", "retreat", "compound", "pavilion", "building", "base", "coast", "peninsula", "strip",
        "sea", "gulf", "river", "mountains", "desert", "cove", "bridge",
    }
)  # fmt: skip
_GROUP_WORDS = (
    "officials",
    "negotiators",
    "envoys",
    "diplomats",
    "delegation",
    "delegates",
    "representatives",
    "side",
    "government",
    "team",
)
_NOT_NAMES = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "june", "july", "august", "september", "october", "november",
        "december", "the", "a", "an", "in", "on", "at", "but", "and", "q", "mr", "mrs", "ms", "dr",
    }
)  # fmt: skip


# words of titles, offices and institutions: never part of a person's name ("Foreign Minister Sergiy
# Kyslytsya", "the National Security and Defence Council", "Supreme Allied Commander Europe")
_NOT_NAME_WORDS = (
    frozenset(w for title in TITLE_NOUNS.split("|") for w in title.split())
    | _ORGANISATION_WORDS
    | frozenset(
        {
            "foreign", "deputy", "first", "special", "presidential", "chief", "senior", "national",
            "security", "defence", "defense", "state", "affairs", "army", "armed", "forces", "supreme",
            "allied", "commander", "vice", "executive", "lead", "top", "former", "current", "acting",
            "interim", "european", "commission", "united", "nations", "white", "house", "eastern",
            "western", "northern", "southern", "central", "north", "south", "east", "west", "international",
            "federal", "department", "cabinet", "chancellery", "secretary-general", "sir", "dame", "lord",
            "king", "queen", "prince", "princess", "pope", "photo", "update", "live", "breaking",
            "europe", "asia", "africa", "america", "americas", "middle", "nato", "un", "eu", "us", "uk",
        }
    )
)  # fmt: skip


# adjectives no ending rule forms
_IRREGULAR_DEMONYMS: dict[str, tuple[str, ...]] = {
    "Britain": ("British",), "UK": ("British",), "United Kingdom": ("British",), "France": ("French",),
    "Germany": ("German",), "Netherlands": ("Dutch",), "Spain": ("Spanish",), "Poland": ("Polish",),
    "Turkey": ("Turkish", "Turkiye"), "China": ("Chinese",), "Switzerland": ("Swiss",),
    "Sweden": ("Swedish",), "Denmark": ("Danish",), "Finland": ("Finnish",), "Ireland": ("Irish",),
    "Israel": ("Israeli",), "Greece": ("Greek",), "Portugal": ("Portuguese",), "Japan": ("Japanese",),
    "Iraq": ("Iraqi",), "Pakistan": ("Pakistani",), "Qatar": ("Qatari",), "Oman": ("Omani",),
    "Kuwait": ("Kuwaiti",), "Yemen": ("Yemeni",), "Saudi Arabia": ("Saudi",), "Thailand": ("Thai",),
    "Belgium": ("Belgian",), "Norway": ("Norwegian",), "Iceland": ("Icelandic",), "Wales": ("Welsh",),
    "Scotland": ("Scottish", "Scots"), "Cyprus": ("Cypriot",), "Vietnam": ("Vietnamese",),
    "Lebanon": ("Lebanese",), "Sudan": ("Sudanese",), "Congo": ("Congolese",), "Peru": ("Peruvian",),
    "Egypt": ("Egyptian",), "Iran": ("Iranian",), "Afghanistan": ("Afghan",), "Philippines": ("Filipino",),
    # names of more than one word: matched whole (a party's name or alias), never word by word
    "United States": ("American",), "United States of America": ("American",), "USA": ("American",),
    "US": ("American",), "U.S.": ("American",), "America": ("American",),
    "United Arab Emirates": ("Emirati",), "UAE": ("Emirati",), "South Africa": ("South African",),
    "North Korea": ("North Korean",), "South Korea": ("South Korean",), "New Zealand": ("New Zealander",),
    "Sri Lanka": ("Sri Lankan",), "Czech Republic": ("Czech",), "Czechia": ("Czech",),
    "Bosnia and Herzegovina": ("Bosnian",), "Palestine": ("Palestinian",),
}  # fmt: skip


# words that make an adjective of nationality another's: "Latin American", "North Korean", "Native American"
_REGION_BEFORE = "".join(
    rf"(?<!{w} )"
    for w in ("Latin", "North", "South", "East", "West", "Central", "Native", "African", "Asian", "Arab")
)


def demonyms(word: str) -> set[str]:
    """Adjectives of a place name as the press forms them (Russia: Russian; Ukraine: Ukrainian;
    America: American; Italy: Italian); a guess per common ending, matched only where written."""
    out = {word, *_IRREGULAR_DEMONYMS.get(word, ())}
    if word.endswith("ia") or word.endswith("a"):
        out.add(word + "n")
    if word.endswith("e"):
        out.add(word[:-1] + "ian")
        out.add(word + "an")
    if word.endswith("y"):
        out.add(word[:-1] + "ian")
    if word.endswith("land"):
        out.add(word[:-4] + "lander")
        out.add(word[:-4] + "landic")
        out.add(word[:-4] + "lish")
    if word.endswith("ark"):
        out.add(word + "ish")
        out.add(word[:-3] + "anish")
    if not word.endswith(("a", "e", "y", "ia")) and not word.endswith("s"):
        out.add(word + "ian")
        out.add(word + "ese")
        out.add(word + "i")
    return out


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Mention:
    """A name found in a text: what it names (a party, a record person's key, or a new person's name),
    where, the words, how it was matched, and how sure the match is."""

    kind: str  # "party", "person", "new-person", "group"
    key: str
    start: int
    end: int
    words: str
    rule: str
    score: float = 1.0
    party: str | None = None
    role: str | None = None
    refers_back: bool = False  # a new person whose title points back ("the party's spokeswoman")
    outside: bool = False  # a new person outside the parties ("an analyst", "former President X")


@dataclass
class Names:
    """The record's names as patterns."""

    negotiation: Negotiation
    party_patterns: list[tuple[re.Pattern[str], str, str]] = field(default_factory=list)
    person_patterns: list[tuple[re.Pattern[str], Person, str]] = field(default_factory=list)
    groups: dict[str, Person] = field(default_factory=dict)
    places: tuple[str, ...] = ()

    @classmethod
    def of(cls, negotiation: Negotiation) -> Names:
        names = cls(negotiation)
        for party in negotiation.parties:
            for form, rule in _party_forms(party.id, party.name, party.aliases):
                flags = 0 if form[:1].isupper() else re.IGNORECASE
                # an adjective after a word of region is another people's ("Latin American", "North Korean")
                region = _REGION_BEFORE if rule.startswith("the adjective of") else ""
                pattern = re.compile(rf"(?<![\w-]){region}{re.escape(form)}(?:'s|’s)?(?![\w-])", flags)
                names.party_patterns.append((pattern, party.id, rule))
        surnames: dict[str, list[Person]] = {}
        for person in negotiation.people:
            words = person.name.split()
            if _is_group(person):
                if person.party is not None:
                    names.groups.setdefault(person.party, person)
                continue
            if len(words) > 1:
                surnames.setdefault(words[-1], []).append(person)
            for form in (person.name, *person.aliases):
                if form.strip():
                    pattern = re.compile(rf"(?<![\w-]){re.escape(form.strip())}(?![\w-])")
                    names.person_patterns.append((pattern, person, f"the record's name {form!r}"))
        for surname, people in surnames.items():
            if len(people) == 1 and len(surname) > 2:
                pattern = re.compile(rf"(?<![\w-])(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?{re.escape(surname)}(?![\w-])")
                names.person_patterns.append((pattern, people[0], f"the surname {surname!r}"))
        names.places = tuple(
            dict.fromkeys(m.place for m in negotiation.meetings if m.place is not None and m.place.strip())
        )
        return names

    def party_name(self, key: str) -> str:
        return self.negotiation.party(key).name

    def mediators(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.negotiation.parties if p.role is Role.MEDIATOR)

    def parties_in(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for pattern, key, rule in self.party_patterns:
            for m in pattern.finditer(text):
                found.append(Mention("party", key, m.start(), m.end(), m[0], rule))
        return _no_overlap(found)

    def people_in(self, text: str) -> list[Mention]:
        """Record people named in a text (exactly, by alias or unique surname, or by a spelling close
        to one of theirs), record groups ("Russian officials"), and new people introduced by a title."""
        found: list[Mention] = []
        for pattern, person, rule in self.person_patterns:
            for m in pattern.finditer(text):
                found.append(Mention("person", person.id, m.start(), m.end(), m[0], rule, 1.0, person.party))
        found = _no_overlap(found)
        taken = [(m.start, m.end) for m in found]
        for m in re.finditer(NAME, text):
            if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                continue
            candidate = _trim_name(m[0])
            if candidate is None:
                continue
            close = self._closest(candidate)
            start = m.start() + m[0].find(candidate)
            if close is not None:
                person, score = close
                rule = f"a spelling close to {person.name!r} ({score:.0f}%)"
                found.append(
                    Mention(
                        "person",
                        person.id,
                        start,
                        start + len(candidate),
                        candidate,
                        rule,
                        score / 100,
                        person.party,
                    )
                )
                taken.append((start, start + len(candidate)))
        found.extend(self._groups_in(text, taken))
        return sorted(found, key=lambda x: x.start)

    def _closest(self, candidate: str) -> tuple[Person, float] | None:
        from rapidfuzz import fuzz

        best: tuple[Person, float] | None = None
        for person in self.negotiation.people:
            if _is_group(person):
                continue
            for form in (person.name, *person.aliases):
                if len(form.split()) < 2:
                    continue
                score = fuzz.ratio(fold_name(candidate), fold_name(form))
                if score >= 85 and (best is None or score > best[1]):
                    best = (person, score)
        return best

    def _groups_in(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        found: list[Mention] = []
        if not self.groups:
            return found
        for party in self.parties_in(text):
            if party.key not in self.groups:
                continue
            tail = text[party.end : party.end + 40]
            m = re.match(rf"\s+(?:\w+\s+)?(?:{'|'.join(_GROUP_WORDS)}|{TITLE_NOUNS})\b", tail, re.IGNORECASE)
            if m is None:
                continue
            end = party.end + m.end()
            if any(not (end <= s or party.start >= e) for s, e in taken):
                continue
            if _names_someone(text[end : end + 80]):
                continue  # "Ukrainian President Volodymyr Zelensky": a person's title, not a group
            person = self.groups[party.key]
            words = text[party.start : end]
            found.append(
                Mention(
                    "group",
                    person.id,
                    party.start,
                    end,
                    words,
                    f"{words!r} names {person.name!r}",
                    0.8,
                    party.key,
                )
            )
        return found

    def new_people_in(
        self, text: str, known: Iterable[Mention], introduced: Mapping[str, str | None] | None = None
    ) -> list[Mention]:
        """People a title introduces who are not in the record: "chief negotiator Lena Pauwels",
        "Lena Pauwels, the Greens' spokeswoman", "spokeswoman for the Greens Lena Pauwels", and the
        head of a party's delegation ("the Ukrainian delegation, led by Lena Pauwels").

        Their party is the one their title names ("Russian Deputy Foreign Minister X", "Ukraine's chief
        negotiator X", "X, secretary of Ukraine's security council"), or the party of the person whose
        title it is ("Trump's envoy X", with ``introduced``: the people the report named before and
        their parties), else the one an appositive names ("former President X, now the US envoy,"),
        else the one whose delegation they lead ("a US delegation led by Secretary of State X", "Iran
        was led by Foreign Minister X", "X headed the Iranian team"); never a party merely mentioned
        nearby ("the war with Russia"). Someone outside the parties ("an analyst", "former President
        X" with no current role) has none, and is marked ``outside``. A title that points back ("the
        party's spokeswoman", "the ministry's") or a briefing's host is marked ``refers_back``: the
        party named before, as a guess. A place is no person ("Shell Bay, where …", "At Shell Bay,
        negotiator X said": the title is X's)."""
        taken = [(m.start, m.end) for m in known]
        found: list[Mention] = []
        patterns = (
            re.compile(
                rf"(?P<role>\b(?i:{TITLE_NOUNS})(?:\s+(?:for|of|to)\s+(?:the\s+)?[\w'’ -]{{1,40}}?)?),?\s+(?P<name>{NAME})"  # noqa: E501
            ),
            re.compile(
                rf"(?P<name>{NAME}),\s+(?:the|a|an)\s+(?P<role>[^,.;]{{0,60}}?\b(?i:{TITLE_NOUNS})\b[^,.;]{{0,40}}?)(?=[,.;])"
            ),
            re.compile(
                rf"(?P<name>{NAME}),\s+(?P<role>[^,.;]{{0,40}}?\b(?i:{TITLE_NOUNS})\b[^,.;]{{0,60}}?)(?=[,.;])"
            ),
            re.compile(rf"\b(?:led|headed)\s+by\s+(?P<name>{NAME})"),
            re.compile(rf"(?P<name>{NAME})(?={_LED_AFTER.pattern})"),
        )
        for index, pattern in enumerate(patterns):
            for m in pattern.finditer(text):
                name = _trim_name(m["name"])
                if name is None:
                    continue
                start = m.start("name") + m["name"].find(name)
                end = start + len(name)
                if any(not (end <= s or start >= e) for s, e in taken):
                    continue
                if self._is_party_words(name):
                    continue
                if name.split()[-1].casefold() in _ORGANISATION_WORDS or self.parties_in(name):
                    continue  # "the Green Party", "the Velder Courant": no person
                if index > 0 and is_place_name(name):
                    continue  # "Shell Bay, a golf club", "Diriyah Palace, the crown prince's residence"
                if index in (1, 2) and not _an_appositive(m["role"]):
                    continue  # "Shell Bay, where envoy X met …": a clause, not a title of the name
                lead_at = start
                if index == 0:
                    # the title is everything from its first word to the name ("Deputy Foreign Minister"),
                    # and the words before it that modify it ("Russian", "Trump's special")
                    title = text[m.start("role") : start].strip(" ,")
                    modifier = _MODIFIER.search(text[max(0, m.start() - 60) : m.start()])
                    role_words = ((modifier[0] if modifier else "") + " " + title).strip()
                    lead_at = m.start() - (len(modifier[0]) if modifier else 0)
                    appositive = _appositive_after(text[end:])
                elif index >= 3:
                    title = role_words = ""
                    appositive = None
                else:
                    title = role_words = m["role"].strip()
                    appositive = None
                lead = self._lead_of(text, lead_at, end)
                if index >= 3 and lead is None:
                    continue  # "talks led by X": whom X leads is unsaid
                role_match = _TITLE.search(title)
                party, how = self._party_of_title(role_words, introduced or {})
                if index == 0 and self._of_another_party_too(text, lead_at):
                    party, how = None, ""  # "Russian and Ukrainian negotiator X": whose, unsaid
                if party is None and appositive is not None:
                    party, how = self._party_of_title(appositive, introduced or {})
                    how = f" (party: the appositive {appositive.strip()!r})" if party else ""
                if party is None and index == 0:
                    before = _APPOSITIVE_BEFORE.search(text[max(0, lead_at - 80) : lead_at])
                    if before is not None:
                        party, how = self._party_of_title(before["role"], introduced or {})
                        how = f" (party: the title before it, {before['role'].strip()!r})" if party else ""
                if party is None and lead is not None:
                    party = self._party_of_words(lead[0])
                    how = f" (party: {lead[1]!r})" if party else ""
                # "the chair of the nuclear safety authority": someone of another body, not of a party
                outside = re.search(
                    r"\b(?:opposition|analyst|professor|researcher|expert|observer|critic|former)\b",
                    role_words + " " + m[0],
                    re.IGNORECASE,
                )
                current = re.search(r"\b(?:current(?:ly)?|now)\b", f"{role_words} {appositive or ''}", re.I)
                if outside and not (outside[0].casefold() == "former" and current):
                    party, how = None, ""  # not of a negotiating party
                    elsewhere = True
                else:
                    outside = None
                    elsewhere = False
                elsewhere = elsewhere or bool(
                    party is None
                    and re.search(
                        r"\b(?:of|for|at)\s+(?:the\s+)?(?!party\b|delegation\b|formateur\b|the\b|"
                        r"state\b|defen[cs]e\b|foreign\b|treasury\b|interior\b|staff\b)[\w'’-]+",
                        role_words,
                        re.I,
                    )
                )
                refers_back = (
                    party is None
                    and not elsewhere
                    and bool(
                        re.search(
                            r"\b(?:the (?:party|ministry|government|delegation)['’]s|its|their|party)\b",
                            role_words,
                            re.I,
                        )
                        or re.search(r"\b(?:briefing|transcript|took questions)\b", text, re.I)
                    )
                )
                if index >= 3:
                    role: str | None = "head of the delegation"
                    shown = text[m.start() : end] if index == 3 else f"{name} {lead[1] if lead else ''}"
                    rule = f"leads a delegation: {' '.join(shown.split())!r}" + how
                else:
                    role = (
                        " ".join(title.split()).lower()
                        if index == 0 and title
                        else (role_match[0].lower() if role_match else None)
                    )
                    rule = f"a title introduces a person: {m[0].strip()!r}" + how
                taken.append((start, end))
                found.append(
                    Mention(
                        "new-person",
                        name,
                        start,
                        end,
                        name,
                        rule,
                        0.75 if party else (0.4 if elsewhere else 0.5),
                        party,
                        role,
                        refers_back,
                        outside is not None,
                    )
                )
        found += self._several_under_one_title(text, taken, introduced or {})
        return found

    def _several_under_one_title(
        self, text: str, taken: list[tuple[int, int]], introduced: Mapping[str, str | None]
    ) -> list[Mention]:
        """People one plural title introduces together ("US envoys X and Y", "Ukrainian negotiators X,
        Y and Z"): each with the party the title names, as a title of one would give it."""
        found: list[Mention] = []
        listed = rf"{NAME}(?:\s*,\s*{NAME})*,?\s+and\s+{NAME}"
        for m in re.finditer(rf"(?P<role>\b(?i:{PLURAL_TITLES}))\s+(?P<names>{listed})", text):
            modifier = _MODIFIER.search(text[max(0, m.start() - 60) : m.start()])
            role_words = ((modifier[0] if modifier else "") + " " + m["role"]).strip()
            outside = re.search(
                r"\b(?:opposition|analysts?|professors?|researchers?|experts?|observers?|critics?|former)\b",
                role_words,
                re.I,
            )
            party, how = (None, "") if outside else self._party_of_title(role_words, introduced)
            # "Russian and Ukrainian officials X and Y": the title is of two parties; whose each is, unsaid
            if self._of_another_party_too(text, m.start() - (len(modifier[0]) if modifier else 0)):
                party, how = None, ""
            singular = next((t for t in TITLE_NOUNS.split("|") if _plural(t) == m["role"].lower()), None)
            for part in re.finditer(NAME, m["names"]):
                name = _trim_name(part[0])
                if name is None or self._is_party_words(name) or self.parties_in(name) or is_place_name(name):
                    continue
                start = m.start("names") + part.start() + part[0].find(name)
                end = start + len(name)
                if any(not (end <= s or start >= e) for s, e in taken):
                    continue
                taken.append((start, end))
                rule = f"a title introduces several people: {' '.join(m[0].split())!r}" + how
                found.append(
                    Mention(
                        "new-person",
                        name,
                        start,
                        end,
                        name,
                        rule,
                        0.75 if party else 0.5,
                        party,
                        singular,
                        False,
                        outside is not None,
                    )
                )
        return found

    def _of_another_party_too(self, text: str, at: int) -> bool:
        """Whether the title's words starting at ``at`` are joined to another party's before them
        ("Russian and | Ukrainian negotiator", "US or | Russian officials"): then they name two parties.
        The party must be the words right before the "and" ("talks with Russia, | Ukrainian negotiator"
        and "envoy X and | Russia's negotiator" are of one party)."""
        joined = re.search(r"([\w.'’-]+(?:\s+[\w.'’-]+)?)\s+(?:and|or|&)\s*$", text[max(0, at - 60) : at])
        return joined is not None and bool(self.parties_in(joined[1]))

    def _lead_of(self, text: str, before: int, after: int) -> tuple[str, str] | None:
        """The words of the delegation the person named between ``before`` and ``after`` leads or
        belongs to: "the US delegation, led by" (or "Iran was led by", "the Iranians were represented
        by", "the US side included") before the person's title; "headed the Iranian team" or ", who
        leads Ukraine's delegation" after the name."""
        found = _LED_BEFORE.search(text[max(0, before - 80) : before]) or _LED_AFTER.match(
            text[after : after + 100]
        )
        if found is None:
            return None
        groups = found.groupdict()
        words = groups.get("group") or groups.get("subject") or groups.get("member") or ""
        return words, " ".join(found[0].strip(" ,").split())

    def _party_of_words(self, words: str) -> str | None:
        """The one party some words name ("the US", "Ukraine's", "the Iranians"), if exactly one."""
        parties = {m.key for m in self.parties_in(words)}
        if not parties:
            singular = " ".join(
                re.sub(r"(?<=[a-z])s$", "", w) if w[:1].isupper() else w for w in words.split()
            )
            parties = {m.key for m in self.parties_in(singular)}
        return parties.pop() if len(parties) == 1 else None

    def _party_of_title(self, words: str, introduced: Mapping[str, str | None]) -> tuple[str | None, str]:
        """The party a title names ("Russian", "Ukraine's", "US"), else the party of the person whose
        title it is ("Trump's envoy": Trump's party, when the record or the report gave it)."""
        # "envoy for Ukraine", "ambassador to Russia": the party they are sent to, not theirs
        words = re.sub(
            r"\b(?i:envoy|ambassador|mediator|representative|coordinator)\s+(?:for|to|on)\s+(?:the\s+)?[\w'’-]+",
            " ",
            words,
        )
        parties = {m.key for m in self.parties_in(words)}
        if len(parties) == 1:
            return parties.pop(), ""
        if parties:
            return None, ""
        for owner in re.finditer(rf"({_NAME_WORD})['’]s\b", words):
            party = self.party_of_name(owner[1], introduced)
            if party is not None:
                return party, f" (party: {owner[1]}'s)"
        return None, ""

    def party_of_name(self, word: str, introduced: Mapping[str, str | None]) -> str | None:
        """The party of the person a name or surname means: the record's, else one the report
        introduced (by their whole name or surname)."""
        for pattern, person, _ in self.person_patterns:
            if pattern.fullmatch(word) and person.party is not None:
                return person.party
        folded = fold_name(word)
        for name, party in introduced.items():
            if party is not None and folded in (fold_name(name), fold_name(name.split()[-1])):
                return party
        return None

    def _is_party_words(self, words: str) -> bool:
        return any(pattern.fullmatch(words) for pattern, _, _ in self.party_patterns)

    def _party_near(self, text: str) -> str | None:
        parties = {m.key for m in self.parties_in(text)}
        return parties.pop() if len(parties) == 1 else None


_DELEGATION = r"(?:delegation|negotiating team|team|negotiators|side|mission)s?"
# "the US delegation, led by", "a delegation headed by", "Iran was led by", "the Iranians were
# represented by": whose delegation the person named next leads
_LED_BEFORE = re.compile(
    rf"(?:(?P<group>(?:[^\W\d_][\w.'’-]*\s+){{0,3}}?){_DELEGATION}\s*,?\s*(?:(?:which|that|who)\s+)?"
    r"(?:(?:was|were|is|are|will be|would be|had been|has been|have been)\s+)?(?:led|headed)\s+by"
    r"|(?P<subject>\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)\s+(?:was|were|is|are|will be|would be)\s+"
    r"(?:led|headed|represented)\s+by"
    rf"|(?P<member>(?:[^\W\d_][\w.'’-]*\s+){{0,3}}?){_DELEGATION}(?:\s+(?:at|in|to|for)\s+the\s+\w+)?\s*,?\s*"
    r"(?:(?:which|that)\s+)?(?:also\s+)?"
    r"(?:included|includes|include|comprised|comprises)(?:\s+[^.;]{0,80}?(?:,|\band))?)\s+$"
)
# "The head of the Ukrainian delegation, chief of staff X": a title before the person's own, set off
# by a comma
_APPOSITIVE_BEFORE = re.compile(
    rf"(?P<role>(?:[\w'’.-]+\s+){{0,6}}?(?:(?i:{TITLE_NOUNS})s?|delegation|team|side)),\s*$"
)
# "X headed the Iranian team", "X, who leads Ukraine's delegation,"
_LED_AFTER = re.compile(
    r"\s*,?\s*(?:who\s+)?(?:(?:also|will|would|is|was|has|had)\s+)?(?:led|leads|lead|heads|headed|head|leading"
    rf"|heading)\s+(?:the\s+|its\s+|their\s+)?(?P<group>(?:[^\W\d_][\w.'’-]*\s+){{0,3}}?){_DELEGATION}\b"
)
# a clause after a comma, not a title of the name before it: "Shell Bay, where …", "…, which …"
_CLAUSE = re.compile(
    r"(?:where|which|when|while|whereas|after|before|since|because|if|as|and|but|or|with)\b", re.I
)
# ", now the US envoy,", ", currently Ukraine's chief negotiator,", ", the Kremlin's envoy,"
_APPOSITIVE = re.compile(
    rf",\s+(?P<role>(?:who\s+is\s+)?(?:(?:now|currently)\s+)?(?:the\s+|a\s+|an\s+)?[^,.;]{{0,50}}?"
    rf"\b(?i:{TITLE_NOUNS})\b[^,.;]{{0,40}}?)(?=[,.;]|$)"
)


def is_place_name(name: str) -> bool:
    """Whether a name is a place's, by its last word: "Shell Bay", "Palm Golf Club", "Winter Palace"."""
    words = name.split()
    return bool(words) and words[-1].casefold().strip(".,") in PLACE_WORDS


def _an_appositive(role: str) -> bool:
    """Whether the words after "Name," are a title of that name ("Ukraine's chief negotiator"), not
    a clause ("where envoy X met …") or a title of someone named after it ("Ukrainian negotiator X
    said")."""
    if _CLAUSE.match(role.strip()):
        return False
    return not any(_names_someone(role[t.end() :]) for t in _TITLE.finditer(role))


def _appositive_after(after: str) -> str | None:
    """The title in an appositive right after a name ("…, now the US envoy, said"), if it is one."""
    found = _APPOSITIVE.match(after)
    if found is None or not _an_appositive(found["role"]):
        return None
    return found["role"]


def _names_someone(after: str) -> bool:
    """Whether the words after a title are a person's name ("… Minister Sergei Ryabkov said")."""
    run = re.match(rf",?\s+((?:(?:of|the|for)\s+|[{_UPPER}][\w.'’-]*\s+)*?{NAME})", after)
    return run is not None and _trim_name(run[1]) is not None


def _is_group(person: Person) -> bool:
    """A person of the record standing for several ("Russian officials", "E3 officials (UK, France)")."""
    name = re.sub(r"\s*\([^)]*\)", "", person.name).strip()
    return bool(name) and name.split()[-1].casefold() in _GROUP_WORDS


def _trim_name(words: str) -> str | None:
    """A name candidate without the words around it that are no names: "On Thursday Anna Berg" and
    "Deputy Foreign Minister Anna Berg" are "Anna Berg"; "Anna Berg's" is "Anna Berg"; "National
    Security" (a council's) is none. The name is the run of words after the last word that is a title,
    a possessive or an institution's."""
    parts = words.split()
    while parts and parts[-1].casefold().strip(".") in _NOT_NAMES:
        parts = parts[:-1]
    if parts and re.search(r"['’]s?$", parts[-1]):
        parts[-1] = re.sub(r"['’]s?$", "", parts[-1])
    kept: list[str] = []
    for word in reversed(parts):
        folded = word.casefold().strip(".")
        if folded in _NOT_NAMES or folded in _NOT_NAME_WORDS or re.search(r"['’]s$", word):
            break
        kept.insert(0, word)
    while kept and re.fullmatch(_PARTICLE, kept[0]):
        kept = kept[1:]
    if len(kept) < 2 or kept[-1].casefold() in _ORGANISATION_WORDS:
        return None
    return " ".join(kept)


def _party_forms(key: str, name: str, aliases: Iterable[str]) -> list[tuple[str, str]]:
    forms: list[tuple[str, str]] = [(name, "the party's name")]
    forms += [(alias, f"the party's alias {alias!r}") for alias in aliases if alias.strip()]
    # "the Kremlin" also as "Kremlin spokesman", "the White House" as "White House officials"
    forms += [
        (alias[4:], f"the party's alias {alias!r}")
        for alias in aliases
        if alias.startswith("the ") and alias[4:5].isupper()
    ]
    # an alias that lists states ("Britain, France and Germany") names each of them as the party's,
    # and their adjectives ("British", "French", "German")
    for alias in aliases:
        members = [w.strip() for w in re.split(r",|\band\b", alias) if w.strip()]
        if len(members) < 2 or not all(w[:1].isupper() for w in members):
            continue
        for member in members:
            forms.append((member, f"{member!r}, one of the party's alias {alias!r}"))
            forms += [
                (d, f"the adjective of {member!r}, one of the party's alias {alias!r}")
                for d in sorted(demonyms(member))
                if d != member
            ]
    # the adjective of a name of several words, or of an alias, known whole ("United States": "American")
    for whole in (name, *aliases):
        forms += [(d, f"the adjective of {whole!r}") for d in _IRREGULAR_DEMONYMS.get(whole.strip(), ())]
    key_words = key.replace("-", " ").replace("_", " ")
    forms.append((key_words.title(), f"the party's key {key!r}"))
    forms.append(("the " + key_words, f"the party's key {key!r}"))
    words = [w for w in re.findall(r"[A-Z][a-z]+", name) if w not in {"The", "Of", "And", "Party"}]
    capitals = [w for w in name.split() if w[:1].isupper() and w.casefold() not in {"the", "of", "and"}]
    if len(capitals) >= 2 and len(capitals) <= 4:
        acronym = "".join(w[0] for w in capitals)
        forms += [
            (acronym, f"the initials of {name!r}"),
            (".".join(acronym) + ".", f"the initials of {name!r}"),
        ]
    stems = list(words) if len(words) == 1 else []
    if " " not in key_words:
        stems.append(key_words.title())
    for stem in dict.fromkeys(stems):
        forms += [(d, f"the adjective of {stem!r}") for d in sorted(demonyms(stem)) if d != stem]
    single = " ".join(_singular(w) for w in key_words.split()).title()
    if single != key_words.title():
        forms.append((single, f"the party's key {key!r}"))
        if single.endswith("Democrat"):
            forms.append((single + "ic", f"the party's key {key!r}"))
    return [(form, rule) for form, rule in dict(forms).items() if len(form) > 1]


def _no_overlap(found: list[Mention]) -> list[Mention]:
    """The longest of overlapping mentions."""
    kept: list[Mention] = []
    for m in sorted(found, key=lambda x: (-(x.end - x.start), x.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda x: x.start)
