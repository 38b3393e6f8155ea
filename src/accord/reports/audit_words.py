"""The audit log's actions in words: "preferences changed" for ``preferences.update``, "stance
corrected" for ``stance.correct``. One mapping for `accord audit log` and the workbench's audit page
(which passes its gettext: babel.cfg collects these words into its catalogue); --json and the API keep
the action as stored, since the entries are hashed with it and scripts filter on it.

An action this mapping does not know (a later accord's, or one written by hand) still reads: its parts
in words, "widget: frob" for ``widget.frob``.
"""

from __future__ import annotations

from collections.abc import Callable

Words = Callable[[str], str]


def N_(message: str) -> str:  # marks a word for the catalogue (babel's default keywords), said later
    return message


def _same(message: str) -> str:
    return message


ACTIONS = {
    "accounts.adopt": N_("accounts taken into the log"),
    "analysis.share": N_("analysis shared with a party"),
    "copy.export": N_("fingerprinted copy handed out"),
    "copy.rules": N_("fingerprint rule changed"),
    "copy.secret-sealed": N_("fingerprint secret sealed"),
    "draft.circulate": N_("draft circulated"),
    "draft.new": N_("new draft written"),
    "draft.record": N_("draft received"),
    "draft.status": N_("draft status changed"),
    "event.add": N_("event recorded"),
    "event.trace": N_("leak trace attached"),
    "ingest.apply": N_("report read into the record"),
    "meeting.add": N_("meeting recorded"),
    "meeting.update": N_("meeting changed"),
    "negotiation.import": N_("negotiation imported"),
    "paper.add": N_("paper recorded"),
    "person.add": N_("person added"),
    "person.update": N_("person changed"),
    "preferences.estimate": N_("preferences set to the estimate"),
    "preferences.update": N_("preferences changed"),
    "record.migrate": N_("record brought up to date"),
    "source.add": N_("source added"),
    "stance.correct": N_("stance corrected"),
    "stance.set": N_("stance recorded"),
    "stance.withdraw": N_("stance withdrawn"),
    "statement.add": N_("statement recorded"),
    "statement.adopt": N_("statement taken as stances"),
    "user.add": N_("account added"),
    "user.grant": N_("seat given"),
    "user.password": N_("password changed"),
    "user.revoke": N_("seat taken away"),
}


def action_words(action: str, _: Words = _same) -> str:
    """The action in words; one not in ACTIONS by its parts ("widget: frob" for ``widget.frob``)."""
    if action in ACTIONS:
        return _(ACTIONS[action])
    parts = [" ".join(p.replace("_", " ").replace("-", " ").split()) for p in action.split(".")]
    return ": ".join(p for p in parts if p) or action
