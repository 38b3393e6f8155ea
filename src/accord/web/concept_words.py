"""The solution concepts by name, as a page says them: "Nash bargaining solution", never its key "nash"
(the key stays in the forms' values, the addresses and the JSON). The names are the briefing's
(accord.reports.brief_words), with leximin's added; in the catalogue, so a page says them in its
language."""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.runtime import Context

from accord.web.translations import N_

CONCEPT_NAMES = {
    "nash": N_("Nash bargaining solution"),
    "kalai-smorodinsky": N_("Kalai–Smorodinsky solution"),
    "egalitarian": N_("egalitarian solution (maximin)"),
    "leximin": N_("leximin solution"),
    "utilitarian": N_("utilitarian solution"),
}


@pass_context
def concept_name(context: Context, concept: object) -> str:
    """A template's ``{{ key|concept_name }}``: the concept's name in the page's language; a key that
    names no concept as it is (escaped as any value)."""
    label = CONCEPT_NAMES.get(str(concept))
    if label is None:
        return str(concept)
    said = context.environment.globals["_"]
    assert callable(said)
    return str(context.call(said, label))
