"""Fetch a web page for ``/source add url:``, refusing what a bot on a server must not fetch.

Rules, each a :class:`FetchRefused` whose message says what was wrong:

- ``http`` and ``https`` only, no user name or password in the link.
- No request to a loopback, private, link-local (the cloud metadata address 169.254.169.254 included), multicast,
  reserved or unspecified address: literal addresses are checked before connecting, and names are checked on every
  address they resolve to, inside the connector's resolver, so the address checked is the address connected to
  (no second look-up a rebinding DNS server could answer differently). :attr:`FetchPolicy.allow_private` lifts
  this for tests against a server on 127.0.0.1.
- At most :attr:`FetchPolicy.max_redirects` redirects, each checked like the first link; a loop is named as one.
- A total time limit (a page that never ends is cut off), a size limit counted on the decompressed bytes (a gzip
  bomb stops at the limit; gzip and deflate are decompressed here, in bounded steps), and a content type that is a
  page of text (HTML, XHTML or plain text).
- The text is decoded with the charset the server or the page declares, else UTF-8, else the best guess of
  charset-normalizer; text with NUL bytes (an image served as text/html) is refused.

No proxy settings from the environment are used (``trust_env`` off), so nothing else decides where a request goes.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import zlib
from dataclasses import dataclass

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from retrieval.errors import RetrievalError

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
USER_AGENT = "qabot/0.1 (Discord bot adding an article a moderator linked)"
_LEGACY_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}\.?$", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


class FetchRefused(RetrievalError):
    """The link cannot be added; ``str(error)`` says why (it never names a server path or an internal address)."""


class BlockedAddress(OSError):
    """Raised by the resolver when a name resolves to an address the policy forbids."""


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch. ``timeout`` in seconds for the whole fetch (redirects included), ``max_bytes`` of
    decompressed body, ``max_redirects`` followed, ``allow_private`` lifts the address rule (tests only)."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page: the final ``url`` (after redirects), its media ``content_type`` and its decoded ``text``."""

    url: str
    content_type: str
    text: str


def address_allowed(address: str) -> bool:
    """Whether ``address`` (an IPv4 or IPv6 literal) is a public unicast address. IPv4-mapped IPv6 addresses are
    judged by their IPv4 address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GuardedResolver(AbstractResolver):
    """The default threaded resolver, refusing (with :class:`BlockedAddress`) a name any of whose addresses is not
    public; the connector then connects only to the addresses returned here."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = ThreadedResolver()
        self._allow_private = allow_private

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
        results: list[ResolveResult] = await self._inner.resolve(host, port, family)
        if not self._allow_private:
            blocked = [r["host"] for r in results if not address_allowed(r["host"])]
            if blocked:
                raise BlockedAddress(f"{host} resolves to a private or local address")
        return results

    async def close(self) -> None:
        await self._inner.close()


def check_link(link: str | URL, policy: FetchPolicy) -> URL:
    """``link`` parsed, if it may be fetched (scheme, credentials, literal address).

    Raises
    ------
    FetchRefused
        Not an http(s) link, holds a user name or password, has no host, or names a forbidden address.
    """
    try:
        url = link if isinstance(link, URL) else URL(link.strip())
    except (ValueError, TypeError):
        raise FetchRefused("that is not a link; give a full http:// or https:// address") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise FetchRefused("only http:// and https:// links to a web page can be added")
    if url.user or url.password:
        raise FetchRefused("links with a user name or password are not fetched")
    host = url.host.strip("[]")
    if _LEGACY_NUMERIC_HOST.match(host) and not _is_ip_literal(host):
        # 2130706433, 127.1, 0x7f.1: old spellings of an address that resolvers map to 127.0.0.1 and the like.
        raise FetchRefused("that link writes its address as a bare number; give the site's name or a dotted address")
    if not policy.allow_private and _is_ip_literal(host) and not address_allowed(host):
        raise FetchRefused("that link points at a private, local or metadata address, which is never fetched")
    return url


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


async def fetch_page(link: str, policy: FetchPolicy) -> FetchedPage:
    """Fetch ``link`` under ``policy`` (see the module docstring).

    Raises
    ------
    FetchRefused
        Any rule broken, a network error, a timeout, or an HTTP status other than 200.
    """
    url = check_link(link, policy)
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(policy.allow_private), use_dns_cache=False)
    timeout = aiohttp.ClientTimeout(total=policy.timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9"}
    headers["Accept-Encoding"] = "gzip, deflate"
    try:
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=False, trust_env=False, headers=headers
        ) as session:
            return await _follow(session, url, policy)
    except FetchRefused:
        raise
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.os_error, BlockedAddress):
            raise FetchRefused(
                "that link's server name resolves to a private, local or metadata address, which is never fetched"
            ) from None
        raise FetchRefused(f"could not connect to {url.host}; check the link") from None
    except TimeoutError:
        raise FetchRefused(f"the page took longer than {policy.timeout:g} s to arrive; try again later") from None
    except aiohttp.ClientError as error:
        raise FetchRefused(f"the page could not be fetched ({type(error).__name__})") from None


async def _follow(session: aiohttp.ClientSession, url: URL, policy: FetchPolicy) -> FetchedPage:
    seen = {str(url)}
    for _ in range(policy.max_redirects + 1):
        async with session.get(url, allow_redirects=False) as response:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"the page answered a redirect ({response.status}) without saying where to")
                url = check_link(response.url.join(URL(location)), policy)
                if str(url) in seen:
                    raise FetchRefused("the link redirects in a loop")
                seen.add(str(url))
                continue
            if response.status != 200:
                reason = f" {response.reason}" if response.reason else ""
                raise FetchRefused(f"the page answered HTTP {response.status}{reason}")
            media = response.content_type.lower()
            if media not in PAGE_TYPES:
                raise FetchRefused(f"the link is {media or 'of no stated type'}, not a web page (HTML or plain text)")
            raw = await _read_capped(response, policy.max_bytes)
            return FetchedPage(str(response.url), media, decode_page(raw, response.charset))
    raise FetchRefused(f"the link redirects more than {policy.max_redirects} times")


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """The body, decompressed (gzip, deflate) in steps that never produce more than ``max_bytes`` + 1 bytes."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in ("identity", ""):
        inflater = None
    else:
        raise FetchRefused(f"the page is compressed as {encoding!r}, which is not read")
    declared = response.content_length
    if inflater is None and declared is not None and declared > max_bytes:
        raise FetchRefused(f"the page is {declared:,} bytes, over the {max_bytes:,}-byte limit (MAX_FETCH_BYTES)")
    body = bytearray()
    too_big = FetchRefused(f"the page is over the {max_bytes:,}-byte limit (MAX_FETCH_BYTES)")
    try:
        async for chunk in response.content.iter_chunked(64 * 1024):
            if inflater is None:
                body += chunk
            else:
                body += inflater.decompress(chunk, max_bytes + 1 - len(body))
                if inflater.unconsumed_tail:
                    raise too_big
            if len(body) > max_bytes:
                raise too_big
    except zlib.error:
        raise FetchRefused("the page's compressed data is corrupt") from None
    return bytes(body)


def decode_page(raw: bytes, declared: str | None) -> str:
    """``raw`` as text: the declared charset (the server's, else the page's ``<meta charset>``), else UTF-8, else
    charset-normalizer's best guess.

    Raises
    ------
    FetchRefused
        Empty, or holds NUL bytes (binary data, not a page of text).
    """
    if not raw.strip():
        raise FetchRefused("the page is empty")
    if b"\x00" in raw[:65536] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FetchRefused("the link serves binary data (an image or a file), not a web page")
    candidates = [declared]
    meta = _META_CHARSET.search(raw[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    candidates.append("utf-8")
    for name in candidates:
        if not name:
            continue
        try:
            return raw.decode(codecs.lookup(name).name)
        except (LookupError, UnicodeDecodeError):
            continue
    from charset_normalizer import from_bytes  # a trafilatura dependency

    best = from_bytes(raw).best()
    if best is None:
        raise FetchRefused("the page's text encoding could not be recognised")
    return str(best)
