"""Scenario files: the YAML format (with its JSON Schema) and GENIUS XML."""

from accord.scenario.schema import scenario_schema
from accord.scenario.yaml_format import dump, dumps, from_document, load, loads, to_document, validate

__all__ = ["dump", "dumps", "from_document", "load", "loads", "scenario_schema", "to_document", "validate"]
