"""bench/load.py keeps working, and under concurrent writers from two server processes every
acknowledged stance is stored and the audit chain verifies (a short run; its speed is the bench's
business, not this test's)."""

from __future__ import annotations

import pytest
from bench.load import run


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_short_load_run_loses_nothing(backend: str) -> None:
    result = run(backend, clients=12, seconds=3, think=0.02, workers=2, threads=1)
    tally = result.tally
    assert not tally.errors, tally.error_samples
    assert len(tally.latencies["write"]) > 12 and len(tally.latencies["read"]) > 12
    assert len(tally.written) == len(tally.latencies["write"])  # every write acknowledged
    assert result.lost == 0
    assert result.audit_ok, result.audit_message
