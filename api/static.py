"""Files the pages load, all from this server: the workbench's stylesheet and script (api/static), vis-network (from
the pyvis package) for the graph pages, and Swagger UI's and ReDoc's (from the fastapi-offline package), so /docs and /redoc work on a machine without internet. FastAPI's
own /docs would load them from a CDN: a blank page offline."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from legalkg.viz.graph import vis_folder

OWN = Path(__file__).resolve().parent / "static"


def mount_static(app: FastAPI) -> None:
    vendored = Path(str(files("fastapi_offline").joinpath("static")))
    app.mount("/static/docs", StaticFiles(directory=vendored), name="docs-static")
    app.mount("/static/vis", StaticFiles(directory=vis_folder()), name="vis-static")
    app.mount("/static", StaticFiles(directory=OWN), name="static")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title}: API",
                                   swagger_js_url="/static/docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static/docs/swagger-ui.css",
                                   swagger_favicon_url="/static/docs/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=app.openapi_url, title=f"{app.title}: API",
                              redoc_js_url="/static/docs/redoc.standalone.js",
                              redoc_favicon_url="/static/docs/favicon.png", with_google_fonts=False)
