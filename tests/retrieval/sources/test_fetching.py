"""Fetching a page for /source add url:, against a local aiohttp server on 127.0.0.1: what is fetched, and every
link that must be refused."""

from __future__ import annotations

import pytest

from retrieval.sources.fetching import FetchPolicy, FetchRefused, address_allowed, fetch_page
from retrieval.sources.formats import html
from tests.retrieval.sources.article_pages import start_article_server

LOOPBACK_ALLOWED = FetchPolicy(timeout=5, max_bytes=1_000_000, max_redirects=3, allow_private=True)
STRICT = FetchPolicy(timeout=5, max_bytes=1_000_000, max_redirects=3, allow_private=False)


@pytest.fixture
async def server():
    """The article server's base URL on 127.0.0.1."""
    runner, port = await start_article_server()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def refused(link: str, policy: FetchPolicy = LOOPBACK_ALLOWED) -> str:
    with pytest.raises(FetchRefused) as caught:
        await fetch_page(link, policy)
    return str(caught.value)


async def test_an_article_page_is_fetched_and_extracted(server):
    """With the loopback allowance on, the article page is fetched, and its text, title, author and date are
    extracted; navigation, the byline's repeat of the title and the footer are left out."""
    page = await fetch_page(f"{server}/harbour", LOOPBACK_ALLOWED)
    assert page.content_type == "text/html" and page.url == f"{server}/harbour"
    parsed = html.parse(page.text, url=page.url)
    assert parsed.title == "Harbour reopens after three-day storm"
    assert parsed.fields == {"author": "Morag Campbell", "published": "2026-03-01"}
    paragraphs = parsed.text.split("\n\n")
    assert paragraphs[0].startswith("The harbour at Port Ellen reopened on Tuesday")
    assert any("2 million pounds" in p for p in paragraphs)
    assert "Copyright" not in parsed.text and "Most read" not in parsed.text and "Sport" not in parsed.text


async def test_the_same_link_is_refused_without_the_loopback_allowance(server):
    """The link that fetches with the allowance on is refused with it off: 127.0.0.1 is never fetched."""
    assert "private, local or metadata address" in await refused(f"{server}/harbour", STRICT)


async def test_a_name_that_resolves_to_loopback_is_refused(server):
    """A host name (localhost) that resolves to 127.0.0.1 is refused when resolved, before any request."""
    port = server.rsplit(":", 1)[1]
    message = await refused(f"http://localhost:{port}/harbour", STRICT)
    assert "resolves to a private, local or metadata address" in message


@pytest.mark.parametrize(
    "link",
    ["http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://10.0.0.7/", "http://[::ffff:127.0.0.1]/"],
)
async def test_metadata_private_and_mapped_addresses_are_refused(link):
    """The cloud metadata address, IPv6 loopback, a private address and an IPv4-mapped loopback are refused."""
    assert "private, local or metadata address" in await refused(link, STRICT)


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("ftp://example.com/a", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("https://user:pw@example.com/", "user name or password"),
        ("not a link", "only http:// and https://"),
        ("http://2130706433/", "as a bare number"),
        ("http://127.1/", "as a bare number"),
        ("http://0x7f000001/", "as a bare number"),
        ("http://0x7f.0.0.1/", "as a bare number"),
    ],
)
async def test_links_that_are_not_plain_web_links_are_refused(link, words):
    """Other schemes, credentials in the link, text that is no link and numeric spellings of an address (which
    resolvers turn into 127.0.0.1) are refused before any connection."""
    assert words in await refused(link, STRICT)


def test_public_addresses_are_allowed_and_the_others_not():
    """address_allowed passes public unicast addresses only."""
    assert address_allowed("93.184.215.14") and address_allowed("2606:4700::6810:84e5")
    for address in ("127.0.0.1", "169.254.169.254", "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "fe80::1"):
        assert not address_allowed(address), address


async def test_redirects_are_followed_up_to_the_limit(server):
    """Three redirects (the limit) reach the article; four are refused."""
    page = await fetch_page(f"{server}/redirect/2", LOOPBACK_ALLOWED)
    assert page.url.endswith("/harbour")
    assert "more than 3 times" in await refused(f"{server}/redirect/3")


async def test_a_redirect_loop_is_named(server):
    """A page redirecting back and forth is refused as a loop."""
    assert "redirects in a loop" in await refused(f"{server}/loop")


async def test_a_page_that_never_ends_is_cut_off_by_the_time_limit(server):
    """A page that keeps sending is refused once the time limit passes."""
    policy = FetchPolicy(timeout=0.5, max_bytes=1_000_000, allow_private=True)
    assert "longer than 0.5 s" in await refused(f"{server}/endless", policy)


async def test_a_gzip_bomb_stops_at_the_size_limit(server):
    """A 50 MB page compressed to a few kilobytes is refused at the 1 MB limit, counted after decompression."""
    assert "over the 1,000,000-byte limit" in await refused(f"{server}/bomb")


async def test_a_declared_huge_length_is_refused_before_reading(server):
    """A Content-Length over the limit is refused without reading the body."""
    assert "10,000,000,000 bytes" in await refused(f"{server}/huge")


@pytest.mark.parametrize(
    ("path", "words"),
    [("/image", "image/png, not a web page"), ("/image-as-html", "binary data"), ("/missing", "HTTP 404")],
)
async def test_other_content_is_refused_with_its_reason(server, path, words):
    """An image, an image served as text/html, and a missing page are each refused saying why."""
    assert words in await refused(f"{server}{path}")


@pytest.mark.parametrize("path", ["/cp1252", "/cp1252-header"])
async def test_pages_that_are_not_utf8_are_decoded_by_their_declared_charset(server, path):
    """A windows-1252 page, declared in a <meta> tag or in the Content-Type header, is decoded correctly."""
    page = await fetch_page(f"{server}{path}", LOOPBACK_ALLOWED)
    parsed = html.parse(page.text)
    assert parsed.title == "Café owners welcome the “new” market"
    assert "cost €4 million" in parsed.text


async def test_a_name_resolving_to_the_metadata_address_is_refused_by_the_resolver():
    """A host name whose DNS answer is 169.254.169.254 (or includes it beside a public address) is refused by the
    connector's resolver, so no connection is made to it."""
    from retrieval.sources.fetching import BlockedAddress, GuardedResolver

    def answer(*addresses):
        async def resolve(host, port=0, family=0):
            return [
                {"hostname": host, "host": a, "port": port, "family": family, "proto": 0, "flags": 0} for a in addresses
            ]

        return resolve

    resolver = GuardedResolver(allow_private=False)
    resolver._inner.resolve = answer("169.254.169.254")
    with pytest.raises(BlockedAddress):
        await resolver.resolve("metadata.example", 80)
    resolver._inner.resolve = answer("93.184.215.14", "10.1.2.3")
    with pytest.raises(BlockedAddress):
        await resolver.resolve("split.example", 80)
    resolver._inner.resolve = answer("93.184.215.14")
    assert [r["host"] for r in await resolver.resolve("example.com", 80)] == ["93.184.215.14"]
    await resolver.close()
