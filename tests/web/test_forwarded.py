"""`accord serve` believes X-Forwarded-For only from the proxies named by --forwarded-allow-ips: by
default nobody can pick the address the log-in throttle counts against."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.cli.app import app as cli
from tests.web.conftest import A, make_workbench

runner = CliRunner()


def _served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *flags: str) -> Any:
    """The ASGI app as uvicorn would serve it after `accord serve --db ... FLAGS`."""
    make_workbench(tmp_path).database.dispose()
    given: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: given.update(app=app, options=options))
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "accord.db"), *flags])
    assert result.exit_code == 0, result.output
    config = uvicorn.Config(given["app"], **given["options"])
    config.load()
    return config.loaded_app


def _failures_from_rotating_addresses(served: Any) -> list[int]:
    # a guesser on the server's own machine (127.0.0.1, the address uvicorn trusts unless told
    # otherwise) claims a new address with every attempt
    client = TestClient(served, client=("127.0.0.1", 40000))
    return [
        client.post(
            "/api/login",
            json={"username": A, "password": "wrong-password"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(6)
    ]


def test_x_forwarded_for_is_not_believed_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert 429 in _failures_from_rotating_addresses(_served(tmp_path, monkeypatch))


def test_a_named_proxy_is_believed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = _served(tmp_path, monkeypatch, "--forwarded-allow-ips", "127.0.0.1")
    assert _failures_from_rotating_addresses(served) == [401] * 6  # six clients, one failure each
