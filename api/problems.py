"""Errors as application/problem+json (RFC 9457): the Problem a route raises, the schema the OpenAPI document gives
every error answer, and the handlers that turn whatever a request raised into such a body."""

from __future__ import annotations

from collections.abc import Iterable
from http import HTTPStatus

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from legalkg.api.limits import BodyTooLarge
from legalkg.graph.cypher import BackendError

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA = {
    "type": "object", "required": ["title", "status", "detail"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {}, "instance": {"type": "string"}, "candidates": {"type": "array"},
                   "errors": {"type": "array"}},
}
ERRORS = {code: {"description": HTTPStatus(code).phrase, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}
          for code in (400, 404, 409, 413, 415, 422, 503)}


class Problem(HTTPException):
    def __init__(self, status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra) -> None:
        super().__init__(status, detail, headers)
        self.title, self.extra = title, extra


def install_problem_handlers(app: FastAPI) -> None:
    """Every error the app answers, as a problem+json body."""
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(BodyTooLarge, _too_large)
    app.add_exception_handler(BackendError, _backend_failed)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_problem)


async def _problem(request: Request, exc: Problem) -> JSONResponse:
    body = {"type": "about:blank", "title": exc.title, "status": exc.status_code, "detail": exc.detail,
            "instance": str(request.url.path), **exc.extra}
    return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM, headers=exc.headers)


async def _too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
    return await _problem(request, Problem(413, "Too large", str(exc), limit=exc.limit))


async def _backend_failed(request: Request, exc: BackendError) -> JSONResponse:
    return await _problem(request, Problem(503, "Backend unavailable", str(exc)))


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
    body = {"type": "about:blank", "title": "Invalid request", "status": 422,
            "detail": "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors),
            "instance": str(request.url.path), "errors": errors}
    return JSONResponse(body, status_code=422, media_type=PROBLEM)


async def _http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    body = {"type": "about:blank", "title": HTTPStatus(exc.status_code).phrase, "status": exc.status_code,
            "detail": exc.detail, "instance": str(request.url.path)}
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # every method of the path, not just those of the first route that matched it
        headers["Allow"] = ", ".join(_allowed_methods(request.app, request.scope))
    return JSONResponse(body, status_code=exc.status_code, media_type=PROBLEM, headers=headers)


def _allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    methods: set[str] = set()
    for route in _routes(app):
        if getattr(route, "methods", None) and route.matches({**scope, "method": next(iter(route.methods))})[0] == Match.FULL:
            methods |= route.methods
    return sorted(methods)


def _routes(app: FastAPI) -> Iterable[BaseRoute]:
    """Every route of the app, those of included routers too: newer FastAPI keeps an included router as one nested
    route, older ones copy its routes into the app's list."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return app.router.routes
    return iter_route_contexts(app.router.routes)
