"""Every package of the source tree is listed in pyproject.toml, so the wheel carries it, and so
do the installers, which are built from a pip install of the project."""
from __future__ import annotations

from pathlib import Path

import pytest

import playground

tomllib = pytest.importorskip("tomllib")     # Python 3.11 on; the list is the same everywhere

REPO = Path(__file__).resolve().parents[2]
PACKAGE = Path(playground.__file__).parent


def test_pyproject_lists_every_package_under_playground():
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(settings["tool"]["setuptools"]["packages"])
    on_disk = {".".join(path.parent.relative_to(PACKAGE.parent).parts)
               for path in PACKAGE.rglob("__init__.py") if "__pycache__" not in path.parts}
    assert on_disk - listed == set(), "packages missing from pyproject.toml"
    # resources/ is installed as playground.resources (package-dir), not found under playground/
    assert listed - on_disk == {"playground.resources", "playground.resources.icons",
                                "playground.resources.presets"}
