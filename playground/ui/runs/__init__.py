"""The runs of a session: the list, its table and the overlays of earlier curves."""
