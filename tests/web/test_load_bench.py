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


def test_the_probe_says_where_each_request_waited_while_a_job_runs_beside() -> None:
    result = run(
        "sqlite", clients=6, seconds=3, think=0.05, workers=2, threads=1, with_job=True, profile=True
    )
    assert not result.tally.errors, result.tally.error_samples
    assert result.job.startswith("running at the end"), result.job
    lines = {str(line["id"]): line for line in result.profile if line.get("id")}
    assert set(result.tally.by_id) <= set(lines)  # every request the clients sent has its line
    for request, (kind, latency) in result.tally.by_id.items():
        line = lines[request]
        assert line["method"] == ("POST" if kind == "write" else "GET") and line["status"] in (200, 201)
        assert 0 < float(line["total"]) <= latency * 1000 + 1
        assert line["thread turns"] == 2  # the session once, then the route (accord.web.json_route)
        for phase in ("thread queue", "thread", "loop", "gc", "loop lag", "db"):
            assert float(line[phase]) >= 0
        if kind == "write":
            assert float(line["write lock"]) > 0 and float(line["commit"]) > 0
