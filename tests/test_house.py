"""The shape of the package: one `legalkg` namespace over the stage folders, and no import circles between modules."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def package_dirs() -> dict[str, Path]:
    """Each package of the distribution and the folder it is read from, as pyproject.toml maps them."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    mapping = setuptools["package-dir"]

    def folder(package: str) -> Path:
        if package in mapping:
            return ROOT / mapping[package]
        parent, _, name = package.rpartition(".")
        return folder(parent) / name

    return {package: folder(package) for package in setuptools["packages"]}


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in package_dirs().items():
        for path in folder.glob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            found[".".join((package, *(p for p in parts if p != "__init__")))] = path
    return found


def imported_names(tree: ast.AST) -> set[str]:
    """Every module name an import statement may load, at any depth (imports inside functions count: they close a
    circle as surely, only later)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError("relative imports are not used in this package")
    return names


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        for target in imported_names(ast.parse(path.read_text(encoding="utf-8"))):
            if target in found and target != name:
                graph.add_edge(name, target)
    return graph


def test_every_stage_folder_is_a_package_of_the_one_namespace_and_every_package_is_listed():
    packages = package_dirs()
    assert {"legalkg", *(f"legalkg.{stage}" for stage in ("extract", "graph", "queries", "api", "viz", "ontology"))} \
        <= set(packages)
    for package, folder in packages.items():
        assert (folder / "__init__.py").is_file(), package
    listed = {folder for folder in packages.values()}
    unlisted = [init.parent for folder in packages.values() for init in folder.rglob("__init__.py")
                if init.parent not in listed]
    assert not unlisted, f"packages pyproject.toml does not list (the wheel would leave them out): {unlisted}"


def test_no_module_imports_one_that_imports_it_back():
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, "import circles: " + "; ".join(" → ".join([*c, c[0]]) for c in cycles)


def test_the_cycle_check_sees_a_circle_when_there_is_one():
    graph = import_graph()
    assert graph.has_edge("legalkg.graph.ingest", "legalkg.graph.store")  # the check reads real imports
    graph.add_edge("legalkg.graph.store", "legalkg.graph.ingest")
    assert list(nx.simple_cycles(graph))


def test_records_flow_one_way_between_the_stages():
    """extract → graph → ontology (the graph as RDF) → queries (SPARQL runs over that RDF) → viz → api → the
    command line: no stage imports a later one."""
    order = ["extract", "graph", "ontology", "queries", "viz", "api", "cli"]

    def stage(module: str) -> str:
        parts = module.split(".")
        return parts[1] if len(parts) > 1 and parts[1] in order else "cli"

    backwards = [(a, b) for a, b in import_graph().edges if order.index(stage(b)) > order.index(stage(a))]
    assert not backwards, backwards


@pytest.mark.parametrize("shadow", ["graph", "extract", "api", "queries"])
def test_the_package_imports_from_a_folder_that_holds_a_folder_of_a_stage_name(tmp_path, shadow):
    (tmp_path / shadow).mkdir()
    (tmp_path / shadow / "__init__.py").write_text("raise ImportError('the user\\'s own folder was imported')\n")
    result = subprocess.run([sys.executable, "-c", f"import legalkg.{shadow}, legalkg.graph.store; "
                             f"print(legalkg.{shadow}.__name__)"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"legalkg.{shadow}"


def test_ci_runs_the_test_command_the_readme_gives():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Two commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2, commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci, f"{commands[1]!r} is not a line of .ci/run"
    assert 'pip install --quiet -e ".[test]"' in "\n".join(ci) and 'pip install -e ".[test]"' in commands[0]
