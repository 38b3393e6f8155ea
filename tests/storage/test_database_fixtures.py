"""The two-database fixtures are defined once (tests/conftest.py), for tests/storage and every other
test that touches storage, so the whole session shares one throwaway PostgreSQL server."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

SHARED = ("postgres", "database_url")


def _fixtures_named(name: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                decorators = [ast.unparse(d) for d in node.decorator_list]
                if any(d.startswith("pytest.fixture") for d in decorators):
                    found.append(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("name", SHARED)
def test_the_database_fixtures_are_defined_once_in_the_top_conftest(name: str) -> None:
    assert _fixtures_named(name) == ["tests/conftest.py"]


def test_a_storage_test_runs_on_both_databases(database_url: str) -> None:
    assert database_url.split(":", 1)[0] in ("sqlite", "postgresql", "postgresql+psycopg")
