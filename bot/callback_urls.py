"""Which callback URLs minorguard may POST to: public https ones, so that a tenant cannot aim it inward (SSRF).

A URL is checked when a chat's policy sets it (the API, the console) and again at every delivery, because what
a name resolves to can change. At delivery the HTTP client also resolves through ``GuardedResolver``, which
refuses the same addresses at connect time, so that a name that changes between the check and the connection
is caught too. ``callbacks.allow_local_urls`` lifts both rules (http and non-public addresses) for tests and
closed networks.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult

FIELD = "callback_url"
"""The policy field these rules are about, named in every refusal."""

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class CallbackUrlRefused(ValueError):
    """A callback URL minorguard will not use; the message names the field and says why."""

    field = FIELD


def address_class(address: IpAddress) -> str | None:
    """Why an address is not a public one ("private", "loopback", …), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("unspecified", address.is_unspecified),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("non-public", not address.is_global),
    )
    return next((name for name, matches in checks if matches), None)


def check_url_form(url: str, allow_local: bool) -> tuple[str, int]:
    """Check a callback URL's form and return its host and port.

    Raises:
        CallbackUrlRefused: not an absolute http(s) URL with a host, a bad port, credentials in it, or http
            where only https is allowed.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise CallbackUrlRefused(f"{FIELD}: not a valid URL ({error})") from None
    schemes = ("https", "http") if allow_local else ("https",)
    if parts.scheme not in schemes:
        raise CallbackUrlRefused(f"{FIELD}: must be an https:// URL, not {parts.scheme or 'a relative'!r} one")
    if not parts.hostname:
        raise CallbackUrlRefused(f"{FIELD}: the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise CallbackUrlRefused(f"{FIELD}: credentials do not belong in the URL; callbacks are signed instead")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_addresses(host: str, addresses: list[str], allow_local: bool) -> None:
    """Refuse the host when any address it resolves to is not public (unless local ones are allowed).

    Raises:
        CallbackUrlRefused: the host resolves to nothing, or to a private, loopback, link-local, multicast,
            reserved or otherwise non-public address.
    """
    if not addresses:
        raise CallbackUrlRefused(f"{FIELD}: {host} resolves to no address")
    if allow_local:
        return
    for text in addresses:
        why = address_class(ipaddress.ip_address(text.split("%")[0]))
        if why is not None:
            raise CallbackUrlRefused(f"{FIELD}: {host} resolves to a {why} address ({text}); use a public one")


async def resolve_host(host: str, port: int) -> list[str]:
    """The addresses a host name (or literal) resolves to; [] when it does not resolve."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


async def check_callback_url(url: str, allow_local: bool) -> None:
    """Check a callback URL's form and what its host resolves to now.

    Raises:
        CallbackUrlRefused: the URL may not be used, with the reason.
    """
    host, port = check_url_form(url, allow_local)
    check_addresses(host, await resolve_host(host, port), allow_local)


class GuardedResolver(AbstractResolver):
    """An aiohttp resolver that refuses names resolving to non-public addresses, at connect time.

    Args:
        inner: the resolver that does the lookups (e.g. aiohttp's ``ThreadedResolver``).
    """

    def __init__(self, inner: AbstractResolver) -> None:
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve the host, then refuse it (``OSError``, as a failed lookup) if any address is not public."""
        found = await self._inner.resolve(host, port, family)
        try:
            check_addresses(host, [result["host"] for result in found], allow_local=False)
        except CallbackUrlRefused as refusal:
            raise OSError(str(refusal)) from None
        return found

    async def close(self) -> None:
        """Close the inner resolver."""
        await self._inner.close()
