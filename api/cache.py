"""A per-process cache of GET answers, as plain ASGI middleware (Starlette's BaseHTTPMiddleware costs a task and a
stream per request, which is most of what a cached answer costs).

An answer is a function of the URL and the store's contents, so it is kept under the store's generation (which every
committed batch bumps) and is never served once the store has changed. Responses pass through unbuffered; only
complete 200 answers up to `max_bytes` are kept, least recently used ones going first.

Single flight: while one request computes the answer for a key, other requests for the same key wait for it and are
served what it kept, rather than each computing it again (after a write invalidates the cache, a burst of requests
for a slow answer would otherwise take every read slot at once).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import date
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
ENTRIES = 4096  # answers kept per server process, by default
MAX_BYTES = 1 << 20  # a larger answer is sent, not kept
HIT = (b"x-legalkg-cache", b"hit")  # on answers served from the cache, so operators can tell


class AnswerCache:
    def __init__(self, app: ASGIApp, version: Callable[[], Hashable | None], prefixes: tuple[str, ...],
                 entries: int = ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.app, self.version, self.prefixes = app, version, prefixes
        self.entries, self.max_bytes = entries, max_bytes
        self.answers: OrderedDict[tuple, tuple[list, bytes]] = OrderedDict()
        self.computing: dict[tuple, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (self.entries <= 0 or scope["type"] != "http" or scope["method"] != "GET"
                or not scope["path"].startswith(self.prefixes)):
            await self.app(scope, receive, send)
            return
        version = self.version()
        if version is None:  # no store to answer from: nothing to key answers by
            await self.app(scope, receive, send)
            return
        # the day too: an answer "as of today" (the agency workload's default) is another answer tomorrow
        key = (version, date.today().toordinal(), scope["path"], scope["query_string"])
        if (running := self.computing.get(key)) is not None:
            await running.wait()
        if (hit := self.answers.get(key)) is not None:
            self.answers.move_to_end(key)
            await send({"type": "http.response.start", "status": 200, "headers": [*hit[0], HIT]})
            await send({"type": "http.response.body", "body": hit[1]})
            return
        if key in self.computing:  # the first one's answer was not kept (an error, too large): compute it alongside
            await self.app(scope, receive, self._keeping(key, send))
            return
        self.computing[key] = done = asyncio.Event()
        try:
            await self.app(scope, receive, self._keeping(key, send))
        finally:
            del self.computing[key]
            done.set()

    def _keeping(self, key: tuple, send: Send) -> Send:
        headers: list | None = None
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal headers, size
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body" and headers is not None and size <= self.max_bytes:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body") and size <= self.max_bytes:
                    self._put(key, headers, b"".join(chunks))
            await send(message)

        return keep

    def _put(self, key: tuple, headers: list, body: bytes) -> None:
        self.answers[key] = (headers, body)
        while len(self.answers) > self.entries:
            self.answers.popitem(last=False)
