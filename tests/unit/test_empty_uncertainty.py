"""An empty `uncertainty:` block declares no uncertainty (a form that clears every range leaves one):
robustness and the briefing then treat the party as certain, as when the block is absent."""

from __future__ import annotations

import re
from pathlib import Path

from accord.scenario.yaml_format import loads

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "coalition-agreement.yaml"


def test_an_empty_uncertainty_block_declares_none() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    line = re.search(r"^(?P<indent> +)reservation_value: .*$", text, re.MULTILINE)
    assert line is not None
    with_empty = text[: line.end()] + f"\n{line['indent']}uncertainty: {{}}" + text[line.end() :]
    negotiation = loads(with_empty)
    assert all(p.uncertainty is None for p in negotiation.preferences.values())
    assert loads(text).preferences.keys() == negotiation.preferences.keys()
