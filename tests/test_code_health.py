"""`engine` and `policy` are the functional core: they import nothing from the shell or I/O (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "sanchong"
CORE = sorted([*SRC.joinpath("engine").glob("*.py"), *SRC.joinpath("policy").glob("*.py")])
FORBIDDEN_MODULES = {
    "os", "sys", "io", "pathlib", "shutil", "subprocess", "socket", "sqlite3", "time", "random", "logging",
    "tempfile", "glob", "importlib", "urllib", "http", "requests", "httpx", "sqlalchemy", "alembic",
    "fastapi", "starlette", "uvicorn", "typer", "click", "polars", "pyarrow", "pyspark", "psycopg",
}  # fmt: skip
SHELL_PACKAGES = {"store", "services", "api", "web", "cli", "catalog", "scenario", "batch"}
CLOCK_CALLS = {"now", "today", "utcnow"}


def _imports(tree: ast.AST, path: Path) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against sanchong.<package>
                package = path.parent.name
                base = ["sanchong", package][: 2 - (node.level - 1)] if node.level <= 2 else ["sanchong"]
                names.append(".".join([*base, node.module or ""]).rstrip("."))
            else:
                names.append(node.module or "")
    return names


@pytest.mark.parametrize("path", CORE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_core_module_imports_no_shell_and_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name in _imports(tree, path):
        top = name.split(".")[0]
        assert top not in FORBIDDEN_MODULES, f"{path.name} imports {name}"
        if top == "sanchong":
            parts = name.split(".")
            assert len(parts) < 2 or parts[1] not in SHELL_PACKAGES, f"{path.name} imports shell module {name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            assert node.func.attr not in CLOCK_CALLS, f"{path.name} reads the clock ({node.func.attr})"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "open", f"{path.name} opens a file"


def test_the_core_is_where_it_should_be() -> None:
    assert len(CORE) >= 10
