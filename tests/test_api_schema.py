"""Property-based tests of the HTTP API against its own OpenAPI schema (schemathesis): no server errors, responses
that match the schema, for inputs the schema allows and some it does not."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.cli import SAMPLES
from graph.ingest import build
from graph.store import SqliteStore

STORE = Path(tempfile.mkdtemp(prefix="legalkg-schema-")) / "s.db"
with SqliteStore(STORE) as _store:
    build(_store, [SAMPLES])

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(STORE))


# An upload the schema allows (any bytes) may still be refused with a 422: binary, empty or undecodable files are
# refused on purpose, and no schema can say "text in a Vietnamese encoding". Every other check applies to it.
REFUSES_VALID_BYTES = {("POST", "/v1/documents")}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    excluded = [positive_data_acceptance] if (case.method.upper(), case.path) in REFUSES_VALID_BYTES else []
    case.call_and_validate(excluded_checks=excluded)
