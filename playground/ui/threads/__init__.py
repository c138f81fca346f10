"""Work off the GUI thread, and the garbage collector kept on it."""
