"""Tests that kill mutants of the access rules which `make mutants` found surviving
(docs/testing.md, "Mutation checks"), and the check that every permission module is mutated."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_permission_module_is_mutated_by_make_mutants():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    sources = [source.rstrip("/") for source in config["source_paths"]]
    modules = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if (path.name == "permissions.py" or path.name == "conflicts.py")
        and not {".venv", "mutants", "tests", "var"} & set(path.relative_to(ROOT).parts)
    ]
    assert "challenges/permissions.py" in modules and "platform_core/conflicts.py" in modules
    for module in modules:
        assert any(module.startswith(source + "/") for source in sources), module
        assert any(fnmatch.fnmatch(module, pattern) for pattern in config["only_mutate"]), module
