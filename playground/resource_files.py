"""Where the app's data files (icons, shipped lessons) are.

Installed, they are the package ``playground.resources`` (pyproject.toml maps the repository's
``resources/`` folder onto it), read through ``importlib.resources`` so a wheel, an editable
install and a PyInstaller bundle all work. Started from a source checkout that was never
installed -- ``python -m playground`` in a clone, where the clone's own ``playground`` folder
shadows the installed one -- that package does not exist, and the repository's folder is used.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

RESOURCE_PACKAGE = "playground.resources"


def resource_root():
    """The data folder, as an ``importlib.resources`` Traversable (or a Path in a checkout)."""
    try:
        return resources.files(RESOURCE_PACKAGE)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "resources"
