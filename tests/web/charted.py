"""A package of the flagship to compare with its latest draft (the first option on every point), as the
query string of /n/{name}/compare: shared by the charts' tests, the access matrix and the axe walk."""

from __future__ import annotations

from urllib.parse import urlencode

from accord.scenario.yaml_format import load
from tests.conftest import EXAMPLES

FLAGSHIP = load(EXAMPLES / "peace-framework-2025.yaml")
FIRST_OPTIONS = {point.id: point.options[0].key for point in FLAGSHIP.points}
COMPARED = urlencode(FIRST_OPTIONS)
