"""Sending one delivery: claim it, sign it, POST it, log the attempt, schedule the next one.

At-least-once: a delivery is leased before its POST, so a worker that dies mid-request leaves a
lease that expires and the sweep sends the delivery again. Receivers deduplicate on
``webhook-id``, which stays the same for every attempt (and every resend) of an event.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction

from tradepost.core import clock
from tradepost.core.leases import claim_due
from tradepost.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from tradepost.webhooks.payloads import PAYLOAD_VERSION, event_body
from tradepost.webhooks.safety import UnsafeTarget, resolve_target
from tradepost.webhooks.signing import signature_headers

logger = logging.getLogger("tradepost.webhooks")

# Waits after each failed attempt: about three days in all, then the delivery gives up.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    *([timedelta(hours=10)] * 6),
)
JITTER = 0.1  # each wait is stretched or shrunk by up to 10 %, so retries of a burst spread out
DISABLE_AFTER = timedelta(days=5)  # an endpoint failing this long without a success is disabled
# Longer than the longest wait between retries: failures further apart are not one streak.
FAILING_GAP = timedelta(hours=12)
RESPONSE_LIMIT = 64 * 1024  # bytes of a response read off the wire, ever
EXCERPT_LIMIT = 2000  # characters of it kept in the attempt log
USER_AGENT = "Tradepost-Webhooks/1"
LEASE_MARGIN_SECONDS = 5


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    excerpt: str
    error: str

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def timeout_seconds() -> float:
    return float(settings.TRADEPOST_WEBHOOK_TIMEOUT_SECONDS)


def lease_seconds() -> float:
    """Longer than any attempt can take: resolving, connecting, sending and the first byte each
    have the timeout at most, and reading the body stops at the attempt's deadline."""
    return 4 * timeout_seconds() + LEASE_MARGIN_SECONDS


def delivery_attempt(delivery_id: int | str) -> WebhookAttempt | None:
    """Make the next attempt of a due delivery; None when it is not due or another worker has it."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        _finish(delivery, status=DeliveryStatus.CANCELED)
        return None
    now = clock.now()
    outcome = _post(endpoint, delivery, now)
    return _record(delivery, outcome, now)


def _claim(delivery_id: int | str) -> WebhookDelivery | None:
    return claim_due(
        WebhookDelivery.objects.select_related("endpoint__seller", "event"),
        delivery_id,
        pending=DeliveryStatus.PENDING,
        lease=timedelta(seconds=lease_seconds()),
    )


def _secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    in_use = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        in_use.append(endpoint.previous_secret)
    return in_use


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> Outcome:
    body = event_body(delivery.event, endpoint)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "tradepost-webhook-version": PAYLOAD_VERSION,
        **signature_headers(
            secrets_in_use=_secrets(endpoint, now),
            message_id=f"evt_{delivery.event_id.hex}",
            timestamp=now,
            body=body,
        ),
    }
    started = time.perf_counter()
    try:
        target = resolve_target(endpoint.url)
        return _send(endpoint.url, target.address, target.host, headers, body, started)
    except UnsafeTarget as refused:
        return Outcome(None, _elapsed_ms(started), "", f"refused: {refused.detail}")
    except httpx.HTTPError as error:
        return Outcome(None, _elapsed_ms(started), "", _describe(error))
    except Exception as error:  # whatever goes wrong is a logged, failed attempt, never a stuck one
        logger.exception("webhook delivery %s failed unexpectedly", delivery.pk)
        return Outcome(None, _elapsed_ms(started), "", f"{type(error).__name__}: {error}"[:300])


class _DeadlinePassed(Exception):
    pass


def _send(
    url: str, address: str, host: str, headers: dict[str, str], body: str, started: float
) -> Outcome:
    """POST to the checked address; the URL's host stays the Host header and the TLS name.

    The body is read raw (no decompression: the limit is on bytes received, and a small
    compressed answer must not grow into megabytes) and only until the attempt's deadline, so a
    server trickling bytes cannot hold a worker past its lease.
    """
    deadline = started + timeout_seconds()
    remaining = max(deadline - time.perf_counter(), 0.1)
    pinned = httpx.URL(url).copy_with(host=address)
    with httpx.Client(
        timeout=httpx.Timeout(remaining), follow_redirects=False, trust_env=False
    ) as client:
        request = client.build_request(
            "POST",
            pinned,
            content=body.encode(),
            headers={
                **headers,
                "host": httpx.URL(url).netloc.decode(),
                "accept-encoding": "identity",
            },
            extensions={"sni_hostname": host},
        )
        response = client.send(request, stream=True)
        try:
            received = bytearray()
            for chunk in response.iter_raw():
                received += chunk
                if len(received) >= RESPONSE_LIMIT:
                    break
                if time.perf_counter() > deadline:
                    raise _DeadlinePassed
        except _DeadlinePassed:
            return Outcome(
                None,
                _elapsed_ms(started),
                "",
                f"timed out: no complete answer in {timeout_seconds():g} s",
            )
        finally:
            response.close()
    excerpt = bytes(received[:RESPONSE_LIMIT]).decode("utf-8", "replace")[:EXCERPT_LIMIT]
    return Outcome(response.status_code, _elapsed_ms(started), excerpt, "")


def _elapsed_ms(started: float) -> int:
    return max(0, round((time.perf_counter() - started) * 1000))


def _describe(error: httpx.HTTPError) -> str:
    kind = {
        httpx.TimeoutException: "timed out",
        httpx.ConnectError: "could not connect",
    }
    for cls, text in kind.items():
        if isinstance(error, cls):
            return f"{text}: {error}"[:300]
    return f"{type(error).__name__}: {error}"[:300]


def _record(delivery: WebhookDelivery, outcome: Outcome, now: datetime) -> WebhookAttempt:
    """Log the attempt; move the delivery on only while this worker still holds its lease."""
    from tradepost.webhooks.tasks import deliver

    lease = delivery.leased_until
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
        )
        current = (
            WebhookDelivery.objects.select_for_update(no_key=True).filter(pk=delivery.pk).first()
        )
        if current is None or current.leased_until != lease:
            return attempt  # the lease ran out and another attempt owns the delivery now
        delivery.attempt_count = current.attempt_count + 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error or (
            "" if outcome.succeeded else f"answered {outcome.status_code}"
        )
        if outcome.succeeded:
            _finish(delivery, status=DeliveryStatus.SUCCEEDED, delivered_at=now)
            WebhookEndpoint.objects.filter(
                pk=delivery.endpoint_id, failing_since__isnull=False
            ).update(failing_since=None)
            return attempt
        enabled = _note_failure(delivery.endpoint_id, now)
        if delivery.attempt_count > len(RETRY_DELAYS) or not enabled:
            _finish(delivery, status=DeliveryStatus.FAILED if enabled else DeliveryStatus.CANCELED)
            return attempt
        delivery.next_attempt_at = now + _jittered(RETRY_DELAYS[delivery.attempt_count - 1])
        delivery.leased_until = None
        delivery.save(
            update_fields=[
                "attempt_count",
                "last_status_code",
                "last_error",
                "next_attempt_at",
                "leased_until",
            ]
        )
        deliver.using(run_after=delivery.next_attempt_at).enqueue(str(delivery.pk))
    return attempt


def _finish(
    delivery: WebhookDelivery, *, status: str, delivered_at: datetime | None = None
) -> None:
    delivery.status = status
    delivery.leased_until = None
    delivery.next_attempt_at = None
    delivery.delivered_at = delivered_at
    delivery.save(
        update_fields=[
            "status",
            "attempt_count",
            "last_status_code",
            "last_error",
            "leased_until",
            "next_attempt_at",
            "delivered_at",
        ]
    )


def _jittered(delay: timedelta) -> timedelta:
    return delay * (1 + random.uniform(-JITTER, JITTER))  # spreading, not secrecy


def _note_failure(endpoint_id: int, now: datetime) -> bool:
    """Keep the failing clock; five days of failures with no success and no long silence
    between them disable the endpoint. Returns whether the endpoint is still enabled."""
    endpoint = WebhookEndpoint.objects.select_for_update(no_key=True).get(pk=endpoint_id)
    quiet = endpoint.last_failure_at is None or now - endpoint.last_failure_at > FAILING_GAP
    if endpoint.failing_since is None or quiet:
        endpoint.failing_since = now  # a failure after a pause starts a new streak
    endpoint.last_failure_at = now
    endpoint.save(update_fields=["failing_since", "last_failure_at", "updated_at"])
    if endpoint.enabled and now - endpoint.failing_since >= DISABLE_AFTER:
        from tradepost.webhooks.services import endpoint_disable_failing

        endpoint_disable_failing(endpoint=endpoint, now=now)
    return endpoint.enabled
