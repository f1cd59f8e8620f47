"""The API's routes, one router per resource. Each router imports what it needs from legalkg.api.readers,
legalkg.api.problems and .common; legalkg.api.app includes them, in ROUTERS' order."""

from __future__ import annotations

from legalkg.api.routes import agencies, documents, export, pages, sparql, status, tasks, workbench

# The order routes are matched in, and listed in the OpenAPI document.
# pages.router's /documents/{id}/annotated comes before the workbench's /documents/{id}, which would match it too.
ROUTERS = (status.router, documents.router, agencies.router, tasks.router, export.router, sparql.router,
           pages.router, workbench.router)
