"""The ``tradepost`` command: ``serve``, ``demo`` and Django's management commands.

``tradepost --help`` lists every command; ``tradepost <command> --help`` explains one.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradepost.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in {"-h", "--help"}:
        args = ["help"]
    execute_from_command_line(["tradepost", *args])


if __name__ == "__main__":
    main()
