"""Everything about files.

- ``actions``: FileActions, the File and Lessons menus; save, open, one file loading at a time;
- ``document``: the open playground's path, title and unsaved changes;
- ``recent``: Open recent and the last folder; ``lessons``: the Lessons menu and its dock
  (``lesson_panel``, loaded when a lesson first opens);
- ``exports``: the Export submenu; ``recovery``: the autosave timer and crash recovery, on
  ``autosave`` (the files in the data folder);
- ``loading``: reading a file on a background thread; ``prompts``: every question asked;
- ``data_import``: points from a CSV file (Import data…); ``drops``: files dropped onto the
  window.
"""
