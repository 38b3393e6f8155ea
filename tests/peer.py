"""The NegMAS peer for the cross-checks: its own environment (.venv-negmas, which make test creates),
never accord's. Its absence fails a check unless ACCORD_SKIP_PEER=1 says to skip knowingly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT

# ACCORD_NEGMAS_PYTHON names another interpreter that has NegMAS 0.16
NEGMAS_PYTHON = Path(os.environ.get("ACCORD_NEGMAS_PYTHON", ROOT / ".venv-negmas" / "bin" / "python"))


def negmas_python() -> Path:
    """The peer's interpreter; fails the calling test when it is missing (skips with ACCORD_SKIP_PEER=1)."""
    if NEGMAS_PYTHON.exists():
        return NEGMAS_PYTHON
    message = f"NegMAS is not installed at {NEGMAS_PYTHON}: `make peer` installs it"
    if os.environ.get("ACCORD_SKIP_PEER") == "1":
        pytest.skip(f"{message} (ACCORD_SKIP_PEER=1)")
    pytest.fail(f"{message}, or set ACCORD_SKIP_PEER=1 to skip the NegMAS cross-checks", pytrace=False)
