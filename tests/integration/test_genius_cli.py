"""`accord import-genius` / `export-genius` on the cases GENIUS files bring: one line per mistake."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord.cli.app import app
from accord.scenario import load
from tests.conftest import GENIUS_FIXTURES

G = GENIUS_FIXTURES
runner = CliRunner()
WIDE = {"COLUMNS": "1000"}  # one line stays one line


def _import(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["import-genius", *map(str, args)], env=WIDE)
    return result.exit_code, result.output


def test_a_real_issue_is_refused_in_one_line_that_suggests_real_steps(tmp_path: Path) -> None:
    out = tmp_path / "energy.yaml"
    code, output = _import(
        G / "energy_domain.xml", G / "energy_buyer.xml", G / "energy_seller.xml", "-o", out
    )
    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in output
    assert lines[0].startswith(f"GeniusFormatError: {G / 'energy_domain.xml'}: ")
    assert "'Price'" in lines[0] and "--real-steps N" in lines[0]
    assert not out.exists()


def test_real_steps_discretise_a_real_issue(tmp_path: Path) -> None:
    out = tmp_path / "energy.yaml"
    code, output = _import(
        G / "energy_domain.xml",
        G / "energy_buyer.xml",
        G / "energy_seller.xml",
        "-o",
        out,
        "--real-steps",
        "5",
    )
    assert code == 0, output
    assert "2 points, 2 parties (10 packages)" in output
    negotiation = load(out)
    assert [o.value for o in negotiation.point("price").options] == [10, 12.5, 15, 17.5, 20]
    assert negotiation.metadata["genius"] == {"domain": "energy_domain.xml", "real_steps": 5}


def test_real_steps_below_two_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _import(
        G / "energy_domain.xml", G / "energy_buyer.xml", "-o", tmp_path / "e.yaml", "--real-steps", "1"
    )
    assert code == 2 and "Traceback" not in output


def test_a_non_additive_profile_is_refused_in_one_line(tmp_path: Path) -> None:
    code, output = _import(G / "grid_domain.xml", G / "grid_hyperrectangles.xml", "-o", tmp_path / "g.yaml")
    assert code == 1
    (line,) = output.strip().splitlines()
    assert line.startswith(
        f"GeniusFormatError: {G / 'grid_hyperrectangles.xml'}: the profile is not additive"
    )
    assert "; expected an additive (linear) profile" in line


def test_integer_issues_import_and_export_through_the_command_line(tmp_path: Path) -> None:
    scenario = tmp_path / "lease.yaml"
    code, output = _import(
        G / "lease_domain.xml", G / "lease_landlord.xml", G / "lease_tenant.xml", "-o", scenario
    )
    assert code == 0, output
    assert "3 points, 2 parties (60 packages)" in output
    result = runner.invoke(app, ["validate", str(scenario)], env=WIDE)
    assert result.exit_code == 0, result.output
    out = tmp_path / "genius"
    result = runner.invoke(app, ["export-genius", str(scenario), "-o", str(out)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
    assert 'type="integer"' in (out / "lease-domain.xml").read_text()
