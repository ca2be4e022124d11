# ruff: noqa: E501  (HTML pages are data, kept as a browser would receive them)
"""Real-looking article pages, and a local aiohttp server that serves them (and misbehaves on purpose) on
127.0.0.1, for the URL-fetching and ``/source add url:`` tests."""

from __future__ import annotations

import asyncio
import gzip

from aiohttp import web

HARBOUR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour reopens after three-day storm | The Island Gazette</title>
<meta name="author" content="Morag Campbell">
<meta property="og:title" content="Harbour reopens after three-day storm">
<meta property="article:published_time" content="2026-03-01T10:00:00Z">
<link rel="stylesheet" href="/site.css"><script>window.analytics = {};</script>
</head><body>
<header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a> | <a href="/weather">Weather</a></nav></header>
<main><article>
<h1>Harbour reopens after three-day storm</h1>
<p class="byline">By Morag Campbell</p>
<p>The harbour at Port Ellen reopened on Tuesday after a storm closed it for three days, the island's port authority said in a statement.</p>
<p>Fishing boats returned to the quay by noon, and the ferry to the mainland resumed its normal timetable in the afternoon, carrying about 300 passengers.</p>
<p>Repairs to the damaged breakwater will cost about 2 million pounds, according to an estimate the council published on Monday.</p>
<p>Harbour master Ewan MacLeod said the crews had worked through the night to clear debris from the main channel.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Council tax rises</a></li><li><a href="/b">New school opens</a></li></ul></aside>
<footer><p>Copyright 2026 The Island Gazette. All rights reserved.</p></footer>
</body></html>
"""

WINDOWS_1252_PAGE = """<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Caf\u00e9 owners welcome the \u201cnew\u201d market</title></head><body><article>
<h1>Caf\u00e9 owners welcome the \u201cnew\u201d market</h1>
<p>Caf\u00e9 owners in the old town said on Friday that the \u201cnew\u201d covered market had doubled the number of visitors in its first month.</p>
<p>The market, which cost \u20ac4 million, opens six days a week and houses forty stalls selling fish, cheese and bread from the region.</p>
<p>Visitors counted at the entrance rose from about 2,000 a day in March to more than 4,000 a day in April, the town hall said.</p>
</article></body></html>
"""

NO_ARTICLE_PAGE = """<!doctype html><html><head><title>Login</title></head><body>
<nav><a href="/">Home</a></nav><form><input name="user"><input name="password" type="password"></form>
<script>document.forms[0].focus()</script></body></html>
"""


def article_server_app() -> web.Application:
    """Routes: /harbour (the article), /cp1252 (charset only in <meta>), /cp1252-header (charset in the header),
    /login (no article), /image (a PNG), /missing (404), /redirect/N (N redirects then the article), /loop (a loop),
    /endless (a page that never ends), /bomb (a gzip bomb), /huge (declares a huge length)."""

    async def harbour(request: web.Request) -> web.Response:
        return web.Response(text=HARBOUR_PAGE, content_type="text/html")

    async def cp1252_meta(request: web.Request) -> web.Response:
        return web.Response(body=WINDOWS_1252_PAGE.encode("cp1252"), headers={"Content-Type": "text/html"})

    async def cp1252_header(request: web.Request) -> web.Response:
        body = WINDOWS_1252_PAGE.replace("charset=windows-1252", "").encode("cp1252")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=windows-1252"})

    async def login(request: web.Request) -> web.Response:
        return web.Response(text=NO_ARTICLE_PAGE, content_type="text/html")

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), content_type="image/png")

    async def image_as_html(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), content_type="text/html")

    async def redirect(request: web.Request) -> web.Response:
        left = int(request.match_info["left"])
        raise web.HTTPFound("/harbour" if left == 0 else f"/redirect/{left - 1}")

    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound("/loop-b" if request.path == "/loop" else "/loop")

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        await response.write(b"<html><body><p>")
        while True:
            await response.write(b"more ")
            await asyncio.sleep(0.05)

    async def bomb(request: web.Request) -> web.Response:
        body = gzip.compress(b"<html><body><p>" + b"A" * 50_000_000, compresslevel=9)
        return web.Response(body=body, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Length": str(10**10)})
        await response.prepare(request)
        await response.write(b"<html>")
        return response

    app = web.Application()
    app.router.add_get("/harbour", harbour)
    app.router.add_get("/cp1252", cp1252_meta)
    app.router.add_get("/cp1252-header", cp1252_header)
    app.router.add_get("/login", login)
    app.router.add_get("/image", image)
    app.router.add_get("/image-as-html", image_as_html)
    app.router.add_get("/redirect/{left}", redirect)
    app.router.add_get("/loop", loop)
    app.router.add_get("/loop-b", loop)
    app.router.add_get("/endless", endless)
    app.router.add_get("/bomb", bomb)
    app.router.add_get("/huge", huge)
    return app


async def start_article_server() -> tuple[web.AppRunner, int]:
    """Start the server on 127.0.0.1 (a free port); returns its runner (to clean up) and the port."""
    runner = web.AppRunner(article_server_app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]
