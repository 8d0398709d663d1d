"""Where webhooks may go: public addresses over https, checked when registered and when sent.

The name is resolved again at every attempt and the request goes to the address that was checked
(the URL's host stays in the Host header and the TLS server name), so a DNS answer that changes
after registration — or between check and connect — cannot steer a request inside the network.
"""

from __future__ import annotations

import concurrent.futures
import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from tradepost.core.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Cloud metadata services answer on these; they are link-local or private, named for clarity.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)


class UnsafeTarget(ValidationFailed):
    """The endpoint's URL points somewhere webhooks must not go."""

    def __init__(self, message: str) -> None:
        super().__init__("url", message)


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    address: str  # the checked address the request connects to


def _allow_private() -> bool:
    return bool(settings.TRADEPOST_WEBHOOKS_ALLOW_PRIVATE)


def check_url_shape(url: str) -> None:
    """Refuse what no resolution can fix: the scheme, credentials, a missing host or port, and
    anything the HTTP client itself would not send to (control characters, a broken port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as error:
        raise UnsafeTarget(f"is not a valid URL ({error})") from None
    allowed = {"https", "http"} if _allow_private() else {"https"}
    if parts.scheme not in allowed:
        raise UnsafeTarget("must use https" if parts.scheme == "http" else "must be an https URL")
    if not parts.hostname:
        raise UnsafeTarget("must name a host")
    if parts.username or parts.password:
        raise UnsafeTarget("must not carry credentials; use the signature to authenticate")
    if port == 0:
        raise UnsafeTarget("must not use port 0")


# IPv6 ranges that carry an IPv4 address inside; the embedded address is what gets reached.
NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in IPV4_COMPATIBLE or any(address in net for net in NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local:
            return False
        embedded = _embedded_ipv4(address)
        if embedded is not None and not is_public(embedded):
            return False
    return address.is_global and not address.is_multicast and address not in METADATA_ADDRESSES


def _getaddrinfo(host: str, port: int) -> list[tuple[Any, ...]]:
    """The resolver has no timeout of its own; an attempt must not hang on a slow DNS."""
    future = _RESOLVER.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        return future.result(timeout=float(settings.TRADEPOST_WEBHOOK_TIMEOUT_SECONDS))
    except concurrent.futures.TimeoutError:
        raise UnsafeTarget(f"host {host} did not resolve in time") from None


_RESOLVER = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="resolve")


def resolve_target(url: str) -> Target:
    """The address to send to, after checking every address the name resolves to."""
    check_url_shape(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = _getaddrinfo(host, port)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(f"host {host} does not resolve ({error})") from None
    # An IPv6 answer may carry a zone ("fe80::1%eth0"); the address is what is checked.
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not _allow_private():
        blocked = [str(address) for address in addresses if not is_public(address)]
        if blocked:
            raise UnsafeTarget(
                f"resolves to {', '.join(sorted(set(blocked)))}: loopback, private, link-local "
                "and metadata addresses are refused"
            )
    return Target(host=host, port=port, address=str(addresses[0]))
