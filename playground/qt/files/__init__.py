"""Everything about files: save and open, recent files, lessons, exports, autosave and crash
recovery."""
