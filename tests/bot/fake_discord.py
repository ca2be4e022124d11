"""A stand-in for Discord: its REST API served on 127.0.0.1, and gateway-shaped events fed to discord.py's own
parsers, so tests see exactly the HTTP requests the library would send.

- :class:`FakeDiscordApi` records every request (method, path, JSON body) and answers with the minimal payloads
  discord.py parses. Point the library at it by setting ``discord.http.Route.BASE`` (webhooks and interaction
  callbacks use the same ``Route``).
- :func:`slash_command` (with subcommands and :func:`attachment` options), :func:`autocomplete`, :func:`component`
  (buttons), :func:`message_command` (context menus), :func:`message_create`, :func:`guild_create` and
  :func:`thread_create` build gateway envelopes (``{"op": 0, "t": ..., "d": ...}``) shaped like Discord's documented
  examples in ``shared/data/discord-api/``; :func:`dispatch` hands one to the parser the gateway websocket would call.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import discord
from aiohttp import web

from tests.conftest import SHARED

APPLICATION_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 900000000000000003
CHANNEL_ID = 900000000000000004
MEMBER_ID = 900000000000000005
MODERATOR_ROLE_ID = 900000000000000006
OTHER_ROLE_ID = 900000000000000007
MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6

BOT_USER = {"id": str(BOT_ID), "username": "qabot", "discriminator": "0", "avatar": None, "bot": True}
_ids = itertools.count(910000000000000000)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    response: Any = None
    """The JSON the fake answered with (a created message or thread), or None."""


SUPPRESS_EMBEDS = 1 << 2
"""Message flag: no link previews (embeds) for the URLs in the content."""


@dataclass
class FakeDiscordApi:
    """Discord's REST API on a local port; ``requests`` lists what the library sent, in order."""

    requests: list[Request] = field(default_factory=list)
    refuse_command_sync: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    """Attachment bodies served at ``/attachments/...`` (Discord's CDN), by path; see :func:`attachment`."""
    fail_routes: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Path fragment -> (HTTP status, Discord error code) to answer POSTs with, e.g. ``{"/threads": (403, 50013)}``."""
    runner: web.AppRunner | None = None
    base_url: str = ""

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/api/v10"
        return self.base_url

    async def close(self) -> None:
        if self.runner:
            await self.runner.cleanup()

    def sent(self, method: str | None = None, contains: str = "") -> list[Request]:
        """Recorded requests, optionally filtered by method and a substring of the path."""
        return [r for r in self.requests if (method is None or r.method == method) and contains in r.path]

    def callbacks(self) -> list[Request]:
        """Initial interaction responses (``POST /interactions/{id}/{token}/callback``)."""
        return self.sent("POST", "/callback")

    def followups(self) -> list[Request]:
        """Followup messages (``POST /webhooks/{application}/{token}``)."""
        return [r for r in self.sent("POST", "/webhooks/") if "/messages" not in r.path]

    def channel_messages(self) -> list[Request]:
        """Messages sent to a channel (``POST /channels/{id}/messages``)."""
        return [r for r in self.sent("POST", "/channels/") if r.path.endswith("/messages")]

    def bodies_with_content(self) -> list[dict]:
        """Every JSON body the bot sent that carries message content, in order."""
        return [body for body in self.message_bodies() if "content" in body]

    def message_bodies(self) -> list[dict]:
        """Every JSON body the bot sent that carries a message (content or embeds), in order."""
        bodies = []
        for request in self.requests:
            body = request.body if isinstance(request.body, dict) else {}
            body = (body.get("data") or {}) if "/callback" in request.path else body
            if isinstance(body, dict) and ("content" in body or "embeds" in body):
                bodies.append(body)
        return bodies

    def loud_messages(self) -> list[dict]:
        """Message bodies that could ping or unfurl: allowing any mention (``parse`` not empty, listed users or
        roles, or the replied-to author), or plain text without the SUPPRESS_EMBEDS flag (1 << 2), which stops
        Discord previewing links a question or a source holds. (An embed's own links never unfurl, and the flag
        would hide the embed, so a message with embeds carries no content and no flag.)"""

        def loud(body: dict) -> bool:
            allowed = body.get("allowed_mentions") or {}
            pings = allowed.get("parse") != [] or any(allowed.get(key) for key in ("users", "roles", "replied_user"))
            if body.get("embeds"):
                return pings or bool(body.get("content"))
            return pings or not int(body.get("flags") or 0) & SUPPRESS_EMBEDS

        return [body for body in self.message_bodies() if loud(body)]

    def sent_messages(self) -> list[dict]:
        """Every message the bot created (as the fake returned it: an id, embeds, components), in order."""
        found = []
        for request in self.requests:
            response = request.response
            if isinstance(response, dict) and "resource" in response:
                response = response["resource"].get("message")
            if isinstance(response, dict) and "author" in response and request.method == "POST":
                found.append(response)
        return found

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw) if raw and request.content_type == "application/json" else None
        path = request.path.removeprefix("/api/v10")
        recorded = Request(request.method, path, dict(request.query), body)
        self.requests.append(recorded)
        if request.method == "GET" and path.startswith("/attachments/"):
            return self._attachment(path)
        payload, status = self._answer(request.method, path, body)
        if payload is None:
            return web.Response(status=status)
        recorded.response = payload
        return _json(payload, status)

    def _attachment(self, path: str) -> web.Response:
        """An attachment's bytes, as Discord's CDN serves them (see :func:`attachment`)."""
        if path not in self.files:
            return _json({"message": "404: Not Found", "code": 0}, status=404)
        return web.Response(body=self.files[path], headers={"Content-Type": "application/octet-stream"})

    def _answer(self, method: str, path: str, body: Any) -> tuple[Any, int]:
        """The JSON payload and status Discord would answer with (None: an empty 204)."""
        if self.fail_routes:
            for fragment, (status, code) in self.fail_routes.items():
                if fragment in path and method == "POST":
                    return {"message": "refused by the test", "code": code}, status
        parts = path.strip("/").split("/")
        if (method, path) == ("GET", "/users/@me"):
            return BOT_USER, 200
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return _application(), 200
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            if self.refuse_command_sync:  # what Discord answers when the bot is not in the guild or lacks the scope
                return {"message": "Missing Access", "code": 50001}, 403
            commands = [
                {"description": "", **c, "id": str(next(_ids)), "application_id": str(APPLICATION_ID), "version": "1"}
                for c in body
            ]
            return commands, 200
        if method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return _callback_response(int(parts[1]), body), 200
        if method in ("POST", "PATCH") and parts[0] == "webhooks":
            return _message(CHANNEL_ID, body), 200
        if method == "POST" and parts[0] == "channels" and parts[-1] == "messages":
            return _message(int(parts[1]), body), 200
        if method == "POST" and parts[0] == "channels" and parts[-1] == "typing":
            return None, 204
        if method == "POST" and parts[0] == "channels" and parts[-1] == "threads":
            return thread_payload(int(parts[1]), body["name"]), 201
        if method == "DELETE":
            return None, 204
        return {"message": f"Unknown route {method} {path}", "code": 0}, 404


def _json(payload: Any, status: int = 200) -> web.Response:
    # discord.py decodes a body as JSON only when Content-Type is exactly "application/json" (no charset).
    return web.Response(body=json.dumps(payload).encode(), status=status, headers={"Content-Type": "application/json"})


def _application() -> dict:
    owner = {"id": str(MEMBER_ID), "username": "owner", "discriminator": "0", "avatar": None}
    return {
        "id": str(APPLICATION_ID),
        "name": "qabot",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": owner,
        "verify_key": "0" * 64,
        "flags": 0,
    }


def _message(channel_id: int, body: dict | None) -> dict:
    body = body or {}
    return {
        "id": str(next(_ids)),
        "channel_id": str(channel_id),
        "author": BOT_USER,
        "content": body.get("content", ""),
        "timestamp": "2026-11-29T12:00:00.000000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": body.get("embeds", []),
        "components": body.get("components", []),
        "pinned": False,
        "type": 0,
        "flags": body.get("flags", 0),
    }


THREAD_TYPE = 11


def thread_payload(parent_id: int, name: str) -> dict:
    """A public thread (type 11) the bot opened in ``parent_id``, as Discord returns it."""
    return {
        "id": str(next(_ids)),
        "type": THREAD_TYPE,
        "guild_id": str(GUILD_ID),
        "parent_id": str(parent_id),
        "owner_id": str(BOT_ID),
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-11-29T12:00:00.000000+00:00",
            "locked": False,
        },
    }


def _callback_response(interaction_id: int, body: dict) -> dict:
    data = body.get("data") or {}
    kind = body["type"]
    interaction = {
        "id": str(interaction_id),
        "type": 2,
        "response_message_loading": kind == 5,
        "response_message_ephemeral": bool(data.get("flags", 0) & EPHEMERAL),
    }
    resource: dict[str, Any] = {"type": kind}
    if kind in (4, 5):
        message = _message(CHANNEL_ID, data)
        interaction["response_message_id"] = message["id"]
        resource["message"] = message
    return {"interaction": interaction, "resource": resource}


def _documented(name: str) -> dict:
    return json.loads((SHARED / "data" / "discord-api" / name).read_text(encoding="utf-8"))


def _envelope(event: str, data: dict) -> dict:
    envelope = _documented("docs_gateway_event_payload.json")
    envelope.update(t=event, d=data, s=next(_ids) % 10_000)
    return envelope


def _interaction(
    kind: int,
    data: dict,
    *,
    permissions: int,
    roles,
    in_guild: bool,
    user_id: int,
    app_permissions: int | None = None,
    channel_id: int = CHANNEL_ID,
    guild_id: int = GUILD_ID,
) -> dict:
    payload = copy.deepcopy(_documented("docs_slash_command_interaction.json"))
    user = {**payload["member"]["user"], "id": str(user_id)}
    payload.update(
        id=str(next(_ids)),
        type=kind,
        token=f"token-{next(_ids)}",
        application_id=str(APPLICATION_ID),
        version=1,
        attachment_size_limit=8 * 1024 * 1024,
        data=data,
        app_permissions=str(discord.Permissions.text().value if app_permissions is None else app_permissions),
        channel_id=str(channel_id),
    )
    if in_guild:
        payload["guild_id"] = str(guild_id)
        # The documented example predates the member "flags" field, which Discord now always sends.
        payload["member"].update(user=user, roles=[str(r) for r in roles], permissions=str(permissions), flags=0)
        payload["channel"] = {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild_id),
            "name": "general",
            "position": 0,
            "flags": 0,
            "nsfw": False,
            "parent_id": None,
            "permissions": str(discord.Permissions.text().value),
            "permission_overwrites": [],
            "rate_limit_per_user": 0,
            "topic": None,
            "last_message_id": None,
        }
        payload["context"] = 0
    else:
        del payload["member"], payload["guild_id"], payload["guild_locale"]
        payload["user"] = user
        payload["channel"] = {"id": str(CHANNEL_ID), "type": 1, "recipients": [user]}
        payload["context"] = 1
    return _envelope("INTERACTION_CREATE", payload)


def attachment(
    api: FakeDiscordApi, filename: str, content: bytes, *, content_type: str | None = "text/plain", size=None
) -> dict:
    """An attachment object as Discord sends it in an interaction's ``resolved.attachments``, its bytes served by
    the fake API at its ``url`` (as Discord's CDN would). ``content_type`` and ``size`` may lie, as clients can."""
    attachment_id = str(next(_ids))
    path = f"/attachments/{CHANNEL_ID}/{attachment_id}/{filename}"
    api.files[path] = content
    root = api.base_url.removesuffix("/api/v10")
    payload = {
        "id": attachment_id,
        "filename": filename,
        "size": len(content) if size is None else size,
        "url": root + path,
        "proxy_url": root + path,
    }
    if content_type:
        payload["content_type"] = content_type
    return payload


def _option(name: str, value: Any, focused: bool = False) -> dict:
    if isinstance(value, dict) and "filename" in value:  # an attachment(): its id, the object goes in "resolved"
        return {"type": 11, "name": name, "value": value["id"]}
    kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3  # BOOLEAN, INTEGER, STRING
    option = {"type": kind, "name": name, "value": value}
    if focused:
        option["focused"] = True
    return option


def slash_command(
    name: str,
    *,
    permissions: int = 0,
    roles=(),
    in_guild: bool = True,
    user_id: int = MEMBER_ID,
    guild_id: int = GUILD_ID,
    subcommand: str | None = None,
    app_permissions: int | None = None,
    **options: Any,
) -> dict:
    """An INTERACTION_CREATE envelope for ``/name [subcommand]`` with string/integer/boolean/attachment ``options``
    (attachments made by :func:`attachment`; None values are left out), by a member with ``permissions`` (a bit set)
    and ``roles`` in the test guild (or ``guild_id``), or by a user in a DM when ``in_guild`` is False.
    ``app_permissions`` are the bot's permissions in the channel (default: every text permission)."""
    given = [_option(k, v) for k, v in options.items() if v is not None]
    if subcommand:
        given = [{"type": 1, "name": subcommand, "options": given}]
    data = {"id": str(next(_ids)), "name": name, "type": 1, "options": given}
    files = {v["id"]: v for v in options.values() if isinstance(v, dict) and "filename" in v}
    if files:
        data["resolved"] = {"attachments": files}
    return _interaction(
        2,
        data,
        permissions=permissions,
        roles=roles,
        in_guild=in_guild,
        user_id=user_id,
        app_permissions=app_permissions,
        guild_id=guild_id,
    )


def component(custom_id: str, message: dict, *, user_id: int = MEMBER_ID, app_permissions: int | None = None) -> dict:
    """A MESSAGE_COMPONENT interaction (type 3): ``user_id`` pressed the button ``custom_id`` on ``message`` (a
    message object as the bot sent it, e.g. from :meth:`FakeDiscordApi.sent_messages`)."""
    data = {"custom_id": custom_id, "component_type": 2}
    envelope = _interaction(
        3, data, permissions=0, roles=(), in_guild=True, user_id=user_id, app_permissions=app_permissions
    )
    envelope["d"]["message"] = {**message, "guild_id": str(GUILD_ID)}
    return envelope


def message_command(name: str, target: dict, *, user_id: int = MEMBER_ID) -> dict:
    """A message-command interaction (application command type 3, the "Apps" context menu) on ``target``, shaped like
    Discord's documented example (``docs_message_command_interaction.json``)."""
    documented = _documented("docs_message_command_interaction.json")["data"]
    data = {
        **documented,
        "id": str(next(_ids)),
        "name": name,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    return _interaction(2, data, permissions=0, roles=(), in_guild=True, user_id=user_id)


def member_message(content: str, *, author_id: int = MEMBER_ID) -> dict:
    """A message object by a member in the test channel (the target of a context-menu command)."""
    message = copy.deepcopy(_documented("docs_message_command_interaction.json")["data"]["resolved"]["messages"])
    (message,) = message.values()
    author = {"id": str(author_id), "username": "member", "discriminator": "0", "avatar": None}
    return message | {"id": str(next(_ids)), "channel_id": str(CHANNEL_ID), "content": content, "author": author}


BOT_ROLE_ID = 900000000000000008
"""The role Discord creates for the bot when it joins a guild (managed, ``tags.bot_id``)."""


def guild_create(*, threads: list[dict] = ()) -> dict:
    """A GUILD_CREATE envelope for the test guild: the text channel, the bot's managed role, the bot as a member
    with Administrator-less text permissions via @everyone, and ``threads``."""
    everyone = {"id": str(GUILD_ID), "name": "@everyone", "permissions": str(discord.Permissions.text().value)}
    role_base = {"color": 0, "hoist": False, "position": 0, "managed": False, "mentionable": False, "flags": 0}
    bot_role = role_base | {
        "id": str(BOT_ROLE_ID),
        "name": "qabot",
        "permissions": str(discord.Permissions.text().value),
        "managed": True,
        "position": 1,
        "tags": {"bot_id": str(BOT_ID)},
    }
    member = {"user": BOT_USER, "roles": [str(BOT_ROLE_ID)], "joined_at": "2020-01-01T00:00:00+00:00", "deaf": False}
    member |= {"mute": False, "flags": 0}
    channel = {
        "id": str(CHANNEL_ID),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "rate_limit_per_user": 0,
        "topic": None,
        "last_message_id": None,
        "flags": 0,
    }
    guild = {
        "id": str(GUILD_ID),
        "name": "test",
        "icon": None,
        "owner_id": str(MEMBER_ID),
        "roles": [role_base | everyone, bot_role],
        "emojis": [],
        "stickers": [],
        "features": [],
        "channels": [channel],
        "threads": list(threads),
        "members": [member],
        "member_count": 2,
        "large": False,
        "unavailable": False,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
        "nsfw_level": 0,
        "voice_states": [],
        "presences": [],
    }
    return _envelope("GUILD_CREATE", guild)


def thread_create(thread: dict) -> dict:
    """A THREAD_CREATE envelope, as Discord sends after the bot opens ``thread``."""
    return _envelope("THREAD_CREATE", thread | {"newly_created": True})


def autocomplete(name: str, focused: str, value: str, *, subcommand: str | None = None, **options: Any) -> dict:
    """An APPLICATION_COMMAND_AUTOCOMPLETE interaction: the user is typing ``value`` into option ``focused`` (of
    ``subcommand`` when given)."""
    given = [_option(focused, value, focused=True), *(_option(k, v) for k, v in options.items())]
    if subcommand:
        given = [{"type": 1, "name": subcommand, "options": given}]
    data = {"id": str(next(_ids)), "name": name, "type": 1, "options": given}
    return _interaction(4, data, permissions=0, roles=(), in_guild=True, user_id=MEMBER_ID)


def message_create(
    content: str,
    *,
    author_id: int = MEMBER_ID,
    author_is_bot: bool = False,
    mentions=(),
    mention_everyone: bool = False,
    replying_to: dict | None = None,
    role_mentions=(),
    channel_id: int = CHANNEL_ID,
    in_dm: bool = False,
) -> dict:
    """A MESSAGE_CREATE envelope in the test guild's channel (or ``channel_id``, or a DM when ``in_dm``), shaped like
    Discord's documented example message. ``mentions`` are user ids Discord would list, ``role_mentions`` role ids;
    ``replying_to`` is the message replied to (a message object)."""
    message = copy.deepcopy(_documented("docs_example_message.json"))
    message.update(
        id=str(next(_ids)),
        channel_id=str(channel_id),
        guild_id=str(GUILD_ID),
        content=content,
        author={"id": str(author_id), "username": "member", "discriminator": "0", "avatar": None, "bot": author_is_bot},
        mentions=[{"id": str(m), "username": "x", "discriminator": "0", "avatar": None} for m in mentions],
        mention_roles=[str(r) for r in role_mentions],
        mention_everyone=mention_everyone,
        reactions=[],
        member={"roles": [], "joined_at": "2020-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0},
    )
    if in_dm:
        del message["guild_id"], message["member"]
    if replying_to is not None:
        message["type"] = 19  # REPLY
        message["message_reference"] = {"message_id": replying_to["id"], "channel_id": str(CHANNEL_ID)}
        message["referenced_message"] = replying_to
    return _envelope("MESSAGE_CREATE", message)


def bot_message(content: str) -> dict:
    """A message object authored by the bot, as Discord would send it in ``referenced_message``."""
    return _message(CHANNEL_ID, {"content": content}) | {"guild_id": str(GUILD_ID)}


async def dispatch(client: discord.Client, envelope: dict, *, timeout: float = 10.0) -> None:
    """Hand ``envelope`` to discord.py's parser for its event, as the gateway websocket does
    (``DiscordWebSocket.received_message``: ``parsers[event](data)``), then wait until every task the library
    started for it (command invocations, event listeners) has finished."""
    client._connection.parsers[envelope["t"]](envelope["d"])
    await settle(timeout)


async def settle(timeout: float = 10.0) -> None:
    """Wait for the library's command and event tasks to finish."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        pending = [
            t
            for t in asyncio.all_tasks()
            if not t.done()
            and t.get_name().startswith(("CommandTree-invoker", "discord.py:", "discord-ext", "discord-ui"))
        ]
        if not pending:
            return
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise TimeoutError(f"library tasks still running: {[t.get_name() for t in pending]}")
        await asyncio.wait(pending, timeout=remaining)


def message_text(body: dict) -> str:
    """All the text a message body shows: its content and every embed's author, title, description, fields and
    footer, one part a line (what a test searches for a quote or a citation)."""
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [(embed.get("author") or {}).get("name", ""), embed.get("title", ""), embed.get("description", "")]
        for field_ in embed.get("fields", []):
            parts += [field_["name"], field_["value"]]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(p for p in parts if p)


def custom_ids(body: dict) -> list[str]:
    """The custom_ids of the buttons a message body carries (link buttons have none), in order."""
    return [c["custom_id"] for row in body.get("components") or [] for c in row["components"] if "custom_id" in c]
