"""Property-based tests of the HTTP API against its own OpenAPI schema (schemathesis): no server errors, responses
that match the schema, for inputs the schema allows and some it does not."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from legalkg.api.app import create_app
from legalkg.cli import SAMPLES
from legalkg.graph.ingest import build
from legalkg.graph.store import SqliteStore

STORE = Path(tempfile.mkdtemp(prefix="legalkg-schema-")) / "s.db"  # schemathesis reads the app at import time
atexit.register(shutil.rmtree, STORE.parent, ignore_errors=True)
with SqliteStore(STORE) as _store:
    build(_store, [SAMPLES])

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(STORE, sparql_timeout_s=5))


@schemathesis.serializer("application/sparql-query")
def sparql_query_body(ctx, value) -> bytes:  # the query is the body, as text
    return value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")


# The upload is a multipart form. An upload the schema allows (any bytes) may still be refused with a 422: binary,
# empty or undecodable files are refused on purpose, and no schema can say "text in a Vietnamese encoding". And a
# "schema-violating" value schemathesis makes for a form field (a number for `text`) is a string on the wire like
# any other. Every other check applies to it.
REFUSES_VALID_BYTES = {("POST", "/v1/documents")}
# Likewise a SPARQL query: the schema says "a string", and most strings are not SPARQL (a 400 that says why).
REFUSES_VALID_STRINGS = {("GET", "/v1/sparql"), ("POST", "/v1/sparql")}


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    operation = (case.method.upper(), case.path)
    excluded = ([positive_data_acceptance, negative_data_rejection] if operation in REFUSES_VALID_BYTES
                else [positive_data_acceptance] if operation in REFUSES_VALID_STRINGS else [])
    case.call_and_validate(excluded_checks=excluded)
