"""Fixtures of the unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.domain import Negotiation
from accord.scenario.yaml_format import load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def talks() -> Negotiation:
    # the United States mediates; Russia, Ukraine and Europe ("Britain, France and Germany") negotiate
    return load(ROOT / "examples" / "peace-framework-2025.yaml")
