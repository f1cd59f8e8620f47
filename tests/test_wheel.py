"""The wheel is complete: built from a copy of the checkout, installed into a fresh virtualenv outside it, and every
stage run from another folder (build, query, export, sync to a real FalkorDB, serve), so a file missing from the
package data fails here and not on a user's machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from servers import falkordb_server, free_port, stop
from test_house import package_dirs

ROOT = Path(__file__).resolve().parents[1]
LEFT_OUT = shutil.ignore_patterns(".venv", ".git", "node_modules", "__pycache__", "build", "dist", "*.egg-info",
                                  ".pytest_cache", "*.db")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built the way pip builds one, from a copy (the build leaves build/ and egg-info behind)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "--wheel-dir", str(work / "dist"), str(source)], check=True, capture_output=True, timeout=600)
    return next((work / "dist").glob("legalkg-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv holding the wheel alone. Its dependencies are this environment's, reached through a .pth
    line (no download): a line of a .pth names a folder only, so our own editable install stays out of sight."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = Path(subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()"
                                   "['purelib'])"], check=True, capture_output=True, text=True).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                    "--no-index", "--quiet", str(wheel)], check=True, capture_output=True, timeout=300)
    return venv


@pytest.fixture()
def elsewhere(tmp_path) -> Path:
    """A folder far from the checkout that holds folders named like our stages, as a user's project might."""
    for name in ("graph", "extract", "api"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise ImportError('a user folder was imported')\n")
    return tmp_path


def run(venv: Path, cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(venv / "bin" / "legalkg"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    assert result.returncode == 0, f"legalkg {' '.join(args)}: {result.stderr[-2000:]}"
    return result


def test_the_wheel_holds_one_top_level_package_and_every_file_of_the_stage_folders(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        top_level = next(n for n in names if n.endswith(".dist-info/top_level.txt"))
        assert archive.read(top_level).decode().split() == ["legalkg"]
    assert {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")} == {"legalkg"}
    missing = []
    for package, folder in package_dirs().items():
        prefix = package.replace(".", "/")
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                if f"{prefix}/{path.relative_to(folder).as_posix()}" not in names:
                    missing.append(f"{folder.name}/{path.relative_to(folder)}")
    assert not missing, f"files of the package folders not in the wheel: {missing}"


def test_the_installed_wheel_runs_every_stage_from_another_folder(installed, elsewhere):
    where = run(installed, elsewhere, "--version")
    assert where.stdout.strip()
    imported = subprocess.run([str(installed / "bin" / "python"), "-c", "import legalkg.graph.store as s; "
                               "print(s.__file__)"], cwd=elsewhere, capture_output=True, text=True, check=True)
    assert Path(imported.stdout.strip()).is_relative_to(installed), "the wheel's package was not the one imported"

    run(installed, elsewhere, "build", "--sample", "--store", "s.db")
    answer = run(installed, elsewhere, "query", "depends-on", "ND 107/2021", "--transitive", "--store", "s.db")
    assert "61/2018" in answer.stdout or "107/2021" in answer.stdout
    turtle = run(installed, elsewhere, "export", "--format", "ttl", "--store", "s.db", "--output", "g.ttl")
    assert (elsewhere / "g.ttl").stat().st_size > 10_000, turtle.stderr
    with falkordb_server() as uri:
        run(installed, elsewhere, "sync", "--backend", "falkordb", "--uri", uri, "--graph", "wheel", "--full",
            "--store", "s.db")
        queried = run(installed, elsewhere, "query", "--backend", "falkordb", "--uri", uri, "--graph", "wheel",
                      "depends-on", "ND 107/2021")
        assert queried.stdout == run(installed, elsewhere, "query", "depends-on", "ND 107/2021",
                                     "--store", "s.db").stdout


def test_the_installed_wheel_serves_a_request(installed, elsewhere):
    run(installed, elsewhere, "build", "--sample", "--store", "s.db")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    server = subprocess.Popen([str(installed / "bin" / "legalkg"), "serve", "--store", "s.db", "--port", str(port)],
                              cwd=elsewhere, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        body = _get_when_up(f"http://127.0.0.1:{port}/viz/documents/ND%20107%2F2021", server)
        assert "vis-network" in body or "vis.Network" in body
        annotated = _get_when_up(f"http://127.0.0.1:{port}/documents/eli/vn/nd/2021/107/annotated", server)
        assert "107/2021" in annotated
    finally:
        stop(server)


def _get_when_up(url: str, server: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode("utf-8")
        except OSError:
            if server.poll() is not None:
                raise AssertionError(f"the server ended: {server.stderr.read().decode()[-2000:]}") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
