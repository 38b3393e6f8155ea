"""GENIUS XML interoperability: bring ANAC domains in, send scenarios out.

A GENIUS domain file lists issues (``<issue>``): discrete ones with their values (``<item>``),
integer ones with their bounds, real ones with a range. A profile gives, per issue, an evaluator
and a weight, plus a reservation value and a discount factor. accord reads exactly the elements
GENIUS reads (``domain_file``, ``profile_file``), computes evaluations with GENIUS's own formulas
(``evaluators``), and keeps them so that every utility equals GENIUS's (``importer``); the export
writes files GENIUS and NegMAS load and that import back to the same utilities (``exporter``).
Discount factors have no meaning in accord's model and are kept as party metadata.
"""

from accord.scenario.genius.domain_file import GeniusIssue, IssueKind, read_domain
from accord.scenario.genius.exporter import GeniusExport, export_genius
from accord.scenario.genius.importer import import_genius
from accord.scenario.genius.profile_file import GeniusProfile, read_profile
from accord.scenario.genius.slugs import slug

__all__ = [
    "GeniusExport",
    "GeniusIssue",
    "GeniusProfile",
    "IssueKind",
    "export_genius",
    "import_genius",
    "read_domain",
    "read_profile",
    "slug",
]
