"""The audit log's actions in words (accord.reports.audit_words), one mapping for `accord audit log` and
the workbench's audit page: every action accord writes has its words, and one it does not know still
reads as words, never as a key."""

from __future__ import annotations

import re
from pathlib import Path

from accord.reports.audit_words import ACTIONS, action_words

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"
# an action as the code writes it: uow.record("stance.set", ...) or AuditLog.append(action="record.migrate")
WRITTEN = re.compile(r"""(?:\.record\(\s*|action=)"([a-z]+\.[a-z-]+)\"""")


def test_every_action_the_code_writes_has_its_words() -> None:
    written = {m for path in SRC.rglob("*.py") for m in WRITTEN.findall(path.read_text(encoding="utf-8"))}
    assert {"preferences.update", "stance.set", "negotiation.import", "accounts.adopt"} <= written
    assert written <= set(ACTIONS), sorted(written - set(ACTIONS))


def test_the_words_are_words_and_an_unknown_action_still_reads() -> None:
    assert action_words("preferences.update") == "preferences changed"
    assert action_words("stance.correct") == "stance corrected"
    assert all("." not in words and "_" not in words for words in ACTIONS.values())
    assert action_words("widget.frob") == "widget: frob"
    assert action_words("copy.key_rotated") == "copy: key rotated"
    assert action_words("draft.re-read") == "draft: re read"
    assert action_words("") == ""
    assert action_words("stance.set", lambda m: m.upper()) == "STANCE RECORDED", (
        "said in the reader's language"
    )
