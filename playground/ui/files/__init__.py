"""Files in the window: open, save, autosave, import, export, the data explorer."""
