"""The layers hold in both directions.

Down: the pure layers (everything but ``playground/qt/``, the command line and the examples)
import no Qt, so they run in scripts, exports and tests without a display. Up: of the Qt modules
only the training worker imports the engine or the session; the window and its panels see
training through snapshots and commands. On top: the examples may use every layer, and no
product module imports them. Imports are read from the source with ``ast``, those inside
functions included, and the pure modules are also loaded in a fresh interpreter to prove no Qt
comes in indirectly.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import playground

PACKAGE = Path(playground.__file__).parent
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6", "playground.qt")
ENGINE_SIDE = ("playground.engine", "playground.session")
# the command line starts the application, so it may load Qt; it is no pure layer
ENTRY_POINTS = ("playground.app", "playground.__main__")
# each panel run alone: they stand on every layer, Qt and the session alike
EXAMPLES = "playground.examples"
# the one Qt module that drives the session on its training thread
WORKER = "playground.qt.worker"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module the source of ``module`` imports anywhere in it: ``from a.b import c`` gives
    a.b and a.b.c (c may be a module), relative imports resolved against its package."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source, module)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def imports_of(module: str) -> set[str]:
    path = all_modules()[module]
    return imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


QT_SIDE = sorted(name for name in all_modules() if within(name, ("playground.qt",)))
ON_TOP = sorted(name for name in all_modules() if within(name, (EXAMPLES,)))
PURE = sorted(name for name in all_modules()
              if name not in QT_SIDE and name not in ENTRY_POINTS and name not in ON_TOP)
PRODUCT = sorted(name for name in all_modules() if name not in ON_TOP)


def test_each_layer_holds_the_modules_it_should():
    assert {"playground.engine", "playground.session", "playground.snapshot",
            "playground.snapshot_builder", "playground.inspection", "playground.commands",
            "playground.network_edits", "playground.storage"} <= set(PURE)
    assert WORKER in QT_SIDE and "playground.qt.network.view" in QT_SIDE
    assert "playground.examples.snapshots" in ON_TOP and "playground.app" in PRODUCT


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_qt(module):
    bad = sorted(name for name in imports_of(module) if within(name, QT_MODULES))
    assert bad == [], f"{module} imports {bad}"


@pytest.mark.parametrize("module", [name for name in QT_SIDE if name != WORKER])
def test_only_the_worker_imports_the_engine_or_the_session(module):
    bad = sorted(name for name in imports_of(module) if within(name, ENGINE_SIDE))
    assert bad == [], f"{module} imports {bad}: only {WORKER} may"


@pytest.mark.parametrize("module", PRODUCT)
def test_no_product_module_imports_the_examples(module):
    bad = sorted(name for name in imports_of(module) if within(name, (EXAMPLES,)))
    assert bad == [], f"{module} imports {bad}: the examples stand on top"


def test_the_import_reader_sees_every_form_of_import():
    source = ("import playground.engine as e\n"
              "from playground import session\n"
              "def build():\n"
              "    from ..engine import Network\n"
              "    from . import theme\n"
              "    from .network.view import NetworkView\n")
    names = imported_names(source, "playground.qt.sample")
    assert {"playground.engine", "playground.session", "playground.engine.Network",
            "playground.qt.theme", "playground.qt.network.view"} <= names
    assert "playground.qt.network.view" in imported_names("from .view import NetworkView\n",
                                                          "playground.qt.network", True)
    assert all(within(name, ENGINE_SIDE) for name in ("playground.engine", "playground.session"))
    assert not within("playground.engineering", ENGINE_SIDE)


@pytest.mark.parametrize("package", [name for name in PURE if name.count(".") == 1])
def test_pure_layer_loads_no_qt(package):
    code = (
        f"import sys, {package}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{package} imported {result.stdout.strip()}"


def test_version_is_defined_once():
    parts = playground.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)
