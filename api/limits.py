"""Request bodies bounded as their bytes arrive, chunked or not, on every route (plain ASGI middleware).

A Content-Length over the route's limit is refused before any byte is read. Otherwise the bytes are counted as the
server receives them, and the request fails with 413 the moment the count passes the limit, so neither a chunked
upload spooled to disk nor a body buffered in memory can grow past it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
DEFAULT_BODY = 64 * 1024  # routes that take no body of any size


class BodyTooLarge(Exception):
    """The body passed its route's limit; raised from `receive`, turned into a 413 by the middleware."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is limited to {limit:,} bytes on this route")
        self.limit = limit


Page = Callable[[Scope, BodyTooLarge], bytes]  # the HTML a person's browser gets instead of problem+json


class BodyLimit:
    """limits: (method, path prefix, bytes), the first match wins; other requests may send DEFAULT_BODY bytes.
    pages: path → the HTML page that says why, for the paths people post to from a browser (the upload page)."""

    def __init__(self, app: ASGIApp, limits: tuple[tuple[str, str, int], ...], default: int = DEFAULT_BODY,
                 pages: dict[str, Page] | None = None) -> None:
        self.app, self.limits, self.default, self.pages = app, limits, default, pages or {}

    def limit_for(self, method: str, path: str) -> int:
        return next((size for m, prefix, size in self.limits if m == method and path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        if _declared_length(scope) > limit:
            await _refuse(scope, send, BodyTooLarge(limit), self.pages.get(scope["path"]))
            return
        started = False

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                counting_receive.seen += len(message.get("body", b""))
                if counting_receive.seen > limit:
                    raise BodyTooLarge(limit)
            return message

        counting_receive.seen = 0

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge as exc:
            if started:  # an answer is on its way: nothing to replace it with
                raise
            await _refuse(scope, send, exc, self.pages.get(scope["path"]))


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # the server rejects a malformed length itself
    return 0


async def _refuse(scope: Scope, send: Send, exc: BodyTooLarge, page: Page | None = None) -> None:
    if page is not None:
        body, media = page(scope, exc), b"text/html; charset=utf-8"
    else:
        body = orjson.dumps({"type": "about:blank", "title": "Too large", "status": 413, "detail": str(exc),
                             "instance": scope["path"], "limit": exc.limit})
        media = b"application/problem+json"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
