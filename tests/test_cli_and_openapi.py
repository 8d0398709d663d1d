"""The `tradepost` command and the OpenAPI document, as a new user meets them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.builders import ApiClient

COMMANDS = ["serve", "worker", "demo", "migrate", "lifecycle_docs"]


def _tradepost(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tradepost.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = _tradepost("--help")
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = _tradepost(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_demo_loads_and_prints_working_keys_as_json(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": "", "TRADEPOST_VAR_DIR": str(tmp_path)}
    assert _tradepost("migrate", "-v0", env=env).returncode == 0
    result = _tradepost("demo", "--json", "--orders", "40", env=env)
    assert result.returncode == 0, result.stderr
    credentials = json.loads(result.stdout)
    roles = {user["role"] for user in credentials["users"]}
    assert roles == {"owner", "seller", "buyer"}
    assert all(user["api_key"].startswith("tp_") for user in credentials["users"])
    again = _tradepost("demo", "--json", "--if-empty", env=env)
    assert json.loads(again.stdout) == credentials


# Read by anyone, with no key: they answer 200 whatever is sent.
PUBLIC_TABLES = frozenset(
    {"/api/v1/lifecycle", "/api/v1/disputes/lifecycle", "/api/v1/returns/lifecycle"}
)
# Signed by the payment provider, not authorised by a key: a bad signature is its 401, and no
# role is ever refused (no 403).
SIGNED_BY_THE_PROVIDER = frozenset({"/api/v1/provider-events/chargebacks"})


def test_every_operation_is_in_the_openapi_document_with_its_errors(db: None) -> None:
    document = ApiClient().get("/openapi.json", None).json()
    operations = [
        (path, method, spec)
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    ]
    assert len(operations) >= 20
    for path, method, spec in operations:
        codes = set(spec["responses"])
        if path in PUBLIC_TABLES:
            continue
        assert {"401", "422"} <= codes, (path, method)
        if path in SIGNED_BY_THE_PROVIDER:
            assert {"404", "409", "503"} <= codes, (path, method)
        elif method in {"post", "patch"}:
            assert {"403", "404", "409"} <= codes, (path, method)
