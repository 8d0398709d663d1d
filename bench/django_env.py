"""Django inside the bench process, for what only the product's own code can do.

The services create users, API keys and listings; the test client and the query log count a
request's statements and time it without HTTP.
"""

from __future__ import annotations

import logging
import os

import django


def configure(database_url: str) -> None:
    """Point Django at the bench database. Call before importing anything from ``tradepost``
    that touches models.

    DEBUG stays off so in-process timings carry no query logging the server does not do; the
    development profile keeps ``testserver`` an allowed host for Django's test client.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "tradepost.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["TRADEPOST_ENV"] = "development"
    os.environ["TRADEPOST_DEBUG"] = "false"
    django.setup()
    # Django's logging config shows INFO, where httpx logs every request: on the load clients
    # that would be CPU taken from the server under test.
    logging.getLogger("httpx").setLevel(logging.WARNING)
