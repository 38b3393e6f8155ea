"""The NegMAS cross-checks run in CI: make test installs the pinned peer, and a missing peer fails them.

A skipped check counted as a pass would let CI go green without ever comparing accord with NegMAS, so
only an explicit ACCORD_SKIP_PEER=1 turns the failure into a skip.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT

CHECKS = (
    "tests/unit/test_genius_round_trip.py"
    "::test_negmas_loads_every_exported_scenario_and_agrees_where_every_issue_is_discrete"
)


def _run_checks(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "ACCORD_SKIP_PEER"}
    environment.update(ACCORD_NEGMAS_PYTHON=str(tmp_path / "no-such-peer" / "python"), **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", CHECKS],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_missing_peer_fails_the_negmas_checks(tmp_path: Path) -> None:
    done = _run_checks(tmp_path)
    assert done.returncode == 1, done.stdout[-2000:]
    assert "4 failed" in done.stdout, done.stdout[-2000:]
    assert "make peer" in done.stdout and "ACCORD_SKIP_PEER=1" in done.stdout


def test_only_an_explicit_opt_out_skips_them(tmp_path: Path) -> None:
    done = _run_checks(tmp_path, ACCORD_SKIP_PEER="1")
    assert done.returncode == 0, done.stdout[-2000:]
    assert "4 skipped" in done.stdout, done.stdout[-2000:]


def _dry_run(*args: str, **env: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "ACCORD_SKIP_PEER"} | env
    done = subprocess.run(
        ["make", "-n", "test", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_make_test_installs_the_pinned_peer_in_its_own_environment_before_the_suite(tmp_path: Path) -> None:
    peer = tmp_path / "peer"
    lines = _dry_run(f"PEER={peer}")
    install = [i for i, line in enumerate(lines) if f"{peer}/bin/python -m pip install" in line]
    suite = [i for i, line in enumerate(lines) if "-m pytest" in line]
    assert install and suite and install[0] < suite[0], lines
    assert lines[install[0]].endswith("negmas==0.16.0"), "the checks are written against NegMAS 0.16"
    assert any(line.endswith(f"-m venv {peer}") for line in lines), (
        "NegMAS gets its own environment, never accord's .venv"
    )
    assert not any("negmas" in line for line in lines if ".venv/bin/python -m pip" in line)
    skipped = _dry_run(f"PEER={peer}", ACCORD_SKIP_PEER="1")
    assert not any("negmas" in line for line in skipped), skipped


def test_negmas_stays_out_of_accord_and_its_environment() -> None:
    """NegMAS is AGPL: accord neither imports it nor lists it among its dependencies or extras."""
    importing = re.compile(r"^\s*(import|from)\s+negmas\b", re.MULTILINE)
    offenders = [str(f) for f in (ROOT / "src").rglob("*.py") if importing.search(f.read_text())]
    assert offenders == []
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *itertools.chain(*project["optional-dependencies"].values())]
    assert not [r for r in requirements if r.lower().startswith("negmas")]
    assert importlib.util.find_spec("negmas") is None, "NegMAS was installed in accord's own environment"
