"""The app finds its icons and shipped lessons installed, and from a never-installed checkout."""
from __future__ import annotations

from importlib import resources

from playground import resource_files
from playground.lessons import library


def _names(folder) -> set[str]:
    return {entry.name for entry in folder.iterdir()}


def test_the_installed_package_holds_the_icons_and_the_lessons():
    root = resource_files.resource_root()
    assert "backprop-playground-256.png" in _names(root / "icons")
    assert any(name.endswith(".json") for name in _names(root / "presets"))


def test_a_checkout_that_was_never_installed_uses_its_resources_folder(monkeypatch):
    # `python -m playground` in a clone: the clone's own package shadows the installed one and
    # has no playground.resources
    def missing(package):
        raise ModuleNotFoundError(f"No module named {package!r}")

    monkeypatch.setattr(resources, "files", missing)
    library._shipped.cache_clear()
    try:
        root = resource_files.resource_root()
        assert root.name == "resources"
        assert "backprop-playground-256.png" in _names(root / "icons")
        assert len(library.lessons()) >= 7
    finally:
        library._shipped.cache_clear()
