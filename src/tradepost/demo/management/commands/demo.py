"""``tradepost demo``: load the demo marketplace and print its logins and API keys."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tradepost.demo.builder import DemoCredentials, build_demo, demo_exists

# API keys are stored hashed, so the demo keeps its plain keys beside the local database to show
# them again on the next `make run`. Demo data only; never for real keys.
CREDENTIALS_FILE = "demo-credentials.json"


class Command(BaseCommand):
    help = (
        "Create a demo marketplace (sellers, listings, 200+ orders in every status) "
        "and print its logins and API keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing but print the logins when the demo is already loaded",
        )
        parser.add_argument(
            "--json", action="store_true", help="print the logins and API keys as JSON, for scripts"
        )
        parser.add_argument(
            "--orders",
            type=int,
            default=None,
            help="load only this many orders (default: about 230)",
        )
        parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")

    def handle(
        self, *args: Any, if_empty: bool, json: bool, orders: int | None, seed: int, **options: Any
    ) -> None:
        path = Path(settings.VAR_DIR) / CREDENTIALS_FILE
        if demo_exists():
            if not if_empty:
                raise CommandError("The demo marketplace is already loaded (use --if-empty).")
            credentials = _read(path)
        else:
            if not json:
                self.stdout.write("Loading the demo marketplace …")
            credentials = build_demo(orders=orders, seed=seed)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_dumps(credentials))
        self.stdout.write(_dumps(credentials) if json else _describe(credentials))


def _dumps(credentials: DemoCredentials) -> str:
    return json.dumps({"password": credentials.password, "users": credentials.users}, indent=2)


def _read(path: Path) -> DemoCredentials:
    if not path.exists():
        return DemoCredentials()
    data = json.loads(path.read_text())
    return DemoCredentials(password=data["password"], users=data["users"])


def _describe(credentials: DemoCredentials) -> str:
    if not credentials.users:
        return "Demo data is loaded; its API keys were not kept (issue new ones with the API)."
    lines = [
        "",
        "Dashboard: http://127.0.0.1:8000/ — sign in with a username below and the password "
        + credentials.password,
        "",
    ]
    for user in credentials.users:
        who = f"{user['role']:<6} {user['username']:<10}"
        seller = f" ({user['seller']})" if user["seller"] else ""
        lines.append(f"  {who} API key: {user['api_key']}{seller}")
    lines += [
        "",
        "Try:  curl -H 'Authorization: Bearer <key>' http://127.0.0.1:8000/api/v1/orders",
        "API docs: http://127.0.0.1:8000/api/v1/docs    Admin: http://127.0.0.1:8000/admin/",
        "",
    ]
    return "\n".join(lines)
