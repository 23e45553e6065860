"""Data files shipped with the app: icons, lesson presets, the .desktop entry."""
