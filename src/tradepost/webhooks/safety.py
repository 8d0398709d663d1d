"""Where webhooks may go: public addresses over https, checked when registered and when sent.

The name is resolved again at every attempt and the request goes to the address that was checked
(the URL's host stays in the Host header and the TLS server name), so a DNS answer that changes
after registration — or between check and connect — cannot steer a request inside the network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

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
    """Refuse what no resolution can fix: the scheme, credentials in the URL, a missing host."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if _allow_private() else {"https"}
    if parts.scheme not in allowed:
        raise UnsafeTarget("must use https" if parts.scheme == "http" else "must be an https URL")
    if not parts.hostname:
        raise UnsafeTarget("must name a host")
    if parts.username or parts.password:
        raise UnsafeTarget("must not carry credentials; use the signature to authenticate")


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast and address not in METADATA_ADDRESSES


def resolve_target(url: str) -> Target:
    """The address to send to, after checking every address the name resolves to."""
    check_url_shape(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
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
