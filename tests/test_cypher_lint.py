"""Every Cypher statement the backends send passes Neo4j's own parser and semantic analysis.

No Neo4j runs here, so its dialect is checked with @neo4j-cypher/language-support (the library behind Neo4j's
editors; tests/cypher_lint/, pinned in its package-lock.json), in CYPHER 5 and CYPHER 25. The statements are
graph.cypher.all_statements(): the queries/cypher files filled from the graph's own vocabulary as at run time, and the
ones built in code. The only diagnostic allowed is an undeclared parameter (values travel as parameters, which the
linter is never told of). The FalkorDB-only statements (its index creation, in its own dialect) are listed but not
linted here: Neo4j is never sent them, and the real FalkorDB of tests/test_cypher.py runs them in every sync.

Needs `npm ci` in tests/cypher_lint (network: the registry). Without it the tests that lint skip, or fail when
CI_REQUIRE_CYPHER_LINT=1 (as CI sets).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from legalkg.graph.cypher import KINDS, NAMED, RELATIONS, STATEMENTS, TYPES, all_statements, neo4j_setup_statements

LINT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cypher_lint")
PACKAGE = "@neo4j-cypher/language-support"
INSTALL = "(cd tests/cypher_lint && npm ci --no-audit --no-fund)"
UNDECLARED_PARAMETER = re.compile(r"Parameter \$(`?)\w+\1 is not defined\.")
NOT_LINTED = "falkordb:"  # names of the statements only FalkorDB is sent (see the module's docstring)

# Statements the linter must reject (not one diagnostic on them: the linter is not live).
BROKEN = {
    "broken:syntax": "MATCH (n RETURN n",
    "broken:undefined variable": "MATCH (n:Node) RETURN m",
    "broken:unfilled placeholder": (STATEMENTS / "merge_nodes.cypher").read_text(encoding="utf-8"),
    "broken:misspelt keyword": "MATCH (n:Node {iri: $iri}) RETRN n.iri",
}


def files() -> list[str]:
    """The statement files, named as all_statements() names them (named/impact, merge_nodes)."""
    paths = [*STATEMENTS.glob("*.cypher"), *STATEMENTS.glob("named/*.cypher")]
    return sorted(p.relative_to(STATEMENTS).with_suffix("").as_posix() for p in paths)


def base(name: str) -> str:
    return name.split("[", 1)[0]


def require_linter() -> None:
    """node and the pinned package installed, or a skip (a failure when CI_REQUIRE_CYPHER_LINT=1) naming the fix."""
    problem = None
    installed = os.path.join(LINT, "node_modules", *PACKAGE.split("/"), "package.json")
    if shutil.which("node") is None:
        problem = "node is not installed (Node.js >= 18.18.2, with npm)"
    elif not os.path.isfile(installed):
        problem = f"the Cypher linter is not installed: run {INSTALL}"
    else:
        with open(os.path.join(LINT, "package.json"), encoding="utf-8") as f:
            pinned = json.load(f)["dependencies"][PACKAGE]
        with open(installed, encoding="utf-8") as f:
            version = json.load(f)["version"]
        if version != pinned:
            problem = f"{PACKAGE} {version} is installed, package.json pins {pinned}: run {INSTALL}"
    if problem is None:
        return
    if os.environ.get("CI_REQUIRE_CYPHER_LINT") == "1":
        pytest.fail(f"CI_REQUIRE_CYPHER_LINT=1 but {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def linted() -> dict[str, list[dict]]:
    """Every statement Neo4j can be sent, and the broken ones, through the linter in one run: name → diagnostics."""
    require_linter()
    items = [{"name": n, "statement": t} for n, t in all_statements() if not n.startswith(NOT_LINTED)]
    items += [{"name": n, "statement": t} for n, t in BROKEN.items()]
    run = subprocess.run(["node", "lint.mjs"], cwd=LINT, input=json.dumps(items), capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, f"tests/cypher_lint/lint.mjs failed:\n{run.stderr}"
    out = json.loads(run.stdout)
    assert sorted(out) == sorted(i["name"] for i in items)
    return out


def problems(diagnostics: list[dict]) -> list[dict]:
    """The diagnostics that count: all but an undeclared parameter."""
    return [d for d in diagnostics if not UNDECLARED_PARAMETER.fullmatch(d["message"])]


def test_every_statement_the_backends_send_is_listed_filled():
    statements = all_statements()
    names = [n for n, _ in statements]
    assert len(names) == len(set(names))
    assert len(files()) >= 25 and {f"named/{n}" for n in NAMED} <= set(files())
    assert {base(n) for n in names if ":" not in n} == set(files())  # every file, and nothing else unprefixed
    assert {n for n in names if base(n) == "merge_nodes"} == {f"merge_nodes[{k}]" for k in KINDS}
    for templated in ("merge_edges", "delete_source_edges"):
        assert {n for n in names if base(n) == templated} == {f"{templated}[{TYPES[r]}]" for r in RELATIONS}
    assert [t for n, t in statements if n.startswith("neo4j:setup:")] == neo4j_setup_statements()
    assert any(n.startswith("neo4j:clear:") for n in names) and any(n.startswith(NOT_LINTED) for n in names)
    leftovers = {n: re.findall(r"\{\w+\}", t) for n, t in statements if re.search(r"\{\w+\}", t)}
    assert not leftovers, f"placeholders left unfilled: {leftovers}"
    assert len([n for n in names if not n.startswith(NOT_LINTED)]) >= 75


def test_the_linter_rejects_broken_statements(linted):
    silent = [n for n in BROKEN if not problems(linted[n])]
    assert not silent, f"the linter found nothing wrong with {silent}: it is not live"
    lines = BROKEN["broken:unfilled placeholder"].splitlines()
    placeholder = 1 + next(i for i, line in enumerate(lines) if line.startswith("MERGE") and "{kind}" in line)
    found = {(d["version"], d["line"]) for d in problems(linted["broken:unfilled placeholder"])}
    assert found == {("CYPHER 5", placeholder), ("CYPHER 25", placeholder)}  # in both, at the placeholder


def test_only_undeclared_parameters_are_let_through(linted):
    """The rule that is allowed matches the linter's real message (so it is not silently letting other things by)."""
    allowed = [d for d in linted["nodes"] if UNDECLARED_PARAMETER.fullmatch(d["message"])]
    assert {d["text"] for d in allowed} == {"$iris"} and {d["version"] for d in allowed} == {"CYPHER 5", "CYPHER 25"}


def test_every_statement_neo4j_is_sent_passes_its_parser(linted):
    texts = dict(all_statements())
    failures = [f"{name} ({d['version']}, line {d['line']} column {d['column']}, at {d['text']!r}): {d['message']}"
                f"\n    {texts[name].splitlines()[d['line'] - 1]}"
                for name, diagnostics in linted.items() if not name.startswith("broken:")
                for d in problems(diagnostics)]
    assert not failures, f"{len(failures)} diagnostics from Neo4j's parser:\n" + "\n".join(failures)
