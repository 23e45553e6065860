"""The pure layers must never pull in Qt: they run in scripts, exports and tests without a display."""
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["playground.engine", "playground.data", "playground.config",
                                     "playground.session", "playground.storage",
                                     "playground.storage.presets", "playground.limits",
                                     "playground.validation", "playground.messages",
                                     "playground.files"])
def test_pure_layer_imports_no_qt(package):
    code = (
        f"import sys, {package}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"{package} imported {result.stdout.strip()}"


def test_version_is_defined_once():
    import playground

    parts = playground.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)
