"""GET /v1/status: a health check that reads the store (and the server, when there is one)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from legalkg.api.readers import Store, take_backend
from legalkg.api.routes.common import json_answer

router = APIRouter()


@router.get("/v1/status", summary="The server process and its store: counts, format, generation (a health check)")
def status(request: Request, store: Store) -> JSONResponse:
    body = {"status": "ok", "worker": os.getpid(), "generation": store.generation(), "store": store.stats()}
    app = request.app
    if app.state.server is not None:
        remote = take_backend(app)
        try:
            body["backend"] = {**app.state.server.describe(), "synced": remote.synced()}
        finally:
            app.state.backends.put(remote)
    return json_answer(body)
